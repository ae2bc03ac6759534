package autocorr_test

import (
	"math"
	"testing"

	"github.com/segmap/segmap/spatial/autocorr"
	"github.com/segmap/segmap/spatial/weights"
)

// benchData is a 100x60 lattice (n = 6,000) with queen neighbours and a
// smooth field plus deterministic noise; testdata/weights/bench.R builds
// the same data.
func benchData(tb testing.TB) ([]float64, *weights.W) {
	const nx, ny = 100, 60
	nb := make([][]int, nx*ny)
	x := make([]float64, nx*ny)
	for r := range ny {
		for c := range nx {
			i := r*nx + c
			for dr := -1; dr <= 1; dr++ {
				for dc := -1; dc <= 1; dc++ {
					rr, cc := r+dr, c+dc
					if (dr != 0 || dc != 0) && rr >= 0 && rr < ny && cc >= 0 && cc < nx {
						nb[i] = append(nb[i], rr*nx+cc)
					}
				}
			}
			x[i] = math.Sin(float64(c)/7) + math.Cos(float64(r)/5) + float64((i*7919)%101)/101
		}
	}
	w, err := weights.FromNeighbors(nb, weights.StyleW)
	if err != nil {
		tb.Fatal(err)
	}
	return x, w
}

func BenchmarkMoran6000(b *testing.B) {
	x, w := benchData(b)
	for _, perms := range []int{0, 999} {
		b.Run(map[int]string{0: "analytic", 999: "perm999"}[perms], func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := autocorr.Moran(x, w, autocorr.Options{Permutations: perms, Seed: 1}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkLocalMoran6000(b *testing.B) {
	x, w := benchData(b)
	for _, perms := range []int{0, 999} {
		b.Run(map[int]string{0: "analytic", 999: "perm999"}[perms], func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := autocorr.LocalMoran(x, w, autocorr.Options{Permutations: perms, Seed: 1}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkGiStar6000(b *testing.B) {
	x, w := benchData(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := autocorr.GetisOrdGiStar(x, w); err != nil {
			b.Fatal(err)
		}
	}
}

// TestBenchDataMatchesR checks that the benchmark lattice is the data
// bench.R times: R prints moran I = 0.913071792821348 for it.
func TestBenchDataMatchesR(t *testing.T) {
	x, w := benchData(t)
	m, err := autocorr.Moran(x, w, autocorr.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(m.I-0.913071792821348) > 1e-12 {
		t.Errorf("I = %.15g, want 0.913071792821348", m.I)
	}
}
