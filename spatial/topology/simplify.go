package topology

import (
	"math"

	"github.com/paulmach/orb"
)

// SimplifyOptions control Simplify.
type SimplifyOptions struct {
	// Tolerance is the Douglas–Peucker distance in CRS units. Arc end points
	// (junctions) are always kept, so neighbours keep sharing their border.
	Tolerance float64
	// Snap, when set, is applied to every kept vertex (e.g. rounding to an
	// integer tile grid); consecutive duplicates are then removed.
	Snap func(orb.Point) orb.Point
	// KeepValid re-simplifies, with a quarter of the tolerance, every arc
	// whose segments cross or overlap another segment (of any arc, itself
	// included), for 3 rounds; arcs still in conflict then keep all their
	// (snapped) vertices. Conflicts present in the input remain.
	KeepValid bool
	// Yield, when set, is called between chunks of work (every YieldEvery
	// arcs), so a caller doing this in the background can pause there
	// while more urgent work runs. The result does not depend on it.
	Yield func()
}

// YieldEvery is the number of arcs processed between calls of
// SimplifyOptions.Yield.
const YieldEvery = 64

// Transform returns a copy of the topology with f applied to every arc
// vertex (e.g. a projection). The receiver is not modified.
func (t *Topology) Transform(f func(orb.Point) orb.Point) *Topology {
	out := &Topology{Arcs: make([]orb.LineString, len(t.Arcs)), Geometries: t.Geometries}
	for i, a := range t.Arcs {
		ls := make(orb.LineString, len(a))
		for j, p := range a {
			ls[j] = f(p)
		}
		out.Arcs[i] = ls
	}
	return out
}

// Simplify returns a new topology whose arcs are simplified once each, so all
// rings using an arc see the same simplified border. The receiver is not
// modified. Ring start offsets are reset to the first arc.
func (t *Topology) Simplify(opts SimplifyOptions) *Topology {
	out := &Topology{Arcs: make([]orb.LineString, len(t.Arcs)), Geometries: make([]MultiPolygon, len(t.Geometries))}
	for i, g := range t.Geometries {
		ng := make(MultiPolygon, len(g))
		for j, p := range g {
			np := make(Polygon, len(p))
			for k, r := range p {
				np[k] = Ring{Arcs: r.Arcs}
			}
			ng[j] = np
		}
		out.Geometries[i] = ng
	}
	tol := make([]float64, len(t.Arcs))
	for i, a := range t.Arcs {
		opts.yield(i)
		tol[i] = opts.Tolerance
		out.Arcs[i] = simplifyArc(a, tol[i], opts.Snap)
	}
	if !opts.KeepValid {
		return out
	}
	// Refine arcs in conflict; only changed arcs need re-checking, since a
	// conflict between two unchanged arcs would have changed both.
	g := newSegGrid(out.Arcs)
	bad := newArcSet(len(out.Arcs))
	for ai := range out.Arcs {
		opts.yield(ai)
		g.insert(ai, true, bad)
	}
	for round := 0; round < 4 && bad.len() > 0; round++ {
		var changed []int
		for _, a := range bad.sorted() {
			if tol[a] > 0 { // at 0 nothing is left to undo
				changed = append(changed, a)
			}
		}
		for n, a := range changed {
			opts.yield(n)
			g.remove(a)
			if round == 3 {
				tol[a] = 0
			} else {
				tol[a] /= 4
			}
			out.Arcs[a] = simplifyArc(t.Arcs[a], tol[a], opts.Snap)
		}
		bad = newArcSet(len(out.Arcs))
		for n, a := range changed {
			opts.yield(n)
			g.insert(a, true, bad)
		}
	}
	return out
}

// yield calls Yield before every YieldEvery-th arc past the first.
func (o SimplifyOptions) yield(i int) {
	if o.Yield != nil && i > 0 && i%YieldEvery == 0 {
		o.Yield()
	}
}

// simplifyArc runs Douglas–Peucker with fixed end points, then snaps.
func simplifyArc(a orb.LineString, tol float64, snap func(orb.Point) orb.Point) orb.LineString {
	if len(a) == 0 {
		return nil
	}
	keep := make([]bool, len(a))
	keep[0], keep[len(a)-1] = true, true
	if tol > 0 && len(a) > 2 {
		dp(a, 0, len(a)-1, tol*tol, keep)
	} else {
		for i := range keep {
			keep[i] = true
		}
	}
	out := make(orb.LineString, 0, len(a))
	for i, p := range a {
		if !keep[i] {
			continue
		}
		if snap != nil {
			p = snap(p)
		}
		if n := len(out); n > 0 && out[n-1] == p {
			continue
		}
		out = append(out, p)
	}
	return out
}

func dp(a orb.LineString, first, last int, tol2 float64, keep []bool) {
	type span struct{ i, j int }
	stack := []span{{first, last}}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if s.j-s.i < 2 {
			continue
		}
		maxD, idx := -1.0, -1
		for k := s.i + 1; k < s.j; k++ {
			d := segDist2(a[s.i], a[s.j], a[k])
			if d > maxD {
				maxD, idx = d, k
			}
		}
		if maxD > tol2 {
			keep[idx] = true
			stack = append(stack, span{s.i, idx}, span{idx, s.j})
		}
	}
}

// segDist2 is the squared distance from p to segment ab (to point a when a==b).
func segDist2(a, b, p orb.Point) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	l2 := dx*dx + dy*dy
	if l2 == 0 {
		ex, ey := p[0]-a[0], p[1]-a[1]
		return ex*ex + ey*ey
	}
	t := ((p[0]-a[0])*dx + (p[1]-a[1])*dy) / l2
	t = math.Max(0, math.Min(1, t))
	ex, ey := p[0]-(a[0]+t*dx), p[1]-(a[1]+t*dy)
	return ex*ex + ey*ey
}
