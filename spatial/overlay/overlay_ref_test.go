package overlay

import (
	"math"

	"github.com/paulmach/orb"
)

// The overlay as it was before the segment index: every question scans
// every segment. Kept in the tests as the oracle the indexed code must
// agree with, and as the "before" of the benchmarks.

func refContains(r Region, p orb.Point) bool {
	if r.empty || !r.bound.Contains(p) {
		return false
	}
	in := false
	for _, s := range r.segs {
		if (s.a[1] > p[1]) != (s.b[1] > p[1]) {
			x := s.a[0] + (p[1]-s.a[1])*(s.b[0]-s.a[0])/(s.b[1]-s.a[1])
			if x > p[0] {
				in = !in
			}
		}
	}
	return in
}

func refSplit(r Region, others ...Region) [][]cut {
	cuts := make([][]cut, len(r.segs))
	for i, s := range r.segs {
		cuts[i] = []cut{{0, s.a}, {1, s.b}}
	}
	for _, o := range others {
		if o.empty || !boundsTouch(r.bound, o.bound) {
			continue
		}
		for i, s := range r.segs {
			sb := segBound(s)
			if !boundsTouch(sb, o.bound) {
				continue
			}
			for _, u := range o.segs {
				if !boundsTouch(sb, segBound(u)) {
					continue
				}
				cuts[i] = appendCuts(cuts[i], s, u)
			}
		}
	}
	return cuts
}

func refRelate(s seg, r Region) relation {
	m := orb.Point{(s.a[0] + s.b[0]) / 2, (s.a[1] + s.b[1]) / 2}
	if r.empty || !boundsTouch(orb.Bound{Min: m, Max: m}, r.bound) {
		return outside
	}
	for _, u := range r.segs {
		if !boundsTouch(orb.Bound{Min: m, Max: m}, segBound(u)) {
			continue
		}
		if _, ok := onSeg(u, m); ok {
			dot := (s.b[0]-s.a[0])*(u.b[0]-u.a[0]) + (s.b[1]-s.a[1])*(u.b[1]-u.a[1])
			if dot > 0 {
				return sameBoundary
			}
			return oppositeBoundary
		}
	}
	if refContains(r, m) {
		return inside
	}
	return outside
}

func refIntersectionArea(a, b Region) float64 {
	if a.empty || b.empty || !boundsTouch(a.bound, b.bound) {
		return 0
	}
	var sum float64
	for _, cs := range refSplit(a, b) {
		for _, s := range pieces(cs) {
			switch refRelate(s, b) {
			case inside, sameBoundary:
				sum += cross(s.a, s.b)
			}
		}
	}
	for _, cs := range refSplit(b, a) {
		for _, s := range pieces(cs) {
			if refRelate(s, a) == inside {
				sum += cross(s.a, s.b)
			}
		}
	}
	return max(sum/2, 0)
}

func refUnion(rs ...Region) Region {
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
		for _, cs := range refSplit(r, others...) {
		next:
			for _, s := range pieces(cs) {
				for k, o := range others {
					switch refRelate(s, o) {
					case inside, oppositeBoundary:
						continue next
					case sameBoundary:
						if idx[k] < i {
							continue next
						}
					}
				}
				out.add(s)
			}
		}
	}
	return out
}

func refUnionTree(rs []Region) Region {
	switch len(rs) {
	case 0:
		return Region{empty: true}
	case 1:
		return rs[0]
	}
	h := len(rs) / 2
	return refUnion(refUnionTree(rs[:h]), refUnionTree(rs[h:]))
}

func refBuffer(mp orb.MultiPolygon, d, tol float64) Region {
	n := CircleSegments(d, tol)
	var parts []Region
	for _, p := range mp {
		for _, ring := range p {
			for i := 0; i+1 < len(ring); i++ {
				if ring[i] != ring[i+1] {
					parts = append(parts, stadium(ring[i], ring[i+1], d, n))
				}
			}
		}
	}
	return refUnion(refUnionTree(parts), FromMultiPolygon(mp))
}

func refDistance(a, b Region) float64 {
	if a.empty || b.empty {
		return math.Inf(1)
	}
	if len(a.segs) > 0 && refContains(b, a.segs[0].a) || len(b.segs) > 0 && refContains(a, b.segs[0].a) {
		return 0
	}
	best := math.Inf(1)
	for _, s := range a.segs {
		for _, u := range b.segs {
			best = math.Min(best, segDist(s, u))
		}
	}
	return best
}

func refPointDistance(p orb.Point, r Region) float64 {
	if r.empty {
		return math.Inf(1)
	}
	if refContains(r, p) {
		return 0
	}
	best := math.Inf(1)
	for _, s := range r.segs {
		best = math.Min(best, pointSegDist(p, s))
	}
	return best
}
