package render

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"

	"github.com/segmap/segmap/spatial/proj"
)

// pt is a point in CSS pixels, y down.
type pt struct{ X, Y float64 }

// shape is one feature in CSS pixels: polygons (outer ring first) and lines.
type shape struct {
	polys [][][]pt
	lines [][]pt
}

// planar is a map projection to metres (x east, y north) and back.
type planar struct {
	name    string
	forward func(orb.Point) orb.Point
	inverse func(orb.Point) orb.Point
}

func choosePlanar(name string, lonlat orb.Bound, empty bool) planar {
	sweref := planar{ProjectionSweref99TM, proj.WGS84ToSweref, proj.SwerefToWGS84}
	merc := planar{ProjectionWebMercator, project.WGS84.ToMercator, project.Mercator.ToWGS84}
	switch name {
	case ProjectionSweref99TM:
		return sweref
	case ProjectionWebMercator:
		return merc
	}
	if empty {
		return sweref
	}
	// Sweden spans about 10.9-24.2 E and 55.3-69.1 N.
	if lonlat.Min[0] >= 9 && lonlat.Max[0] <= 26 && lonlat.Min[1] >= 54 && lonlat.Max[1] <= 70.5 {
		return sweref
	}
	return merc
}

// fit maps planar metres into a frame in CSS pixels, keeping the aspect.
type fit struct {
	p              planar
	k              float64 // CSS px per planar metre
	ox, oy         float64 // pixel of planar (minX, maxY)
	minX, maxY     float64
	frameX, frameY float64
	frameW, frameH float64
}

func newFit(p planar, b orb.Bound, x, y, w, h float64) fit {
	bw, bh := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
	k := math.Inf(1)
	if bw > 0 {
		k = w / bw
	}
	if bh > 0 {
		k = math.Min(k, h/bh)
	}
	if math.IsInf(k, 1) {
		k = 1
	}
	return fit{
		p: p, k: k,
		ox: x + (w-bw*k)/2, oy: y + (h-bh*k)/2,
		minX: b.Min[0], maxY: b.Max[1],
		frameX: x, frameY: y, frameW: w, frameH: h,
	}
}

func (f fit) toPixel(m orb.Point) pt {
	return pt{f.ox + (m[0]-f.minX)*f.k, f.oy + (f.maxY-m[1])*f.k}
}

func (f fit) fromPixel(p pt) orb.Point {
	return orb.Point{(p.X-f.ox)/f.k + f.minX, f.maxY - (p.Y-f.oy)/f.k}
}

// lonLatToPixel projects a WGS 84 point to CSS pixels.
func (f fit) lonLatToPixel(ll orb.Point) pt { return f.toPixel(f.p.forward(ll)) }

// pixelToLonLat inverts lonLatToPixel.
func (f fit) pixelToLonLat(p pt) orb.Point { return f.p.inverse(f.fromPixel(p)) }

// projectShape converts a WGS 84 geometry to pixels. Rings are closed
// implicitly; repeated pixels are kept (they cost little).
func (f fit) projectShape(g orb.Geometry) shape {
	var s shape
	ring := func(r []orb.Point) []pt {
		out := make([]pt, len(r))
		for i, q := range r {
			out[i] = f.lonLatToPixel(q)
		}
		return out
	}
	var walk func(g orb.Geometry)
	walk = func(g orb.Geometry) {
		switch g := g.(type) {
		case orb.Polygon:
			poly := make([][]pt, 0, len(g))
			for _, r := range g {
				if len(r) >= 3 {
					poly = append(poly, ring(r))
				}
			}
			if len(poly) > 0 {
				s.polys = append(s.polys, poly)
			}
		case orb.MultiPolygon:
			for _, p := range g {
				walk(p)
			}
		case orb.Ring:
			walk(orb.Polygon{g})
		case orb.LineString:
			if len(g) >= 2 {
				s.lines = append(s.lines, ring(g))
			}
		case orb.MultiLineString:
			for _, l := range g {
				walk(l)
			}
		case orb.Collection:
			for _, c := range g {
				walk(c)
			}
		}
	}
	walk(g)
	return s
}

// planarBound is the bound of all geometries in planar metres, and their lon/lat bound.
func planarBound(p planar, gs []orb.Geometry) (orb.Bound, bool) {
	var b orb.Bound
	first := true
	for _, g := range gs {
		if g == nil {
			continue
		}
		eachPoint(g, func(q orb.Point) {
			m := p.forward(q)
			if first {
				b = orb.Bound{Min: m, Max: m}
				first = false
				return
			}
			b = b.Extend(m)
		})
	}
	return b, !first
}

func lonLatBound(gs []orb.Geometry) (orb.Bound, bool) {
	var b orb.Bound
	first := true
	for _, g := range gs {
		if g == nil {
			continue
		}
		gb := g.Bound()
		if first {
			b, first = gb, false
			continue
		}
		b = b.Union(gb)
	}
	return b, !first
}

func eachPoint(g orb.Geometry, fn func(orb.Point)) {
	switch g := g.(type) {
	case orb.Point:
		fn(g)
	case orb.MultiPoint:
		for _, q := range g {
			fn(q)
		}
	case orb.LineString:
		for _, q := range g {
			fn(q)
		}
	case orb.Ring:
		for _, q := range g {
			fn(q)
		}
	case orb.MultiLineString:
		for _, l := range g {
			eachPoint(l, fn)
		}
	case orb.Polygon:
		for _, r := range g {
			eachPoint(r, fn)
		}
	case orb.MultiPolygon:
		for _, p := range g {
			eachPoint(p, fn)
		}
	case orb.Collection:
		for _, c := range g {
			eachPoint(c, fn)
		}
	}
}

// groundDistance is the great-circle distance in metres between two lon/lat
// points on a sphere of the mean Earth radius (good to ~0.5 % for a scale bar).
func groundDistance(a, b orb.Point) float64 {
	const r = 6371008.8
	la1, la2 := a[1]*math.Pi/180, b[1]*math.Pi/180
	dla := la2 - la1
	dlo := (b[0] - a[0]) * math.Pi / 180
	h := math.Sin(dla/2)*math.Sin(dla/2) + math.Cos(la1)*math.Cos(la2)*math.Sin(dlo/2)*math.Sin(dlo/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(h)))
}
