// Package overlay computes polygon overlap areas, metric buffers and
// distances for the development-site overlay. All coordinates are planar
// metres (SWEREF 99 TM, EPSG:3006); convert with spatial/proj first.
//
// A Region is the oriented boundary of an area: a set of segments whose
// interior lies to their left (exterior rings counter-clockwise, holes
// clockwise) and which form closed cycles, so the even-odd ray test and
// Green's theorem apply to it without assembling rings.
//
// The area of A∩B follows from Green's theorem: the boundary of A∩B is the
// part of ∂A inside B plus the part of ∂B inside A (where the boundaries run
// together, the piece is counted once when both run the same way and not at
// all when they run opposite ways). Every segment of one region is split at
// its intersections with the other, and each piece is classified by its
// midpoint. This is exact for any simple polygons with holes, convex or
// not, which a Sutherland–Hodgman clip is not.
//
// The package does no I/O.
package overlay

import (
	"cmp"
	"context"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// eps is the distance (metres) under which a point counts as lying on a
// segment. SWEREF 99 TM coordinates are ~1e6 m, where a float64 resolves ~1e-9 m.
const eps = 1e-7

type seg struct{ a, b orb.Point }

// Region is an oriented planar boundary (see the package comment).
type Region struct {
	segs  []seg
	bound orb.Bound
	empty bool
	tree  *segTree // nil: scan every segment (small or unfinished regions; index.go)
}

// FromPolygon makes a region from a polygon; rings are re-oriented as
// needed (exterior counter-clockwise, holes clockwise).
func FromPolygon(p orb.Polygon) Region { return FromMultiPolygon(orb.MultiPolygon{p}) }

// FromMultiPolygon makes a region from the polygons of mp. Its polygons
// must not overlap each other (as in a valid MultiPolygon).
func FromMultiPolygon(mp orb.MultiPolygon) Region {
	r := Region{empty: true}
	for _, p := range mp {
		for i, ring := range p {
			if len(ring) < 3 {
				continue
			}
			a := ringArea(ring)
			if a == 0 {
				continue
			}
			rev := (i == 0) != (a > 0) // exterior must be CCW (a>0), holes CW
			n := len(ring)
			if ring[0] == ring[n-1] {
				n--
			}
			for j := 0; j < n; j++ {
				s := seg{ring[j], ring[(j+1)%n]}
				if s.a == s.b {
					continue
				}
				if rev {
					s.a, s.b = s.b, s.a
				}
				r.add(s)
			}
		}
	}
	r.finish()
	return r
}

func (r *Region) add(s seg) {
	sb := segBound(s)
	if r.empty {
		r.bound, r.empty = sb, false
	} else {
		r.bound = r.bound.Union(sb)
	}
	r.segs = append(r.segs, s)
}

// Empty reports whether the region has no boundary.
func (r Region) Empty() bool { return r.empty }

// Bound is the bounding box of the region.
func (r Region) Bound() orb.Bound { return r.bound }

// Area is the enclosed area (m²).
func (r Region) Area() float64 {
	var a float64
	for _, s := range r.segs {
		a += cross(s.a, s.b)
	}
	return a / 2
}

// Contains reports whether p lies inside the region (even-odd rule; a
// point on the boundary may go either way).
func (r Region) Contains(p orb.Point) bool {
	if r.empty || !r.bound.Contains(p) {
		return false
	}
	// Only segments crossing the ray from p towards +x count.
	in := false
	ray := func(b orb.Bound) bool { return b.Max[0] > p[0] && b.Min[1] <= p[1] && p[1] <= b.Max[1] }
	r.walk(ray, func(_ int, s seg) bool {
		if (s.a[1] > p[1]) != (s.b[1] > p[1]) {
			x := s.a[0] + (p[1]-s.a[1])*(s.b[0]-s.a[0])/(s.b[1]-s.a[1])
			if x > p[0] {
				in = !in
			}
		}
		return true
	})
	return in
}

func ringArea(r orb.Ring) float64 {
	var a float64
	for i := 0; i+1 < len(r); i++ {
		a += cross(r[i], r[i+1])
	}
	if len(r) > 0 && r[0] != r[len(r)-1] {
		a += cross(r[len(r)-1], r[0])
	}
	return a / 2
}

func cross(a, b orb.Point) float64 { return a[0]*b[1] - a[1]*b[0] }

func segBound(s seg) orb.Bound {
	b := orb.Bound{Min: s.a, Max: s.b}
	if b.Min[0] > b.Max[0] {
		b.Min[0], b.Max[0] = b.Max[0], b.Min[0]
	}
	if b.Min[1] > b.Max[1] {
		b.Min[1], b.Max[1] = b.Max[1], b.Min[1]
	}
	return b
}

func boundsTouch(a, b orb.Bound) bool {
	return a.Min[0] <= b.Max[0]+eps && b.Min[0] <= a.Max[0]+eps && a.Min[1] <= b.Max[1]+eps && b.Min[1] <= a.Max[1]+eps
}

// cut is a split point on a segment: parameter t in [0,1] and the point.
type cut struct {
	t float64
	p orb.Point
}

// split returns, for every segment of r, the cut points where segments of
// the others meet it (crossings, touches and the ends of collinear
// overlaps). The same point value is recorded on both segments of a crossing.
func split(st *stopper, r Region, others ...Region) [][]cut {
	cuts := make([][]cut, len(r.segs))
	for i, s := range r.segs {
		cuts[i] = []cut{{0, s.a}, {1, s.b}}
	}
	for _, o := range others {
		if o.empty || !boundsTouch(r.bound, o.bound) {
			continue
		}
		for i, s := range r.segs {
			if !o.cutsOf(st, s, &cuts[i]) {
				return cuts
			}
		}
	}
	return cuts
}

// cutsOf appends to *cs the points where the segments of o meet s, and
// reports false when st stops the work.
func (o *Region) cutsOf(st *stopper, s seg, cs *[]cut) bool {
	sb := segBound(s)
	if !boundsTouch(sb, o.bound) {
		return true
	}
	ok := true
	o.search(sb, func(u seg) bool {
		if st.stop() {
			ok = false
			return false
		}
		*cs = appendCuts(*cs, s, u)
		return true
	})
	return ok
}

// clipPieces calls fn with the pieces, split where o's boundary meets
// them, of the segments of r whose box touches o's box: the only pieces
// that can lie inside o or on its boundary. It reports false when st
// stops the work.
func clipPieces(st *stopper, r, o *Region, fn func(s seg)) bool {
	ok := true
	near := func(b orb.Bound) bool { return boundsTouch(b, o.bound) }
	r.walk(near, func(_ int, s seg) bool {
		if !boundsTouch(segBound(s), o.bound) {
			return true
		}
		cs := []cut{{0, s.a}, {1, s.b}}
		if ok = o.cutsOf(st, s, &cs); !ok {
			return false
		}
		for _, p := range pieces(cs) {
			if ok = !st.stop(); !ok {
				return false
			}
			fn(p)
		}
		return true
	})
	return ok
}

// appendCuts adds the points where u meets s.
func appendCuts(cs []cut, s, u seg) []cut {
	d := orb.Point{s.b[0] - s.a[0], s.b[1] - s.a[1]}
	e := orb.Point{u.b[0] - u.a[0], u.b[1] - u.a[1]}
	den := d[0]*e[1] - d[1]*e[0]
	dd := d[0]*d[0] + d[1]*d[1]
	if dd == 0 {
		return cs
	}
	// Endpoints of u lying on s (touches, collinear overlaps).
	for _, q := range [2]orb.Point{u.a, u.b} {
		if t, ok := onSeg(s, q); ok && t > 0 && t < 1 {
			cs = append(cs, cut{t, q})
		}
	}
	ee := e[0]*e[0] + e[1]*e[1]
	// (Nearly) parallel: only the endpoint touches above can meet s; a
	// crossing computed from a tiny den would be noise.
	if den == 0 || den*den <= 1e-24*dd*ee {
		return cs
	}
	w := orb.Point{u.a[0] - s.a[0], u.a[1] - s.a[1]}
	t := (w[0]*e[1] - w[1]*e[0]) / den
	v := (w[0]*d[1] - w[1]*d[0]) / den
	if t <= 0 || t >= 1 || v < 0 || v > 1 {
		return cs
	}
	// A proper crossing. When it is an endpoint of u, use that point
	// exactly (so both segments are cut at the same coordinates).
	p := orb.Point{s.a[0] + t*d[0], s.a[1] + t*d[1]}
	for _, q := range [2]orb.Point{u.a, u.b} {
		if math.Abs(q[0]-p[0]) <= eps && math.Abs(q[1]-p[1]) <= eps {
			p = q
		}
	}
	return append(cs, cut{t, p})
}

// onSeg reports whether q lies on s (within eps) and its parameter.
func onSeg(s seg, q orb.Point) (float64, bool) {
	d := orb.Point{s.b[0] - s.a[0], s.b[1] - s.a[1]}
	dd := d[0]*d[0] + d[1]*d[1]
	if dd == 0 {
		return 0, false
	}
	w := orb.Point{q[0] - s.a[0], q[1] - s.a[1]}
	t := (w[0]*d[0] + w[1]*d[1]) / dd
	if t < -eps || t > 1+eps {
		return t, false
	}
	c := w[0]*d[1] - w[1]*d[0]
	if c*c > eps*eps*dd {
		return t, false
	}
	return t, true
}

// pieces turns a segment's cuts into sub-segments (sorted, deduplicated).
func pieces(cs []cut) []seg {
	slices.SortFunc(cs, func(a, b cut) int { return cmp.Compare(a.t, b.t) })
	out := make([]seg, 0, len(cs)-1)
	prev := cs[0]
	for _, c := range cs[1:] {
		if c.p == prev.p || c.t-prev.t < 1e-12 {
			continue
		}
		out = append(out, seg{prev.p, c.p})
		prev = c
	}
	if len(out) > 0 {
		out[len(out)-1].b = cs[len(cs)-1].p
	}
	return out
}

// relation of a sub-segment to a region.
type relation int

const (
	outside relation = iota
	inside
	sameBoundary     // on the region's boundary, running the same way
	oppositeBoundary // on the boundary, running the other way
)

func relate(s seg, r Region) relation {
	m := orb.Point{(s.a[0] + s.b[0]) / 2, (s.a[1] + s.b[1]) / 2}
	if r.empty || !boundsTouch(orb.Bound{Min: m, Max: m}, r.bound) {
		return outside
	}
	rel := outside
	r.search(orb.Bound{Min: m, Max: m}, func(u seg) bool {
		if _, ok := onSeg(u, m); !ok {
			return true
		}
		rel = oppositeBoundary
		if dot := (s.b[0]-s.a[0])*(u.b[0]-u.a[0]) + (s.b[1]-s.a[1])*(u.b[1]-u.a[1]); dot > 0 {
			rel = sameBoundary
		}
		return false
	})
	if rel != outside {
		return rel
	}
	if r.Contains(m) {
		return inside
	}
	return outside
}

// IntersectionArea is the area of a∩b (m²).
func IntersectionArea(a, b Region) float64 {
	v, _ := intersectionArea(nil, a, b)
	return v
}

// IntersectionAreaContext is IntersectionArea that stops with ctx's error
// when ctx is done (checked every few thousand segment pairs).
func IntersectionAreaContext(ctx context.Context, a, b Region) (float64, error) {
	return intersectionArea(newStopper(ctx), a, b)
}

func intersectionArea(st *stopper, a, b Region) (float64, error) {
	if a.empty || b.empty || !boundsTouch(a.bound, b.bound) {
		return 0, nil
	}
	// Pieces of one boundary outside the other's box are outside it and
	// add nothing, so only the segments near the overlap are visited.
	var sum float64
	ok := clipPieces(st, &a, &b, func(s seg) {
		switch relate(s, b) {
		case inside, sameBoundary:
			sum += cross(s.a, s.b)
		}
	})
	ok = ok && clipPieces(st, &b, &a, func(s seg) {
		if relate(s, a) == inside {
			sum += cross(s.a, s.b)
		}
	})
	if err := st.error(); !ok || err != nil {
		return 0, err
	}
	a2 := sum / 2
	if a2 < 0 { // rounding on a touching pair
		return 0, nil
	}
	return a2, nil
}

// Union returns the region covered by any of rs (they may overlap).
func Union(rs ...Region) Region {
	u, _ := union(nil, rs...)
	return u
}

func union(st *stopper, rs ...Region) (Region, error) {
	out := Region{empty: true}
	for i, r := range rs {
		if r.empty {
			continue
		}
		var others []Region
		var idx []int
		for j, o := range rs {
			if j != i && !o.empty && boundsTouch(r.bound, o.bound) {
				others = append(others, o)
				idx = append(idx, j)
			}
		}
		for _, cs := range split(st, r, others...) {
		next:
			for _, s := range pieces(cs) {
				if st.stop() {
					return Region{empty: true}, st.error()
				}
				for k, o := range others {
					switch relate(s, o) {
					case inside, oppositeBoundary:
						continue next
					case sameBoundary:
						if idx[k] < i { // the earlier region keeps the shared piece
							continue next
						}
					}
				}
				out.add(s)
			}
		}
	}
	if err := st.error(); err != nil {
		return Region{empty: true}, err
	}
	out.finish()
	return out, nil
}

// Translate moves a region by -origin (for numerical conditioning, work
// near the origin).
func (r Region) Translate(origin orb.Point) Region {
	out := Region{empty: r.empty, segs: make([]seg, len(r.segs))}
	for i, s := range r.segs {
		out.segs[i] = seg{orb.Point{s.a[0] - origin[0], s.a[1] - origin[1]}, orb.Point{s.b[0] - origin[0], s.b[1] - origin[1]}}
	}
	out.bound = orb.Bound{Min: orb.Point{r.bound.Min[0] - origin[0], r.bound.Min[1] - origin[1]}, Max: orb.Point{r.bound.Max[0] - origin[0], r.bound.Max[1] - origin[1]}}
	out.finish()
	return out
}

// Distance is the shortest distance between the regions (0 when they
// overlap or one contains the other).
func Distance(a, b Region) float64 {
	d, _ := distance(nil, a, b)
	return d
}

// DistanceContext is Distance that stops with ctx's error when ctx is done.
func DistanceContext(ctx context.Context, a, b Region) (float64, error) {
	return distance(newStopper(ctx), a, b)
}

func distance(st *stopper, a, b Region) (float64, error) {
	if a.empty || b.empty {
		return math.Inf(1), nil
	}
	if len(a.segs) > 0 && b.Contains(a.segs[0].a) || len(b.segs) > 0 && a.Contains(b.segs[0].a) {
		return 0, nil
	}
	// Each segment of the smaller boundary looks in the larger one's tree
	// for nodes nearer than the best distance so far. The segments come in
	// Hilbert order, so the best found for one is a tight bound for the next.
	if len(a.segs) > len(b.segs) {
		a, b = b, a
	}
	best := math.Inf(1)
	stopped := false
	for _, s := range a.segs {
		sb := segBound(s)
		if boxDist(sb, b.bound) >= best {
			continue
		}
		b.walk(func(nb orb.Bound) bool { return boxDist(sb, nb) < best }, func(_ int, u seg) bool {
			if st.stop() {
				stopped = true
				return false
			}
			best = math.Min(best, segDist(s, u))
			return best > 0
		})
		if stopped {
			return 0, st.error()
		}
		if best == 0 {
			return 0, nil
		}
	}
	return best, nil
}

// PointDistance is the distance from p to the region (0 inside).
func PointDistance(p orb.Point, r Region) float64 {
	if r.empty {
		return math.Inf(1)
	}
	if r.Contains(p) {
		return 0
	}
	best := math.Inf(1)
	pb := orb.Bound{Min: p, Max: p}
	r.walk(func(nb orb.Bound) bool { return boxDist(pb, nb) < best }, func(_ int, s seg) bool {
		best = math.Min(best, pointSegDist(p, s))
		return true
	})
	return best
}

func pointSegDist(p orb.Point, s seg) float64 {
	d := orb.Point{s.b[0] - s.a[0], s.b[1] - s.a[1]}
	dd := d[0]*d[0] + d[1]*d[1]
	t := 0.0
	if dd > 0 {
		t = ((p[0]-s.a[0])*d[0] + (p[1]-s.a[1])*d[1]) / dd
		t = math.Max(0, math.Min(1, t))
	}
	return math.Hypot(p[0]-(s.a[0]+t*d[0]), p[1]-(s.a[1]+t*d[1]))
}

func segDist(s, u seg) float64 {
	if segsCross(s, u) {
		return 0
	}
	return math.Min(math.Min(pointSegDist(s.a, u), pointSegDist(s.b, u)), math.Min(pointSegDist(u.a, s), pointSegDist(u.b, s)))
}

func segsCross(s, u seg) bool {
	o := func(a, b, c orb.Point) float64 { return (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0]) }
	d1, d2 := o(u.a, u.b, s.a), o(u.a, u.b, s.b)
	d3, d4 := o(s.a, s.b, u.a), o(s.a, s.b, u.b)
	return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))
}

// Normalize returns the even-odd interior of r as a valid region: the
// boundary is split where it crosses or touches itself, every piece is
// oriented with the interior on its left, and pieces with the interior on
// both sides or on neither (spikes, doubled edges) are dropped. Use it for
// boundaries that may self-intersect (e.g. dissolved areas); Green's
// theorem and the even-odd test then agree.
func Normalize(r Region) Region {
	if r.empty {
		return r
	}
	n := len(r.segs)
	cuts := make([][]cut, n)
	for i, s := range r.segs {
		cuts[i] = []cut{{0, s.a}, {1, s.b}}
	}
	// Sweep over x: only segments whose x-ranges overlap are compared.
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	bs := make([]orb.Bound, n)
	for i, s := range r.segs {
		bs[i] = segBound(s)
	}
	slices.SortFunc(idx, func(a, b int) int { return cmp.Compare(bs[a].Min[0], bs[b].Min[0]) })
	for k, i := range idx {
		for _, j := range idx[k+1:] {
			if bs[j].Min[0] > bs[i].Max[0]+eps {
				break
			}
			if !boundsTouch(bs[i], bs[j]) {
				continue
			}
			cuts[i] = appendCuts(cuts[i], r.segs[i], r.segs[j])
			cuts[j] = appendCuts(cuts[j], r.segs[j], r.segs[i])
		}
	}
	out := Region{empty: true}
	for _, cs := range cuts {
		for _, s := range pieces(cs) {
			dx, dy := s.b[0]-s.a[0], s.b[1]-s.a[1]
			l := math.Hypot(dx, dy)
			if l == 0 {
				continue
			}
			const off = 10 * eps // just beyond the on-segment tolerance
			m := orb.Point{(s.a[0] + s.b[0]) / 2, (s.a[1] + s.b[1]) / 2}
			left := r.Contains(orb.Point{m[0] - dy/l*off, m[1] + dx/l*off})
			right := r.Contains(orb.Point{m[0] + dy/l*off, m[1] - dx/l*off})
			switch {
			case left && !right:
				out.add(s)
			case right && !left:
				out.add(seg{s.b, s.a})
			}
		}
	}
	out.finish()
	return out
}
