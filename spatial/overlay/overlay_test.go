package overlay

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

func rect(x0, y0, x1, y1 float64) orb.Ring {
	return orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
}

// lShape is the L of the unit squares (0..2)x(0..1) and (0..1)x(1..2), scaled by s.
func lShape(s float64) orb.Polygon {
	return orb.Polygon{{{0, 0}, {2 * s, 0}, {2 * s, s}, {s, s}, {s, 2 * s}, {0, 2 * s}, {0, 0}}}
}

func TestIntersectionAreaHand(t *testing.T) {
	sq := func(x0, y0, x1, y1 float64) Region { return FromPolygon(orb.Polygon{rect(x0, y0, x1, y1)}) }
	holed := FromPolygon(orb.Polygon{rect(0, 0, 10, 10), rect(2, 2, 8, 8)})      // area 100-36 = 64
	cw := FromPolygon(orb.Polygon{{{0, 0}, {0, 10}, {10, 10}, {10, 0}, {0, 0}}}) // clockwise input
	tests := []struct {
		name string
		a, b Region
		want float64
	}{
		{"overlapping squares", sq(0, 0, 10, 10), sq(5, 5, 15, 15), 25},
		{"disjoint", sq(0, 0, 10, 10), sq(20, 0, 30, 10), 0},
		{"shared edge", sq(0, 0, 10, 10), sq(10, 0, 20, 10), 0},
		{"shared corner", sq(0, 0, 10, 10), sq(10, 10, 20, 20), 0},
		{"identical", sq(0, 0, 10, 10), sq(0, 0, 10, 10), 100},
		{"contained", sq(0, 0, 10, 10), sq(2, 3, 4, 7), 8},
		{"contained, edge on edge", sq(0, 0, 10, 10), sq(0, 0, 4, 10), 40},
		{"clockwise input re-oriented", cw, sq(5, 0, 15, 10), 50},
		// L of three 10x10 squares; the square (5..15)x(5..15) covers 5x5 of the
		// lower right arm's top? no: L = (0..20)x(0..10) ∪ (0..10)x(10..20);
		// overlap with (5..15)x(5..15) = (5..15)x(5..10) + (5..10)x(10..15) = 50 + 25.
		{"concave L", FromPolygon(lShape(10)), sq(5, 5, 15, 15), 75},
		{"concave L, reflex notch", FromPolygon(lShape(10)), sq(12, 12, 18, 18), 0},
		{"hole", holed, sq(0, 0, 5, 5), 25 - 9},
		{"inside the hole", holed, sq(3, 3, 7, 7), 0},
		{"hole edge shared", holed, sq(2, 2, 8, 8), 0},
		{"triangle", FromPolygon(orb.Polygon{{{0, 0}, {10, 0}, {0, 10}, {0, 0}}}), sq(0, 0, 5, 5), 25},
		{"triangle cut", FromPolygon(orb.Polygon{{{0, 0}, {10, 0}, {0, 10}, {0, 0}}}), sq(5, 0, 10, 5), 12.5},
		{"multipolygon", FromMultiPolygon(orb.MultiPolygon{{rect(0, 0, 1, 1)}, {rect(3, 0, 4, 1)}}), sq(0.5, 0, 3.5, 1), 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, order := range [][2]Region{{tc.a, tc.b}, {tc.b, tc.a}} {
				got := IntersectionArea(order[0], order[1])
				if math.Abs(got-tc.want) > 1e-9 {
					t.Errorf("area = %.12g, want %g", got, tc.want)
				}
			}
		})
	}
}

// TestIntersectionAreaSampled checks random overlaps of star-shaped
// (non-convex) polygons against an independent estimate: counting the
// points of a fine grid that fall in both polygons.
func TestIntersectionAreaSampled(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	star := func(cx, cy float64, n int) orb.Polygon {
		r := orb.Ring{}
		for k := 0; k < n; k++ {
			a := 2 * math.Pi * float64(k) / float64(n)
			d := 20 + 60*rng.Float64()
			r = append(r, orb.Point{cx + d*math.Cos(a), cy + d*math.Sin(a)})
		}
		return orb.Polygon{append(r, r[0])}
	}
	for i := 0; i < 12; i++ {
		pa := star(6.58e6/1e4, 0, 7+rng.IntN(20))
		pb := star(6.58e6/1e4+rng.Float64()*60, rng.Float64()*60, 5+rng.IntN(20))
		a, b := FromPolygon(pa), FromPolygon(pb)
		got := IntersectionArea(a, b)
		const step = 0.25
		bd := a.Bound()
		n := 0
		for x := bd.Min[0] + step/2; x < bd.Max[0]; x += step {
			for y := bd.Min[1] + step/2; y < bd.Max[1]; y += step {
				p := orb.Point{x, y}
				if pointInPolygon(p, pa) && pointInPolygon(p, pb) {
					n++
				}
			}
		}
		want := float64(n) * step * step
		// The grid error is about perimeter × step / 2.
		if math.Abs(got-want) > 0.01*math.Max(want, 100)+40 {
			t.Errorf("case %d: area %.2f, grid estimate %.2f", i, got, want)
		}
	}
}

// pointInPolygon is an independent even-odd test over the rings.
func pointInPolygon(p orb.Point, pg orb.Polygon) bool {
	in := false
	for _, r := range pg {
		for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
			if (r[i][1] > p[1]) != (r[j][1] > p[1]) && p[0] < (r[j][0]-r[i][0])*(p[1]-r[i][1])/(r[j][1]-r[i][1])+r[i][0] {
				in = !in
			}
		}
	}
	return in
}

func TestBufferArea(t *testing.T) {
	const tol = 0.5
	ngon := func(d float64) float64 {
		n := float64(CircleSegments(d, tol))
		return n / 2 * d * d * math.Sin(2*math.Pi/n)
	}
	tests := []struct {
		name  string
		r     Region
		exact float64 // the exact buffer's area
		poly  float64 // the area with the circle as the inscribed n-gon (0: not known exactly)
	}{
		{"point 500 m", BufferPoint(orb.Point{674000, 6580000}, 500, tol), math.Pi * 500 * 500, ngon(500)},
		{"point 1 km", BufferPoint(orb.Point{674000, 6580000}, 1000, tol), math.Pi * 1000 * 1000, ngon(1000)},
		// A convex polygon: area + perimeter·d + π·d² (Steiner).
		{"square 200 m, 500 m", Buffer(orb.MultiPolygon{{rect(0, 0, 200, 200)}}, 500, tol), 200*200 + 800*500 + math.Pi*500*500, 200*200 + 800*500 + ngon(500)},
		// An L with one reflex corner (90°): the two strips at the reflex
		// corner overlap in a d×d square and there is no arc there:
		// area + perimeter·d + (5/4)π·d²·... the five convex corners turn by
		// 5π/2 in all, the reflex one by −π/2: A + P·d + (5π/4)·d² − d².
		{"L 100 m, 30 m", Buffer(orb.MultiPolygon{lShape(100)}, 30, tol), 3*100*100 + 800*30 + 5*math.Pi/4*30*30 - 30*30, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.r.Area()
			if tc.poly != 0 && math.Abs(got-tc.poly) > 1e-6*tc.poly {
				t.Errorf("area %.6f, want the polygonal %.6f", got, tc.poly)
			}
			// Inside the true buffer, by at most the tolerance times its perimeter.
			if got > tc.exact+1e-6 || tc.exact-got > 2*math.Pi*1000*tol {
				t.Errorf("area %.3f, exact buffer %.3f", got, tc.exact)
			}
		})
	}
}

func TestBufferIntersection(t *testing.T) {
	// A point buffer of 100 m centred on the shared edge of two squares is
	// split in half between them.
	b := BufferPoint(orb.Point{1000, 500}, 100, 0.1)
	left := FromPolygon(orb.Polygon{rect(0, 0, 1000, 1000)})
	right := FromPolygon(orb.Polygon{rect(1000, 0, 2000, 1000)})
	l, r := IntersectionArea(b, left), IntersectionArea(b, right)
	if math.Abs(l-r) > 1e-6 || math.Abs(l+r-b.Area()) > 1e-6 {
		t.Errorf("halves %.6f + %.6f, disc %.6f", l, r, b.Area())
	}
	// The union of a square's buffer contains the square and its ring.
	sq := orb.MultiPolygon{{rect(0, 0, 200, 200)}}
	buf := Buffer(sq, 50, 0.1)
	if got := IntersectionArea(buf, FromMultiPolygon(sq)); math.Abs(got-40000) > 1e-6 {
		t.Errorf("buffer ∩ square = %.6f, want 40000", got)
	}
}

func TestDistance(t *testing.T) {
	a := FromPolygon(orb.Polygon{rect(0, 0, 10, 10)})
	tests := []struct {
		name string
		b    Region
		want float64
	}{
		{"east", FromPolygon(orb.Polygon{rect(13, 0, 20, 10)}), 3},
		{"diagonal", FromPolygon(orb.Polygon{rect(13, 14, 20, 20)}), 5},
		{"overlap", FromPolygon(orb.Polygon{rect(5, 5, 20, 20)}), 0},
		{"inside", FromPolygon(orb.Polygon{rect(2, 2, 3, 3)}), 0},
	}
	for _, tc := range tests {
		if got := Distance(a, tc.b); math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("%s: %g, want %g", tc.name, got, tc.want)
		}
	}
	if got := PointDistance(orb.Point{13, 14}, a); math.Abs(got-5) > 1e-9 {
		t.Errorf("point distance %g, want 5", got)
	}
}

func BenchmarkBufferIntersection(b *testing.B) {
	site := orb.MultiPolygon{lShape(150)}
	deso := FromPolygon(orb.Polygon{rect(-400, -400, 300, 300)})
	b.ReportAllocs()
	for b.Loop() {
		buf := Buffer(site, 1000, DefaultTolerance)
		_ = IntersectionArea(buf, deso)
	}
}

// BenchmarkBufferDetailed buffers a 120-vertex site (a detailed plan
// boundary) by 1 km.
func BenchmarkBufferDetailed(b *testing.B) {
	r := orb.Ring{}
	for k := 0; k < 120; k++ {
		a := 2 * math.Pi * float64(k) / 120
		d := 200 + 60*math.Sin(7*a)
		r = append(r, orb.Point{d * math.Cos(a), d * math.Sin(a)})
	}
	site := orb.MultiPolygon{{append(r, r[0])}}
	b.ReportAllocs()
	for b.Loop() {
		_ = Buffer(site, 1000, DefaultTolerance)
	}
}

// BenchmarkBufferDetailedContext is BenchmarkBufferDetailed with a live
// context (the cost of the cancellation checks).
func BenchmarkBufferDetailedContext(b *testing.B) {
	r := orb.Ring{}
	for k := 0; k < 120; k++ {
		a := 2 * math.Pi * float64(k) / 120
		d := 200 + 60*math.Sin(7*a)
		r = append(r, orb.Point{d * math.Cos(a), d * math.Sin(a)})
	}
	site := orb.MultiPolygon{{append(r, r[0])}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := BufferContext(ctx, site, 1000, DefaultTolerance); err != nil {
			b.Fatal(err)
		}
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct {
		name   string
		p      orb.Polygon
		want   float64 // even-odd area
		square float64 // area inside (0..10)²
	}{
		// A bow tie crossing at (60/11, 60/11): lobes of 250/11 and 360/11;
		// Green's theorem alone gives their difference.
		{"bow tie", orb.Polygon{{{0, 0}, {10, 10}, {10, 0}, {0, 12}, {0, 0}}}, 610.0 / 11, 610.0/11 - 5.0/3},
		// A square with a zero-width spike out of its top edge.
		{"spike", orb.Polygon{{{0, 0}, {10, 0}, {10, 10}, {5, 10}, {5, 20}, {5, 10}, {0, 10}, {0, 0}}}, 100, 100},
		{"valid L", lShape(10), 300, 100},
		{"clockwise", orb.Polygon{{{0, 0}, {0, 10}, {10, 10}, {10, 0}, {0, 0}}}, 100, 100},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Normalize(FromPolygon(tc.p))
			if got := r.Area(); math.Abs(got-tc.want) > 1e-9 {
				t.Errorf("area %g, want %g", got, tc.want)
			}
			sq := FromPolygon(orb.Polygon{rect(0, 0, 10, 10)})
			if got := IntersectionArea(r, sq); math.Abs(got-tc.square) > 1e-9 {
				t.Errorf("∩ square = %g, want %g", got, tc.square)
			}
		})
	}
}

// FuzzIntersectionArea checks the invariants of IntersectionArea on
// arbitrary triangles and quadrilaterals: symmetric, never negative, never
// more than either area, and A∩A = A.
func FuzzIntersectionArea(f *testing.F) {
	f.Add(0.0, 0.0, 10.0, 0.0, 10.0, 10.0, 0.0, 10.0, 5.0, 5.0, 15.0, 5.0, 15.0, 15.0)
	f.Add(0.0, 0.0, 10.0, 0.0, 0.0, 10.0, 0.0, 0.0, 10.0, 0.0, 0.0, 10.0, 10.0, 10.0)
	f.Fuzz(func(t *testing.T, ax, ay, bx, by, cx, cy, dx, dy, ex, ey, fx, fy, gx, gy float64) {
		for _, v := range []float64{ax, ay, bx, by, cx, cy, dx, dy, ex, ey, fx, fy, gx, gy} {
			if math.IsNaN(v) || math.Abs(v) > 1e6 {
				return
			}
		}
		p := orb.Polygon{{{ax, ay}, {bx, by}, {cx, cy}, {dx, dy}, {ax, ay}}}
		q := orb.Polygon{{{ex, ey}, {fx, fy}, {gx, gy}, {ex, ey}}}
		if len(clean(p)) == 0 {
			return
		}
		a, b := Normalize(FromPolygon(p)), Normalize(FromPolygon(q))
		aa, ba := a.Area(), b.Area()
		if aa < 1e-6 || ba < 1e-6 {
			return
		}
		ab, ba2 := IntersectionArea(a, b), IntersectionArea(b, a)
		tol := 1e-6 * math.Max(1, math.Max(aa, ba))
		if math.Abs(ab-ba2) > tol || ab < 0 || ab > math.Min(aa, ba)+tol {
			t.Fatalf("a∩b %g, b∩a %g, areas %g %g", ab, ba2, aa, ba)
		}
		if self := IntersectionArea(a, a); math.Abs(self-aa) > tol {
			t.Fatalf("a∩a %g, area %g", self, aa)
		}
	})
}

// clean drops rings with repeated points (degenerate input for the fuzzer).
func clean(p orb.Polygon) orb.Polygon {
	r := p[0]
	for i := 0; i+1 < len(r); i++ {
		for j := i + 1; j+1 < len(r); j++ {
			if r[i] == r[j] {
				return nil
			}
		}
	}
	return p
}

// TestContextVariants: the context variants agree with the plain functions
// and stop with the context's error once it is cancelled.
func TestContextVariants(t *testing.T) {
	var ring orb.Ring
	const n = 2000
	for i := 0; i <= n; i++ {
		a := 2 * math.Pi * float64(i%n) / float64(n)
		ring = append(ring, orb.Point{100 * math.Cos(a), 100 * math.Sin(a)})
	}
	mp := orb.MultiPolygon{{ring}}
	sq := FromPolygon(orb.Polygon{{{0, 0}, {300, 0}, {300, 300}, {0, 300}, {0, 0}}})
	live := context.Background()
	b, err := BufferContext(live, mp, 50, DefaultTolerance)
	if err != nil || math.Abs(b.Area()-Buffer(mp, 50, DefaultTolerance).Area()) > 1e-6 {
		t.Errorf("BufferContext: %v, area %v", err, b.Area())
	}
	ia, err := IntersectionAreaContext(live, b, sq)
	if err != nil || ia != IntersectionArea(b, sq) || ia <= 0 {
		t.Errorf("IntersectionAreaContext: %v, %v", ia, err)
	}
	dead, cancel := context.WithCancel(live)
	cancel()
	if _, err := BufferContext(dead, mp, 50, DefaultTolerance); !errors.Is(err, context.Canceled) {
		t.Errorf("BufferContext cancelled: %v", err)
	}
	if _, err := IntersectionAreaContext(dead, b, sq); !errors.Is(err, context.Canceled) {
		t.Errorf("IntersectionAreaContext cancelled: %v", err)
	}
	far := FromPolygon(orb.Polygon{{{1000, 1000}, {1300, 1000}, {1300, 1300}, {1000, 1300}, {1000, 1000}}})
	if _, err := DistanceContext(dead, b, far); !errors.Is(err, context.Canceled) {
		t.Errorf("DistanceContext cancelled: %v", err)
	}
}
