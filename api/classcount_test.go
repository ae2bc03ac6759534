package api_test

import (
	"testing"
)

// TestClassifyClassCountOutsidePalette: methods that give fewer classes
// than a ColorBrewer set has (pretty, equal on few values) or more (sd)
// answer 200 with one distinct colour per class (found by the load test,
// which got 400 "YlGnBu has 3–9, asked for 2").
func TestClassifyClassCountOutsidePalette(t *testing.T) {
	t.Parallel()
	for _, target := range []string{
		"/api/classify?indicator=dwellings_tenant_owned_pct&k=3&level=deso&method=pretty&year=2022",
		"/api/classify?indicator=omradestyp&k=5&kommun=0114&level=regso&method=equal&year=2022",
		"/api/classify?indicator=foreign_background_pct&k=6&kommun=0184&level=deso&method=sd&year=2022",
	} {
		var cl struct {
			K      int `json:"k"`
			Legend []struct {
				Color string `json:"color"`
				Kind  string `json:"kind"`
			} `json:"legend"`
		}
		getJSON(t, target, &cl)
		seen := map[string]bool{}
		n := 0
		for _, e := range cl.Legend {
			if e.Kind == "nodata" || e.Kind == "suppressed" {
				continue
			}
			n++
			seen[e.Color] = true
		}
		if n != cl.K || len(seen) != n || n < 1 {
			t.Errorf("%s: k=%d, %d class entries, %d distinct colours", target, cl.K, n, len(seen))
		}
	}
}
