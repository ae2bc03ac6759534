package inequality

import (
	"errors"
	"math"
	"testing"
)

const eps = 1e-12

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func TestDissimilarityHand(t *testing.T) {
	tests := []struct {
		name string
		a, b []float64
		want float64
	}{
		// A = B = 100; |.1-.4|+|.2-.3|+|.3-.2|+|.4-.1| = .8; D = .8/2.
		{"mirror", []float64{10, 20, 30, 40}, []float64{40, 30, 20, 10}, 0.4},
		// Each group alone in its own area.
		{"complete", []float64{5, 0}, []float64{0, 7}, 1},
		// b = 2a: identical distributions.
		{"proportional", []float64{1, 2, 3}, []float64{2, 4, 6}, 0},
		// A = 4, B = 4: |3/4-1/4| + |1/4-3/4| = 1; D = .5.
		{"half", []float64{3, 1}, []float64{1, 3}, 0.5},
		// Area 3 empty for both groups changes nothing.
		{"empty area", []float64{3, 1, 0}, []float64{1, 3, 0}, 0.5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Dissimilarity(tc.a, tc.b)
			if err != nil {
				t.Fatal(err)
			}
			if !near(got, tc.want, eps) {
				t.Errorf("D = %v, want %v", got, tc.want)
			}
			sym, _ := Dissimilarity(tc.b, tc.a)
			if sym != got {
				t.Errorf("not symmetric: %v vs %v", got, sym)
			}
			oj, err := Ojamlikhetsindex(tc.a, tc.b)
			if err != nil || !near(oj, 100*tc.want, 1e-10) {
				t.Errorf("Ojamlikhetsindex = %v, %v; want %v", oj, err, 100*tc.want)
			}
		})
	}
}

func TestMultiGroupHand(t *testing.T) {
	// Areas: (10,0,10) and (0,10,10); T = 40, π = (.25,.25,.5),
	// I = 2·.25·.75 + .5·.5 = .625. Each area (t = 20) has
	// Σ_m |π_im − π_m| = .25 + .25 + 0 = .5, so the numerator is 2·20·.5 = 20
	// and D = 20 / (2·40·.625) = .4.
	groups := [][]float64{{10, 0}, {0, 10}, {10, 10}}
	got, err := MultiGroupDissimilarity(groups)
	if err != nil || !near(got, 0.4, eps) {
		t.Errorf("multi-group D = %v, %v; want 0.4", got, err)
	}
	// Theil: E = 1.5 ln 2, E_i = ln 2 in both areas, so
	// H = (1.5 ln2 − ln2) / (1.5 ln2) = 1/3.
	h, err := Theil(groups)
	if err != nil || !near(h, 1.0/3, eps) {
		t.Errorf("Theil = %v, %v; want 1/3", h, err)
	}
	// Complete segregation: H = 1, D = 1.
	seg := [][]float64{{5, 0, 0}, {0, 7, 0}, {0, 0, 9}}
	if h, _ := Theil(seg); !near(h, 1, eps) {
		t.Errorf("Theil(segregated) = %v, want 1", h)
	}
	if d, _ := MultiGroupDissimilarity(seg); !near(d, 1, eps) {
		t.Errorf("D(segregated) = %v, want 1", d)
	}
}

func TestMultiGroupEqualsTwoGroup(t *testing.T) {
	a := []float64{10, 20, 30, 40, 0, 7}
	b := []float64{40, 30, 20, 10, 3, 0}
	d2, _ := Dissimilarity(a, b)
	dm, err := MultiGroupDissimilarity([][]float64{a, b})
	if err != nil || !near(d2, dm, eps) {
		t.Errorf("two-group %v vs multi-group %v (%v)", d2, dm, err)
	}
}

func TestIsolationExposureHand(t *testing.T) {
	a := []float64{8, 2}
	b := []float64{2, 8}
	tot := []float64{10, 10}
	// xPx = (8/10)(8/10) + (2/10)(2/10) = .68
	x, err := Isolation(a, tot)
	if err != nil || !near(x, 0.68, eps) {
		t.Errorf("isolation = %v, %v; want .68", x, err)
	}
	// xPy = (8/10)(2/10) + (2/10)(8/10) = .32; xPx + xPy = 1.
	y, err := Exposure(a, b, tot)
	if err != nil || !near(y, 0.32, eps) {
		t.Errorf("exposure = %v, %v; want .32", y, err)
	}
	// Uneven totals: a = (6, 0), b = (2, 8), t = (8, 8): A = 6,
	// xPy = 1·(2/8) = .25 while yPx = (2/10)(6/8) = .15; xPy·A = yPx·B = 1.5.
	xy, _ := Exposure([]float64{6, 0}, []float64{2, 8}, []float64{8, 8})
	yx, _ := Exposure([]float64{2, 8}, []float64{6, 0}, []float64{8, 8})
	if !near(xy, 0.25, eps) || !near(yx, 0.15, eps) {
		t.Errorf("xPy = %v (want .25), yPx = %v (want .15)", xy, yx)
	}
}

func TestGiniHand(t *testing.T) {
	tests := []struct {
		name    string
		x, w    []float64
		want    float64
		wantErr error
	}{
		// Σ_i Σ_j |x_i−x_j| = 2·(1+2+3+1+2+1) = 20; 2 n² μ = 2·16·2.5 = 80.
		{"unweighted", []float64{4, 1, 3, 2}, nil, 0.25, nil},
		// W = 4, μ = 6/4 = 1.5; ΣΣ = 2·3·1·2 = 12; 2 W² μ = 48.
		{"weighted", []float64{1, 3}, []float64{3, 1}, 0.25, nil},
		// Same as replicating: (1,1,1,3) unweighted.
		{"replicated", []float64{1, 1, 1, 3}, nil, 0.25, nil},
		{"equal", []float64{5, 5, 5}, nil, 0, nil},
		// One of n holds everything: G = (n−1)/n.
		{"one holds all", []float64{0, 0, 0, 8}, nil, 0.75, nil},
		// Zero-weight areas are ignored.
		{"zero weight", []float64{1, 3, 100}, []float64{3, 1, 0}, 0.25, nil},
		{"all zero", []float64{0, 0}, nil, 0, ErrZeroTotal},
		{"negative", []float64{1, -1}, nil, 0, ErrNegative},
		{"nan weight", []float64{1, 2}, []float64{1, math.NaN()}, 0, ErrNaN},
		{"weights length", []float64{1, 2}, []float64{1}, 0, ErrLength},
		{"empty", nil, nil, 0, ErrEmpty},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Gini(tc.x, tc.w)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if err == nil && !near(got, tc.want, eps) {
				t.Errorf("Gini = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestMorrillHand(t *testing.T) {
	// Three areas in a row 0–1–2. a = (10,5,0), b = (0,5,10): A = B = 15,
	// D = ½(10/15 + 0 + 10/15) = 2/3. z = (1, .5, 0). Symmetric lists give
	// 4 ordered pairs: |1−.5| + |.5−1| + |.5−0| + |0−.5| = 2, term = 2/4.
	// D(adj) = 2/3 − 1/2 = 1/6.
	a := []float64{10, 5, 0}
	b := []float64{0, 5, 10}
	sym := [][]int{{1}, {0, 2}, {1}}
	got, err := MorrillD(a, b, sym)
	if err != nil || !near(got, 1.0/6, eps) {
		t.Errorf("D(adj) = %v, %v; want 1/6", got, err)
	}
	// One-directional lists give the same ratio (2 pairs, sum 1).
	if got, _ := MorrillD(a, b, [][]int{{1}, {2}, {}}); !near(got, 1.0/6, eps) {
		t.Errorf("one-way lists: %v, want 1/6", got)
	}
	// No neighbours: D(adj) = D.
	if got, _ := MorrillD(a, b, [][]int{{}, {}, {}}); !near(got, 2.0/3, eps) {
		t.Errorf("islands: %v, want 2/3", got)
	}
	// Area without population is skipped: 0–1–2 with area 1 empty and
	// a = (4,0,0), b = (0,0,4): D = 1, no usable pair, D(adj) = 1.
	if got, _ := MorrillD([]float64{4, 0, 0}, []float64{0, 0, 4}, sym); !near(got, 1, eps) {
		t.Errorf("empty middle: %v, want 1", got)
	}
	// Complete segregation of neighbours: D = 1, term = 1, D(adj) = 0.
	if got, _ := MorrillD([]float64{3, 0}, []float64{0, 3}, [][]int{{1}, {0}}); !near(got, 0, eps) {
		t.Errorf("segregated neighbours: %v, want 0", got)
	}
	if _, err := MorrillD(a, b, [][]int{{1}, {3}, {}}); !errors.Is(err, ErrNeighbour) {
		t.Errorf("bad index: %v", err)
	}
	if _, err := MorrillD(a, b, [][]int{{1}}); !errors.Is(err, ErrLength) {
		t.Errorf("short lists: %v", err)
	}
}

func TestErrors(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name string
		fn   func() (float64, error)
		want error
	}{
		{"D length", func() (float64, error) { return Dissimilarity([]float64{1, 2}, []float64{1}) }, ErrLength},
		{"D empty", func() (float64, error) { return Dissimilarity(nil, nil) }, ErrEmpty},
		{"D negative", func() (float64, error) { return Dissimilarity([]float64{1, -2}, []float64{1, 1}) }, ErrNegative},
		{"D NaN", func() (float64, error) { return Dissimilarity([]float64{1, 2}, []float64{nan, 1}) }, ErrNaN},
		{"D Inf", func() (float64, error) { return Dissimilarity([]float64{math.Inf(1), 2}, []float64{1, 1}) }, ErrNaN},
		{"D zero group", func() (float64, error) { return Dissimilarity([]float64{0, 0}, []float64{1, 1}) }, ErrZeroTotal},
		{"oj zero group", func() (float64, error) { return Ojamlikhetsindex([]float64{1, 1}, []float64{0, 0}) }, ErrZeroTotal},
		{"multi one group", func() (float64, error) { return MultiGroupDissimilarity([][]float64{{1, 2}}) }, ErrEmpty},
		{"multi ragged", func() (float64, error) { return MultiGroupDissimilarity([][]float64{{1, 2}, {1}}) }, ErrLength},
		{"multi empty areas", func() (float64, error) { return MultiGroupDissimilarity([][]float64{{}, {}}) }, ErrEmpty},
		{"theil zero group", func() (float64, error) { return Theil([][]float64{{1, 2}, {0, 0}}) }, ErrZeroTotal},
		{"theil NaN", func() (float64, error) { return Theil([][]float64{{1, nan}, {1, 1}}) }, ErrNaN},
		{"isolation exceeds", func() (float64, error) { return Isolation([]float64{5, 1}, []float64{4, 2}) }, ErrExceedsTotal},
		{"isolation length", func() (float64, error) { return Isolation([]float64{1, 1}, []float64{4}) }, ErrLength},
		{"exposure b exceeds", func() (float64, error) {
			return Exposure([]float64{1, 1}, []float64{1, 9}, []float64{4, 4})
		}, ErrExceedsTotal},
		{"exposure zero b", func() (float64, error) {
			return Exposure([]float64{1, 1}, []float64{0, 0}, []float64{4, 4})
		}, ErrZeroTotal},
		{"morrill negative", func() (float64, error) {
			return MorrillD([]float64{-1, 1}, []float64{1, 1}, [][]int{{1}, {0}})
		}, ErrNegative},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.fn()
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if len(err.Error()) < len("inequality: ") || err.Error()[:12] != "inequality: " {
				t.Errorf("error not package-prefixed: %q", err)
			}
		})
	}
}
