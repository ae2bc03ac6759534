package topology

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
)

type segRef struct {
	arc, i int // segment a[i]-a[i+1] of arc
}

// segGrid is a uniform grid of arc segments for crossing tests. Cells are
// keyed by cellKey (one integer: hashing it costs a third of an [2]int key,
// and the lookups are most of a zoom's preparation).
type segGrid struct {
	cell  float64
	min   orb.Point
	cells map[uint64][]segRef
	arcs  []orb.LineString
}

// cellKey packs a cell's column and row (both ≥ 0: cells count from the
// grid's minimum) into one map key.
func cellKey(x, y int) uint64 { return uint64(uint32(x))<<32 | uint64(uint32(y)) }

// arcSet is a set of arc indices: a flag per arc and the members in the
// order they were added.
type arcSet struct {
	in   []bool
	list []int
}

func newArcSet(n int) *arcSet { return &arcSet{in: make([]bool, n)} }

func (s *arcSet) add(i int) {
	if !s.in[i] {
		s.in[i] = true
		s.list = append(s.list, i)
	}
}

func (s *arcSet) len() int { return len(s.list) }

// sorted returns the members in increasing order.
func (s *arcSet) sorted() []int {
	out := slices.Clone(s.list)
	slices.Sort(out)
	return out
}

func newSegGrid(arcs []orb.LineString) *segGrid {
	var total float64
	var n int
	b := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	for _, a := range arcs {
		for i := 0; i+1 < len(a); i++ {
			total += math.Abs(a[i+1][0]-a[i][0]) + math.Abs(a[i+1][1]-a[i][1])
			n++
			b = b.Extend(a[i]).Extend(a[i+1])
		}
	}
	g := &segGrid{cell: 1, cells: make(map[uint64][]segRef, n), arcs: arcs}
	if n == 0 {
		return g
	}
	g.min = b.Min
	g.cell = total / float64(n) * 2
	// Cap the grid to keep memory bounded.
	g.cell = math.Max(g.cell, (b.Max[0]-b.Min[0])/4096)
	g.cell = math.Max(g.cell, (b.Max[1]-b.Min[1])/4096)
	if g.cell <= 0 || math.IsNaN(g.cell) {
		g.cell = 1
	}
	return g
}

func (g *segGrid) span(p, q orb.Point) (x0, x1, y0, y1 int) {
	x0 = int(math.Floor((math.Min(p[0], q[0]) - g.min[0]) / g.cell))
	x1 = int(math.Floor((math.Max(p[0], q[0]) - g.min[0]) / g.cell))
	y0 = int(math.Floor((math.Min(p[1], q[1]) - g.min[1]) / g.cell))
	y1 = int(math.Floor((math.Max(p[1], q[1]) - g.min[1]) / g.cell))
	return
}

// insert adds arc ai's segments; with check it returns the arcs (ai
// included) whose segments conflict with them.
func (g *segGrid) insert(ai int, check bool, bad *arcSet) {
	a := g.arcs[ai]
	for i := 0; i+1 < len(a); i++ {
		p, q := a[i], a[i+1]
		x0, x1, y0, y1 := g.span(p, q)
		for x := x0; x <= x1; x++ {
			for y := y0; y <= y1; y++ {
				c := cellKey(x, y)
				list := g.cells[c]
				if check {
					for _, o := range list {
						if bad.in[ai] && bad.in[o.arc] {
							continue
						}
						if o.arc == ai && (o.i == i-1 || o.i == i+1) {
							// adjacent segments of one arc: only a fold-back overlap is bad
							if collinearOverlap(g.arcs[o.arc][o.i], g.arcs[o.arc][o.i+1], p, q) {
								bad.add(ai)
							}
							continue
						}
						if SegmentsConflict(g.arcs[o.arc][o.i], g.arcs[o.arc][o.i+1], p, q) {
							bad.add(ai)
							bad.add(o.arc)
						}
					}
				}
				g.cells[c] = append(list, segRef{ai, i})
			}
		}
	}
}

// remove drops arc ai's segments (call before replacing g.arcs[ai]).
func (g *segGrid) remove(ai int) {
	a := g.arcs[ai]
	for i := 0; i+1 < len(a); i++ {
		x0, x1, y0, y1 := g.span(a[i], a[i+1])
		for x := x0; x <= x1; x++ {
			for y := y0; y <= y1; y++ {
				c := cellKey(x, y)
				list := g.cells[c]
				out := list[:0]
				for _, r := range list {
					if r.arc != ai {
						out = append(out, r)
					}
				}
				if len(out) == 0 {
					delete(g.cells, c)
				} else {
					g.cells[c] = out
				}
			}
		}
	}
}

// crossingArcs returns the sorted indices of arcs having a segment that
// crosses, touches in its interior, or overlaps another segment. Segments
// meeting only at a common end point are fine.
func crossingArcs(arcs []orb.LineString) []int {
	g := newSegGrid(arcs)
	bad := newArcSet(len(arcs))
	for ai := range arcs {
		g.insert(ai, true, bad)
	}
	return bad.sorted()
}

func orient(a, b, c orb.Point) float64 {
	v := (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

func onSegment(a, b, p orb.Point) bool {
	return math.Min(a[0], b[0]) <= p[0] && p[0] <= math.Max(a[0], b[0]) &&
		math.Min(a[1], b[1]) <= p[1] && p[1] <= math.Max(a[1], b[1])
}

// collinearOverlap reports whether two collinear segments share more than a point.
func collinearOverlap(a, b, c, d orb.Point) bool {
	if orient(a, b, c) != 0 || orient(a, b, d) != 0 {
		return false
	}
	// project on the dominant axis
	ax := 0
	if math.Abs(b[0]-a[0]) < math.Abs(b[1]-a[1]) {
		ax = 1
	}
	lo1, hi1 := math.Min(a[ax], b[ax]), math.Max(a[ax], b[ax])
	lo2, hi2 := math.Min(c[ax], d[ax]), math.Max(c[ax], d[ax])
	return math.Min(hi1, hi2) > math.Max(lo1, lo2)
}

// SegmentsConflict reports whether segments ab and cd intersect anywhere
// other than at a shared end point (proper crossing, an end point touching
// the other segment's interior, or a collinear overlap).
func SegmentsConflict(a, b, c, d orb.Point) bool {
	if a == b || c == d {
		return false
	}
	// Bounding boxes apart (most pairs sharing a grid cell): no contact.
	if max(a[0], b[0]) < min(c[0], d[0]) || max(c[0], d[0]) < min(a[0], b[0]) ||
		max(a[1], b[1]) < min(c[1], d[1]) || max(c[1], d[1]) < min(a[1], b[1]) {
		return false
	}
	o1, o2 := orient(a, b, c), orient(a, b, d)
	o3, o4 := orient(c, d, a), orient(c, d, b)
	if o1*o2 < 0 && o3*o4 < 0 {
		return true
	}
	if collinearOverlap(a, b, c, d) {
		return true
	}
	shared := func(p orb.Point) bool { return p == a || p == b }
	if o1 == 0 && !shared(c) && onSegment(a, b, c) {
		return true
	}
	if o2 == 0 && !shared(d) && onSegment(a, b, d) {
		return true
	}
	shared2 := func(p orb.Point) bool { return p == c || p == d }
	if o3 == 0 && !shared2(a) && onSegment(c, d, a) {
		return true
	}
	if o4 == 0 && !shared2(b) && onSegment(c, d, b) {
		return true
	}
	return false
}
