package weights_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"

	"github.com/segmap/segmap/spatial/weights"
)

func square(x0, y0, x1, y1 float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}}
}

// grid returns an nx*ny grid of unit squares, row-major, with every vertex
// moved by up to jitter (independently per polygon, so shared corners are
// not bit-identical).
func grid(nx, ny int, jitter float64, seed uint64) []orb.MultiPolygon {
	r := rand.New(rand.NewPCG(seed, 1))
	j := func(v float64) float64 { return v + (r.Float64()*2-1)*jitter }
	var out []orb.MultiPolygon
	for y := range ny {
		for x := range nx {
			x0, y0, x1, y1 := float64(x), float64(y), float64(x+1), float64(y+1)
			a := orb.Point{j(x0), j(y0)}
			out = append(out, orb.MultiPolygon{{{a, {j(x1), j(y0)}, {j(x1), j(y1)}, {j(x0), j(y1)}, a}}})
		}
	}
	return out
}

// gridWant is the neighbour list of a regular grid, computed from indices.
func gridWant(nx, ny int, queen bool) [][]int {
	out := make([][]int, nx*ny)
	for y := range ny {
		for x := range nx {
			row := []int{}
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					if dx == 0 && dy == 0 || (!queen && dx != 0 && dy != 0) {
						continue
					}
					xx, yy := x+dx, y+dy
					if xx >= 0 && xx < nx && yy >= 0 && yy < ny {
						row = append(row, yy*nx+xx)
					}
				}
			}
			slices.Sort(row)
			out[y*nx+x] = row
		}
	}
	return out
}

func TestContiguitySnapping(t *testing.T) {
	for _, tc := range []struct {
		name   string
		jitter float64
		tol    float64
		rule   string
		edges  bool
		queen  bool
	}{
		{"exact queen", 0, 0, weights.Queen, false, true},
		{"exact rook", 0, 0, weights.Rook, false, false},
		{"jitter queen", 1e-4, 1e-3, weights.Queen, false, true},
		{"jitter rook", 1e-4, 1e-3, weights.Rook, false, false},
		{"jitter queen edges", 1e-4, 1e-3, weights.Queen, true, true},
		{"jitter rook edges", 1e-4, 1e-3, weights.Rook, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			polys := grid(7, 5, tc.jitter, 3)
			w, err := weights.Contiguity(polys, weights.ContiguityOptions{Rule: tc.rule, Tolerance: tc.tol, SnapToEdges: tc.edges})
			if err != nil {
				t.Fatal(err)
			}
			want := gridWant(7, 5, tc.queen)
			for i := range want {
				if !slices.Equal(w.Neighbors[i], want[i]) {
					t.Errorf("%d: got %v, want %v", i, w.Neighbors[i], want[i])
				}
			}
		})
	}
	// Jitter larger than the tolerance: the vertices no longer meet.
	w, err := weights.Contiguity(grid(3, 3, 1e-2, 3), weights.ContiguityOptions{Tolerance: 1e-6})
	if err != nil {
		t.Fatal(err)
	}
	if len(w.Islands()) != 9 {
		t.Errorf("islands %v, want all 9", w.Islands())
	}
}

// TestTJunction: a 2x1 rectangle on the left, two unit squares on the right;
// the point (1,1) is a vertex of the right squares but lies in the middle of
// the left rectangle's edge.
func TestTJunction(t *testing.T) {
	polys := []orb.MultiPolygon{square(0, 0, 1, 2), square(1, 0, 2, 1), square(1, 1, 2, 2)}
	for _, tc := range []struct {
		name string
		opts weights.ContiguityOptions
		want [][]int
	}{
		// spdep-compatible: left shares vertices (1,0) with square 1 and
		// (1,2) with square 2: one vertex pair each, so queen but not rook.
		{"vertex queen", weights.ContiguityOptions{}, [][]int{{1, 2}, {0, 2}, {0, 1}}},
		{"vertex rook", weights.ContiguityOptions{Rule: weights.Rook}, [][]int{{}, {2}, {1}}},
		{"edge rook", weights.ContiguityOptions{Rule: weights.Rook, SnapToEdges: true}, [][]int{{1, 2}, {0, 2}, {0, 1}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, err := weights.Contiguity(polys, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			for i := range tc.want {
				if !slices.Equal(w.Neighbors[i], tc.want[i]) {
					t.Errorf("%d: got %v, want %v", i, w.Neighbors[i], tc.want[i])
				}
			}
		})
	}
}

func TestContiguityBadInput(t *testing.T) {
	nan := square(0, 0, 1, 1)
	nan[0][0][2] = orb.Point{math.NaN(), 1}
	for _, tc := range []struct {
		name  string
		polys []orb.MultiPolygon
		opts  weights.ContiguityOptions
		err   error
	}{
		{"empty", nil, weights.ContiguityOptions{}, weights.ErrEmpty},
		{"bad rule", []orb.MultiPolygon{square(0, 0, 1, 1)}, weights.ContiguityOptions{Rule: "bishop"}, weights.ErrInvalid},
		{"negative tolerance", []orb.MultiPolygon{square(0, 0, 1, 1)}, weights.ContiguityOptions{Tolerance: -1}, weights.ErrInvalid},
		{"NaN tolerance", []orb.MultiPolygon{square(0, 0, 1, 1)}, weights.ContiguityOptions{Tolerance: math.NaN()}, weights.ErrInvalid},
		{"bad style", []orb.MultiPolygon{square(0, 0, 1, 1)}, weights.ContiguityOptions{Style: "C"}, weights.ErrInvalid},
		{"NaN coordinate", []orb.MultiPolygon{square(0, 0, 1, 1), nan}, weights.ContiguityOptions{}, weights.ErrBadGeometry},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := weights.Contiguity(tc.polys, tc.opts); !errors.Is(err, tc.err) {
				t.Errorf("err = %v, want %v", err, tc.err)
			}
		})
	}
	// Documented results: an empty geometry is an island; a zero-area
	// polygon (a sliver collapsed onto the shared border) touches both sides.
	sliver := orb.MultiPolygon{{{{1, 0}, {1, 1}, {1, 0}}}}
	polys := []orb.MultiPolygon{square(0, 0, 1, 1), {}, square(1, 0, 2, 1), sliver}
	w, err := weights.Contiguity(polys, weights.ContiguityOptions{Style: weights.StyleW})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]int{{2, 3}, {}, {0, 3}, {0, 2}}
	for i := range want {
		if !slices.Equal(w.Neighbors[i], want[i]) {
			t.Errorf("%d: got %v, want %v", i, w.Neighbors[i], want[i])
		}
	}
	if !slices.Equal(w.Islands(), []int{1}) {
		t.Errorf("islands %v", w.Islands())
	}
}

func TestDeterminism(t *testing.T) {
	polys := grid(30, 20, 1e-4, 9)
	a, err := weights.Contiguity(polys, weights.ContiguityOptions{Tolerance: 1e-3, Style: weights.StyleW})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		b, err := weights.Contiguity(polys, weights.ContiguityOptions{Tolerance: 1e-3, Style: weights.StyleW})
		if err != nil {
			t.Fatal(err)
		}
		for i := range a.Neighbors {
			if !slices.Equal(a.Neighbors[i], b.Neighbors[i]) || !slices.Equal(a.Weights[i], b.Weights[i]) {
				t.Fatalf("row %d differs between runs", i)
			}
		}
	}
}

func randomPoints(n int, seed uint64) []orb.Point {
	r := rand.New(rand.NewPCG(seed, 2))
	pts := make([]orb.Point, n)
	for i := range pts {
		// a coarse lattice makes exact distance ties likely
		pts[i] = orb.Point{float64(r.IntN(40)), float64(r.IntN(40))}
	}
	return pts
}

func TestKNNBruteForce(t *testing.T) {
	pts := randomPoints(300, 5)
	for _, k := range []int{1, 4, 8} {
		w, err := weights.KNN(pts, k)
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range pts {
			idx := []int{}
			for j := range pts {
				if j != i {
					idx = append(idx, j)
				}
			}
			d := func(j int) float64 { return math.Hypot(pts[j][0]-p[0], pts[j][1]-p[1]) }
			slices.SortStableFunc(idx, func(a, b int) int {
				if d(a) < d(b) {
					return -1
				}
				if d(a) > d(b) {
					return 1
				}
				return 0
			})
			want := slices.Clone(idx[:k])
			slices.Sort(want)
			if !slices.Equal(w.Neighbors[i], want) {
				t.Fatalf("k=%d point %d: got %v, want %v", k, i, w.Neighbors[i], want)
			}
		}
	}
	if _, err := weights.KNN(pts[:3], 3); !errors.Is(err, weights.ErrInvalid) {
		t.Errorf("k=n: err = %v", err)
	}
	if _, err := weights.KNN(nil, 1); !errors.Is(err, weights.ErrEmpty) {
		t.Errorf("empty: err = %v", err)
	}
	if _, err := weights.KNN([]orb.Point{{0, 0}, {math.Inf(1), 0}}, 1); !errors.Is(err, weights.ErrBadGeometry) {
		t.Errorf("inf: err = %v", err)
	}
}

func TestDistanceBandBruteForce(t *testing.T) {
	pts := randomPoints(300, 6)
	w, err := weights.DistanceBand(pts, 3)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range pts {
		want := []int{}
		for j, q := range pts {
			if j != i && math.Hypot(q[0]-p[0], q[1]-p[1]) <= 3 {
				want = append(want, j)
			}
		}
		if !slices.Equal(w.Neighbors[i], want) {
			t.Fatalf("%d: got %v, want %v", i, w.Neighbors[i], want)
		}
	}
	if _, err := weights.DistanceBand(pts, 0); !errors.Is(err, weights.ErrInvalid) {
		t.Errorf("d=0: err = %v", err)
	}
}

func TestSubsetAndStyles(t *testing.T) {
	w, err := weights.FromNeighbors([][]int{{1, 2}, {0}, {0, 3}, {2}}, weights.StyleW)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(w.Weights[0], []float64{0.5, 0.5}) {
		t.Errorf("W row 0 = %v", w.Weights[0])
	}
	s, orig, err := w.Subset([]bool{false, true, true, true})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(orig, []int{1, 2, 3}) || !slices.Equal(s.Islands(), []int{0}) ||
		!slices.Equal(s.Neighbors[1], []int{2}) || !slices.Equal(s.Weights[1], []float64{1}) {
		t.Errorf("subset = %+v orig %v", s, orig)
	}
	if _, err := weights.FromNeighbors([][]int{{0}}, weights.StyleB); !errors.Is(err, weights.ErrInvalid) {
		t.Errorf("self link: err = %v", err)
	}
	if _, _, err := w.Subset([]bool{true}); !errors.Is(err, weights.ErrInvalid) {
		t.Errorf("short keep: err = %v", err)
	}
}

func FuzzContiguity(f *testing.F) {
	f.Add(uint64(1), 3, 3, 0.001, false)
	f.Add(uint64(2), 1, 5, 0.0, true)
	f.Fuzz(func(t *testing.T, seed uint64, nx, ny int, jitter float64, edges bool) {
		if nx < 1 || ny < 1 || nx*ny > 400 || math.IsNaN(jitter) || math.Abs(jitter) > 10 {
			t.Skip()
		}
		polys := grid(nx, ny, jitter, seed)
		for _, rule := range []string{weights.Queen, weights.Rook} {
			w, err := weights.Contiguity(polys, weights.ContiguityOptions{Rule: rule, Tolerance: math.Abs(jitter) * 3, SnapToEdges: edges})
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Validate(); err != nil {
				t.Fatal(err)
			}
			for i, nb := range w.Neighbors {
				for _, j := range nb {
					if _, ok := slices.BinarySearch(w.Neighbors[j], i); !ok {
						t.Fatalf("asymmetric link %d-%d", i, j)
					}
				}
			}
		}
	})
}

// TestSpdepRookQuirk pins spdep's vertex-pair counting. Expected lists are
// spdep 1.2.7 poly2nb output for the same polygons (0-based here):
// rook 1:{2,5} 2:{1} 3:{} 4:{5} 5:{1,4}; queen 1:{2,3,4,5} 2:{1} 3:{1} 4:{1,5} 5:{1,4}.
func TestSpdepRookQuirk(t *testing.T) {
	a := orb.MultiPolygon{square(0, 0, 1, 1)[0], square(5, 5, 6, 6)[0]}
	e := orb.MultiPolygon{square(2, -1, 3, 0)[0], square(0, 1, 1, 2)[0]}
	polys := []orb.MultiPolygon{a, square(4, 4, 5, 5), square(-1, -1, 0, 0), square(1, 1, 2, 2), e}
	for _, tc := range []struct {
		rule string
		want [][]int
	}{
		// A and B touch only at (5,5), but it is both the first and the
		// closing vertex of A's second ring: two vertex pairs, so rook.
		// A and C touch at (0,0), A's very first coordinate, which spdep
		// drops: one pair, queen only.
		{weights.Rook, [][]int{{1, 4}, {0}, {}, {4}, {0, 3}}},
		{weights.Queen, [][]int{{1, 2, 3, 4}, {0}, {0}, {0, 4}, {0, 3}}},
	} {
		w, err := weights.Contiguity(polys, weights.ContiguityOptions{Rule: tc.rule})
		if err != nil {
			t.Fatal(err)
		}
		for i := range tc.want {
			if !slices.Equal(w.Neighbors[i], tc.want[i]) {
				t.Errorf("%s %d: got %v, want %v", tc.rule, i, w.Neighbors[i], tc.want[i])
			}
		}
	}
}
