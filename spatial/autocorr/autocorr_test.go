package autocorr_test

import (
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/segmap/segmap/spatial/autocorr"
	"github.com/segmap/segmap/spatial/weights"
)

func TestBadInput(t *testing.T) {
	w, err := weights.FromNeighbors([][]int{{1}, {0, 2}, {1, 3}, {2, 4}, {3}}, weights.StyleW)
	if err != nil {
		t.Fatal(err)
	}
	x := []float64{1, 2, 3, 4, 5}
	cases := []struct {
		name string
		x    []float64
		w    *weights.W
		opts autocorr.Options
		err  error
	}{
		{"short x", x[:4], w, autocorr.Options{}, autocorr.ErrLength},
		{"NaN", []float64{1, math.NaN(), 3, 4, 5}, w, autocorr.Options{}, autocorr.ErrNaN},
		{"Inf", []float64{1, math.Inf(-1), 3, 4, 5}, w, autocorr.Options{}, autocorr.ErrNaN},
		{"constant", []float64{2, 2, 2, 2, 2}, w, autocorr.Options{}, autocorr.ErrConstant},
		{"nil weights", x, nil, autocorr.Options{}, autocorr.ErrWeights},
		{"broken weights", x, &weights.W{Neighbors: [][]int{{1}, {0}, {}, {}, {}}, Weights: [][]float64{{1}, {}, {}, {}, {}}}, autocorr.Options{}, autocorr.ErrWeights},
		{"negative permutations", x, w, autocorr.Options{Permutations: -1}, autocorr.ErrOptions},
		{"alpha 1", x, w, autocorr.Options{Alpha: 1}, autocorr.ErrOptions},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := autocorr.Moran(tc.x, tc.w, tc.opts); !errors.Is(err, tc.err) {
				t.Errorf("Moran err = %v, want %v", err, tc.err)
			}
			if _, err := autocorr.LocalMoran(tc.x, tc.w, tc.opts); !errors.Is(err, tc.err) {
				t.Errorf("LocalMoran err = %v, want %v", err, tc.err)
			}
			if tc.opts == (autocorr.Options{}) {
				if _, err := autocorr.GetisOrdGiStar(tc.x, tc.w); !errors.Is(err, tc.err) {
					t.Errorf("GetisOrdGiStar err = %v, want %v", err, tc.err)
				}
			}
		})
	}
	empty := &weights.W{}
	if _, err := autocorr.Moran(nil, empty, autocorr.Options{}); !errors.Is(err, autocorr.ErrTooFew) {
		t.Errorf("empty: err = %v", err)
	}
	// All islands: no observation has neighbours.
	iso, _ := weights.FromNeighbors(make([][]int, 5), weights.StyleW)
	if _, err := autocorr.Moran(x, iso, autocorr.Options{}); !errors.Is(err, autocorr.ErrTooFew) {
		t.Errorf("all islands: err = %v", err)
	}
	lm, err := autocorr.LocalMoran(x, iso, autocorr.Options{Permutations: 9})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range lm {
		if !r.Island || r.Ii != 0 || !math.IsNaN(r.Z) || r.Cluster != "" {
			t.Errorf("island result %+v", r)
		}
	}
}

func TestPermutations(t *testing.T) {
	g := load(t, "dalarna")
	w, err := weights.FromNeighbors(g.Queen, weights.StyleW)
	if err != nil {
		t.Fatal(err)
	}
	opts := autocorr.Options{Permutations: 999, Seed: 42}
	m1, err := autocorr.Moran(g.Values, w, opts)
	if err != nil {
		t.Fatal(err)
	}
	m2, _ := autocorr.Moran(g.Values, w, opts)
	if m1 != m2 {
		t.Errorf("same seed, different result: %+v vs %+v", m1, m2)
	}
	// Analytic z = 5.48: no permutation should reach the observed I.
	if m1.PSim != 1.0/1000 {
		t.Errorf("PSim = %v, want 0.001", m1.PSim)
	}
	l1, err := autocorr.LocalMoran(g.Values, w, opts)
	if err != nil {
		t.Fatal(err)
	}
	l2, _ := autocorr.LocalMoran(g.Values, w, opts)
	l3, _ := autocorr.LocalMoran(g.Values, w, autocorr.Options{Permutations: 999, Seed: 43})
	if !slices.Equal(l1, l2) {
		t.Error("same seed, different local result")
	}
	if slices.Equal(l1, l3) {
		t.Error("different seeds gave identical pseudo p-values")
	}
	// Pseudo p-values agree with the analytic ones in the strong cases.
	agree, strong := 0, 0
	for _, r := range l1 {
		if r.PSim < 1.0/1000 || r.PSim > 1 {
			t.Fatalf("PSim %v out of range", r.PSim)
		}
		if r.P < 0.001 {
			strong++
			if r.PSim < 0.01 {
				agree++
			}
		}
	}
	if strong == 0 || agree < strong*9/10 {
		t.Errorf("only %d of %d analytic p<0.001 have PSim<0.01", agree, strong)
	}
	// FDR can only remove clusters.
	lf, _ := autocorr.LocalMoran(g.Values, w, autocorr.Options{FDR: true})
	l0, _ := autocorr.LocalMoran(g.Values, w, autocorr.Options{})
	nf, n0 := 0, 0
	for i := range lf {
		if lf[i].Cluster != "" {
			nf++
			if l0[i].Cluster != lf[i].Cluster {
				t.Errorf("%d: FDR cluster %q not in raw %q", i, lf[i].Cluster, l0[i].Cluster)
			}
		}
		if l0[i].Cluster != "" {
			n0++
		}
	}
	if n0 == 0 || nf > n0 {
		t.Errorf("clusters raw %d, FDR %d", n0, nf)
	}
}

func TestBenjaminiHochberg(t *testing.T) {
	// R: p.adjust(c(0.01,0.04,0.03,0.2,NA,0.5), "BH")
	got := autocorr.BenjaminiHochberg([]float64{0.01, 0.04, 0.03, 0.2, math.NaN(), 0.5})
	want := []float64{0.05, 0.066666666666666666, 0.066666666666666666, 0.25, math.NaN(), 0.5}
	for i := range want {
		if math.IsNaN(want[i]) != math.IsNaN(got[i]) || (!math.IsNaN(want[i]) && math.Abs(got[i]-want[i]) > 1e-15) {
			t.Errorf("%d: %v, want %v", i, got[i], want[i])
		}
	}
}
