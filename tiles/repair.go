package tiles

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// splitRing splits a closed ring at repeated vertices into simple loops:
// snapping a narrow neck or spike to the integer grid makes a ring touch
// itself, which MVT consumers treat as invalid. Every returned ring is
// cleaned (no repeats, no zero-width spikes, non-zero area) and closed.
func splitRing(r orb.Ring, fixCrossings bool) []orb.Ring {
	r = cleanRing(r)
	if r == nil {
		return nil
	}
	pts := []orb.Point(r[:len(r)-1])
	if fixCrossings {
		for range 3 {
			next := insertCrossings(pts)
			if len(next) == len(pts) {
				break
			}
			pts = next
		}
	}
	stack := make([]orb.Point, 0, len(pts))
	pos := make(map[orb.Point]int, len(pts))
	var loops []orb.Ring
	for _, p := range pts {
		if k, ok := pos[p]; ok {
			loop := make(orb.Ring, 0, len(stack)-k+1)
			loop = append(loop, stack[k:]...)
			for _, q := range stack[k+1:] {
				delete(pos, q)
			}
			stack = stack[:k+1]
			if c := cleanRing(append(loop, p)); c != nil {
				loops = append(loops, c)
			}
			continue
		}
		pos[p] = len(stack)
		stack = append(stack, p)
	}
	main := make(orb.Ring, 0, len(stack)+1)
	main = append(main, stack...)
	if c := cleanRing(append(main, stack[0])); c != nil {
		loops = append(loops, c)
	}
	return loops
}

// repairPolygon splits the rings of p at self-touching vertices and sorts
// the pieces into polygons (with fixCrossings also at crossing points):
// loops wound like the ring they come from keep its role (exterior for
// p[0], hole for the others), loops wound the other way take the other
// role (a twisted exterior's hole, an island in a hole); exteriors become
// holes of the smallest exterior containing them. Exteriors are wound
// positive (MVT), holes negative, whatever the winding of p.
func repairPolygon(p orb.Polygon, fixCrossings bool) []orb.Polygon {
	if len(p) == 0 {
		return nil
	}
	var loops []orb.Ring
	for k, r := range p {
		ref := shoelace(r) > 0
		for _, loop := range splitRing(r, fixCrossings) {
			a := shoelace(loop)
			isExt := (a > 0) == ref
			if k > 0 {
				isExt = !isExt
			}
			if isExt != (a > 0) {
				reverse(loop)
			}
			loops = append(loops, loop)
		}
	}
	return assemble(loops)
}

// assemble sorts simple loops into polygons by winding: positive loops are
// exteriors, negative ones holes of the smallest exterior containing them
// (holes in none are dropped). An exterior lying inside another one but in
// none of its holes (its hole collapsed at this zoom) is dropped: the
// other one covers it, and OGC forbids nested shells.
func assemble(loops []orb.Ring) []orb.Polygon {
	var exts []orb.Polygon
	var holes []orb.Ring
	for _, loop := range loops {
		if shoelace(loop) > 0 {
			exts = append(exts, orb.Polygon{loop})
		} else {
			holes = append(holes, loop)
		}
	}
	if len(exts) == 0 {
		return nil
	}
	for _, h := range holes {
		best := -1
		for i, e := range exts {
			if ringInRing(e[0], h) && (best < 0 || math.Abs(shoelace(e[0])) < math.Abs(shoelace(exts[best][0]))) {
				best = i
			}
		}
		if best >= 0 {
			exts[best] = append(exts[best], h)
		}
	}
	return dropNestedShells(exts)
}

// dropNestedShells removes polygons whose exterior lies inside another
// polygon's exterior and in none of its holes.
func dropNestedShells(ps []orb.Polygon) []orb.Polygon {
	if len(ps) < 2 {
		return ps
	}
	bounds := make([]orb.Bound, len(ps))
	for i, p := range ps {
		bounds[i] = p[0].Bound()
	}
	out := ps[:0:0]
	for i, p := range ps {
		nested := false
		for j, q := range ps {
			if i == j || !bounds[j].Contains(bounds[i].Min) || !bounds[j].Contains(bounds[i].Max) || !ringInRing(q[0], p[0]) {
				continue
			}
			inHole := false
			for _, h := range q[1:] {
				if ringInRing(h, p[0]) {
					inHole = true
					break
				}
			}
			if !inHole {
				nested = true
				break
			}
		}
		if !nested {
			out = append(out, p)
		}
	}
	return out
}

// ringInRing: some vertex of inner lies strictly inside outer (even-odd).
func ringInRing(outer, inner orb.Ring) bool {
	for _, p := range inner {
		in, on := pointInRing(outer, p)
		if on {
			continue
		}
		return in
	}
	return false
}

func pointInRing(r orb.Ring, p orb.Point) (in, on bool) {
	for i := 0; i+1 < len(r); i++ {
		a, b := r[i], r[i+1]
		if (b[0]-a[0])*(p[1]-a[1])-(b[1]-a[1])*(p[0]-a[0]) == 0 &&
			math.Min(a[0], b[0]) <= p[0] && p[0] <= math.Max(a[0], b[0]) &&
			math.Min(a[1], b[1]) <= p[1] && p[1] <= math.Max(a[1], b[1]) {
			return false, true
		}
		if (a[1] > p[1]) != (b[1] > p[1]) {
			x := a[0] + (p[1]-a[1])*(b[0]-a[0])/(b[1]-a[1])
			if p[0] < x {
				in = !in
			}
		}
	}
	return in, false
}

// insertCrossings adds, as vertices of both segments, the (rounded) points
// where non-adjacent segments of an open ring cross or touch, so that
// splitRing can cut a twisted ring (from snapping a thin spike to the grid)
// into simple loops. A sweep over x keeps it near O(n log n).
func insertCrossings(pts []orb.Point) []orb.Point {
	n := len(pts)
	if n < 4 {
		return pts
	}
	type seg struct {
		i      int
		lo, hi float64
	}
	segs := make([]seg, n)
	for i := range pts {
		a, b := pts[i], pts[(i+1)%n]
		segs[i] = seg{i, math.Min(a[0], b[0]), math.Max(a[0], b[0])}
	}
	sortSegs(segs, func(a, b seg) bool { return a.lo < b.lo || (a.lo == b.lo && a.i < b.i) })
	type ins struct {
		t float64
		p orb.Point
	}
	extra := map[int][]ins{}
	add := func(i int, p orb.Point) {
		a, b := pts[i], pts[(i+1)%n]
		if p == a || p == b {
			return
		}
		dx, dy := b[0]-a[0], b[1]-a[1]
		t := ((p[0]-a[0])*dx + (p[1]-a[1])*dy) / (dx*dx + dy*dy)
		extra[i] = append(extra[i], ins{t, p})
	}
	for s := range segs {
		i := segs[s].i
		a, b := pts[i], pts[(i+1)%n]
		for u := s + 1; u < len(segs) && segs[u].lo <= segs[s].hi; u++ {
			j := segs[u].i
			if j == (i+1)%n || i == (j+1)%n || i == j {
				continue
			}
			c, d := pts[j], pts[(j+1)%n]
			o1, o2 := cross(a, b, c), cross(a, b, d)
			o3, o4 := cross(c, d, a), cross(c, d, b)
			switch {
			case o1*o2 < 0 && o3*o4 < 0:
				t := o3 / (o3 - o4)
				x := orb.Point{math.Round(a[0] + t*(b[0]-a[0])), math.Round(a[1] + t*(b[1]-a[1]))}
				add(i, x)
				add(j, x)
			case o1 == 0 && onSeg(a, b, c):
				add(i, c)
			case o2 == 0 && onSeg(a, b, d):
				add(i, d)
			case o3 == 0 && onSeg(c, d, a):
				add(j, a)
			case o4 == 0 && onSeg(c, d, b):
				add(j, b)
			}
		}
	}
	if len(extra) == 0 {
		return pts
	}
	out := make([]orb.Point, 0, n+2*len(extra))
	for i, p := range pts {
		out = append(out, p)
		e := extra[i]
		for x := 1; x < len(e); x++ { // insertion sort by t; lists are tiny
			for y := x; y > 0 && e[y].t < e[y-1].t; y-- {
				e[y], e[y-1] = e[y-1], e[y]
			}
		}
		for _, v := range e {
			if out[len(out)-1] != v.p {
				out = append(out, v.p)
			}
		}
	}
	return out
}

func cross(a, b, c orb.Point) float64 {
	return (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
}

func onSeg(a, b, p orb.Point) bool {
	return math.Min(a[0], b[0]) <= p[0] && p[0] <= math.Max(a[0], b[0]) &&
		math.Min(a[1], b[1]) <= p[1] && p[1] <= math.Max(a[1], b[1])
}

func sortSegs[T any](s []T, less func(a, b T) bool) {
	slices.SortFunc(s, func(a, b T) int {
		switch {
		case less(a, b):
			return -1
		case less(b, a):
			return 1
		}
		return 0
	})
}
