package report

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/internal/testcsv"
	"github.com/segmap/segmap/service"
)

// nationalRows reads a file of data/national as rows keyed by the header.
func nationalRows(t *testing.T, name string) []map[string]string {
	t.Helper()
	return testcsv.Rows(t, "../../data/national/files/"+name)
}

func fnum(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("number %q", s)
	}
	return f
}

// panelShare is 100 Σforeign_born / Σpop_total over the panel rows of a year that keep accepts.
func panelShare(t *testing.T, rows []map[string]string, year int, keep func(map[string]string) bool) float64 {
	var fb, pop float64
	for _, r := range rows {
		if r["year"] == strconv.Itoa(year) && keep(r) {
			fb += fnum(t, r["foreign_born"])
			pop += fnum(t, r["pop_total"])
		}
	}
	if pop == 0 {
		t.Fatalf("no panel rows for %d", year)
	}
	return 100 * fb / pop
}

// panelD is the dissimilarity index between foreign-born and Sweden-born
// over the RegSO of a kommun in a year, from the panel's counts.
func panelD(t *testing.T, rows []map[string]string, kommun string, year int) float64 {
	var a, b []float64
	var A, B float64
	for _, r := range rows {
		if r["year"] != strconv.Itoa(year) || r["kommun"] != kommun {
			continue
		}
		fb, pop := fnum(t, r["foreign_born"]), fnum(t, r["pop_total"])
		a, b = append(a, fb), append(b, pop-fb)
		A += fb
		B += pop - fb
	}
	d := 0.0
	for i := range a {
		d += math.Abs(a[i]/A - b[i]/B)
	}
	return d / 2
}

// overtimeChecks compares the chapter of a report on one kommun with the
// national source files: the foreign-born trend beside län and riket, D
// per RegSO year, the 2022→2023 transition table and the largest change
// of wage income.
func overtimeChecks(t *testing.T, r *Report, kommun string) {
	t.Helper()
	ot := r.OverTime
	if ot == nil {
		t.Fatalf("no chapter Utveckling över tid; warnings %v", r.Warnings)
	}
	rows := nationalRows(t, "regso2020_timeseries_2020_2023.csv")
	var fbTrend *IndicatorTrend
	for i := range ot.Trends {
		if ot.Trends[i].Indicator.ID == "foreign_born_pct" {
			fbTrend = &ot.Trends[i]
		}
	}
	if fbTrend == nil || len(ot.Years) != 4 || ot.Years[0] != 2020 || ot.Years[3] != 2023 {
		t.Fatalf("years %v, foreign-born trend %v", ot.Years, fbTrend != nil)
	}
	lan := kommun[:2]
	for i, y := range ot.Years {
		for _, c := range []struct {
			what string
			got  service.Num
			keep func(map[string]string) bool
		}{
			{"region", fbTrend.Region[i], func(m map[string]string) bool { return m["kommun"] == kommun }},
			{"län", fbTrend.Lan[i], func(m map[string]string) bool { return m["kommun"][:2] == lan }},
			{"riket", fbTrend.Riket[i], func(map[string]string) bool { return true }},
		} {
			if want := panelShare(t, rows, y, c.keep); math.Abs(float64(c.got)-want) > 1e-9 {
				t.Errorf("%s %d: foreign-born %v, the panel gives %v", c.what, y, c.got, want)
			}
		}
	}
	if !strings.Contains(string(fbTrend.Chart), "<svg") {
		t.Error("no trend chart")
	}

	seg := ot.Segregation
	if seg == nil || seg.Series[0].Code != kommun {
		t.Fatalf("segregation over time: %+v", seg)
	}
	checked := 0
	for _, y := range seg.Series[0].Years {
		if y.Level != data.LevelRegSO {
			continue
		}
		if want := panelD(t, rows, kommun, y.Year); math.Abs(float64(y.Indices.Dissimilarity)-want) > 1e-9 {
			t.Errorf("D %d: %v, the panel gives %v", y.Year, y.Indices.Dissimilarity, want)
		}
		checked++
	}
	if checked < 2 {
		t.Errorf("%d RegSO years of D checked", checked)
	}

	tr := ot.Transition
	if tr == nil || tr.From != 2022 || tr.To != 2023 {
		t.Fatalf("transition %+v", tr)
	}
	typeOf := func(name, col string) map[string]int {
		out := map[string]int{}
		for _, m := range nationalRows(t, name) {
			if m["kommun"] == kommun && m[col] != "" {
				out[m["regso"]] = int(fnum(t, m[col]))
			}
		}
		return out
	}
	t22, t23 := typeOf("regso_omradestyp_2022.csv", "omradestyp_2022"), typeOf("regso_omradestyp_2023.csv", "omradestyp_2023")
	var want [5][5]int
	for code, a := range t22 {
		if b, ok := t23[code]; ok {
			want[a-1][b-1]++
		}
	}
	if tr.Areas != want {
		t.Errorf("transition %v, the two files give %v", tr.Areas, want)
	}

	l := ot.Largest
	if l == nil || l.Indicator.ID != "wage_income_mean_tkr" || len(l.Better) == 0 {
		t.Fatalf("largest changes %+v", l)
	}
	best, bestCode := math.Inf(-1), ""
	w := map[string]map[string]float64{}
	for _, m := range rows {
		if m["kommun"] == kommun && m["wage_income_mean_tkr"] != "" {
			if w[m["regso"]] == nil {
				w[m["regso"]] = map[string]float64{}
			}
			w[m["regso"]][m["year"]] = fnum(t, m["wage_income_mean_tkr"])
		}
	}
	for code, ys := range w {
		a, okA := ys["2020"]
		b, okB := ys["2023"]
		if okA && okB && (b-a > best || b-a == best && code < bestCode) {
			best, bestCode = b-a, code
		}
	}
	if l.Better[0].Code != bestCode || math.Abs(float64(l.Better[0].Change)-best) > 1e-9 {
		t.Errorf("largest improvement %s %v, the panel gives %s %v", l.Better[0].Code, l.Better[0].Change, bestCode, best)
	}
}

func TestReportOverTimeStockholm(t *testing.T) {
	ctx := context.Background()
	store := writableStore(t)
	// Two notes on the time axis: one within the years of the trends, one before.
	for _, n := range []data.Note{
		{Level: data.LevelRegSO, Code: "0180R123", Year: 2021, Text: "nytt studentboende"},
		{Level: data.LevelKommun, Code: "0180", Year: 2015, Text: "gammal anteckning"},
	} {
		if _, err := store.AddNote(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	svc := service.New(store, nil, service.Options{})
	r, err := New(svc, Options{Cache: -1}).Build(ctx, Query{Kommuner: []string{"0180"}, Now: time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC), Permutations: 99, WithNotes: true})
	if err != nil {
		t.Fatal(err)
	}
	overtimeChecks(t, r, "0180")
	ot := r.OverTime
	if len(ot.Notes) != 2 || ot.Notes[0].Year != 2015 || ot.Notes[1].Number != 2 || ot.Notes[1].AreaName == "" {
		t.Fatalf("notes on the time axis %+v", ot.Notes)
	}
	// The 2021 note is a marker on every trend chart; the 2015 one lies
	// outside their years and is only listed.
	for _, tr := range ot.Trends {
		c := string(tr.Chart)
		if strings.Count(c, `class="marker"`) != 1 || !strings.Contains(c, "2021 – 2. 0180R123") || strings.Contains(c, "gammal") {
			t.Errorf("%s chart markers: %d", tr.Indicator.ID, strings.Count(c, `class="marker"`))
		}
	}
	page, err := r.HTML()
	if err != nil {
		t.Fatal(err)
	}
	html := string(page)
	if d := os.Getenv("SEGMAP_ARTIFACTS"); d != "" {
		_ = os.WriteFile(d+"/report-overtime.html", page, 0o644)
	}
	for _, want := range []string{`<section id="utveckling"`, `<h2>7. Utveckling över tid</h2>`, `<h2>8. Lokal kunskap</h2>`, `href="#utveckling"`,
		`id="overtime-trends"`, `id="overtime-segregation"`, `id="overtime-transition"`, `id="overtime-largest-better"`, `id="overtime-largest-worse"`,
		`<tr data-number="2" data-year="2021">`, "Störst förbättring", `id="overtime-maps"`, "<h3>Kartor per år: "} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	if n := strings.Count(string(ot.Maps), `<svg class="panel"`); n != len(ot.MapsYears) || n < 2 || strings.Contains(string(ot.Maps), "<?xml") {
		t.Errorf("maps by year: %d panels for years %v", n, ot.MapsYears)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		OverTime struct {
			Years  []int `json:"years"`
			Trends []struct {
				Indicator struct{ ID string } `json:"indicator"`
				Region    []*float64          `json:"region"`
			} `json:"trends"`
			Transition struct{ Areas [5][5]int } `json:"transition"`
			Notes      []TimeNote                `json:"notes"`
		} `json:"over_time"`
	}
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if len(back.OverTime.Trends) != len(ot.Trends) || back.OverTime.Transition.Areas != ot.Transition.Areas || len(back.OverTime.Notes) != 2 {
		t.Errorf("JSON of the chapter: %s", b[:min(len(b), 400)])
	}

	// English, and without the right to read notes: no markers, the
	// sentence saying why.
	r, err = New(svc, Options{Cache: -1}).Build(ctx, Query{Kommuner: []string{"0180"}, Lang: "en", Now: time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC), Permutations: 99})
	if err != nil {
		t.Fatal(err)
	}
	page, err = r.HTML()
	if err != nil {
		t.Fatal(err)
	}
	if len(r.OverTime.Notes) != 0 || strings.Contains(string(page), "studentboende") || !strings.Contains(string(page), "7. Development over time") {
		t.Errorf("English report without notes: %d notes", len(r.OverTime.Notes))
	}
}

// The chapter on a group of kommuner analysed together: the region's
// shares from the summed counts of all their RegSO, one segregation
// series per kommun.
func TestReportOverTimeGroup(t *testing.T) {
	ctx := context.Background()
	svc := service.New(testStore, nil, service.Options{})
	kom := []string{"0126", "0127", "0128"}
	r, err := New(svc, Options{Cache: -1}).Build(ctx, Query{Kommuner: kom, Now: time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC), Permutations: 99})
	if err != nil {
		t.Fatal(err)
	}
	ot := r.OverTime
	if ot == nil || ot.Segregation == nil || ot.Transition == nil {
		t.Fatalf("chapter %+v, warnings %v", ot, r.Warnings)
	}
	rows := nationalRows(t, "regso2020_timeseries_2020_2023.csv")
	in := func(m map[string]string) bool {
		return m["kommun"] == "0126" || m["kommun"] == "0127" || m["kommun"] == "0128"
	}
	for _, tr := range ot.Trends {
		if tr.Indicator.ID != "foreign_born_pct" {
			continue
		}
		for i, y := range ot.Years {
			if want := panelShare(t, rows, y, in); math.Abs(float64(tr.Region[i])-want) > 1e-9 {
				t.Errorf("group %d: %v, the panel gives %v", y, tr.Region[i], want)
			}
		}
	}
	kinds := 0
	for _, s := range ot.Segregation.Series {
		if s.Kind == data.LevelKommun {
			kinds++
		}
	}
	if kinds != 3 {
		t.Errorf("%d kommun series of segregation, want 3", kinds)
	}
}
