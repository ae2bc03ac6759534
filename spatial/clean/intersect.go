package clean

import (
	"fmt"
	"slices"

	"github.com/paulmach/orb"
)

// Crossing is one place where two segments of a polygon's rings meet where
// they must not: a proper crossing, a collinear overlap, or a ring touching
// itself. Segment s of a ring runs from point s to point s+1.
type Crossing struct {
	RingA, SegA int
	RingB, SegB int
	At          orb.Point
	What        string // "cross", "overlap", "touch"
}

// maxCrossings caps the report for one polygon; a badly broken ring would
// otherwise produce a quadratic number of crossings.
const maxCrossings = 50

type seg struct {
	ring, idx  int
	a, b       orb.Point
	minX, maxX float64
}

// Intersections finds invalid segment intersections within and between the
// rings of p with a sweep over x. Rings must be closed. Two different rings
// may touch at a single point (OGC simple features allow that); a ring may
// not touch itself except where consecutive segments meet.
func Intersections(p orb.Polygon) []Crossing {
	n := 0
	for _, r := range p {
		n += max(len(r)-1, 0)
	}
	segs := make([]seg, 0, n)
	for ri, r := range p {
		for i := 0; i+1 < len(r); i++ {
			a, b := r[i], r[i+1]
			segs = append(segs, seg{ring: ri, idx: i, a: a, b: b, minX: min(a[0], b[0]), maxX: max(a[0], b[0])})
		}
	}
	slices.SortFunc(segs, func(x, y seg) int {
		switch {
		case x.minX < y.minX:
			return -1
		case x.minX > y.minX:
			return 1
		}
		return 0
	})
	var out []Crossing
	active := make([]seg, 0, 64)
	for _, s := range segs {
		kept := active[:0]
		for _, t := range active {
			if t.maxX >= s.minX {
				kept = append(kept, t)
			}
		}
		active = kept
		for _, t := range active {
			if min(s.a[1], s.b[1]) > max(t.a[1], t.b[1]) || max(s.a[1], s.b[1]) < min(t.a[1], t.b[1]) {
				continue
			}
			if c, bad := check(p, t, s); bad {
				out = append(out, c)
				if len(out) >= maxCrossings {
					return out
				}
			}
		}
		active = append(active, s)
	}
	slices.SortFunc(out, func(x, y Crossing) int {
		if x.RingA != y.RingA {
			return x.RingA - y.RingA
		}
		if x.SegA != y.SegA {
			return x.SegA - y.SegA
		}
		if x.RingB != y.RingB {
			return x.RingB - y.RingB
		}
		return x.SegB - y.SegB
	})
	return out
}

func orient(a, b, c orb.Point) float64 {
	return (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
}

func sign(v float64) int {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

// onSegment reports whether c, collinear with a-b, lies within its box.
func onSegment(a, b, c orb.Point) bool {
	return min(a[0], b[0]) <= c[0] && c[0] <= max(a[0], b[0]) && min(a[1], b[1]) <= c[1] && c[1] <= max(a[1], b[1])
}

func check(p orb.Polygon, s, t seg) (Crossing, bool) {
	if s.ring > t.ring || (s.ring == t.ring && s.idx > t.idx) {
		s, t = t, s
	}
	c := Crossing{RingA: s.ring, SegA: s.idx, RingB: t.ring, SegB: t.idx}
	sameRing := s.ring == t.ring
	adjacent := false
	if sameRing {
		last := len(p[s.ring]) - 2
		adjacent = t.idx == s.idx+1 || (s.idx == 0 && t.idx == last)
	}
	o1, o2 := sign(orient(s.a, s.b, t.a)), sign(orient(s.a, s.b, t.b))
	o3, o4 := sign(orient(t.a, t.b, s.a)), sign(orient(t.a, t.b, s.b))
	if o1 == 0 && o2 == 0 && o3 == 0 && o4 == 0 {
		// Collinear: an overlap longer than a point is always invalid.
		if at, ok := collinearOverlap(s, t); ok {
			c.At, c.What = at, "overlap"
			return c, true
		}
		if adjacent || !sameRing {
			return c, false
		}
	}
	if o1*o2 < 0 && o3*o4 < 0 {
		c.At, c.What = crossPoint(s.a, s.b, t.a, t.b), "cross"
		return c, true
	}
	if !sameRing || adjacent {
		return c, false // different rings may touch; neighbours share a vertex
	}
	// Same ring, not neighbours: any common point is a self-touch.
	switch {
	case o1 == 0 && onSegment(s.a, s.b, t.a):
		c.At = t.a
	case o2 == 0 && onSegment(s.a, s.b, t.b):
		c.At = t.b
	case o3 == 0 && onSegment(t.a, t.b, s.a):
		c.At = s.a
	case o4 == 0 && onSegment(t.a, t.b, s.b):
		c.At = s.b
	default:
		return c, false
	}
	c.What = "touch"
	return c, true
}

// collinearOverlap reports whether two collinear segments share more than one point.
func collinearOverlap(s, t seg) (orb.Point, bool) {
	axis := 0
	if s.maxX-s.minX == 0 && t.maxX-t.minX == 0 {
		axis = 1
	}
	lo := max(min(s.a[axis], s.b[axis]), min(t.a[axis], t.b[axis]))
	hi := min(max(s.a[axis], s.b[axis]), max(t.a[axis], t.b[axis]))
	if hi <= lo {
		return orb.Point{}, false
	}
	for _, q := range []orb.Point{t.a, t.b, s.a, s.b} {
		if q[axis] == lo {
			return q, true
		}
	}
	return orb.Point{}, true
}

func crossPoint(a, b, c, d orb.Point) orb.Point {
	den := (b[0]-a[0])*(d[1]-c[1]) - (b[1]-a[1])*(d[0]-c[0])
	if den == 0 {
		return a
	}
	u := ((c[0]-a[0])*(d[1]-c[1]) - (c[1]-a[1])*(d[0]-c[0])) / den
	return orb.Point{a[0] + u*(b[0]-a[0]), a[1] + u*(b[1]-a[1])}
}

// String describes the crossing.
func (c Crossing) String() string {
	return fmt.Sprintf("ring %d seg %d / ring %d seg %d %s at %v", c.RingA, c.SegA, c.RingB, c.SegB, c.What, c.At)
}
