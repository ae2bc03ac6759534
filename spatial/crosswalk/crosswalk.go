// Package crosswalk maps the areas of one geography version onto another
// by area overlap (e.g. RegSO 2020 onto RegSO 2025, DeSO 2018 onto DeSO
// 2025), and says where a statistic can be moved exactly.
//
// Overlaps computes, for every pair of a source and a target area that
// overlap, the overlap's share of each. A target area can take the source's
// statistics exactly when it is a union of whole source areas: every source
// area that overlaps it lies in it (share of the source ≥ Threshold) and
// those sources cover it (together ≥ Threshold of the target). That holds
// for an unchanged area (one source, both shares ≈ 1), for a merger (several
// sources summed) and, read the other way, for a split (the parts summed to
// the older area). A target that takes only part of some source area
// would need the statistic spread by area, which is an estimate, not
// exact: it gets no mapping.
//
// All coordinates are planar metres (SWEREF 99 TM). The package does no I/O.
package crosswalk

import (
	"context"
	"sort"

	"github.com/paulmach/orb"

	"github.com/segmap/segmap/spatial/overlay"
)

// DefaultThreshold is the share a source must lie in its target, and the
// share of the target its sources must cover, for the mapping to count as
// exact. SCB's areas are built from whole blocks and properties; a
// boundary that did not move can still differ by digitising (a few metres
// along a shore or a road) between a layer and one dissolved from another
// version, which costs well under 1 % of any DeSO or RegSO, while the
// smallest real change (a DeSO split off, ≥ 700 residents) moves far more
// than 1 % of the area. So 0.99: below, the piece is a real change.
const DefaultThreshold = 0.99

// Area is one area of a layer: its code and its polygons (planar metres).
type Area struct {
	Code    string
	Polygon orb.MultiPolygon
}

// Link is the overlap of a source and a target area.
type Link struct {
	From, To string
	// Area is the overlap in m²; ShareOfFrom and ShareOfTo its share of
	// the source and of the target area.
	Area        float64
	ShareOfFrom float64
	ShareOfTo   float64
}

// Overlaps returns every source–target pair that overlaps by more than
// minShare of either area (0: any overlap), sorted by target then source.
func Overlaps(ctx context.Context, from, to []Area, minShare float64) ([]Link, error) {
	type prepared struct {
		code   string
		region overlay.Region
		area   float64
	}
	// Work in a local frame (coordinates near 0): SWEREF 99 TM values of
	// ~1e6 m leave less precision for the intersection tests.
	var origin orb.Point
	first := true
	for _, as := range [][]Area{from, to} {
		for _, a := range as {
			if len(a.Polygon) == 0 {
				continue
			}
			b := a.Polygon.Bound()
			if first {
				origin, first = b.Min, false
				continue
			}
			origin = orb.Point{min(origin[0], b.Min[0]), min(origin[1], b.Min[1])}
		}
	}
	local := func(mp orb.MultiPolygon) orb.MultiPolygon {
		out := make(orb.MultiPolygon, len(mp))
		for i, p := range mp {
			out[i] = make(orb.Polygon, len(p))
			for j, r := range p {
				out[i][j] = make(orb.Ring, len(r))
				for k, q := range r {
					out[i][j][k] = orb.Point{q[0] - origin[0], q[1] - origin[1]}
				}
			}
		}
		return out
	}
	prep := func(as []Area) []prepared {
		out := make([]prepared, 0, len(as))
		for _, a := range as {
			r := overlay.Normalize(overlay.FromMultiPolygon(local(a.Polygon)))
			out = append(out, prepared{a.Code, r, r.Area()})
		}
		return out
	}
	src, dst := prep(from), prep(to)
	var out []Link
	for _, t := range dst {
		if t.area <= 0 {
			continue
		}
		tb := t.region.Bound()
		for _, s := range src {
			if s.area <= 0 || !tb.Intersects(s.region.Bound()) {
				continue
			}
			a, err := overlay.IntersectionAreaContext(ctx, s.region, t.region)
			if err != nil {
				return nil, err
			}
			if a <= 0 {
				continue
			}
			l := Link{From: s.code, To: t.code, Area: a, ShareOfFrom: a / s.area, ShareOfTo: a / t.area}
			if l.ShareOfFrom <= minShare && l.ShareOfTo <= minShare {
				continue
			}
			out = append(out, l)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].To != out[j].To {
			return out[i].To < out[j].To
		}
		return out[i].From < out[j].From
	})
	return out, nil
}

// Exact returns, for every target that is a union of whole source areas
// (see the package comment), the sources it is made of, sorted. Links whose
// overlap is under 1 − threshold of both areas are slivers along a shared
// boundary and are ignored. threshold ≤ 0 or ≥ 1 means DefaultThreshold.
func Exact(links []Link, threshold float64) map[string][]string {
	if threshold <= 0 || threshold >= 1 {
		threshold = DefaultThreshold
	}
	sliver := 1 - threshold
	byTarget := map[string][]Link{}
	for _, l := range links {
		if l.ShareOfFrom < sliver && l.ShareOfTo < sliver {
			continue
		}
		byTarget[l.To] = append(byTarget[l.To], l)
	}
	out := map[string][]string{}
	for to, ls := range byTarget {
		covered, whole := 0.0, true
		var froms []string
		for _, l := range ls {
			if l.ShareOfFrom < threshold {
				whole = false
				break
			}
			covered += l.ShareOfTo
			froms = append(froms, l.From)
		}
		if whole && covered >= threshold {
			sort.Strings(froms)
			out[to] = froms
		}
	}
	return out
}
