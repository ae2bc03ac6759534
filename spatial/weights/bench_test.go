package weights_test

import (
	"math"
	"testing"

	"github.com/paulmach/orb"

	"github.com/segmap/segmap/spatial/weights"
)

// benchGrid is an nx*ny grid of unit squares whose vertices are moved by a
// deterministic jitter of up to 1e-4 per polygon, so shared corners are not
// bit-identical. testdata/weights/bench.R builds exactly the same grid.
func benchGrid(nx, ny int) []orb.MultiPolygon {
	out := make([]orb.MultiPolygon, 0, nx*ny)
	for y := range ny {
		for x := range nx {
			p := float64(y*nx + x + 1)
			cs := [4]orb.Point{{float64(x), float64(y)}, {float64(x + 1), float64(y)}, {float64(x + 1), float64(y + 1)}, {float64(x), float64(y + 1)}}
			ring := make(orb.Ring, 5)
			for c := range 4 {
				a := 12.9898*p + 78.233*float64(c+1)
				ring[c] = orb.Point{cs[c][0] + 1e-4*math.Sin(a), cs[c][1] + 1e-4*math.Cos(a)}
			}
			ring[4] = ring[0]
			out = append(out, orb.MultiPolygon{{ring}})
		}
	}
	return out
}

func TestBenchGridIsAGrid(t *testing.T) {
	w, err := weights.Contiguity(benchGrid(20, 10), weights.ContiguityOptions{Tolerance: 1e-3})
	if err != nil {
		t.Fatal(err)
	}
	want := gridWant(20, 10, true)
	for i := range want {
		if len(w.Neighbors[i]) != len(want[i]) {
			t.Fatalf("%d: %v, want %v", i, w.Neighbors[i], want[i])
		}
	}
}

func BenchmarkContiguityDalarna(b *testing.B) {
	polys, _ := loadPolys(b, "deso_2018_dalarna_3006.geojson", "deso")
	for _, rule := range []string{weights.Queen, weights.Rook} {
		b.Run(rule, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := weights.Contiguity(polys, weights.ContiguityOptions{Rule: rule}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("queen-edges", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := weights.Contiguity(polys, weights.ContiguityOptions{Tolerance: 0.01, SnapToEdges: true}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkContiguityGrid50k(b *testing.B) {
	polys := benchGrid(250, 200)
	for _, name := range []string{"queen", "queen-edges"} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := weights.Contiguity(polys, weights.ContiguityOptions{Tolerance: 1e-3, SnapToEdges: name == "queen-edges"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
