package service

import (
	"context"
	"slices"
	"testing"

	"github.com/segmap/segmap/data"
)

// Every (indicator, level, year) the meta lists in years_by_level classifies
// with at least one class; a year the level lacks gives an all-"no data"
// map, not an error.
func TestYearsByLevelAndEmptyClassification(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc := New(testStore, nil, Options{})
	inds, err := testStore.Indicators(ctx)
	if err != nil {
		t.Fatal(err)
	}
	checked, empty := 0, 0
	for _, ind := range inds {
		if ind.ID == "omradestyp" || !slices.Equal(ind.Breakdowns, []string{data.BreakdownTotal}) {
			continue
		}
		for _, level := range []string{data.LevelDeSO, data.LevelRegSO, data.LevelKommun} {
			for _, y := range ind.Years {
				c, err := svc.Classify(ctx, ClassifyQuery{ValuesQuery: ValuesQuery{Level: level, Indicator: ind.ID, Year: y}})
				if err != nil {
					t.Fatalf("%s %s %d: %v", ind.ID, level, y, err)
				}
				listed := slices.Contains(ind.YearsByLevel[level], y)
				finite := 0
				for _, a := range c.Areas {
					if a.Class >= 0 {
						finite++
					}
				}
				if listed != (finite > 0) {
					t.Errorf("%s %s %d: years_by_level lists it %v, but %d areas have a class", ind.ID, level, y, listed, finite)
				}
				if finite == 0 {
					empty++
					if c.K != 0 || len(c.Breaks) != 0 || c.Note == "" {
						t.Errorf("%s %s %d: empty map has k=%d breaks=%v note=%q", ind.ID, level, y, c.K, c.Breaks, c.Note)
					}
					n := 0
					for _, e := range c.Legend {
						n += e.Count
					}
					if n != len(c.Areas) || len(c.Areas) == 0 {
						t.Errorf("%s %s %d: legend counts %d of %d areas", ind.ID, level, y, n, len(c.Areas))
					}
				}
				checked++
			}
		}
	}
	if empty == 0 || checked < 20 {
		t.Errorf("checked %d selections, %d empty: the demo should have a DeSO-only year", checked, empty)
	}
}

// Pretty breaks decide their own number of classes; the colours follow,
// whatever the number.
func TestPrettyClassCounts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc := New(testStore, nil, Options{})
	seen := map[int]bool{}
	for k := 2; k <= 9; k++ {
		for _, ind := range []string{"net_income_mean_tkr", "foreign_born_pct", "unemployment_rate_16_64_pct"} {
			c, err := svc.Classify(ctx, ClassifyQuery{ValuesQuery: ValuesQuery{Level: data.LevelDeSO, Indicator: ind, Year: 2022}, Method: "pretty", K: k})
			if err != nil {
				t.Fatalf("pretty k=%d %s: %v", k, ind, err)
			}
			seen[c.K] = true
			colours := map[string]bool{}
			for _, e := range c.Legend {
				if e.Kind == "class" {
					colours[e.Color] = true
				}
			}
			if len(colours) != c.K || c.K != len(c.Breaks)-1 {
				t.Errorf("pretty k=%d %s: %d classes, %d breaks, %d distinct colours", k, ind, c.K, len(c.Breaks), len(colours))
			}
		}
	}
	t.Logf("pretty gave class counts %v", seen)
}
