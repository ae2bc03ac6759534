package tiles

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// shoelace is the signed area (positive = clockwise on screen, y down,
// which is what MVT wants for exterior rings).
func shoelace(r orb.Ring) float64 {
	var s float64
	for i := 0; i+1 < len(r); i++ {
		s += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
	}
	return s / 2
}

func reverse(r orb.Ring) {
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
}

// cleanRing removes repeated points and zero-width spikes (a, b, c on one
// line with the ring turning back at b, as a, b, a) and returns nil when
// fewer than 3 distinct points or no area remain. The result is closed. It
// reuses r's storage.
func cleanRing(r orb.Ring) orb.Ring {
	if len(r) > 1 && r[0] == r[len(r)-1] {
		r = r[:len(r)-1]
	}
	out := r[:0]
	for _, p := range r {
		for {
			n := len(out)
			if n > 1 && isSpike(out[n-2], out[n-1], p) {
				out = out[:n-1]
				continue
			}
			break
		}
		if n := len(out); n > 0 && out[n-1] == p {
			continue
		}
		out = append(out, p)
	}
	for len(out) >= 3 {
		n := len(out)
		switch {
		case out[n-1] == out[0]:
			out = out[:n-1]
		case isSpike(out[n-2], out[n-1], out[0]):
			out = out[:n-1]
		case isSpike(out[n-1], out[0], out[1]):
			out = out[1:]
		default:
			n = -1
		}
		if n < 0 {
			break
		}
	}
	if len(out) < 3 {
		return nil
	}
	out = append(out, out[0])
	if shoelace(out) == 0 {
		return nil
	}
	return out
}

// isSpike reports whether the path a, b, c turns back on itself at b
// (the three on one line, c not beyond b), b != a.
func isSpike(a, b, c orb.Point) bool {
	if a == b {
		return false
	}
	if (b[0]-a[0])*(c[1]-a[1])-(b[1]-a[1])*(c[0]-a[0]) != 0 {
		return false
	}
	return (b[0]-a[0])*(c[0]-b[0])+(b[1]-a[1])*(c[1]-b[1]) <= 0
}

// clipRing clips a closed ring to box (Sutherland–Hodgman). Intersections
// are computed from the lexicographically smaller end point and rounded to
// the integer grid, so a border shared by two rings (in opposite
// directions) is cut at the identical point. Returns a new, closed ring or
// nil.
func clipRing(r orb.Ring, box orb.Bound) orb.Ring {
	if len(r) < 4 {
		return nil
	}
	rb := r.Bound()
	if box.Contains(rb.Min) && box.Contains(rb.Max) {
		out := make(orb.Ring, len(r))
		copy(out, r)
		return out
	}
	if !box.Intersects(rb) {
		return nil
	}
	pts := make([]orb.Point, len(r)-1)
	copy(pts, r[:len(r)-1])
	var buf []orb.Point
	for edge := 0; edge < 4 && len(pts) > 0; edge++ {
		buf = buf[:0]
		prev := pts[len(pts)-1]
		prevIn := inside(prev, box, edge)
		for _, cur := range pts {
			curIn := inside(cur, box, edge)
			if curIn != prevIn {
				buf = append(buf, intersect(prev, cur, box, edge))
			}
			if curIn {
				buf = append(buf, cur)
			}
			prev, prevIn = cur, curIn
		}
		pts, buf = buf, pts
	}
	if len(pts) < 3 {
		return nil
	}
	out := make(orb.Ring, 0, len(pts)+1)
	out = append(out, pts...)
	return append(out, pts[0])
}

func inside(p orb.Point, b orb.Bound, edge int) bool {
	switch edge {
	case 0:
		return p[0] >= b.Min[0]
	case 1:
		return p[0] <= b.Max[0]
	case 2:
		return p[1] >= b.Min[1]
	}
	return p[1] <= b.Max[1]
}

func intersect(a, c orb.Point, b orb.Bound, edge int) orb.Point {
	if c[0] < a[0] || (c[0] == a[0] && c[1] < a[1]) {
		a, c = c, a
	}
	switch edge {
	case 0, 1:
		x := b.Min[0]
		if edge == 1 {
			x = b.Max[0]
		}
		t := (x - a[0]) / (c[0] - a[0])
		return orb.Point{x, math.Round(a[1] + t*(c[1]-a[1]))}
	}
	y := b.Min[1]
	if edge == 3 {
		y = b.Max[1]
	}
	t := (y - a[1]) / (c[1] - a[1])
	return orb.Point{math.Round(a[0] + t*(c[0]-a[0])), y}
}

// clipPolygon clips a polygon (MVT winding: exterior positive, holes
// negative) to box and moves it to tile coordinates (origin ox, oy).
// Sutherland–Hodgman leaves a clipped ring with edges along the clip lines
// that overlap other edges there: zero-width bridges between the parts of
// a ring inside the box, and the edges of a clipped hole lying on those of
// its exterior. GEOS reports such rings as self-intersecting. So when any
// ring is cut, the edges of all rings are split where they overlap on the
// clip lines, the pairs running both ways cancel, and the edges left are
// linked into rings again, which become exteriors or holes by winding.
// Their crossings are split too: rounding the cut points to the grid can
// twist a thin spike.
func clipPolygon(p orb.Polygon, box orb.Bound, ox, oy float64) []orb.Polygon {
	var rings []orb.Ring
	cut := false
	for k, r := range p {
		c := clipRing(r, box)
		if c == nil {
			if k == 0 {
				return nil
			}
			continue
		}
		if rb := r.Bound(); !box.Contains(rb.Min) || !box.Contains(rb.Max) {
			cut = true
		}
		for j := range c {
			c[j] = orb.Point{c[j][0] - ox, c[j][1] - oy}
		}
		rings = append(rings, c)
	}
	if !cut {
		return repairPolygon(rings, false)
	}
	tb := orb.Bound{Min: orb.Point{box.Min[0] - ox, box.Min[1] - oy}, Max: orb.Point{box.Max[0] - ox, box.Max[1] - oy}}
	var loops []orb.Ring
	for _, w := range relinkRings(rings, tb) {
		loops = append(loops, splitRing(w, true)...)
	}
	return assemble(loops)
}

// edge is a directed segment of a ring.
type edge struct{ a, b orb.Point }

// relinkRings splits the edges of rings where they overlap on the lines of
// box, cancels edges that run both ways between the same points and links
// the rest into closed rings (in a deterministic order).
func relinkRings(rings []orb.Ring, box orb.Bound) []orb.Ring {
	var onLine [4][]float64 // per clip line: the positions of vertices on it
	for _, r := range rings {
		for _, p := range r[:len(r)-1] {
			for l := range 4 {
				if pos, ok := clipLinePos(p, box, l); ok {
					onLine[l] = append(onLine[l], pos)
				}
			}
		}
	}
	for l := range onLine {
		slices.Sort(onLine[l])
		onLine[l] = slices.Compact(onLine[l])
	}
	var edges []edge
	for _, r := range rings {
		for i := 0; i+1 < len(r); i++ {
			edges = appendSplit(edges, r[i], r[i+1], box, &onLine)
		}
	}
	// cancel pairs running both ways
	alive := make([]bool, len(edges))
	open := make(map[edge][]int, len(edges))
	for i, e := range edges {
		if e.a == e.b {
			continue
		}
		rev := edge{e.b, e.a}
		if js := open[rev]; len(js) > 0 {
			alive[js[len(js)-1]] = false
			open[rev] = js[:len(js)-1]
			continue
		}
		alive[i] = true
		open[e] = append(open[e], i)
	}
	out := make(map[orb.Point][]int, len(edges))
	for i, e := range edges {
		if alive[i] {
			out[e.a] = append(out[e.a], i)
		}
	}
	var res []orb.Ring
	for i := range edges {
		if !alive[i] {
			continue
		}
		start := edges[i].a
		ring := orb.Ring{start}
		for j := i; ; {
			alive[j] = false
			p := edges[j].b
			ring = append(ring, p)
			if p == start {
				break
			}
			j = nextEdge(out, p, alive)
			if j < 0 {
				break // not closed: cannot happen for closed input rings
			}
		}
		if len(ring) >= 4 && ring[0] == ring[len(ring)-1] {
			res = append(res, ring)
		}
	}
	return res
}

// nextEdge returns the first unused edge leaving p, or -1.
func nextEdge(out map[orb.Point][]int, p orb.Point, alive []bool) int {
	js := out[p]
	for len(js) > 0 && !alive[js[0]] {
		js = js[1:]
	}
	out[p] = js
	if len(js) == 0 {
		return -1
	}
	return js[0]
}

// clipLinePos reports whether p lies on clip line l of box (0: west,
// 1: east, 2: north, 3: south) and its position along it.
func clipLinePos(p orb.Point, box orb.Bound, l int) (float64, bool) {
	switch l {
	case 0:
		return p[1], p[0] == box.Min[0]
	case 1:
		return p[1], p[0] == box.Max[0]
	case 2:
		return p[0], p[1] == box.Min[1]
	}
	return p[0], p[1] == box.Max[1]
}

// appendSplit appends a→b, split at the vertices on its clip line when it
// runs along one.
func appendSplit(edges []edge, a, b orb.Point, box orb.Bound, onLine *[4][]float64) []edge {
	for l := range 4 {
		pa, okA := clipLinePos(a, box, l)
		pb, okB := clipLinePos(b, box, l)
		if !okA || !okB {
			continue
		}
		pos := onLine[l]
		lo, hi := min(pa, pb), max(pa, pb)
		i, _ := slices.BinarySearch(pos, lo)
		j, _ := slices.BinarySearch(pos, hi)
		if j-i <= 1 {
			break
		}
		mid := pos[i+1 : j] // strictly between lo and hi
		prev := a
		at := func(v float64) orb.Point {
			if l < 2 {
				return orb.Point{a[0], v}
			}
			return orb.Point{v, a[1]}
		}
		if pa < pb {
			for _, v := range mid {
				q := at(v)
				edges = append(edges, edge{prev, q})
				prev = q
			}
		} else {
			for k := len(mid) - 1; k >= 0; k-- {
				q := at(mid[k])
				edges = append(edges, edge{prev, q})
				prev = q
			}
		}
		return append(edges, edge{prev, b})
	}
	return append(edges, edge{a, b})
}
