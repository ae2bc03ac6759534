package service

import (
	"context"
	"math"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/data/national"
	"github.com/segmap/segmap/internal/testcsv"
	"github.com/segmap/segmap/spatial/crosswalk"
)

// RegSO 2025 beside RegSO 2020 in a Göteborg store built as segmap init
// builds it (DeSO 2025, national data, RegSO 2020 dissolved from the DeSO)
// with SCB's RegSO 2025 boundaries imported as the level regso2025: the
// crosswalk maps each RegSO 2025 made of whole RegSO 2020 areas, and the
// RegSO panel's counts summed over those areas, read straight from the
// panel CSV, are its values.
func TestCrosswalkRegSO2025(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a Göteborg store from the national data")
	}
	ctx := context.Background()
	st, err := data.Open(ctx, filepath.Join(t.TempDir(), "gbg.gpkg"), data.OpenOptions{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	keep := func(code string) bool { return strings.HasPrefix(code, "1480") }
	if _, err := st.ImportBoundaries(ctx, "../testdata/boundaries/deso_2025_goteborg_3006.gpkg", data.BoundaryOptions{Level: data.LevelDeSO, Filter: keep}); err != nil {
		t.Fatal(err)
	}
	if _, err := national.Complete(ctx, st, national.CompleteOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.ImportBoundaries(ctx, "../testdata/boundaries/regso_2025_goteborg_3006.gpkg", data.BoundaryOptions{Level: "regso2025",
		CodeField: "regsokod", NameField: "regsonamn", LevelNameSV: "RegSO 2025", LevelNameEN: "RegSO 2025"}); err != nil {
		t.Fatal(err)
	}
	s := New(st, nil, Options{})
	rep, err := s.BuildCrosswalk(ctx, data.LevelRegSO, "regso2025")
	if err != nil {
		t.Fatal(err)
	}
	links, err := st.Crosswalk(ctx, data.LevelRegSO, "regso2025")
	if err != nil {
		t.Fatal(err)
	}
	sources := map[string][]string{}
	var shares []float64 // of each exact link: min(share of source, share of target) for 1:1
	for _, l := range links {
		if l.Exact {
			sources[l.To] = append(sources[l.To], l.From)
			// A source of an exact target lies in it, not a sliver along its edge.
			if l.ShareOfFrom < crosswalk.DefaultThreshold {
				t.Errorf("exact link %s → %s: only %.4f of the source lies in the target", l.From, l.To, l.ShareOfFrom)
			}
		}
	}
	sameCode := 0
	for to, fs := range sources {
		if len(fs) == 1 && fs[0] == to {
			sameCode++
		}
	}
	for _, l := range links {
		if l.Exact && len(sources[l.To]) == 1 {
			shares = append(shares, math.Min(l.ShareOfFrom, l.ShareOfTo))
		}
	}
	sort.Float64s(shares)
	t.Logf("RegSO 2020 → 2025 in Göteborg: %d links, %d of 147 RegSO 2025 exact (%d 1:1 with the same code), %d values moved; 1:1 overlap share min %.5f",
		rep.Links, rep.Exact, sameCode, rep.Values, shares[0])
	if rep.Exact < 100 || rep.Values == 0 || len(sources) != rep.Exact {
		t.Fatalf("report %+v, %d exact targets in the table", rep, len(sources))
	}

	// The panel's population, summed over each exact target's sources.
	pop := map[string]float64{} // regso 2020 -> pop_total 2023
	for _, r := range testcsv.Rows(t, "../data/national/files/regso2020_timeseries_2020_2023.csv") {
		if r["year"] == "2023" {
			v, err := strconv.ParseFloat(r["pop_total"], 64)
			if err != nil {
				t.Fatal(err)
			}
			pop[r["regso"]] = v
		}
	}
	v, err := s.Values(ctx, ValuesQuery{Level: "regso2025", Indicator: "population", Year: 2023})
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, a := range v.Areas {
		fs, ok := sources[a.Code]
		if !ok {
			if a.Value.Valid() {
				t.Errorf("%s is not exact but has population %v", a.Code, a.Value)
			}
			continue
		}
		want := 0.0
		for _, c := range fs {
			want += pop[c]
		}
		if len(fs) == 1 && fs[0] == a.Code && want != pop[a.Code] {
			t.Errorf("%s: unchanged, but its sources %v sum to %v, not its own %v", a.Code, fs, want, pop[a.Code])
		}
		if !a.Value.Valid() || float64(a.Value) != want {
			t.Errorf("%s (from %v): population 2023 %v, the panel sums to %v", a.Code, fs, a.Value, want)
		}
		if a.Kommun != "1480" {
			t.Errorf("%s: kommun %q, want 1480 from the code", a.Code, a.Kommun)
		}
		checked++
	}
	if checked != rep.Exact {
		t.Errorf("checked %d RegSO 2025, %d exact", checked, rep.Exact)
	}

	// DeSO 2025 onto RegSO 2025: every RegSO is a union of DeSO (the
	// merger path, on real boundaries). A RegSO gets the DeSO's population
	// 2022 summed only when every one of its DeSO has a 2022 value; one
	// with a split DeSO 2025 code (no 2022 value of its own) gets none.
	// (On a level of its own: regso2025 already took RegSO 2020's values.)
	if _, err := st.ImportBoundaries(ctx, "../testdata/boundaries/regso_2025_goteborg_3006.gpkg", data.BoundaryOptions{Level: "regso2025d",
		CodeField: "regsokod", NameField: "regsonamn"}); err != nil {
		t.Fatal(err)
	}
	rep, err = s.BuildCrosswalk(ctx, data.LevelDeSO, "regso2025d")
	if err != nil {
		t.Fatal(err)
	}
	links, err = st.Crosswalk(ctx, data.LevelDeSO, "regso2025d")
	if err != nil {
		t.Fatal(err)
	}
	dpop := map[string]float64{} // DeSO 2018 code -> pop_total 2022, from the national CSV
	for _, r := range testcsv.Rows(t, "../data/national/files/deso_indicators_2022.csv") {
		v, err := strconv.ParseFloat(r["pop_total"], 64)
		if err != nil {
			t.Fatal(err)
		}
		dpop[r["deso"]] = v
	}
	byTarget := map[string][]string{}
	cover := map[string]float64{}
	for _, l := range links {
		if l.Exact {
			byTarget[l.To] = append(byTarget[l.To], l.From)
			cover[l.To] += l.ShareOfTo
		}
	}
	v, err = s.Values(ctx, ValuesQuery{Level: "regso2025d", Indicator: "population", Year: 2022})
	if err != nil {
		t.Fatal(err)
	}
	merged, withValue, withoutValue := 0, 0, 0
	for _, a := range v.Areas {
		fs := byTarget[a.Code]
		if len(fs) > 1 {
			merged++
		}
		if len(fs) > 0 && (cover[a.Code] < crosswalk.DefaultThreshold || cover[a.Code] > 1+1e-6) {
			t.Errorf("%s: its DeSO cover %.5f of it", a.Code, cover[a.Code])
		}
		want, complete := 0.0, len(fs) > 0
		for _, c := range fs {
			p, ok := dpop[c]
			complete = complete && ok
			want += p
		}
		switch {
		case complete && (!a.Value.Valid() || float64(a.Value) != want):
			t.Errorf("%s (DeSO %v): population 2022 %v, the national table sums to %v", a.Code, fs, a.Value, want)
		case !complete && a.Value.Valid():
			t.Errorf("%s (DeSO %v): population 2022 %v from an incomplete set of DeSO", a.Code, fs, a.Value)
		case complete:
			withValue++
		default:
			withoutValue++
		}
	}
	t.Logf("DeSO 2025 → RegSO 2025 in Göteborg: %d of %d RegSO exact, %d of them from several DeSO; population 2022 on %d, none on %d (a split DeSO without 2022 values)",
		rep.Exact, len(v.Areas), merged, withValue, withoutValue)
	if merged < 100 || withValue == 0 {
		t.Errorf("%d merged RegSO, %d with a value", merged, withValue)
	}
}
