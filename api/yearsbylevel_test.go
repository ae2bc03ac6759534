package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"
)

// TestMetaYearsByLevel: /api/meta lists, per indicator and level, exactly
// the years that can be classified at that level — checked against
// /api/classify for every year of the indicator (the load test got 400 for
// years listed in "years" that had no values at RegSO or kommun level).
func TestMetaYearsByLevel(t *testing.T) {
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
				rec := get(t, fmt.Sprintf("/api/classify?level=%s&indicator=%s&year=%d", level, in.ID, y))
				listed := slices.Contains(in.YearsByLevel[level], y)
				if listed != (rec.Code == http.StatusOK) {
					t.Errorf("%s %s %d: listed %v, classify %d", in.ID, level, y, listed, rec.Code)
				}
				checked++
			}
		}
	}
	if checked == 0 {
		t.Fatal("no indicator checked")
	}
}
