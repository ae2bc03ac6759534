package data

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const tdir = "../testdata/indicators/"

func newStore(t testing.TB) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "s.gpkg"), OpenOptions{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func mustMapping(t testing.TB, name string) *Mapping {
	t.Helper()
	m, err := LoadMapping(tdir + name)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// nationalStore has the national hierarchy and the 2022 table imported.
func nationalStore(t testing.TB) *Store {
	t.Helper()
	ctx := context.Background()
	s := newStore(t)
	if _, err := s.ImportHierarchy(ctx, tdir+"deso2018_regso2020_link.csv"); err != nil {
		t.Fatal(err)
	}
	rep, err := s.ImportIndicators(ctx, tdir+"deso_indicators_2022.csv", IndicatorImportOptions{Mapping: mustMapping(t, "deso_indicators_2022.mapping.yaml")})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rows != 5984 || rep.Matched != 5984 || len(rep.UnmatchedInFile) != 0 || len(rep.UnmatchedInStore) != 0 {
		t.Fatalf("join report: rows %d matched %d unmatched %d/%d", rep.Rows, rep.Matched, len(rep.UnmatchedInFile), len(rep.UnmatchedInStore))
	}
	return s
}

func one(t *testing.T, s *Store, level, code, ind string, year int, bd string) Value {
	t.Helper()
	vs, err := s.Values(context.Background(), ValuesQuery{Level: level, Indicator: ind, Year: year, Breakdown: bd})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		if v.Code == code {
			return v
		}
	}
	t.Fatalf("no value %s %s %s %d %s", level, code, ind, year, bd)
	return Value{}
}

func TestImportNational(t *testing.T) {
	s := nationalStore(t)
	ctx := context.Background()
	var n int
	for level, want := range map[string]int{LevelDeSO: 5984, LevelRegSO: 3363, LevelKommun: 290, LevelLan: 21, LevelRiket: 1} {
		s.db.QueryRow(`SELECT count(*) FROM segmap_areas WHERE level=?`, level).Scan(&n)
		if n != want {
			t.Errorf("%s areas = %d, want %d", level, n, want)
		}
	}
	vs, err := s.Values(ctx, ValuesQuery{Level: LevelDeSO, Indicator: "population", Year: 2022})
	if err != nil || len(vs) != 5984 {
		t.Fatalf("deso population values: %d, %v", len(vs), err)
	}
	// Totals published by SCB (and in ../shared/data/README.md).
	tests := []struct {
		level, code, ind string
		year             int
		bd               string
		want, tol        float64
	}{
		{LevelRiket, RiketCode, "population", 2022, "total", 10521556, 0},
		{LevelRiket, RiketCode, "population", 2023, "total", 10551707, 0},
		{LevelKommun, "0180", "population", 2022, "total", 984748, 0}, // Stockholm 31 Dec 2022
		{LevelRiket, RiketCode, "foreign_born_pct", 2022, "total", 20.4, 0.1},
		{LevelRiket, RiketCode, "birth_region_pct", 2022, "sverige", 79.6, 0.1},
		// first data row of the file: 0114A0010, 7 % of 843 persons -> numerator 59
		{LevelDeSO, "0114A0010", "low_econ_standard_pct", 2022, "total", 7, 0},
	}
	for _, tc := range tests {
		v := one(t, s, tc.level, tc.code, tc.ind, tc.year, tc.bd)
		if math.Abs(v.Value-tc.want) > tc.tol {
			t.Errorf("%s %s %s %d %s = %v, want %v", tc.level, tc.code, tc.ind, tc.year, tc.bd, v.Value, tc.want)
		}
	}
	if v := one(t, s, LevelDeSO, "0114A0010", "low_econ_standard_pct", 2022, ""); v.Numerator != 59 || v.Denominator != 843 {
		t.Errorf("derived numerator/denominator = %v/%v, want 59/843", v.Numerator, v.Denominator)
	}
	// Medians do not aggregate.
	if vs, _ := s.Values(ctx, ValuesQuery{Level: LevelKommun, Indicator: "net_income_median_tkr", Year: 2022}); len(vs) != 0 {
		t.Errorf("median has %d kommun values, want none", len(vs))
	}
	// Kommun filter through the hierarchy: Upplands Väsby has 23 DeSO (grep -c ^0114 in the link table).
	vs, _ = s.Values(ctx, ValuesQuery{Level: LevelDeSO, Indicator: "population", Year: 2022, Kommuner: []string{"0114"}})
	if len(vs) != 23 {
		t.Errorf("DeSO in 0114 = %d, want 23", len(vs))
	}
	inds, err := s.Indicators(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var pop, br Indicator
	for _, ind := range inds {
		switch ind.ID {
		case "population":
			pop = ind
		case "birth_region_pct":
			br = ind
		}
	}
	if len(pop.Years) != 2 || pop.Years[0] != 2022 || pop.Years[1] != 2023 {
		t.Errorf("population years = %v", pop.Years)
	}
	if strings.Join(br.Breakdowns, ",") != "europa,ovriga,sverige" {
		t.Errorf("birth_region_pct breakdowns = %v", br.Breakdowns)
	}
	if ind, err := s.Indicator(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Indicator(nope) = %v, %v", ind, err)
	}
	av, err := s.AreaValues(ctx, LevelKommun, "0114")
	if err != nil || len(av) == 0 || av[0].Indicator != "low_econ_standard_pct" {
		t.Errorf("AreaValues: %d values, %v", len(av), err)
	}
}

func TestImportSplitDeSO2025(t *testing.T) {
	s := nationalStore(t)
	ctx := context.Background()
	rep, err := s.ImportIndicators(ctx, tdir+"stockholm_2024_subset.csv", IndicatorImportOptions{Mapping: mustMapping(t, "stockholm_2024_subset.mapping.yaml")})
	if err != nil {
		t.Fatal(err)
	}
	if rep.SplitParents["0180C2781"] != "0180C2780" || len(rep.SplitParents) != 3 {
		t.Errorf("split parents = %v", rep.SplitParents)
	}
	if strings.Join(rep.UnmatchedInFile, ",") != "0139B2070" {
		t.Errorf("unmatched in file = %v, want the new area 0139B2070", rep.UnmatchedInFile)
	}
	v := one(t, s, LevelDeSO, "0180C2780", "net_income_mean_tkr", 2024, "")
	// (467200 + 503900 + 479500) / 3 SEK in tkr
	if math.Abs(v.Value-483.5333333) > 1e-6 || !v.Estimated {
		t.Errorf("parent mean = %v estimated=%v", v.Value, v.Estimated)
	}
	if v := one(t, s, LevelDeSO, "0114A0010", "unemployment_rate_16_64_pct", 2024, ""); v.Value != 0.9281 || v.Estimated {
		t.Errorf("unchanged code = %+v", v)
	}
	// The file covers 3 DeSO of 0180 and 0114: no kommun value for 2024.
	if vs, _ := s.Values(ctx, ValuesQuery{Level: LevelKommun, Indicator: "unemployment_rate_16_64_pct", Year: 2024}); len(vs) != 0 {
		t.Errorf("partial coverage produced %d kommun values", len(vs))
	}
	ind, _ := s.Indicator(ctx, "net_income_mean_tkr")
	if ind.NameSV != "Nettoinkomst, medelvärde" || len(ind.Years) != 2 {
		t.Errorf("metadata not kept or years wrong: %+v", ind)
	}
}

func TestImportSCBXLSX(t *testing.T) {
	s := nationalStore(t)
	ctx := context.Background()
	want := one(t, s, LevelDeSO, "0180C2780", "birth_region_pct", 2022, "europa")
	wantRiket := one(t, s, LevelRiket, RiketCode, "population", 2023, "")
	rep, err := s.ImportIndicators(ctx, tdir+"000005FB_20240813-152341.xlsx", IndicatorImportOptions{Mapping: mustMapping(t, "scb_000005FB.mapping.yaml")})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rows != 5984 || rep.Matched != 5984 {
		t.Errorf("000005FB rows %d matched %d", rep.Rows, rep.Matched)
	}
	got := one(t, s, LevelDeSO, "0180C2780", "birth_region_pct", 2022, "europa")
	if got.Numerator != want.Numerator || got.Denominator != want.Denominator {
		t.Errorf("xlsx %v/%v, csv %v/%v", got.Numerator, got.Denominator, want.Numerator, want.Denominator)
	}
	if _, err := s.ImportIndicators(ctx, tdir+"000005FC_20240806-102837.xlsx", IndicatorImportOptions{Mapping: mustMapping(t, "scb_000005FC.mapping.yaml")}); err != nil {
		t.Fatal(err)
	}
	if got := one(t, s, LevelRiket, RiketCode, "population", 2023, ""); got.Value != wantRiket.Value {
		t.Errorf("riket 2023 from 000005FC = %v, from CSV %v", got.Value, wantRiket.Value)
	}
}

func mustRead(t testing.TB, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
