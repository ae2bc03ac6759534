package overlay

import (
	"cmp"
	"context"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// DefaultTolerance is the buffer tolerance (metres) used when none is given.
const DefaultTolerance = 0.5

// CircleSegments is the number of sides of the regular polygon that stands
// for a circle of radius d so that no point of the true circle is farther
// than tol from it: the sagitta d·(1−cos(π/n)) ≤ tol, rounded up to a
// multiple of 4. At least 16, at most 1024.
func CircleSegments(d, tol float64) int {
	if tol <= 0 {
		tol = DefaultTolerance
	}
	if d <= tol {
		return 16
	}
	n := int(math.Ceil(math.Pi / math.Acos(1-tol/d)))
	n = (n + 3) / 4 * 4 // a multiple of 4: symmetric, with vertices on the axes
	return max(16, min(n, 1024))
}

// circle is the regular n-gon inscribed in the circle of radius d around c,
// counter-clockwise, vertices at angles 2πk/n (a common grid, so the arcs
// of neighbouring edge buffers share vertices exactly).
func circle(c orb.Point, d float64, n int) orb.Ring {
	r := make(orb.Ring, 0, n+1)
	for k := 0; k < n; k++ {
		a := 2 * math.Pi * float64(k) / float64(n)
		r = append(r, orb.Point{c[0] + d*math.Cos(a), c[1] + d*math.Sin(a)})
	}
	return append(r, r[0])
}

// BufferPoint is the disc of radius d around p (a regular polygon within
// tol metres of the circle, inside it).
func BufferPoint(p orb.Point, d, tol float64) Region {
	return FromPolygon(orb.Polygon{circle(p, d, CircleSegments(d, tol))})
}

// Buffer is the set of points within d metres of the polygons of mp: the
// polygons themselves united with, for every boundary segment, the convex
// hull of the two end discs (a "stadium"). Arcs are regular polygons within
// tol metres of the true circle (see CircleSegments), so the area is
// slightly under the exact buffer's.
func Buffer(mp orb.MultiPolygon, d, tol float64) Region {
	r, _ := buffer(nil, mp, d, tol)
	return r
}

// BufferContext is Buffer that stops with ctx's error when ctx is done
// (checked every few thousand segment pairs of the unions).
func BufferContext(ctx context.Context, mp orb.MultiPolygon, d, tol float64) (Region, error) {
	return buffer(newStopper(ctx), mp, d, tol)
}

func buffer(st *stopper, mp orb.MultiPolygon, d, tol float64) (Region, error) {
	n := CircleSegments(d, tol)
	var parts []Region
	for _, p := range mp {
		for _, ring := range p {
			for i := 0; i+1 < len(ring); i++ {
				if ring[i] == ring[i+1] {
					continue
				}
				if st.stop() {
					return Region{empty: true}, st.error()
				}
				parts = append(parts, stadium(ring[i], ring[i+1], d, n))
			}
		}
	}
	// The stadiums of neighbouring edges are merged first (they are in ring
	// order), so every union works on small outlines: O(n log n) outlines
	// instead of one union of all n stadiums, which is quadratic in their
	// total size. The polygons fill what the stadiums leave inside.
	t, err := unionTree(st, parts)
	if err != nil {
		return Region{empty: true}, err
	}
	return union(st, t, FromMultiPolygon(mp))
}

// unionTree unites rs pairwise, neighbours first.
func unionTree(st *stopper, rs []Region) (Region, error) {
	switch len(rs) {
	case 0:
		return Region{empty: true}, nil
	case 1:
		return rs[0], nil
	}
	h := len(rs) / 2
	a, err := unionTree(st, rs[:h])
	if err != nil {
		return a, err
	}
	b, err := unionTree(st, rs[h:])
	if err != nil {
		return b, err
	}
	return union(st, a, b)
}

// stadium is the convex hull of the n-gons around a and b.
func stadium(a, b orb.Point, d float64, n int) Region {
	pts := append(slices.Clip(circle(a, d, n)[:n]), circle(b, d, n)[:n]...)
	return FromPolygon(orb.Polygon{convexHull(pts)})
}

// convexHull (Andrew's monotone chain), counter-clockwise and closed.
func convexHull(pts []orb.Point) orb.Ring {
	ps := append([]orb.Point(nil), pts...)
	sortPoints(ps)
	o := func(a, b, c orb.Point) float64 { return (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0]) }
	h := make(orb.Ring, 0, 2*len(ps))
	for _, p := range ps {
		for len(h) >= 2 && o(h[len(h)-2], h[len(h)-1], p) <= 0 {
			h = h[:len(h)-1]
		}
		h = append(h, p)
	}
	lo := len(h) + 1
	for i := len(ps) - 2; i >= 0; i-- {
		p := ps[i]
		for len(h) >= lo && o(h[len(h)-2], h[len(h)-1], p) <= 0 {
			h = h[:len(h)-1]
		}
		h = append(h, p)
	}
	return h // last point == first
}

func sortPoints(ps []orb.Point) {
	slices.SortFunc(ps, func(a, b orb.Point) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
}
