package clean

import (
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
)

// RemoveSlivers drops the holes and the parts of a WGS 84 multipolygon whose
// geodesic area is below minArea square metres. A part is dropped only when
// a larger part remains, so an area never disappears. It is meant for
// polygons dissolved from a coverage that is not perfectly noded (e.g.
// boundaries simplified one polygon at a time): there, interior gaps between
// neighbours survive the dissolve as thin holes and slivers.
// mp is not modified.
func RemoveSlivers(mp orb.MultiPolygon, minArea float64) orb.MultiPolygon {
	var largest float64
	for _, p := range mp {
		if len(p) > 0 {
			largest = max(largest, geo.Area(p[0]))
		}
	}
	out := make(orb.MultiPolygon, 0, len(mp))
	for _, p := range mp {
		if len(p) == 0 {
			continue
		}
		if a := geo.Area(p[0]); a < minArea && a < largest {
			continue
		}
		q := orb.Polygon{p[0]}
		for _, h := range p[1:] {
			if geo.Area(h) >= minArea {
				q = append(q, h)
			}
		}
		out = append(out, q)
	}
	return out
}
