package gpkg

import (
	"fmt"

	"github.com/paulmach/orb"
	geom "github.com/twpayne/go-geom"
)

// ToGeom converts an orb geometry to a go-geom XY geometry. An orb.Ring
// becomes a one-ring polygon and an orb.Bound its rectangle polygon.
func ToGeom(g orb.Geometry) (geom.T, error) {
	switch g := g.(type) {
	case orb.Point:
		return geom.NewPointFlat(geom.XY, []float64{g[0], g[1]}), nil
	case orb.MultiPoint:
		return geom.NewMultiPointFlat(geom.XY, flat(g)), nil
	case orb.LineString:
		return geom.NewLineStringFlat(geom.XY, flat(g)), nil
	case orb.MultiLineString:
		var fc []float64
		ends := make([]int, 0, len(g))
		for _, l := range g {
			fc = appendFlat(fc, l)
			ends = append(ends, len(fc))
		}
		return geom.NewMultiLineStringFlat(geom.XY, fc, ends), nil
	case orb.Ring:
		return ToGeom(orb.Polygon{g})
	case orb.Bound:
		return ToGeom(g.ToPolygon())
	case orb.Polygon:
		fc, ends := polygonFlat(nil, nil, g)
		return geom.NewPolygonFlat(geom.XY, fc, ends), nil
	case orb.MultiPolygon:
		var fc []float64
		var endss [][]int
		for _, p := range g {
			var ends []int
			fc, ends = polygonFlat(fc, nil, p)
			endss = append(endss, ends)
		}
		return geom.NewMultiPolygonFlat(geom.XY, fc, endss), nil
	case orb.Collection:
		c := geom.NewGeometryCollection()
		for _, m := range g {
			t, err := ToGeom(m)
			if err != nil {
				return nil, err
			}
			if err := c.Push(t); err != nil {
				return nil, fmt.Errorf("gpkg: collection: %w", err)
			}
		}
		return c, nil
	}
	return nil, fmt.Errorf("gpkg: unsupported orb geometry %T", g)
}

func polygonFlat(fc []float64, ends []int, p orb.Polygon) ([]float64, []int) {
	for _, r := range p {
		fc = appendFlat(fc, r)
		ends = append(ends, len(fc))
	}
	return fc, ends
}

func flat(ps []orb.Point) []float64 { return appendFlat(make([]float64, 0, 2*len(ps)), ps) }

func appendFlat(fc []float64, ps []orb.Point) []float64 {
	for _, p := range ps {
		fc = append(fc, p[0], p[1])
	}
	return fc
}

// FromGeom converts a go-geom geometry to orb, keeping only X and Y.
func FromGeom(t geom.T) (orb.Geometry, error) {
	switch t := t.(type) {
	case *geom.Point:
		if t.Empty() {
			return nil, fmt.Errorf("%w: empty point", ErrBlob)
		}
		c := t.FlatCoords()
		return orb.Point{c[0], c[1]}, nil
	case *geom.MultiPoint:
		return orb.MultiPoint(points(t.FlatCoords(), t.Stride(), 0, len(t.FlatCoords()))), nil
	case *geom.LineString:
		return orb.LineString(points(t.FlatCoords(), t.Stride(), 0, len(t.FlatCoords()))), nil
	case *geom.MultiLineString:
		ml := make(orb.MultiLineString, 0, t.NumLineStrings())
		start := 0
		for _, end := range t.Ends() {
			ml = append(ml, orb.LineString(points(t.FlatCoords(), t.Stride(), start, end)))
			start = end
		}
		return ml, nil
	case *geom.Polygon:
		return polygon(t.FlatCoords(), t.Stride(), 0, t.Ends()), nil
	case *geom.MultiPolygon:
		mp := make(orb.MultiPolygon, 0, t.NumPolygons())
		start := 0
		for _, ends := range t.Endss() {
			mp = append(mp, polygon(t.FlatCoords(), t.Stride(), start, ends))
			if len(ends) > 0 {
				start = ends[len(ends)-1]
			}
		}
		return mp, nil
	case *geom.GeometryCollection:
		c := make(orb.Collection, 0, t.NumGeoms())
		for _, m := range t.Geoms() {
			og, err := FromGeom(m)
			if err != nil {
				return nil, err
			}
			c = append(c, og)
		}
		return c, nil
	}
	return nil, fmt.Errorf("%w: unsupported geometry type %T", ErrBlob, t)
}

func polygon(fc []float64, stride, start int, ends []int) orb.Polygon {
	p := make(orb.Polygon, 0, len(ends))
	for _, end := range ends {
		p = append(p, orb.Ring(points(fc, stride, start, end)))
		start = end
	}
	return p
}

func points(fc []float64, stride, start, end int) []orb.Point {
	ps := make([]orb.Point, 0, (end-start)/stride)
	for i := start; i+1 < end; i += stride {
		ps = append(ps, orb.Point{fc[i], fc[i+1]})
	}
	return ps
}
