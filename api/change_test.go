package api_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestChangeAPI(t *testing.T) {
	t.Parallel()
	var c struct {
		Kind  string `json:"kind"`
		Unit  string `json:"unit"`
		From  int    `json:"from"`
		To    int    `json:"to"`
		Areas []struct {
			Code        string   `json:"code"`
			From        *float64 `json:"from"`
			To          *float64 `json:"to"`
			Change      *float64 `json:"change"`
			RelativePct *float64 `json:"relative_pct"`
		} `json:"areas"`
	}
	tests := []struct {
		query, kind string
		rel         bool
	}{
		{"level=deso&indicator=unemployment_rate_16_64_pct&kommun=0180", "percentage_points", false},
		{"level=regso&indicator=population&kommun=0114", "absolute", true},
		{"level=kommun&indicator=population&from=2022&to=2023", "absolute", true},
	}
	for _, tc := range tests {
		getJSON(t, "/api/change?"+tc.query, &c)
		if c.Kind != tc.kind || c.From >= c.To || len(c.Areas) == 0 {
			t.Errorf("%s: kind %q from %d to %d, %d areas", tc.query, c.Kind, c.From, c.To, len(c.Areas))
		}
		withChange := 0
		for _, a := range c.Areas {
			if a.Change == nil {
				continue
			}
			withChange++
			if !near(*a.Change, *a.To-*a.From, 1e-9) {
				t.Errorf("%s %s: change %g, to − from %g", tc.query, a.Code, *a.Change, *a.To-*a.From)
			}
			if tc.rel != (a.RelativePct != nil) || tc.rel && !near(*a.RelativePct, 100*(*a.To-*a.From) / *a.From, 1e-9) {
				t.Errorf("%s %s: relative %v", tc.query, a.Code, a.RelativePct)
			}
		}
		if withChange == 0 {
			t.Errorf("%s: no area has a change", tc.query)
		}
	}
	expectError(t, "/api/change?level=deso&indicator=low_econ_standard_pct", 400, "bad_request")
	expectError(t, "/api/change?level=deso&indicator=population&from=2022&to=2019", 404, "not_found")
	expectError(t, "/api/change?level=deso&indicator=population&from=x", 400, "bad_request")
	// The level's years, not the indicator's: one year at kommun is a 400
	// with the reason, not a 200 of nulls; and a change runs forward.
	for _, tc := range []struct{ query, msg string }{
		{"level=kommun&indicator=net_income_mean_tkr", "kommun has values only for"},
		{"level=kommun&indicator=population&from=2023&to=2022", "from (2023) must be an earlier year than to (2022)"},
		{"level=kommun&indicator=population&from=2022&to=2022", "must be an earlier year"},
	} {
		rec := get(t, "/api/change?"+tc.query, "Accept-Language", "en")
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), tc.msg) {
			t.Errorf("%s: %d %s, want 400 with %q", tc.query, rec.Code, rec.Body.String(), tc.msg)
		}
	}
	// riket is a level of /api/inequality; an unknown one names all three.
	rec := get(t, "/api/inequality?level=foo", "Accept-Language", "en")
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "kommun, lan or riket") {
		t.Errorf("inequality level=foo: %d %s", rec.Code, rec.Body.String())
	}
}
