package inequality

import (
	"math"
	"math/rand/v2"
	"testing"
)

func randCounts(r *rand.Rand, n int) []float64 {
	xs := make([]float64, n)
	for i := range xs {
		if r.IntN(5) > 0 {
			xs[i] = float64(r.IntN(1000))
		}
	}
	xs[r.IntN(n)] += 1 // never all zero
	return xs
}

// TestProperties checks invariants on random inputs (fixed seed).
func TestProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for iter := range 500 {
		n := 1 + r.IntN(40)
		a, b, c := randCounts(r, n), randCounts(r, n), randCounts(r, n)
		d, err := Dissimilarity(a, b)
		if err != nil {
			t.Fatal(err)
		}
		if d < 0 || d > 1 {
			t.Fatalf("iter %d: D = %v out of [0,1]", iter, d)
		}
		if d2, _ := Dissimilarity(b, a); d2 != d {
			t.Fatalf("iter %d: D not symmetric %v %v", iter, d, d2)
		}
		// Proportional groups: D = 0 (scale by 3).
		a3 := make([]float64, n)
		for i := range a {
			a3[i] = 3 * a[i]
		}
		if d0, _ := Dissimilarity(a, a3); d0 > 1e-12 {
			t.Fatalf("iter %d: D(a, 3a) = %v", iter, d0)
		}
		// Scale invariance.
		if ds, _ := Dissimilarity(a3, b); math.Abs(ds-d) > 1e-12 {
			t.Fatalf("iter %d: D not scale invariant %v %v", iter, d, ds)
		}
		// Multi-group indices in [0,1]; order of groups irrelevant.
		g := [][]float64{a, b, c}
		md, err := MultiGroupDissimilarity(g)
		if err != nil || md < 0 || md > 1 {
			t.Fatalf("iter %d: multi D = %v, %v", iter, md, err)
		}
		md2, _ := MultiGroupDissimilarity([][]float64{c, a, b})
		if math.Abs(md-md2) > 1e-12 {
			t.Fatalf("iter %d: multi D depends on group order", iter)
		}
		h, err := Theil(g)
		if err != nil || h < 0 || h > 1 {
			t.Fatalf("iter %d: H = %v, %v", iter, h, err)
		}
		// Isolation + exposure to everyone else = 1 (two-group population).
		tot := make([]float64, n)
		for i := range tot {
			tot[i] = a[i] + b[i]
		}
		xx, _ := Isolation(a, tot)
		xy, _ := Exposure(a, b, tot)
		if math.Abs(xx+xy-1) > 1e-12 {
			t.Fatalf("iter %d: xPx + xPy = %v", iter, xx+xy)
		}
		// Gini in [0,1) and invariant to scaling values.
		gi, err := Gini(a, c)
		if err != nil || gi < 0 || gi >= 1 {
			t.Fatalf("iter %d: Gini = %v, %v", iter, gi, err)
		}
		if gs, _ := Gini(a3, c); math.Abs(gs-gi) > 1e-12 {
			t.Fatalf("iter %d: Gini not scale invariant", iter)
		}
		// Morrill with a chain never exceeds D.
		nb := make([][]int, n)
		for i := 0; i+1 < n; i++ {
			nb[i] = append(nb[i], i+1)
			nb[i+1] = append(nb[i+1], i)
		}
		if m, err := MorrillD(a, b, nb); err != nil || m > d+1e-12 {
			t.Fatalf("iter %d: D(adj) = %v > D = %v (%v)", iter, m, d, err)
		}
	}
}

// TestGiniMatchesDoubleSum compares the O(n log n) Gini with the O(n²)
// definition, including ties.
func TestGiniMatchesDoubleSum(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		n := 1 + r.IntN(30)
		x, w := randCounts(r, n), randCounts(r, n)
		for i := range x {
			x[i] = math.Floor(x[i] / 100) // many ties
		}
		x[0] += 1
		var W, S, ds float64
		for i := range x {
			W += w[i]
			S += w[i] * x[i]
			for j := range x {
				ds += w[i] * w[j] * math.Abs(x[i]-x[j])
			}
		}
		want := ds / (2 * W * W * (S / W))
		got, err := Gini(x, w)
		if err != nil || math.Abs(got-want) > 1e-12 {
			t.Fatalf("Gini = %v (%v), want %v", got, err, want)
		}
	}
}

func TestDeterminism(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	a, b := randCounts(r, 6000), randCounts(r, 6000)
	first, _ := Gini(a, b)
	d1, _ := Dissimilarity(a, b)
	for range 5 {
		if g, _ := Gini(a, b); g != first {
			t.Fatal("Gini not deterministic")
		}
		if d, _ := Dissimilarity(a, b); d != d1 {
			t.Fatal("D not deterministic")
		}
	}
}
