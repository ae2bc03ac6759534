package tiles

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

// TestMercator: world fractions against the slippy-map tile formula, with
// latitudes beyond the square world clamped to its edges.
func TestMercator(t *testing.T) {
	t.Parallel()
	// y of the slippy-map formula: (1 - asinh(tan φ)/π) / 2.
	slippy := func(lat float64) float64 { return (1 - math.Asinh(math.Tan(lat*math.Pi/180))/math.Pi) / 2 }
	for _, tc := range []struct {
		name string
		p    orb.Point
		want orb.Point
	}{
		{"origin", orb.Point{0, 0}, orb.Point{0.5, 0.5}},
		{"west edge", orb.Point{-180, 0}, orb.Point{0, 0.5}},
		{"east edge", orb.Point{180, 0}, orb.Point{1, 0.5}},
		{"top", orb.Point{0, 85.0511287798066}, orb.Point{0.5, 0}},
		{"beyond the top", orb.Point{0, 89.99}, orb.Point{0.5, 0}},
		{"beyond the bottom", orb.Point{0, -90}, orb.Point{0.5, 1}},
		{"Stockholm", orb.Point{18.0686, 59.3293}, orb.Point{18.0686/360 + 0.5, slippy(59.3293)}},
		{"Kiruna", orb.Point{20.2253, 67.8558}, orb.Point{20.2253/360 + 0.5, slippy(67.8558)}},
	} {
		got := Mercator(tc.p)
		if math.Abs(got[0]-tc.want[0]) > 1e-12 || math.Abs(got[1]-tc.want[1]) > 1e-12 {
			t.Errorf("%s: Mercator(%v) = %.15f, want %.15f", tc.name, tc.p, got, tc.want)
		}
	}
}
