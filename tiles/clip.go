package tiles

import (
	"math"

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

// cleanRing removes repeated points and zero-width spikes (a, b, a) and
// returns nil when fewer than 3 distinct points or no area remain. The
// result is closed. It reuses r's storage.
func cleanRing(r orb.Ring) orb.Ring {
	if len(r) > 1 && r[0] == r[len(r)-1] {
		r = r[:len(r)-1]
	}
	out := r[:0]
	for _, p := range r {
		n := len(out)
		if n > 0 && out[n-1] == p {
			continue
		}
		if n > 1 && out[n-2] == p {
			out = out[:n-1]
			continue
		}
		out = append(out, p)
	}
	for len(out) >= 3 {
		n := len(out)
		switch {
		case out[n-1] == out[0]:
			out = out[:n-1]
		case out[n-2] == out[0]:
			out = out[:n-1]
		case out[n-1] == out[1]:
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
