// Package topology turns a polygon coverage (neighbouring areas such as DeSO)
// into shared boundary arcs, so that borders can be simplified once and every
// neighbour gets the identical simplified border (no slivers, no gaps), and so
// that areas can be dissolved into parents by dropping interior arcs.
//
// Arcs run between junction nodes: a vertex where the set of adjacent rings
// changes (TopoJSON rule: the vertex is visited with different neighbouring
// vertices). Coordinates are matched after snapping to a grid of
// Options.Quantum; each snapped vertex keeps the original coordinates of its
// first occurrence, so rebuilding an unsimplified topology returns the input
// rings exactly when no two distinct input vertices share a grid cell.
package topology

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// ErrInvalid is returned (wrapped) for input that cannot form a topology.
var ErrInvalid = errors.New("topology: invalid input")

// Options control Build.
type Options struct {
	// Quantum is the snapping grid in CRS units: vertices closer than this
	// match. 0 means 1e-7 (about 1 cm in WGS 84 degrees); use e.g. 0.01 for
	// metres.
	Quantum float64
	// DropDegenerate silently drops rings with fewer than 3 distinct snapped
	// vertices (and polygons whose exterior is dropped) instead of failing.
	DropDegenerate bool
}

// Ring is a closed ring as a sequence of arc references. Reference i >= 0
// means arc i forwards, ^i (= -i-1) means arc i reversed (TopoJSON style).
type Ring struct {
	Arcs []int
	// Start rotates the concatenated ring so that it starts at the input
	// ring's first vertex (number of points to skip). 0 after Simplify.
	Start int
}

// Polygon is an exterior ring followed by its holes.
type Polygon []Ring

// MultiPolygon is the arc form of one input feature.
type MultiPolygon []Polygon

// Topology is a coverage as shared arcs.
type Topology struct {
	Arcs       []orb.LineString
	Geometries []MultiPolygon
}

// Ref returns the index and direction of an arc reference.
func Ref(r int) (arc int, reversed bool) {
	if r < 0 {
		return ^r, true
	}
	return r, false
}

type key [2]int64

type builder struct {
	q      float64
	arcs   []orb.LineString
	arcIdx map[string]int // canonical key sequence -> arc index
	buf    []byte
}

func (b *builder) snap(p orb.Point) key {
	return key{int64(math.Round(p[0] / b.q)), int64(math.Round(p[1] / b.q))}
}

// Build finds the shared arcs of a polygon coverage. Empty rings are
// dropped; rings with fewer than 3 distinct snapped vertices are an error.
func Build(polys []orb.MultiPolygon, opts Options) (*Topology, error) {
	b := &builder{q: opts.Quantum, arcIdx: map[string]int{}}
	if b.q <= 0 {
		b.q = 1e-7
	}
	if math.IsNaN(b.q) || math.IsInf(b.q, 0) {
		return nil, fmt.Errorf("%w: quantum %v", ErrInvalid, opts.Quantum)
	}
	// Pass 1: snapped rings (without closing point, consecutive duplicates
	// removed) and junction detection.
	type sring struct {
		keys []key
		pts  []orb.Point
	}
	rings := make([][][]sring, len(polys))
	neigh := map[key][2]key{}
	junction := map[key]bool{}
	// canon gives every snapped key one coordinate (its first occurrence),
	// so arcs meeting at a junction agree exactly.
	canon := map[key]orb.Point{}
	visit := func(p, a, c key) {
		if junction[p] {
			return
		}
		if a[0] > c[0] || (a[0] == c[0] && a[1] > c[1]) {
			a, c = c, a
		}
		n := [2]key{a, c}
		if old, ok := neigh[p]; ok {
			if old != n {
				junction[p] = true
			}
			return
		}
		neigh[p] = n
	}
	for i, mp := range polys {
		rings[i] = make([][]sring, len(mp))
		for j, poly := range mp {
			for k, r := range poly {
				var sr sring
				for _, p := range r {
					if math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.IsInf(p[0], 0) || math.IsInf(p[1], 0) {
						return nil, fmt.Errorf("%w: geometry %d ring %d: non-finite coordinate", ErrInvalid, i, k)
					}
					kk := b.snap(p)
					if n := len(sr.keys); n > 0 && sr.keys[n-1] == kk {
						continue
					}
					if c, ok := canon[kk]; ok {
						p = c
					} else {
						canon[kk] = p
					}
					sr.keys = append(sr.keys, kk)
					sr.pts = append(sr.pts, p)
				}
				for len(sr.keys) > 1 && sr.keys[len(sr.keys)-1] == sr.keys[0] {
					sr.keys = sr.keys[:len(sr.keys)-1]
					sr.pts = sr.pts[:len(sr.pts)-1]
				}
				if len(r) == 0 {
					continue
				}
				sr.keys, sr.pts = removeSpikes(sr.keys, sr.pts)
				if len(sr.keys) < 3 {
					if opts.DropDegenerate {
						if k == 0 {
							break // exterior gone: drop the polygon with its holes
						}
						continue
					}
					return nil, fmt.Errorf("%w: geometry %d polygon %d ring %d has %d distinct vertices, need 3", ErrInvalid, i, j, k, len(sr.keys))
				}
				n := len(sr.keys)
				for m := 0; m < n; m++ {
					visit(sr.keys[m], sr.keys[(m+n-1)%n], sr.keys[(m+1)%n])
				}
				rings[i][j] = append(rings[i][j], sr)
			}
		}
	}
	// Pass 2: cut rings at junctions into arcs.
	t := &Topology{Geometries: make([]MultiPolygon, len(polys))}
	for i := range rings {
		for _, poly := range rings[i] {
			var tp Polygon
			for _, sr := range poly {
				tp = append(tp, b.ring(sr.keys, sr.pts, junction))
			}
			if len(tp) > 0 {
				t.Geometries[i] = append(t.Geometries[i], tp)
			}
		}
	}
	t.Arcs = b.arcs
	return t, nil
}

// ring converts one snapped ring into arc references.
func (b *builder) ring(keys []key, pts []orb.Point, junction map[key]bool) Ring {
	n := len(keys)
	start := -1
	for m, k := range keys {
		if junction[k] {
			start = m
			break
		}
	}
	if start < 0 {
		// No junction: one closed arc, rotated to start at the smallest key
		// so that the same cycle seen from a hole matches.
		start = 0
		for m := 1; m < n; m++ {
			if less(keys[m], keys[start]) {
				start = m
			}
		}
		ks := make([]key, 0, n+1)
		ps := make([]orb.Point, 0, n+1)
		for m := 0; m <= n; m++ {
			ks = append(ks, keys[(start+m)%n])
			ps = append(ps, pts[(start+m)%n])
		}
		// Canonical direction for a cycle: compare forward with reversed,
		// both starting at the minimum key.
		ref := b.closedArc(ks, ps)
		return Ring{Arcs: []int{ref}, Start: (n - start) % n}
	}
	var refs []int
	seg := []int{start}
	for m := 1; m <= n; m++ {
		idx := (start + m) % n
		seg = append(seg, idx)
		if junction[keys[idx]] {
			ks := make([]key, len(seg))
			ps := make([]orb.Point, len(seg))
			for s, v := range seg {
				ks[s], ps[s] = keys[v], pts[v]
			}
			refs = append(refs, b.openArc(ks, ps))
			seg = []int{idx}
		}
	}
	return Ring{Arcs: refs, Start: (n - start) % n}
}

func less(a, c key) bool { return a[0] < c[0] || (a[0] == c[0] && a[1] < c[1]) }

func (b *builder) encode(ks []key, reverse bool) string {
	b.buf = b.buf[:0]
	for m := range ks {
		k := ks[m]
		if reverse {
			k = ks[len(ks)-1-m]
		}
		b.buf = binary.AppendVarint(b.buf, k[0])
		b.buf = binary.AppendVarint(b.buf, k[1])
	}
	return string(b.buf)
}

// openArc registers an arc (or finds its twin) and returns the reference.
func (b *builder) openArc(ks []key, ps []orb.Point) int {
	fwd := b.encode(ks, false)
	if i, ok := b.arcIdx[fwd]; ok {
		return i
	}
	rev := b.encode(ks, true)
	if i, ok := b.arcIdx[rev]; ok {
		return ^i
	}
	b.arcIdx[fwd] = len(b.arcs)
	b.arcs = append(b.arcs, orb.LineString(ps))
	return len(b.arcs) - 1
}

// closedArc registers a closed arc starting and ending at its minimum key.
func (b *builder) closedArc(ks []key, ps []orb.Point) int {
	fwd := b.encode(ks, false)
	if i, ok := b.arcIdx[fwd]; ok {
		return i
	}
	// Reversed cycle also starts and ends at the minimum key.
	rev := b.encode(ks, true)
	if i, ok := b.arcIdx[rev]; ok {
		return ^i
	}
	b.arcIdx[fwd] = len(b.arcs)
	b.arcs = append(b.arcs, orb.LineString(ps))
	return len(b.arcs) - 1
}

// RingPoints concatenates the arcs of a ring into a closed orb.Ring.
func (t *Topology) RingPoints(r Ring) orb.Ring {
	var out orb.Ring
	for _, ref := range r.Arcs {
		a, rev := Ref(ref)
		ls := t.Arcs[a]
		if len(ls) == 0 {
			continue
		}
		first := len(out) == 0
		if rev {
			for m := len(ls) - 1; m >= 0; m-- {
				if m == len(ls)-1 && !first {
					continue
				}
				out = append(out, ls[m])
			}
		} else {
			for m, p := range ls {
				if m == 0 && !first {
					continue
				}
				out = append(out, p)
			}
		}
	}
	if len(out) == 0 {
		return out
	}
	if r.Start > 0 && len(out) > 1 {
		n := len(out) - 1 // without closing point
		s := r.Start % n
		rot := make(orb.Ring, 0, n+1)
		rot = append(rot, out[s:n]...)
		rot = append(rot, out[:s]...)
		rot = append(rot, rot[0])
		out = rot
	}
	return out
}

// MultiPolygon rebuilds geometry i from the arcs.
func (t *Topology) MultiPolygon(i int) orb.MultiPolygon {
	g := t.Geometries[i]
	out := make(orb.MultiPolygon, 0, len(g))
	for _, p := range g {
		op := make(orb.Polygon, 0, len(p))
		for _, r := range p {
			op = append(op, t.RingPoints(r))
		}
		out = append(out, op)
	}
	return out
}

// MultiPolygons rebuilds all geometries.
func (t *Topology) MultiPolygons() []orb.MultiPolygon {
	out := make([]orb.MultiPolygon, len(t.Geometries))
	for i := range t.Geometries {
		out[i] = t.MultiPolygon(i)
	}
	return out
}

// ArcUse counts how many rings reference each arc.
func (t *Topology) ArcUse() []int {
	use := make([]int, len(t.Arcs))
	for _, g := range t.Geometries {
		for _, p := range g {
			for _, r := range p {
				for _, ref := range r.Arcs {
					a, _ := Ref(ref)
					use[a]++
				}
			}
		}
	}
	return use
}

// removeSpikes drops zero-width spikes (a -> b -> a) that snapping can
// create, treating the ring as cyclic.
func removeSpikes(keys []key, pts []orb.Point) ([]key, []orb.Point) {
	for changed := true; changed && len(keys) >= 3; {
		changed = false
		ks := keys[:0:0]
		ps := pts[:0:0]
		for m := 0; m < len(keys); m++ {
			n := len(ks)
			if n >= 2 && ks[n-2] == keys[m] {
				// ks[n-1] is the tip of a spike: drop it and the return.
				ks, ps = ks[:n-1], ps[:n-1]
				changed = true
				continue
			}
			if n >= 1 && ks[n-1] == keys[m] {
				changed = true
				continue
			}
			ks = append(ks, keys[m])
			ps = append(ps, pts[m])
		}
		// wrap-around: spikes at the seam, and duplicate closing vertices
		for len(ks) >= 3 {
			n := len(ks)
			switch {
			case ks[n-1] == ks[0]:
				ks, ps = ks[:n-1], ps[:n-1]
			case ks[n-2] == ks[0]:
				ks, ps = ks[:n-1], ps[:n-1]
			case ks[n-1] == ks[1]:
				ks, ps = ks[1:], ps[1:]
			default:
				n = -1
			}
			if n < 0 {
				break
			}
			changed = true
		}
		keys, pts = ks, ps
	}
	return keys, pts
}
