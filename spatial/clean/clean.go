// Package clean validates polygons and repairs the simple, unambiguous
// problems: unclosed rings, duplicate consecutive points, wrong winding and
// empty or degenerate holes. It does not attempt heavy repair: a
// self-intersection is reported with its coordinate and the polygon is
// rejected — or, with Options.DropInvalidHoles, the offending ring is
// dropped when it is a hole (never when it is an exterior ring).
//
// Winding follows RFC 7946: exterior rings counter-clockwise, holes
// clockwise (in x/y = lon/lat or easting/northing axes).
//
// Overlaps between different polygons of one MultiPolygon are not checked.
package clean

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// Kind names a kind of problem.
type Kind string

const (
	EmptyRing        Kind = "empty_ring"        // a ring without points
	Unclosed         Kind = "unclosed_ring"     // first point != last point; fixed by closing
	TooFewPoints     Kind = "too_few_points"    // fewer than 4 points once closed (3 distinct)
	WrongWinding     Kind = "wrong_winding"     // exterior not CCW or hole not CW; fixed by reversing
	DuplicatePoint   Kind = "duplicate_point"   // consecutive equal points; fixed by removing
	SelfIntersection Kind = "self_intersection" // segments cross, overlap, or a ring touches itself
	ZeroArea         Kind = "zero_area"         // a ring (or the whole geometry) encloses no area
	Empty            Kind = "empty"             // nothing left of the geometry
	NotFinite        Kind = "not_finite"        // a NaN or infinite coordinate
)

// Issue is one problem found. Ring 0 is the exterior ring, 1.. the holes;
// Polygon is the index within a MultiPolygon. Fixed tells whether the
// returned geometry has it repaired; an issue that is not fixed means the
// geometry is invalid and should be rejected.
type Issue struct {
	Kind    Kind      `json:"kind"`
	Polygon int       `json:"polygon"`
	Ring    int       `json:"ring"`
	Coord   orb.Point `json:"coord"`
	Fixed   bool      `json:"fixed"`
	Detail  string    `json:"detail,omitempty"`
}

func (i Issue) String() string {
	s := fmt.Sprintf("%s in polygon %d ring %d at (%.8g, %.8g)", i.Kind, i.Polygon, i.Ring, i.Coord[0], i.Coord[1])
	if i.Detail != "" {
		s += ": " + i.Detail
	}
	if i.Fixed {
		s += " (fixed)"
	}
	return s
}

// Options configure MultiPolygon.
type Options struct {
	// DropInvalidHoles drops a hole that self-intersects or crosses another
	// ring instead of rejecting the polygon. Exterior rings are never dropped.
	DropInvalidHoles bool
}

// Valid reports whether none of the issues is unfixed.
func Valid(issues []Issue) bool {
	for _, is := range issues {
		if !is.Fixed {
			return false
		}
	}
	return true
}

// Polygon checks and repairs one polygon; see MultiPolygon.
func Polygon(p orb.Polygon, opts Options) (orb.Polygon, []Issue) {
	mp, issues := MultiPolygon(orb.MultiPolygon{p}, opts)
	if len(mp) == 0 {
		return nil, issues
	}
	return mp[0], issues
}

// MultiPolygon checks mp and returns a repaired copy and the issues found.
// The input is not modified. When Valid(issues) is false the returned
// geometry still contains the problem and should not be used.
func MultiPolygon(mp orb.MultiPolygon, opts Options) (orb.MultiPolygon, []Issue) {
	var issues []Issue
	out := make(orb.MultiPolygon, 0, len(mp))
	for pi, p := range mp {
		cp, is := cleanPolygon(pi, p, opts)
		issues = append(issues, is...)
		if len(cp) > 0 {
			out = append(out, cp)
		}
	}
	if len(out) == 0 {
		issues = append(issues, Issue{Kind: Empty, Polygon: -1, Ring: -1, Detail: "no polygon with area is left"})
	}
	return out, issues
}

func cleanPolygon(pi int, p orb.Polygon, opts Options) (orb.Polygon, []Issue) {
	var issues []Issue
	add := func(k Kind, ri int, c orb.Point, fixed bool, detail string) {
		issues = append(issues, Issue{Kind: k, Polygon: pi, Ring: ri, Coord: c, Fixed: fixed, Detail: detail})
	}
	out := make(orb.Polygon, 0, len(p))
	origIndex := make([]int, 0, len(p)) // ring index in the input, for reports
	for ri, r := range p {
		hole := ri > 0
		if len(r) == 0 {
			if hole {
				add(EmptyRing, ri, orb.Point{}, true, "empty hole dropped")
				continue
			}
			add(EmptyRing, ri, orb.Point{}, true, "polygon with an empty exterior ring dropped")
			return nil, issues
		}
		if c, ok := firstNonFinite(r); ok {
			add(NotFinite, ri, c, false, "coordinates must be finite numbers")
			return p, issues
		}
		nr := make(orb.Ring, 0, len(r)+1)
		dups := 0
		var dupAt orb.Point
		for _, pt := range r {
			if len(nr) > 0 && nr[len(nr)-1] == pt {
				if dups == 0 {
					dupAt = pt
				}
				dups++
				continue
			}
			nr = append(nr, pt)
		}
		if len(nr) > 1 && nr[0] != nr[len(nr)-1] {
			// A ring whose last point only repeats the first after duplicates
			// were removed is closed; otherwise close it.
			add(Unclosed, ri, nr[len(nr)-1], true, "closed by repeating the first point")
			nr = append(nr, nr[0])
		}
		if dups > 0 {
			add(DuplicatePoint, ri, dupAt, true, fmt.Sprintf("%d consecutive duplicate point(s) removed", dups))
		}
		if len(nr) < 4 {
			if hole {
				add(TooFewPoints, ri, nr[0], true, fmt.Sprintf("hole with %d distinct point(s) dropped", len(nr)-1))
				continue
			}
			add(TooFewPoints, ri, nr[0], false, fmt.Sprintf("exterior ring has %d distinct point(s), needs at least 3", max(len(nr)-1, 1)))
			return p, issues
		}
		a := signedArea(nr)
		if zeroArea(nr, a) {
			// A bow tie's two lobes cancel: its signed area is zero because
			// the ring crosses itself, and the crossing is what to report.
			if c, ok := properCrossing(nr); ok {
				fixed := hole && opts.DropInvalidHoles
				detail := fmt.Sprintf("ring %d segment %d and ring %d segment %d cross; the lobes on either side cancel, so the ring's signed area is zero", ri, c.SegA, ri, c.SegB)
				if fixed {
					add(SelfIntersection, ri, c.At, true, detail+"; hole dropped")
					continue
				}
				add(SelfIntersection, ri, c.At, false, detail)
				return p, issues
			}
			if hole {
				add(ZeroArea, ri, nr[0], true, "hole without area dropped")
				continue
			}
			add(ZeroArea, ri, nr[0], false, "exterior ring encloses no area")
			return p, issues
		}
		if (!hole && a < 0) || (hole && a > 0) {
			want := "counter-clockwise"
			if hole {
				want = "clockwise"
			}
			add(WrongWinding, ri, nr[0], true, "reversed to "+want+" (RFC 7946)")
			reverse(nr)
		}
		out = append(out, nr)
		origIndex = append(origIndex, ri)
	}
	crossings := Intersections(out)
	if len(crossings) == 0 {
		return out, issues
	}
	drop := map[int]bool{}
	exteriorBad := false
	for _, c := range crossings {
		if c.RingA == 0 && c.RingB == 0 {
			exteriorBad = true
		}
	}
	for _, c := range crossings {
		fixed := false
		ring := c.RingA // report the hole when one is involved
		if ring == 0 {
			ring = c.RingB
		}
		if opts.DropInvalidHoles && !exteriorBad {
			// Drop the hole(s) involved; an exterior ring is never dropped.
			if c.RingA > 0 {
				drop[c.RingA] = true
			}
			if c.RingB > 0 {
				drop[c.RingB] = true
			}
			fixed = true
		}
		detail := fmt.Sprintf("ring %d segment %d and ring %d segment %d %s", origIndex[c.RingA], c.SegA, origIndex[c.RingB], c.SegB, c.What)
		if fixed {
			detail += "; hole dropped"
		}
		add(SelfIntersection, origIndex[ring], c.At, fixed, detail)
	}
	if !opts.DropInvalidHoles || exteriorBad {
		return out, issues
	}
	kept := out[:1]
	for i := 1; i < len(out); i++ {
		if !drop[i] {
			kept = append(kept, out[i])
		}
	}
	return kept, issues
}

// properCrossing returns the first place where a ring's segments cross
// (not a collinear overlap or a touch, which zero-area slivers have).
func properCrossing(r orb.Ring) (Crossing, bool) {
	for _, c := range Intersections(orb.Polygon{r}) {
		if c.What == "cross" {
			return c, true
		}
	}
	return Crossing{}, false
}

func firstNonFinite(r orb.Ring) (orb.Point, bool) {
	for _, p := range r {
		if math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.IsInf(p[0], 0) || math.IsInf(p[1], 0) {
			return p, true
		}
	}
	return orb.Point{}, false
}

// signedArea is the shoelace area: positive for counter-clockwise rings.
func signedArea(r orb.Ring) float64 {
	var s float64
	o := r[0] // shift for precision with large projected coordinates
	for i := 0; i+1 < len(r); i++ {
		s += (r[i][0]-o[0])*(r[i+1][1]-o[1]) - (r[i+1][0]-o[0])*(r[i][1]-o[1])
	}
	return s / 2
}

func zeroArea(r orb.Ring, a float64) bool {
	b := r.Bound()
	w, h := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
	return w == 0 || h == 0 || math.Abs(a) <= 1e-12*(w*w+h*h)
}

func reverse(r orb.Ring) {
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
}
