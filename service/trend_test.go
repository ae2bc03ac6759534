package service

import (
	"context"
	"errors"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/internal/fault"
	"github.com/segmap/segmap/internal/testcsv"
)

// demoCSV reads a demo source file as rows keyed by the header.
func demoCSV(t testing.TB, name string) []map[string]string {
	t.Helper()
	return testcsv.Rows(t, filepath.Join("..", "data", "national", "files", name))
}

func atof(t testing.TB, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("number %q: %v", s, err)
	}
	return f
}

// panelCounts sums foreign-born and population of the RegSO panel by key and year.
type fbCounts struct{ fb, pop float64 }

func panelCounts(t testing.TB, rows []map[string]string, key func(map[string]string) string) map[string]map[int]fbCounts {
	out := map[string]map[int]fbCounts{}
	for _, r := range rows {
		k := key(r)
		if k == "" {
			continue
		}
		y, _ := strconv.Atoi(r["year"])
		if out[k] == nil {
			out[k] = map[int]fbCounts{}
		}
		c := out[k][y]
		c.fb += atof(t, r["foreign_born"])
		c.pop += atof(t, r["pop_total"])
		out[k][y] = c
	}
	return out
}

func closeTo(a, b, tol float64) bool { return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b)) }

func TestTrendAgainstSource(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc := New(testStore, nil, Options{})
	rows := demoCSV(t, "regso2020_timeseries_2020_2023.csv")
	byArea := panelCounts(t, rows, func(r map[string]string) string { return r["regso"] })
	byKommun := panelCounts(t, rows, func(r map[string]string) string { return r["kommun"] })
	byLan := panelCounts(t, rows, func(r map[string]string) string { return r["kommun"][:2] })
	riket := panelCounts(t, rows, func(map[string]string) string { return data.RiketCode })

	codes := []string{"0114R001", "1480R010", "0180R001"}
	tr, err := svc.Trend(ctx, TrendQuery{Indicator: "foreign_born_pct", Level: data.LevelRegSO, Codes: codes})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(tr.Years, []int{2020, 2021, 2022, 2023}) {
		t.Fatalf("years %v, want 2020..2023", tr.Years)
	}
	if len(tr.Areas) != len(codes) {
		t.Fatalf("%d areas, want %d", len(tr.Areas), len(codes))
	}
	check := func(what string, s TrendSeries, want map[int]fbCounts) {
		t.Helper()
		if len(want) != 4 {
			t.Fatalf("%s: source has %d years", what, len(want))
		}
		for i, y := range tr.Years {
			w := 100 * want[y].fb / want[y].pop
			if got := float64(s.Values[i]); !closeTo(got, w, 1e-9) {
				t.Errorf("%s %d: %v, want %v from the counts", what, y, got, w)
			}
			if got := float64(s.Numerators[i]); got != want[y].fb {
				t.Errorf("%s %d: numerator %v, want %v", what, y, got, want[y].fb)
			}
		}
	}
	parents := map[string]TrendSeries{}
	for _, p := range tr.Parents {
		parents[p.Level+":"+p.Code] = p
	}
	for i, c := range codes {
		a := tr.Areas[i]
		if a.Code != c {
			t.Fatalf("area %d is %s, want %s (asked order)", i, a.Code, c)
		}
		check(c, a, byArea[c])
		k, ok := parents["kommun:"+a.Kommun]
		if !ok {
			t.Fatalf("%s: kommun %q not among the parents", c, a.Kommun)
		}
		check("kommun "+a.Kommun, k, byKommun[a.Kommun])
		l, ok := parents["lan:"+a.Lan]
		if !ok {
			t.Fatalf("%s: län %q not among the parents", c, a.Lan)
		}
		check("län "+a.Lan, l, byLan[a.Lan])
	}
	check("riket", parents["riket:"+data.RiketCode], riket[data.RiketCode])
	if len(tr.Parents) != 3+2+1 { // kommuner 0114 1480 0180, län 01 14, riket
		t.Errorf("%d parents, want 6", len(tr.Parents))
	}
}

func TestTrendErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc := New(testStore, nil, Options{})
	tests := []struct {
		name string
		q    TrendQuery
		kind error
	}{
		{"no codes", TrendQuery{Indicator: "foreign_born_pct"}, fault.Invalid},
		{"unknown code", TrendQuery{Indicator: "foreign_born_pct", Codes: []string{"9999R999"}}, fault.NotFound},
		{"unknown indicator", TrendQuery{Indicator: "nope", Codes: []string{"0114R001"}}, fault.NotFound},
		{"unknown level", TrendQuery{Indicator: "foreign_born_pct", Level: "x", Codes: []string{"a"}}, fault.NotFound},
		{"unknown kommun", TrendQuery{Indicator: "foreign_born_pct", Kommuner: []string{"9999"}}, fault.NotFound},
	}
	for _, tc := range tests {
		if _, err := svc.Trend(ctx, tc.q); !errors.Is(err, tc.kind) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.kind)
		}
	}
}

func TestTrendKommunAreas(t *testing.T) {
	t.Parallel()
	svc := New(testStore, nil, Options{})
	tr, err := svc.Trend(context.Background(), TrendQuery{Indicator: "population", Kommuner: []string{"0114"}})
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, r := range demoCSV(t, "regso_omradestyp_2023.csv") {
		if r["kommun"] == "0114" {
			want++
		}
	}
	if len(tr.Areas) != want || want == 0 {
		t.Errorf("%d RegSO in 0114, the type file has %d", len(tr.Areas), want)
	}
}

// dissimilarity is D = ½ Σ |aᵢ/A − bᵢ/B|, written out for the test.
func dissimilarity(a, b []float64) float64 {
	var sa, sb float64
	for i := range a {
		sa += a[i]
		sb += b[i]
	}
	d := 0.0
	for i := range a {
		d += math.Abs(a[i]/sa - b[i]/sb)
	}
	return d / 2
}

func TestSegregationTrendAgainstSource(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc := New(testStore, nil, Options{})
	// The counts per area of each year and region, from the source files:
	// DeSO 2022, RegSO otherwise.
	type ab struct{ a, b []float64 }
	want := map[string]map[int]*ab{} // region -> year -> counts
	add := func(region string, y int, fb, pop float64) {
		if want[region] == nil {
			want[region] = map[int]*ab{}
		}
		if want[region][y] == nil {
			want[region][y] = &ab{}
		}
		want[region][y].a = append(want[region][y].a, fb)
		want[region][y].b = append(want[region][y].b, pop-fb)
	}
	for _, r := range demoCSV(t, "regso2020_timeseries_2020_2023.csv") {
		y, _ := strconv.Atoi(r["year"])
		if y == 2022 || atof(t, r["pop_total"]) <= 0 {
			continue
		}
		fb, pop := atof(t, r["foreign_born"]), atof(t, r["pop_total"])
		add(r["kommun"], y, fb, pop)
		add(r["kommun"][:2], y, fb, pop)
		add(data.RiketCode, y, fb, pop)
	}
	for _, r := range demoCSV(t, "deso_indicators_2022.csv") {
		if r["pop_total"] == "" || atof(t, r["pop_total"]) <= 0 {
			continue
		}
		fb := atof(t, r["born_europe_excl_sweden"]) + atof(t, r["born_rest_of_world_incl_unknown"])
		pop := atof(t, r["pop_total"])
		add(r["kommun"], 2022, fb, pop)
		add(r["lan"], 2022, fb, pop)
		add(data.RiketCode, 2022, fb, pop)
	}
	st, err := svc.SegregationTrend(ctx, []string{"0180", "1480"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(st.Years, []int{2020, 2021, 2022, 2023}) {
		t.Fatalf("years %v", st.Years)
	}
	for y, lv := range map[int]string{2020: "regso", 2021: "regso", 2022: "deso", 2023: "regso"} {
		if st.Levels[y] != lv {
			t.Errorf("%d on %s, want %s", y, st.Levels[y], lv)
		}
	}
	var codes []string
	for _, s := range st.Series {
		codes = append(codes, s.Code)
		for _, sy := range s.Years {
			w := want[s.Code][sy.Year]
			if w == nil {
				t.Fatalf("%s %d: no source counts", s.Code, sy.Year)
			}
			if sy.Areas != len(w.a) {
				t.Errorf("%s %d: %d areas, source %d", s.Code, sy.Year, sy.Areas, len(w.a))
			}
			d := dissimilarity(w.a, w.b)
			if got := float64(sy.Indices.Dissimilarity); !closeTo(got, d, 1e-9) {
				t.Errorf("%s %d (%s): D %v, want %v", s.Code, sy.Year, sy.Level, got, d)
			}
			if sy.Indices.MorrillD.Valid() {
				t.Errorf("%s %d: Morrill's D %v, want null", s.Code, sy.Year, sy.Indices.MorrillD)
			}
		}
	}
	if !slices.Equal(codes, []string{"0180", "1480", "01", "14", data.RiketCode}) {
		t.Errorf("series %v", codes)
	}
	// The DeSO year agrees with the one-year segregation endpoint.
	one, err := svc.Segregation(ctx, "0180", 2022)
	if err != nil {
		t.Fatal(err)
	}
	if got := float64(st.Series[0].Years[2].Indices.Dissimilarity); !closeTo(got, float64(one.Indices.Dissimilarity), 1e-12) {
		t.Errorf("0180 2022: trend D %v, /api/segregation %v", got, one.Indices.Dissimilarity)
	}
	if _, err := svc.SegregationTrend(ctx, nil); !errors.Is(err, fault.Invalid) {
		t.Errorf("no kommun: %v", err)
	}
}

func TestOmradestypTransitionAgainstSource(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc := New(testStore, nil, Options{})
	from, to := map[string]int{}, map[string]int{}
	kommunOf := map[string]string{}
	for _, r := range demoCSV(t, "regso_omradestyp_2022.csv") {
		from[r["regso"]], _ = strconv.Atoi(r["omradestyp_2022"])
		kommunOf[r["regso"]] = r["kommun"]
	}
	for _, r := range demoCSV(t, "regso_omradestyp_2023.csv") {
		to[r["regso"]], _ = strconv.Atoi(r["omradestyp_2023"])
	}
	pop := map[string]float64{}
	for _, r := range demoCSV(t, "regso2020_timeseries_2020_2023.csv") {
		if r["year"] == "2023" {
			pop[r["regso"]] = atof(t, r["pop_total"])
		}
	}
	for _, kommun := range []string{"", "0180", "1480"} {
		var ks []string
		if kommun != "" {
			ks = []string{kommun}
		}
		tr, err := svc.OmradestypTransition(ctx, TransitionQuery{From: 2022, To: 2023, Kommuner: ks})
		if err != nil {
			t.Fatal(err)
		}
		var areas [5][5]int
		var people [5][5]float64
		changed, better := 0, 0
		for code, f := range from {
			if kommun != "" && kommunOf[code] != kommun {
				continue
			}
			tt := to[code]
			if f < 1 || tt < 1 {
				continue
			}
			areas[f-1][tt-1]++
			people[f-1][tt-1] += pop[code]
			if f != tt {
				changed++
			}
			if tt > f {
				better++
			}
		}
		if tr.Areas != areas {
			t.Errorf("%q: areas %v, want %v", kommun, tr.Areas, areas)
		}
		for i := range 5 {
			for j := range 5 {
				if float64(tr.Population[i][j]) != people[i][j] {
					t.Errorf("%q: population %d→%d %v, want %v", kommun, i+1, j+1, tr.Population[i][j], people[i][j])
				}
			}
		}
		if len(tr.Moves) != changed || tr.Better != better || tr.Better+tr.Worse != changed {
			t.Errorf("%q: %d moves (%d better, %d worse), source %d changed, %d better", kommun, len(tr.Moves), tr.Better, tr.Worse, changed, better)
		}
		if kommun == "" && changed != 253 {
			t.Errorf("national: %d RegSO changed type 2022→2023 in the official files, want 253", changed)
		}
		for _, m := range tr.Moves {
			if m.From != from[m.Code] || m.To != to[m.Code] || (m.Direction == "better") != (m.To > m.From) {
				t.Errorf("%q: move %+v, source %d→%d", kommun, m, from[m.Code], to[m.Code])
			}
		}
	}
	for _, q := range []TransitionQuery{{From: 2023, To: 2022}, {From: 2019, To: 2023}} {
		if _, err := svc.OmradestypTransition(ctx, q); err == nil {
			t.Errorf("%+v: no error", q)
		}
	}
}

// BenchmarkTrendAllRegSO is a trend query of every RegSO over the four
// years of the panel, with their kommuner, län and riket.
func BenchmarkTrendAllRegSO(b *testing.B) {
	ctx := context.Background()
	s := New(testStore, nil, Options{})
	areas, err := testStore.Areas(ctx, data.LevelRegSO, data.AreasOptions{})
	if err != nil {
		b.Fatal(err)
	}
	codes := make([]string, len(areas))
	for i, a := range areas {
		codes[i] = a.Code
	}
	q := TrendQuery{Indicator: "foreign_born_pct", Level: data.LevelRegSO, Codes: codes}
	b.ReportAllocs()
	for b.Loop() {
		tr, err := s.Trend(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		if len(tr.Areas) != len(codes) || len(tr.Years) != 4 {
			b.Fatalf("%d areas × %d years", len(tr.Areas), len(tr.Years))
		}
	}
	b.ReportMetric(float64(len(codes)), "regso")
}

// BenchmarkSegregationTrend is a kommun's indices for every year (DeSO
// 2022, RegSO 2020, 2021, 2023) beside its län and riket.
func BenchmarkSegregationTrend(b *testing.B) {
	ctx := context.Background()
	s := New(testStore, nil, Options{})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.SegregationTrend(ctx, []string{"0180"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOmradestypTransition is the national 5×5 table 2022→2023.
func BenchmarkOmradestypTransition(b *testing.B) {
	ctx := context.Background()
	s := New(testStore, nil, Options{})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.OmradestypTransition(ctx, TransitionQuery{From: 2022, To: 2023}); err != nil {
			b.Fatal(err)
		}
	}
}
