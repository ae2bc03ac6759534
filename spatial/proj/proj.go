// Package proj converts coordinates between the reference systems segmap
// meets: SWEREF 99 TM (EPSG:3006, what SCB publishes), WGS 84 lon/lat
// (EPSG:4326, what the store keeps) and Web Mercator (EPSG:3857, tiles).
//
// SWEREF 99 TM uses Lantmäteriet's exact Gauss-Krüger series ("Gauss
// konforma projektion", GRS 80, central meridian 15°, scale 0.9996, false
// easting 500 000 m); within Sweden it agrees with PROJ to well under a
// millimetre. SWEREF 99 and WGS 84 are treated as identical datums, as PROJ
// does for EPSG:3006 -> EPSG:4326 (the difference is below a metre and not
// defined by a published transformation).
//
// All points are orb.Point{x, y}: {lon, lat} in degrees for EPSG:4326 and
// {easting, northing} in metres for EPSG:3006 and EPSG:3857.
//
// Web Mercator is orb's (project.WGS84.ToMercator, project.Mercator.ToWGS84,
// clamping y to ±πR, i.e. latitudes to about ±85.0511°), the one Web
// Mercator of segmap; geometries are converted with project.Geometry.
package proj

import (
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"
)

// EPSG codes this package knows.
const (
	WGS84       = 4326
	SWEREF99TM  = 3006
	WebMercator = 3857
)

// ErrUnsupportedCRS is returned for an EPSG code this package cannot convert.
var ErrUnsupportedCRS = errors.New("proj: unsupported CRS")

// gaussKruger holds the precomputed series of one transverse Mercator projection.
type gaussKruger struct {
	lon0, k0, fn, fe, aRoof float64
	a, b, c, d              float64    // forward conformal latitude
	as, bs, cs, ds          float64    // inverse conformal latitude
	beta, delta             [4]float64 // forward and inverse series
}

func newGaussKruger(a, invF, lon0Deg, k0, fn, fe float64) gaussKruger {
	f := 1 / invF
	e2 := f * (2 - f)
	n := f / (2 - f)
	n2, n3, n4 := n*n, n*n*n, n*n*n*n
	e4, e6, e8 := e2*e2, e2*e2*e2, e2*e2*e2*e2
	return gaussKruger{
		lon0: lon0Deg * math.Pi / 180, k0: k0, fn: fn, fe: fe,
		aRoof: a / (1 + n) * (1 + n2/4 + n4/64),
		a:     e2,
		b:     (5*e4 - e6) / 6,
		c:     (104*e6 - 45*e8) / 120,
		d:     (1237 * e8) / 1260,
		as:    e2 + e4 + e6 + e8,
		bs:    -(7*e4 + 17*e6 + 30*e8) / 6,
		cs:    (224*e6 + 889*e8) / 120,
		ds:    -(4279 * e8) / 1260,
		beta: [4]float64{
			n/2 - 2*n2/3 + 5*n3/16 + 41*n4/180,
			13*n2/48 - 3*n3/5 + 557*n4/1440,
			61*n3/240 - 103*n4/140,
			49561 * n4 / 161280,
		},
		delta: [4]float64{
			n/2 - 2*n2/3 + 37*n3/96 - n4/360,
			n2/48 + n3/15 - 437*n4/1440,
			17*n3/480 - 37*n4/840,
			4397 * n4 / 161280,
		},
	}
}

// swerefGK is SWEREF 99 TM on GRS 80. It is built once and never modified.
var swerefGK = func() *gaussKruger {
	gk := newGaussKruger(6378137, 298.257222101, 15, 0.9996, 0, 500000)
	return &gk
}()

// forward maps lon/lat degrees to easting/northing metres.
func (g *gaussKruger) forward(lonDeg, latDeg float64) (e, n float64) {
	phi := latDeg * math.Pi / 180
	lam := lonDeg * math.Pi / 180
	s, c := math.Sincos(phi)
	s2 := s * s
	phiStar := phi - s*c*(g.a+s2*(g.b+s2*(g.c+s2*g.d)))
	dl := lam - g.lon0
	xiP := math.Atan(math.Tan(phiStar) / math.Cos(dl))
	etaP := math.Atanh(math.Cos(phiStar) * math.Sin(dl))
	sx, sy := series(&g.beta, xiP, etaP)
	return g.k0*g.aRoof*(etaP+sy) + g.fe, g.k0*g.aRoof*(xiP+sx) + g.fn
}

// inverse maps easting/northing metres to lon/lat degrees.
func (g *gaussKruger) inverse(e, n float64) (lonDeg, latDeg float64) {
	xi := (n - g.fn) / (g.k0 * g.aRoof)
	eta := (e - g.fe) / (g.k0 * g.aRoof)
	sx, sy := series(&g.delta, xi, eta)
	xiP, etaP := xi-sx, eta-sy
	phiStar := math.Asin(math.Sin(xiP) / math.Cosh(etaP))
	dl := math.Atan(math.Sinh(etaP) / math.Cos(xiP))
	s, c := math.Sincos(phiStar)
	s2 := s * s
	phi := phiStar + s*c*(g.as+s2*(g.bs+s2*(g.cs+s2*g.ds)))
	return (g.lon0 + dl) * 180 / math.Pi, phi * 180 / math.Pi
}

// series sums c[j]·sin(2(j+1)ξ)·cosh(2(j+1)η) and c[j]·cos(2(j+1)ξ)·sinh(2(j+1)η)
// with one sincos and one exp, using the angle-addition recurrences.
func series(c *[4]float64, xi, eta float64) (sx, sy float64) {
	s2, c2 := math.Sincos(2 * xi)
	e := math.Exp(2 * eta)
	sh2, ch2 := (e-1/e)/2, (e+1/e)/2
	sk, ck, shk, chk := s2, c2, sh2, ch2
	for j := 0; j < 4; j++ {
		sx += c[j] * sk * chk
		sy += c[j] * ck * shk
		sk, ck = sk*c2+ck*s2, ck*c2-sk*s2
		shk, chk = shk*ch2+chk*sh2, chk*ch2+shk*sh2
	}
	return sx, sy
}

// SwerefToWGS84 converts a SWEREF 99 TM point {easting, northing} to {lon, lat}.
func SwerefToWGS84(p orb.Point) orb.Point {
	lon, lat := swerefGK.inverse(p[0], p[1])
	return orb.Point{lon, lat}
}

// WGS84ToSweref converts {lon, lat} to a SWEREF 99 TM point {easting, northing}.
func WGS84ToSweref(p orb.Point) orb.Point {
	e, n := swerefGK.forward(p[0], p[1])
	return orb.Point{e, n}
}

// Func returns the point conversion from one EPSG code to another.
func Func(from, to int) (func(orb.Point) orb.Point, error) {
	toWGS := map[int]func(orb.Point) orb.Point{WGS84: nil, SWEREF99TM: SwerefToWGS84, WebMercator: project.Mercator.ToWGS84}
	fromWGS := map[int]func(orb.Point) orb.Point{WGS84: nil, SWEREF99TM: WGS84ToSweref, WebMercator: project.WGS84.ToMercator}
	in, ok := toWGS[from]
	if !ok {
		return nil, fmt.Errorf("%w: EPSG:%d (known: 4326, 3006, 3857)", ErrUnsupportedCRS, from)
	}
	out, ok := fromWGS[to]
	if !ok {
		return nil, fmt.Errorf("%w: EPSG:%d (known: 4326, 3006, 3857)", ErrUnsupportedCRS, to)
	}
	switch {
	case from == to:
		return func(p orb.Point) orb.Point { return p }, nil
	case in == nil:
		return out, nil
	case out == nil:
		return in, nil
	}
	return func(p orb.Point) orb.Point { return out(in(p)) }, nil
}

// Supported reports whether the EPSG code can be converted by this package.
func Supported(epsg int) bool {
	return epsg == WGS84 || epsg == SWEREF99TM || epsg == WebMercator
}

// Transform returns a copy of g converted from one EPSG code to another.
// The input is not modified.
func Transform(g orb.Geometry, from, to int) (orb.Geometry, error) {
	f, err := Func(from, to)
	if err != nil {
		return nil, err
	}
	if g == nil {
		return nil, nil
	}
	return project.Geometry(orb.Clone(g), f), nil
}
