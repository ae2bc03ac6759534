package api_test

import (
	"fmt"
	"slices"
	"testing"
)

// TestMetaYearsByLevel: /api/meta lists, per indicator and level, exactly
// the years with values at that level — checked against /api/classify for
// every year of the indicator, which answers a year without values at the
// level with an all-"no data" map (the load test once got 400 for those).
func TestMetaYearsByLevel(t *testing.T) {
	t.Parallel()
	var meta struct {
		Indicators []struct {
			ID           string           `json:"id"`
			Years        []int            `json:"years"`
			YearsByLevel map[string][]int `json:"years_by_level"`
		} `json:"indicators"`
	}
	getJSON(t, "/api/meta", &meta)
	checked := 0
	for _, in := range meta.Indicators {
		var union []int
		for _, ys := range in.YearsByLevel {
			union = append(union, ys...)
		}
		slices.Sort(union)
		if union = slices.Compact(union); !slices.Equal(union, in.Years) {
			t.Errorf("%s: years %v, union of years_by_level %v", in.ID, in.Years, union)
		}
		if in.ID != "net_income_mean_tkr" && in.ID != "unemployment_rate_16_64_pct" {
			continue
		}
		for _, level := range []string{"deso", "regso", "kommun"} {
			for _, y := range in.Years {
				var cl struct {
					Areas []struct {
						Class int `json:"class"`
					} `json:"areas"`
				}
				getJSON(t, fmt.Sprintf("/api/classify?level=%s&indicator=%s&year=%d", level, in.ID, y), &cl)
				classed := 0
				for _, a := range cl.Areas {
					if a.Class >= 0 {
						classed++
					}
				}
				listed := slices.Contains(in.YearsByLevel[level], y)
				if listed != (classed > 0) || len(cl.Areas) == 0 {
					t.Errorf("%s %s %d: listed %v, %d of %d areas classified", in.ID, level, y, listed, classed, len(cl.Areas))
				}
				checked++
			}
		}
	}
	if checked == 0 {
		t.Fatal("no indicator checked")
	}
}
