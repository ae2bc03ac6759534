package service

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/segmap/segmap/data"
)

func TestChangeYears(t *testing.T) {
	t.Parallel()
	ind := data.Indicator{ID: "x", Years: []int{2019, 2022, 2024},
		YearsByLevel: map[string][]int{"deso": {2019, 2022, 2024}, "kommun": {2022}, "regso": {2022, 2024}}}
	tests := []struct {
		name, level      string
		from, to         int
		wantFrom, wantTo int
		err              error
		msg              string
	}{
		{"defaults: earliest to latest", "deso", 0, 0, 2019, 2024, nil, ""},
		{"defaults from the level's years", "regso", 0, 0, 2022, 2024, nil, ""},
		{"to given", "deso", 0, 2022, 2019, 2022, nil, ""},
		{"from given", "deso", 2022, 0, 2022, 2024, nil, ""},
		{"one year at the level", "kommun", 0, 0, 0, 0, ErrBadRequest, "kommun has values only for 2022"},
		{"no years at the level", "lan", 0, 0, 0, 0, ErrBadRequest, "lan has no values"},
		{"a year of another level", "regso", 2019, 2024, 0, 0, ErrBadRequest, "years at regso: [2022 2024]"},
		{"unknown year", "deso", 2020, 2024, 0, 0, ErrNotFound, "no values for year 2020"},
		{"reversed", "deso", 2024, 2019, 0, 0, ErrBadRequest, "from (2024) must be an earlier year than to (2019)"},
		{"same", "deso", 2022, 2022, 0, 0, ErrBadRequest, "must be an earlier year"},
		{"to is the earliest", "deso", 0, 2019, 0, 0, ErrBadRequest, "from (2019) must be an earlier year than to (2019)"},
	}
	for _, tc := range tests {
		from, to, err := changeYears(ind, tc.level, tc.from, tc.to)
		if tc.err != nil {
			if !errors.Is(err, tc.err) || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("%s: %v, want %v with %q", tc.name, err, tc.err, tc.msg)
			}
			continue
		}
		if err != nil || from != tc.wantFrom || to != tc.wantTo {
			t.Errorf("%s: %d–%d %v, want %d–%d", tc.name, from, to, err, tc.wantFrom, tc.wantTo)
		}
	}
	// Without per-level years the indicator's years are used.
	if ys := LevelYears(data.Indicator{Years: []int{1, 2}}, "deso"); !slices.Equal(ys, []int{1, 2}) {
		t.Errorf("LevelYears without YearsByLevel: %v", ys)
	}
}

// TestChangeLevelYears: in the demo an indicator with DeSO values for
// several years but kommun values for one year gives a 400 at kommun
// (not a 200 of nulls), and at DeSO a change whose every area with both
// years equals the difference of the two years' values.
func TestChangeLevelYears(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc := New(testStore, nil, Options{})
	inds, err := testStore.Indicators(ctx)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, ind := range inds {
		k, d := ind.YearsByLevel["kommun"], ind.YearsByLevel["deso"]
		if len(k) != 1 || len(d) < 2 || len(ind.Breakdowns) > 0 && !slices.Contains(ind.Breakdowns, data.BreakdownTotal) {
			continue
		}
		checked++
		_, err := svc.Change(ctx, ChangeQuery{Level: "kommun", Indicator: ind.ID})
		if !errors.Is(err, ErrBadRequest) || !strings.Contains(err.Error(), "kommun has values only for") {
			t.Errorf("%s at kommun: %v", ind.ID, err)
		}
		c, err := svc.Change(ctx, ChangeQuery{Level: "deso", Indicator: ind.ID, Kommuner: []string{"0180"}})
		if err != nil {
			t.Fatalf("%s at deso: %v", ind.ID, err)
		}
		if c.From != slices.Min(d) || c.To != slices.Max(d) {
			t.Errorf("%s: %d–%d, deso years %v", ind.ID, c.From, c.To, d)
		}
		from, _ := svc.Values(ctx, ValuesQuery{Level: "deso", Indicator: ind.ID, Year: c.From, Kommuner: []string{"0180"}})
		to, _ := svc.Values(ctx, ValuesQuery{Level: "deso", Indicator: ind.ID, Year: c.To, Kommuner: []string{"0180"}})
		fv := map[string]Num{}
		for _, a := range from.Areas {
			fv[a.Code] = a.Value
		}
		n := 0
		for _, a := range to.Areas {
			if f := fv[a.Code]; f.Valid() && a.Value.Valid() {
				n++
			}
		}
		if n == 0 || c.Summary.N != n {
			t.Errorf("%s: %d changes, %d areas with both years", ind.ID, c.Summary.N, n)
		}
	}
	if checked == 0 {
		t.Skip("the demo has no indicator with one kommun year and several DeSO years")
	}
}

func TestInequalityLevels(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc := New(testStore, nil, Options{})
	r, err := svc.Inequality(ctx, data.LevelRiket)
	if err != nil || len(r.Rows) == 0 {
		t.Fatalf("riket: %v", err)
	}
	nat, err := svc.InequalityRegion(ctx, nil)
	if err != nil || nat.Rows[0].Index != r.Rows[0].Index {
		t.Errorf("riket %v, whole country %v (%v)", r.Rows[0], nat.Rows[0], err)
	}
	_, err = svc.Inequality(ctx, "foo")
	if !errors.Is(err, ErrBadRequest) || !strings.Contains(err.Error(), "kommun, lan or riket") {
		t.Errorf("foo: %v", err)
	}
}
