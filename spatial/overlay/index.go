package overlay

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// A Region's segments are indexed by a static packed R-tree, so the
// questions the overlay asks of a boundary — which segments meet this box,
// is this point inside, how far is the nearest segment — cost about
// O(log n + k) instead of O(n). Without it a site of n vertices against
// areas and its own buffers is O(n²) (a 20,000-vertex site took minutes).
//
// The tree is built once, when a region is finished (FromMultiPolygon,
// Union, Buffer, Normalize, Translate), by sorting the segments along a
// Hilbert curve and packing them nodeSize to a leaf; the segments
// themselves are reordered, so a leaf is a run of r.segs and the tree holds
// only the node boxes (about n/nodeSize·16/15 of them). A region is never
// changed after it is finished, so the tree is read without locks.

// nodeSize is the fan-out of the tree and the number of segments per leaf.
const nodeSize = 16

// segTree is the packed R-tree of a region's segments. levels[0] holds the
// leaf boxes (leaf i covers segs[i*nodeSize:(i+1)*nodeSize]); levels[k][i]
// covers levels[k-1][i*nodeSize:(i+1)*nodeSize]. The last level is the top.
type segTree struct {
	n      int // segments indexed (== len(r.segs) while the tree is valid)
	levels [][]orb.Bound
}

// finish orders r's segments along a Hilbert curve and builds the tree.
// Small regions get no tree: a linear scan is as fast.
func (r *Region) finish() {
	r.tree = nil
	n := len(r.segs)
	if n <= nodeSize {
		return
	}
	hs := make([]uint64, n)
	w, h := r.bound.Max[0]-r.bound.Min[0], r.bound.Max[1]-r.bound.Min[1]
	const side = 1<<16 - 1
	scale := func(v, lo, ext float64) uint32 {
		if ext <= 0 {
			return 0
		}
		return uint32(math.Round((v - lo) / ext * side))
	}
	for i, s := range r.segs {
		cx, cy := (s.a[0]+s.b[0])/2, (s.a[1]+s.b[1])/2
		hs[i] = hilbert(scale(cx, r.bound.Min[0], w), scale(cy, r.bound.Min[1], h))<<32 | uint64(i)
	}
	slices.Sort(hs) // the index in the low bits keeps equal keys stable
	segs := make([]seg, n)
	for i, k := range hs {
		segs[i] = r.segs[uint32(k)]
	}
	r.segs = segs
	t := &segTree{n: n}
	leaves := make([]orb.Bound, 0, (n+nodeSize-1)/nodeSize)
	for i := 0; i < n; i += nodeSize {
		b := segBound(segs[i])
		for _, s := range segs[i+1 : min(i+nodeSize, n)] {
			b = extend(b, s)
		}
		leaves = append(leaves, b)
	}
	t.levels = append(t.levels, leaves)
	for lv := leaves; len(lv) > 1; {
		up := make([]orb.Bound, 0, (len(lv)+nodeSize-1)/nodeSize)
		for i := 0; i < len(lv); i += nodeSize {
			b := lv[i]
			for _, c := range lv[i+1 : min(i+nodeSize, len(lv))] {
				b = b.Union(c)
			}
			up = append(up, b)
		}
		t.levels = append(t.levels, up)
		lv = up
	}
	r.tree = t
}

func extend(b orb.Bound, s seg) orb.Bound {
	for _, p := range [2]orb.Point{s.a, s.b} {
		b.Min[0], b.Max[0] = math.Min(b.Min[0], p[0]), math.Max(b.Max[0], p[0])
		b.Min[1], b.Max[1] = math.Min(b.Min[1], p[1]), math.Max(b.Max[1], p[1])
	}
	return b
}

// walk calls fn with every segment in a node that enter accepts, depth
// first; enter is asked about each node box from the top down (and, for a
// region without a tree, about nothing: every segment is visited). fn
// returning false ends the walk. enter may change its answer as the walk
// goes (a shrinking search radius).
func (r *Region) walk(enter func(orb.Bound) bool, fn func(i int, s seg) bool) {
	if r.tree == nil || r.tree.n != len(r.segs) {
		for i, s := range r.segs {
			if !fn(i, s) {
				return
			}
		}
		return
	}
	top := len(r.tree.levels) - 1
	for i := range r.tree.levels[top] {
		if !r.walkNode(top, i, enter, fn) {
			return
		}
	}
}

func (r *Region) walkNode(level, i int, enter func(orb.Bound) bool, fn func(int, seg) bool) bool {
	if !enter(r.tree.levels[level][i]) {
		return true
	}
	lo := i * nodeSize
	if level == 0 {
		for j, s := range r.segs[lo:min(lo+nodeSize, len(r.segs))] {
			if !fn(lo+j, s) {
				return false
			}
		}
		return true
	}
	for j := lo; j < min(lo+nodeSize, len(r.tree.levels[level-1])); j++ {
		if !r.walkNode(level-1, j, enter, fn) {
			return false
		}
	}
	return true
}

// search calls fn with every segment whose box meets q (boxes touching
// within eps count), until fn returns false.
func (r *Region) search(q orb.Bound, fn func(s seg) bool) {
	q = orb.Bound{Min: orb.Point{q.Min[0] - eps, q.Min[1] - eps}, Max: orb.Point{q.Max[0] + eps, q.Max[1] + eps}}
	in := func(b orb.Bound) bool {
		return b.Min[0] <= q.Max[0] && q.Min[0] <= b.Max[0] && b.Min[1] <= q.Max[1] && q.Min[1] <= b.Max[1]
	}
	r.walk(in, func(_ int, s seg) bool {
		if !in(segBound(s)) {
			return true
		}
		return fn(s)
	})
}

// hilbert is the position of (x, y) on the Hilbert curve over a
// 65,536 × 65,536 grid (the classic xy2d).
func hilbert(x, y uint32) uint64 {
	const n = 1 << 16
	var d uint64
	for s := uint32(n / 2); s > 0; s /= 2 {
		var rx, ry uint32
		if x&s > 0 {
			rx = 1
		}
		if y&s > 0 {
			ry = 1
		}
		d += uint64(s) * uint64(s) * uint64((3*rx)^ry)
		if ry == 0 {
			if rx == 1 {
				x, y = n-1-x, n-1-y
			}
			x, y = y, x
		}
	}
	return d
}

// boxDist is the distance between two boxes (0 when they meet).
func boxDist(a, b orb.Bound) float64 {
	dx := math.Max(0, math.Max(a.Min[0]-b.Max[0], b.Min[0]-a.Max[0]))
	dy := math.Max(0, math.Max(a.Min[1]-b.Max[1], b.Min[1]-a.Max[1]))
	return math.Hypot(dx, dy)
}
