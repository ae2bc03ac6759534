package weights

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// Contiguity rules.
const (
	Queen = "queen"
	Rook  = "rook"
)

// DefaultTolerance is spdep::poly2nb's default snap, sqrt(.Machine$double.eps).
const DefaultTolerance = 1.4901161193847656e-08

// ContiguityOptions configures Contiguity.
type ContiguityOptions struct {
	// Rule is "queen" (default when empty) or "rook".
	Rule string
	// Tolerance is the snapping distance in CRS units (metres for SWEREF 99
	// TM, degrees for WGS 84). 0 means DefaultTolerance; negative is an error.
	Tolerance float64
	// Style of the returned weights: "B" (default when empty) or "W".
	Style string
	// SnapToEdges also counts a vertex of one polygon lying within Tolerance
	// of an edge (not only a vertex) of the other: coverages with
	// T-junctions. spdep does not do this; leave false to match poly2nb.
	SnapToEdges bool
}

// Contiguity builds contiguity weights from polygons.
//
// The default criterion is exactly spdep::poly2nb's: the vertices of a
// polygon are all coordinates of all its rings in order, without the very
// first coordinate (poly2nb drops row 1 of st_coordinates). A pair of
// polygons is counted once for every pair of vertices (one of each polygon)
// at Euclidean distance <= Tolerance. Queen: count >= 1. Rook: count >= 2 —
// like spdep this counts vertex pairs, so two polygons touching at two
// separate points, or at one point that one of them repeats (a closing
// vertex of a second ring, a duplicated vertex), are rook neighbours too.
//
// With SnapToEdges, a contact is a vertex of one polygon within Tolerance
// of the other polygon's boundary (vertex or edge); queen needs one
// contact, rook needs two contacts more than Tolerance apart (a shared
// boundary stretch).
//
// Candidates come from a uniform grid over vertices (or edges), never from
// all pairs. Empty geometries become islands. Non-finite coordinates are an
// ErrBadGeometry error. Zero-area (degenerate) polygons are handled by their
// vertices like any other polygon.
func Contiguity(polys []orb.MultiPolygon, opts ContiguityOptions) (*W, error) {
	if len(polys) == 0 {
		return nil, fmt.Errorf("%w: no polygons", ErrEmpty)
	}
	rule := opts.Rule
	if rule == "" {
		rule = Queen
	}
	if rule != Queen && rule != Rook {
		return nil, fmt.Errorf("%w: rule must be %q or %q, got %q", ErrInvalid, Queen, Rook, opts.Rule)
	}
	tol := opts.Tolerance
	if tol == 0 {
		tol = DefaultTolerance
	}
	if tol < 0 || math.IsNaN(tol) || math.IsInf(tol, 0) {
		return nil, fmt.Errorf("%w: tolerance must be a finite number >= 0, got %v", ErrInvalid, opts.Tolerance)
	}
	if opts.Style != "" && opts.Style != StyleB && opts.Style != StyleW {
		return nil, fmt.Errorf("%w: style must be %q or %q, got %q", ErrInvalid, StyleB, StyleW, opts.Style)
	}
	vs, err := collectVertices(polys)
	if err != nil {
		return nil, err
	}
	var pairs []uint64
	if opts.SnapToEdges {
		pairs = edgePairs(polys, vs, tol, rule == Rook)
	} else {
		need := int32(1)
		if rule == Rook {
			need = 2
		}
		pairs = vertexPairs(vs, tol, need)
	}
	nb := make([][]int, len(polys))
	for _, k := range pairs {
		a, b := int(k>>32), int(k&0xffffffff)
		nb[a] = append(nb[a], b)
		nb[b] = append(nb[b], a)
	}
	for i := range nb {
		slices.Sort(nb[i])
		if nb[i] == nil {
			nb[i] = []int{}
		}
	}
	return withStyle(newBinary(nb), opts.Style)
}

type vertex struct {
	x, y float64
	cx   int64
	cy   int64
	poly int32
}

// collectVertices flattens every polygon like spdep: all rings, first
// coordinate of the feature dropped.
func collectVertices(polys []orb.MultiPolygon) ([]vertex, error) {
	total := 0
	for _, mp := range polys {
		for _, p := range mp {
			for _, r := range p {
				total += len(r)
			}
		}
	}
	vs := make([]vertex, 0, total)
	for i, mp := range polys {
		first := true
		for _, p := range mp {
			for _, r := range p {
				for _, c := range r {
					if math.IsNaN(c[0]) || math.IsNaN(c[1]) || math.IsInf(c[0], 0) || math.IsInf(c[1], 0) {
						return nil, fmt.Errorf("%w: polygon %d has a non-finite coordinate", ErrBadGeometry, i)
					}
					if first {
						first = false
						continue
					}
					vs = append(vs, vertex{x: c[0] + 0, y: c[1] + 0, poly: int32(i)})
				}
			}
		}
	}
	return vs, nil
}

// cellSize returns a grid cell size >= tol that keeps cell indices well
// inside int64.
func cellSize(maxAbs, tol float64) float64 {
	c := tol
	if floor := maxAbs * 0x1p-40; c < floor {
		c = floor
	}
	if c == 0 {
		c = 1
	}
	return c
}

func pairKey(a, b int32) uint64 {
	if a > b {
		a, b = b, a
	}
	return uint64(a)<<32 | uint64(b)
}

type cellRange struct {
	cx, cy     int64
	start, end int
}

// vertexPairs returns the polygon pairs with at least need vertex pairs
// within tol, sorted.
func vertexPairs(vs []vertex, tol float64, need int32) []uint64 {
	maxAbs := 0.0
	for _, v := range vs {
		maxAbs = max(maxAbs, math.Abs(v.x), math.Abs(v.y))
	}
	c := cellSize(maxAbs, tol)
	for i := range vs {
		vs[i].cx = int64(math.Floor(vs[i].x / c))
		vs[i].cy = int64(math.Floor(vs[i].y / c))
	}
	slices.SortFunc(vs, func(a, b vertex) int {
		return cmp.Or(cmp.Compare(a.cx, b.cx), cmp.Compare(a.cy, b.cy), cmp.Compare(a.poly, b.poly))
	})
	var cells []cellRange
	for i := 0; i < len(vs); {
		j := i + 1
		for j < len(vs) && vs[j].cx == vs[i].cx && vs[j].cy == vs[i].cy {
			j++
		}
		cells = append(cells, cellRange{vs[i].cx, vs[i].cy, i, j})
		i = j
	}
	var hits []uint64
	near := func(a, b *vertex) {
		if a.poly == b.poly {
			return
		}
		dx := a.x - b.x
		if math.Abs(dx) > tol {
			return
		}
		dy := a.y - b.y
		if math.Abs(dy) > tol {
			return
		}
		if math.Hypot(dx, dy) <= tol {
			hits = append(hits, pairKey(a.poly, b.poly))
		}
	}
	// Forward neighbour cells; targets are visited in ascending (cx, cy)
	// order, so one moving pointer per offset finds them.
	fwd := [4][2]int64{{0, 1}, {1, -1}, {1, 0}, {1, 1}}
	var ptr [4]int
	for _, cr := range cells {
		for i := cr.start; i < cr.end; i++ {
			for j := i + 1; j < cr.end; j++ {
				near(&vs[i], &vs[j])
			}
		}
		for d, off := range fwd {
			tx, ty := cr.cx+off[0], cr.cy+off[1]
			p := ptr[d]
			for p < len(cells) && (cells[p].cx < tx || cells[p].cx == tx && cells[p].cy < ty) {
				p++
			}
			ptr[d] = p
			if p == len(cells) || cells[p].cx != tx || cells[p].cy != ty {
				continue
			}
			o := cells[p]
			for i := cr.start; i < cr.end; i++ {
				for j := o.start; j < o.end; j++ {
					near(&vs[i], &vs[j])
				}
			}
		}
	}
	slices.Sort(hits)
	var out []uint64
	for i := 0; i < len(hits); {
		j := i + 1
		for j < len(hits) && hits[j] == hits[i] {
			j++
		}
		if int32(j-i) >= need {
			out = append(out, hits[i])
		}
		i = j
	}
	return out
}
