package main

import (
	"context"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/service"
	"github.com/segmap/segmap/service/report"
	"github.com/segmap/segmap/service/sites"
)

// nationalShare computes an indicator's share for the DeSO rows that keep
// accepts, straight from the national CSV (an independent reference): the
// sum of numerators (round(pct × n / 100), as SCB's counts) over the sum of n.
func nationalShare(t *testing.T, pct, n string, keep func(row map[string]string) bool) float64 {
	t.Helper()
	f, err := os.Open("../../data/national/files/deso_indicators_2022.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var num, den float64
	rows := 0
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		if !keep(m) {
			continue
		}
		p, err1 := strconv.ParseFloat(m[pct], 64)
		d, err2 := strconv.ParseFloat(m[n], 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("row %s: %q %q not numbers", m["deso"], m[pct], m[n])
		}
		num += math.Round(p * d / 100)
		den += d
		rows++
	}
	if rows == 0 {
		t.Fatal("no reference rows")
	}
	return 100 * num / den
}

func initForTest(t *testing.T, args ...string) *data.Store {
	t.Helper()
	path := filepath.Join(t.TempDir(), "kommun.gpkg")
	e, stdout, stderr := testEnv(nil)
	if code := run(context.Background(), append(append([]string{"init"}, args...), path), e); code != 0 {
		t.Fatalf("segmap init exited %d:\n%s\n%s", code, stdout, stderr)
	}
	st, err := data.Open(context.Background(), path, data.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// areaValue finds one area's value in a Values answer.
func areaValue(t *testing.T, v *service.Values, code string) float64 {
	t.Helper()
	for _, a := range v.Areas {
		if a.Code == code {
			if !a.Value.Valid() {
				t.Fatalf("%s %s has no value", v.Level, code)
			}
			return float64(a.Value)
		}
	}
	t.Fatalf("%s %s not in the values", v.Level, code)
	return 0
}

// The recipe "Your own kommun" end to end for Falun (Dalarna's DeSO 2018
// in SWEREF 99 TM): init, then values at every level checked against the
// national table, the profile, the Nulägesbild and a site summary.
func TestInitFalun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a store (30 s on a loaded machine)")
	}
	ctx := context.Background()
	st := initForTest(t, "--kommun", "2080", "--boundaries", "../../testdata/boundaries/deso_2018_dalarna_3006.gpkg")

	home, err := st.Home(ctx)
	if err != nil || strings.Join(home, ",") != "2080" {
		t.Fatalf("home %v, %v; want 2080", home, err)
	}
	desos, err := st.Areas(ctx, data.LevelDeSO, data.AreasOptions{Kommuner: []string{"2081"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range desos {
		if a.Mapped {
			t.Fatalf("DeSO %s of Borlänge was stored; only Falun was asked for", a.Code)
		}
	}
	for level, want := range map[string]int{data.LevelRegSO: 19, data.LevelKommun: 1} {
		areas, err := st.Areas(ctx, level, data.AreasOptions{Kommuner: []string{"2080"}, WithGeometry: true})
		if err != nil {
			t.Fatal(err)
		}
		mapped := 0
		for _, a := range areas {
			if a.Geometry != nil {
				mapped++
			}
		}
		if mapped != want {
			t.Errorf("%s: %d areas with dissolved polygons, want %d", level, mapped, want)
		}
	}

	svc := service.New(st, nil, service.Options{})
	meta, err := svc.Meta(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(meta.Home, ",") != "2080" || meta.Defaults.Kommun != "2080" {
		t.Errorf("meta home %v, default kommun %q; want 2080", meta.Home, meta.Defaults.Kommun)
	}
	const ind, n = "low_econ_standard_pct", "econ_standard_n_persons"
	for _, tc := range []struct {
		level, code string
		keep        func(map[string]string) bool
	}{
		{data.LevelKommun, "2080", func(m map[string]string) bool { return m["kommun"] == "2080" }},
		{data.LevelLan, "20", func(m map[string]string) bool { return m["lan"] == "20" }},
		{data.LevelRiket, data.RiketCode, func(map[string]string) bool { return true }},
	} {
		v, err := svc.Values(ctx, service.ValuesQuery{Level: tc.level, Indicator: ind, Year: 2022})
		if err != nil {
			t.Fatalf("%s: %v", tc.level, err)
		}
		got, want := areaValue(t, v, tc.code), nationalShare(t, ind, n, tc.keep)
		if math.Abs(got-want) > 1e-9 {
			t.Errorf("%s %s: %s = %.6f, the national table gives %.6f", tc.level, tc.code, ind, got, want)
		}
	}

	prof, err := svc.Profile(ctx, data.LevelDeSO, "2080C1080")
	if err != nil {
		t.Fatal(err)
	}
	if prof.Area.KommunName != "Falun" || prof.Area.Omradestyp == 0 {
		t.Errorf("profile area %+v: want kommun Falun and an områdestyp", prof.Area)
	}
	compared := false
	for _, s := range prof.Indicators {
		for _, p := range s.Series {
			if s.Indicator.ID == ind && p.Year == 2022 {
				compared = p.Kommun.Valid() && p.Lan.Valid() && p.Riket.Valid()
			}
		}
	}
	if !compared {
		t.Errorf("profile of 2080C1080 lacks kommun, län or riket for %s 2022", ind)
	}

	r, err := report.New(svc, report.Options{Cache: -1}).Build(ctx, report.Query{Kommuner: []string{"2080"}, Lang: "sv",
		Now: time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC), Permutations: 99})
	if err != nil {
		t.Fatalf("Nulägesbild: %v", err)
	}
	html, err := r.HTML()
	if err != nil {
		t.Fatal(err)
	}
	if r.Name != "Falun" || r.DeSOCount != 37 || r.RegSOCount != 19 || strings.Contains(string(html), "har inga gränser") {
		t.Errorf("Nulägesbild: name %q, %d DeSO, %d RegSO, warnings %v", r.Name, r.DeSOCount, r.RegSOCount, r.Warnings)
	}

	ss := sites.New(svc, sites.Options{})
	// A planned site in central Falun (WGS 84).
	site := `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Centrum"},` +
		`"geometry":{"type":"Point","coordinates":[15.6300,60.6065]}}]}`
	l, _, err := ss.ImportSites(ctx, "falun.geojson", []byte(site), data.SiteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := ss.SiteSummary(ctx, sites.SiteSummaryQuery{Layer: l.ID})
	if err != nil {
		t.Fatal(err)
	}
	near := sum.Sites[0].NearestType12
	if near == nil || !strings.HasPrefix(near.Code, "2080R") || (near.Type != 1 && near.Type != 2) || near.DistanceM > 5000 {
		t.Errorf("nearest RegSO of type 1 or 2: %+v (note %q)", near, sum.Sites[0].NearestNote)
	}
}

// DeSO 2025 (Växjö): codes that exist in 2018 map 1:1, a split area follows
// its 2018 parent's RegSO, and kommun, län and riket values come from the
// national table whatever the polygons are.
func TestInitVaxjoDeSO2025(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a store")
	}
	ctx := context.Background()
	st := initForTest(t, "--kommun", "0780", "--boundaries", "../../testdata/boundaries/deso_2025_vaxjo_4326.geojson")
	split, err := st.Area(ctx, data.LevelDeSO, "0780C1021")
	if err != nil {
		t.Fatal(err)
	}
	parent, err := st.Area(ctx, data.LevelDeSO, "0780C1020")
	if err != nil {
		t.Fatal(err)
	}
	if split.RegSO == "" || split.RegSO != parent.RegSO || split.Kommun != "0780" || split.Lan != "07" {
		t.Errorf("split 0780C1021: regso %q kommun %q län %q; its parent's regso is %q", split.RegSO, split.Kommun, split.Lan, parent.RegSO)
	}
	svc := service.New(st, nil, service.Options{})
	for _, tc := range []struct {
		level, code string
		keep        func(map[string]string) bool
	}{
		{data.LevelKommun, "0780", func(m map[string]string) bool { return m["kommun"] == "0780" }},
		{data.LevelLan, "07", func(m map[string]string) bool { return m["lan"] == "07" }},
		{data.LevelRiket, data.RiketCode, func(map[string]string) bool { return true }},
	} {
		v, err := svc.Values(ctx, service.ValuesQuery{Level: tc.level, Indicator: "foreign_born_pct", Year: 2022})
		if err != nil {
			t.Fatal(err)
		}
		got := areaValue(t, v, tc.code)
		if want := nationalBornAbroad(t, tc.keep); math.Abs(got-want) > 1e-9 {
			t.Errorf("%s %s: foreign_born_pct %.6f, national table %.6f", tc.level, tc.code, got, want)
		}
	}
	pop, err := svc.Values(ctx, service.ValuesQuery{Level: data.LevelKommun, Indicator: "population", Year: 2022})
	if err != nil {
		t.Fatal(err)
	}
	if p := areaValue(t, pop, "0780"); p < 90000 || p > 100000 {
		t.Errorf("Växjö population 2022: %g", p)
	}
	desos, err := svc.Values(ctx, service.ValuesQuery{Level: data.LevelDeSO, Indicator: "foreign_born_pct", Year: 2022, Kommuner: []string{"0780"}})
	if err != nil {
		t.Fatal(err)
	}
	notes := 0
	for _, a := range desos.Areas {
		if a.Geography != nil {
			notes++
			if a.Geography.Parent != a.Code[:8]+"0" {
				t.Errorf("%s: geography parent %q", a.Code, a.Geography.Parent)
			}
		}
	}
	if notes != 6 {
		t.Errorf("%d DeSO carry a geography note, want the 6 splits", notes)
	}
	prof, err := svc.Profile(ctx, data.LevelDeSO, "0780C1022")
	if err != nil {
		t.Fatal(err)
	}
	if g := prof.Area.Geography; g == nil || g.Parent != "0780C1020" || prof.Area.KommunName != "Växjö" {
		t.Errorf("profile of the split 0780C1022: %+v", prof.Area)
	}
}

// nationalBornAbroad: foreign born share from the national table's counts.
func nationalBornAbroad(t *testing.T, keep func(map[string]string) bool) float64 {
	t.Helper()
	f, err := os.Open("../../data/national/files/deso_indicators_2022.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var num, den float64
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		if !keep(m) {
			continue
		}
		for _, c := range []string{"born_europe_excl_sweden", "born_rest_of_world_incl_unknown"} {
			v, _ := strconv.ParseFloat(m[c], 64)
			num += v
		}
		d, _ := strconv.ParseFloat(m["pop_total"], 64)
		den += d
	}
	return 100 * num / den
}

// `segmap import boundaries --level deso` into an empty store completes it
// too (--national is on by default): RegSO dissolved, kommun values present.
func TestImportBoundariesCompletesStore(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a store")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.gpkg")
	e, stdout, stderr := testEnv(nil)
	if code := run(ctx, []string{"import", "boundaries", "--store", path, "--level", "deso",
		"../../testdata/boundaries/deso_2025_vaxjo_4326.geojson"}, e); code != 0 {
		t.Fatalf("exit %d: %s %s", code, stdout, stderr)
	}
	st, err := data.Open(ctx, path, data.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	regso, err := st.Areas(ctx, data.LevelRegSO, data.AreasOptions{Kommuner: []string{"0780"}})
	if err != nil {
		t.Fatal(err)
	}
	mapped := 0
	for _, a := range regso {
		if a.Mapped {
			mapped++
		}
	}
	if mapped == 0 || mapped != len(regso) {
		t.Errorf("%d of Växjö's %d RegSO have dissolved polygons", mapped, len(regso))
	}
	v, err := service.New(st, nil, service.Options{}).Values(ctx, service.ValuesQuery{Level: data.LevelKommun, Indicator: "foreign_born_pct", Year: 2022})
	if err != nil {
		t.Fatal(err)
	}
	want := nationalBornAbroad(t, func(m map[string]string) bool { return m["kommun"] == "0780" })
	if got := areaValue(t, v, "0780"); math.Abs(got-want) > 1e-9 {
		t.Errorf("kommun 0780: %.6f, national table %.6f", got, want)
	}
}
