package api

import (
	"strconv"
	"strings"
	"testing"
)

func TestParseTilePath(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		path    string
		layer   string
		z, x, y int
		ok      bool
	}{
		{"/tiles/deso/11/1127/601.mvt", "deso", 11, 1127, 601, true},
		{"/tiles/regso_2025/0/0/0.mvt", "regso_2025", 0, 0, 0, true},
		{"/tiles/deso/11/1127/601.pbf", "", 0, 0, 0, false},
		{"/tiles/sites/3/11/1127/601.mvt", "", 0, 0, 0, false}, // five numbers: a site tile
		{"/tiles/deso/11/1127.mvt", "", 0, 0, 0, false},
		{"/tiles/deso/-1/0/0.mvt", "", 0, 0, 0, false},
		{"/tiles/deso/+1/0/0.mvt", "", 0, 0, 0, false},
		{"/tiles/deso/1//0.mvt", "", 0, 0, 0, false},
		{"/tiles/Deso/1/0/0.mvt", "", 0, 0, 0, false},
		{"/tiles/de%2Fso/1/0/0.mvt", "", 0, 0, 0, false},
		{"/tiles//1/0/0.mvt", "", 0, 0, 0, false},
		{"/tiles/deso/1/0/1234567890.mvt", "", 0, 0, 0, false},
		{"/tiles/deso.json", "", 0, 0, 0, false},
		{"/api/tiles/deso/1/0/0.mvt", "", 0, 0, 0, false},
	} {
		layer, z, x, y, ok := parseTilePath(tc.path)
		if ok != tc.ok || layer != tc.layer || z != tc.z || x != tc.x || y != tc.y {
			t.Errorf("parseTilePath(%q) = %q %d %d %d %v, want %q %d %d %d %v", tc.path, layer, z, x, y, ok, tc.layer, tc.z, tc.x, tc.y, tc.ok)
		}
	}
}

func TestParseTileQuery(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		q, v string
		ok   bool
	}{
		{"", "", true},
		{"v=17", "17", true},
		{"v=", "", false},
		{"v=-1", "", false},
		{"v=1&v=2", "", false},
		{"indicator=x", "", false},
		{"v=1&indicator=x", "", false},
		{"v=" + strings.Repeat("1", 20), "", false},
	} {
		v, ok := parseTileQuery(tc.q)
		if v != tc.v || ok != tc.ok {
			t.Errorf("parseTileQuery(%q) = %q %v, want %q %v", tc.q, v, ok, tc.v, tc.ok)
		}
	}
}

// FuzzTilePath: whatever the fast path accepts, the routed handler reads
// as the same layer and coordinates (echo's :layer/:z/:x/:y.mvt and
// strconv.Atoi), so the two can never serve different tiles.
func FuzzTilePath(f *testing.F) {
	for _, s := range []string{"/tiles/deso/11/1127/601.mvt", "/tiles/a/0/0/0.mvt", "/tiles/deso/01/1/1.mvt", "/tiles/x/1/2.mvt", "/tiles/sites/1/2/3/4.mvt", "/tiles/deso/9/9/9.mvt.mvt"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		layer, z, x, y, ok := parseTilePath(p)
		if !ok {
			return
		}
		parts := strings.Split(strings.TrimPrefix(p, "/tiles/"), "/")
		if len(parts) != 4 || parts[0] != layer {
			t.Fatalf("%q accepted as layer %q but splits into %q", p, layer, parts)
		}
		last, found := strings.CutSuffix(parts[3], ".mvt")
		if !found {
			t.Fatalf("%q accepted without .mvt", p)
		}
		for i, s := range []string{parts[1], parts[2], last} {
			n, err := strconv.Atoi(s)
			if err != nil || n != [3]int{z, x, y}[i] || n < 0 {
				t.Fatalf("%q accepted as %d/%d/%d; the router reads %q as %d (%v)", p, z, x, y, s, n, err)
			}
		}
	})
}
