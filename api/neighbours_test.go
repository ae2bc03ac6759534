package api_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestNeighboursParam: every endpoint that builds a neighbour graph takes
// neighbours=queen|snap, says in its answer which graph it used (snap when
// not asked), and answers 400 to anything else.
func TestNeighboursParam(t *testing.T) {
	t.Parallel()
	endpoints := []string{
		"/api/lisa?level=deso&indicator=low_econ_standard_pct&kommun=0180&permutations=9",
		"/api/gistar?level=deso&indicator=low_econ_standard_pct&kommun=0180",
		"/api/segregation?kommun=0180",
	}
	for _, ep := range endpoints {
		for _, tc := range []struct{ param, want string }{{"", "snap"}, {"&neighbours=snap", "snap"}, {"&neighbours=queen", "queen"}} {
			var r struct {
				Neighbours string `json:"neighbours"`
			}
			getJSON(t, ep+tc.param, &r)
			if r.Neighbours != tc.want {
				t.Errorf("GET %s%s: neighbours %q, want %q", ep, tc.param, r.Neighbours, tc.want)
			}
		}
		rec := get(t, ep+"&neighbours=rook")
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "neighbours") {
			t.Errorf("GET %s&neighbours=rook: %d %s, want 400 naming the parameter", ep, rec.Code, rec.Body.String())
		}
	}
}
