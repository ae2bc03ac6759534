package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// GET /api/multiples and /api/multiples.svg: one map per year, one set of breaks.
func TestSmallMultiplesAPI(t *testing.T) {
	var m struct {
		Years  []int     `json:"years"`
		Breaks []float64 `json:"breaks"`
		Maps   []struct {
			Year   int `json:"year"`
			Legend []struct {
				Kind  string `json:"kind"`
				Count int    `json:"count"`
				Color string `json:"color"`
			} `json:"legend"`
			Areas []struct {
				Code  string   `json:"code"`
				Class int      `json:"class"`
				Value *float64 `json:"value"`
			} `json:"areas"`
		} `json:"maps"`
	}
	getJSON(t, "/api/multiples?level=regso&indicator=wage_income_mean_tkr&kommun=0180&years=2020,2023&k=4", &m)
	if !slices.Equal(m.Years, []int{2020, 2023}) || len(m.Maps) != 2 || len(m.Breaks) != 5 {
		t.Fatalf("years %v, %d maps, breaks %v", m.Years, len(m.Maps), m.Breaks)
	}
	for _, y := range m.Maps {
		n := 0
		for _, e := range y.Legend {
			if e.Kind == "class" {
				n += e.Count
			}
		}
		if n == 0 || len(y.Areas) == 0 {
			t.Errorf("%d: %d classified of %d areas", y.Year, n, len(y.Areas))
		}
	}
	// Both years' classes are the value's place in the one set of breaks.
	for _, y := range m.Maps {
		for _, a := range y.Areas {
			if a.Value == nil || a.Class < 0 {
				continue
			}
			if v := *a.Value; v < m.Breaks[a.Class]-1e-9 || v > m.Breaks[a.Class+1]+1e-9 {
				t.Errorf("%d %s: %v in class %d of %v", y.Year, a.Code, v, a.Class, m.Breaks)
			}
		}
	}
	r := get(t, "/api/multiples.svg?level=regso&indicator=wage_income_mean_tkr&kommun=0180&lang=en&cols=2&width=800")
	if r.Code != http.StatusOK || r.Header().Get("Content-Type") != "image/svg+xml" {
		t.Fatalf("svg: %d %s", r.Code, r.Header().Get("Content-Type"))
	}
	if b := r.Body.String(); strings.Count(b, `<svg class="panel"`) != 4 || !strings.Contains(b, "Same class breaks for every year") {
		t.Errorf("svg: %d panels", strings.Count(b, `<svg class="panel"`))
	}
	expectError(t, "/api/multiples?level=regso&indicator=wage_income_mean_tkr&years=1999", 400, "bad_request")
	expectError(t, "/api/multiples?level=regso&indicator=wage_income_mean_tkr&years=x", 400, "bad_request")
	expectError(t, "/api/multiples.svg?level=regso&indicator=wage_income_mean_tkr&kommun=0180&cols=-1", 400, "bad_request")
	expectError(t, "/api/multiples.svg?level=regso&indicator=wage_income_mean_tkr&kommun=0180&width=99999", 400, "bad_request")
}
