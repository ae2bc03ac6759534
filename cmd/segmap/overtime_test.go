package main

import (
	"context"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/internal/testcsv"
	"github.com/segmap/segmap/service"
	"github.com/segmap/segmap/service/report"
)

// readNational reads a file of data/national as rows keyed by the header.
func readNational(t *testing.T, name string) []map[string]string {
	t.Helper()
	return testcsv.Rows(t, "../../data/national/files/"+name)
}

// The chapter "Utveckling över tid" of a Nulägesbild on stores built for
// Falun (segmap init --kommun 2080, Dalarna's DeSO 2018) and Växjö (0780, DeSO 2025), checked
// against the national files: the foreign-born share per year, the
// 2022→2023 områdestyper transition and the largest improvement of wage
// income; and the largest changes and change colours by meaning there.
func TestInitOverTime(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a store (30 s on a loaded machine)")
	}
	for _, tc := range []struct{ kommun, boundaries string }{
		{"2080", "../../testdata/boundaries/deso_2018_dalarna_3006.gpkg"},  // Falun, DeSO 2018
		{"0780", "../../testdata/boundaries/deso_2025_vaxjo_4326.geojson"}, // Växjö, DeSO 2025
	} {
		t.Run(tc.kommun, func(t *testing.T) {
			st := initForTest(t, "--kommun", tc.kommun, "--boundaries", tc.boundaries)
			checkOverTime(t, st, tc.kommun)
		})
	}
}

// checkOverTime builds the Nulägesbild of kommun on st and checks its
// chapter against the national files.
func checkOverTime(t *testing.T, st *data.Store, kommun string) {
	ctx := context.Background()
	svc := service.New(st, nil, service.Options{})
	r, err := report.New(svc, report.Options{Cache: -1}).Build(ctx, report.Query{Kommuner: []string{kommun}, Lang: "sv",
		Now: time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC), Permutations: 99})
	if err != nil {
		t.Fatal(err)
	}
	ot := r.OverTime
	if ot == nil || ot.Segregation == nil || ot.Transition == nil || ot.Largest == nil {
		t.Fatalf("chapter %+v; warnings %v", ot, r.Warnings)
	}
	panel := readNational(t, "regso2020_timeseries_2020_2023.csv")
	num := func(s string) float64 {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("number %q", s)
		}
		return f
	}
	for _, tr := range ot.Trends {
		if tr.Indicator.ID != "foreign_born_pct" {
			continue
		}
		for i, y := range ot.Years {
			var fb, pop float64
			for _, m := range panel {
				if m["kommun"] == kommun && m["year"] == strconv.Itoa(y) {
					fb += num(m["foreign_born"])
					pop += num(m["pop_total"])
				}
			}
			if want := 100 * fb / pop; math.Abs(float64(tr.Region[i])-want) > 1e-9 {
				t.Errorf("%s %d: foreign-born %v, the panel gives %v", kommun, y, tr.Region[i], want)
			}
		}
	}
	types := func(name, col string) map[string]int {
		out := map[string]int{}
		for _, m := range readNational(t, name) {
			if m["kommun"] == kommun && m[col] != "" {
				out[m["regso"]] = int(num(m[col]))
			}
		}
		return out
	}
	t22, t23 := types("regso_omradestyp_2022.csv", "omradestyp_2022"), types("regso_omradestyp_2023.csv", "omradestyp_2023")
	var want [5][5]int
	for code, a := range t22 {
		if b, ok := t23[code]; ok {
			want[a-1][b-1]++
		}
	}
	if ot.Transition.Areas != want {
		t.Errorf("transition %v, the files give %v", ot.Transition.Areas, want)
	}
	best, bestCode := math.Inf(-1), ""
	wage := map[string]map[string]float64{}
	for _, m := range panel {
		if m["kommun"] == kommun && m["wage_income_mean_tkr"] != "" {
			if wage[m["regso"]] == nil {
				wage[m["regso"]] = map[string]float64{}
			}
			wage[m["regso"]][m["year"]] = num(m["wage_income_mean_tkr"])
		}
	}
	for code, ys := range wage {
		a, okA := ys["2020"]
		b, okB := ys["2023"]
		if okA && okB && (b-a > best || b-a == best && code < bestCode) {
			best, bestCode = b-a, code
		}
	}
	l := ot.Largest
	if l.Indicator.ID != "wage_income_mean_tkr" || len(l.Better) == 0 || l.Better[0].Code != bestCode || math.Abs(float64(l.Better[0].Change)-best) > 1e-9 {
		t.Errorf("largest improvement %+v, the panel gives %s %v", l.Better, bestCode, best)
	}
	html, err := r.HTML()
	if err != nil {
		t.Fatal(err)
	}
	if !containsAll(string(html), `<section id="utveckling"`, `id="overtime-transition"`, "Störst förbättring", `id="overtime-maps"`) || strings.Count(string(ot.Maps), `<svg class="panel"`) != 4 {
		t.Error("the HTML lacks the chapter")
	}
	// Change by meaning on this store: wage income improvements are green.
	c, err := svc.Change(ctx, service.ChangeQuery{Level: "regso", Indicator: "wage_income_mean_tkr", Kommuner: []string{kommun}})
	if err != nil {
		t.Fatal(err)
	}
	if c.Meaning != service.MeaningHigherIsBetter || c.Classes.Colors[len(c.Classes.Colors)-1] != "#1b7837" {
		t.Errorf("meaning %q colours %v", c.Meaning, c.Classes.Colors)
	}
}

func containsAll(s string, subs ...string) bool {
	for _, x := range subs {
		if !strings.Contains(s, x) {
			return false
		}
	}
	return true
}
