package proj

import (
	"bufio"
	"errors"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

type fixturePoint struct {
	sweref orb.Point // easting, northing
	wgs    orb.Point // lon, lat
}

// readFixture reads testdata/proj/sweref_wgs84.txt, made by gen.sh with cs2cs.
func readFixture(t testing.TB) []fixturePoint {
	t.Helper()
	f, err := os.Open("../../testdata/proj/sweref_wgs84.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var pts []fixturePoint
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) != 4 {
			t.Fatalf("bad fixture line %q", sc.Text())
		}
		var v [4]float64
		for i, s := range fs {
			if v[i], err = strconv.ParseFloat(s, 64); err != nil {
				t.Fatal(err)
			}
		}
		pts = append(pts, fixturePoint{sweref: orb.Point{v[1], v[0]}, wgs: orb.Point{v[3], v[2]}})
	}
	if len(pts) < 20 {
		t.Fatalf("fixture has %d points, want >= 20", len(pts))
	}
	return pts
}

// metresBetween is a local flat-earth distance in metres between two lon/lat points.
func metresBetween(a, b orb.Point) float64 {
	const r = 6371000.0
	dy := (a[1] - b[1]) * math.Pi / 180 * r
	dx := (a[0] - b[0]) * math.Pi / 180 * r * math.Cos(a[1]*math.Pi/180)
	return math.Hypot(dx, dy)
}

func TestSwerefToWGS84MatchesPROJ(t *testing.T) {
	for _, p := range readFixture(t) {
		got := SwerefToWGS84(p.sweref)
		if d := metresBetween(got, p.wgs); d > 0.01 {
			t.Errorf("SwerefToWGS84(%v) = %.10f, cs2cs %.10f: %.4f m apart", p.sweref, got, p.wgs, d)
		}
	}
}

func TestWGS84ToSwerefMatchesPROJ(t *testing.T) {
	for _, p := range readFixture(t) {
		got := WGS84ToSweref(p.wgs)
		if d := math.Hypot(got[0]-p.sweref[0], got[1]-p.sweref[1]); d > 0.01 {
			t.Errorf("WGS84ToSweref(%v) = %.4f, want %.4f: %.4f m apart", p.wgs, got, p.sweref, d)
		}
	}
}

// TestWebMercator: EPSG:4326 <-> EPSG:3857 (orb's Web Mercator) against
// the definition and PROJ, latitudes beyond the square world clamped.
func TestWebMercator(t *testing.T) {
	toMerc, err := Func(WGS84, WebMercator)
	if err != nil {
		t.Fatal(err)
	}
	toWGS, err := Func(WebMercator, WGS84)
	if err != nil {
		t.Fatal(err)
	}
	const maxLat = 85.0511287798066 // where Web Mercator is square
	tests := []struct {
		name      string
		wgs       orb.Point
		merc      orb.Point
		roundTrip bool
	}{
		// Reference values: EPSG:3857 definition, R = 6378137.
		{"origin", orb.Point{0, 0}, orb.Point{0, 0}, true},
		{"antimeridian", orb.Point{180, 0}, orb.Point{20037508.342789244, 0}, true},
		{"max lat", orb.Point{0, maxLat}, orb.Point{0, 20037508.342789244}, true},
		{"beyond max lat", orb.Point{0, 89.9}, orb.Point{0, 20037508.342789244}, false},
		{"south pole", orb.Point{0, -90}, orb.Point{0, -20037508.342789244}, false},
		// echo "59.3293 18.0686" | cs2cs EPSG:4326 EPSG:3857 -f %.3f -> 2011387.351 8251904.234 (Stockholm)
		{"stockholm", orb.Point{18.0686, 59.3293}, orb.Point{2011387.351, 8251904.234}, true},
	}
	for _, tt := range tests {
		got := toMerc(tt.wgs)
		if math.Abs(got[0]-tt.merc[0]) > 0.01 || math.Abs(got[1]-tt.merc[1]) > 0.01 {
			t.Errorf("%s: 4326 -> 3857 %v = %.3f, want %.3f", tt.name, tt.wgs, got, tt.merc)
		}
		if !tt.roundTrip {
			continue
		}
		back := toWGS(tt.merc)
		if math.Abs(back[0]-tt.wgs[0]) > 1e-7 || math.Abs(back[1]-tt.wgs[1]) > 1e-7 {
			t.Errorf("%s: 3857 -> 4326 %v = %.9f, want %.9f", tt.name, tt.merc, back, tt.wgs)
		}
	}
}

func TestTransform(t *testing.T) {
	fx := readFixture(t)
	ring := orb.Ring{fx[0].sweref, fx[1].sweref, fx[2].sweref, fx[0].sweref}
	in := orb.MultiPolygon{{ring}}
	out, err := Transform(in, SWEREF99TM, WGS84)
	if err != nil {
		t.Fatal(err)
	}
	got := out.(orb.MultiPolygon)[0][0][1]
	if d := metresBetween(got, fx[1].wgs); d > 0.01 {
		t.Errorf("Transform point = %v, want %v", got, fx[1].wgs)
	}
	if in[0][0][1] != fx[1].sweref {
		t.Error("Transform modified its input")
	}
	// 3006 -> 3857 -> 3006 round trip.
	m, err := Transform(fx[5].sweref, SWEREF99TM, WebMercator)
	if err != nil {
		t.Fatal(err)
	}
	back, _ := Transform(m, WebMercator, SWEREF99TM)
	bp := back.(orb.Point)
	if d := math.Hypot(bp[0]-fx[5].sweref[0], bp[1]-fx[5].sweref[1]); d > 0.001 {
		t.Errorf("3006->3857->3006 moved the point %.4f m", d)
	}
	for _, code := range [][2]int{{3021, 4326}, {4326, 900913}} {
		if _, err := Transform(in, code[0], code[1]); !errors.Is(err, ErrUnsupportedCRS) {
			t.Errorf("Transform %v: err = %v, want ErrUnsupportedCRS", code, err)
		}
	}
}

func BenchmarkSwerefToWGS84(b *testing.B) {
	b.ReportAllocs()
	p := orb.Point{674000, 6580000}
	for b.Loop() {
		p2 := SwerefToWGS84(p)
		_ = p2
	}
}

func BenchmarkWGS84ToSweref(b *testing.B) {
	b.ReportAllocs()
	p := orb.Point{18.06, 59.32}
	for b.Loop() {
		_ = WGS84ToSweref(p)
	}
}

func BenchmarkTransformPolygon(b *testing.B) {
	b.ReportAllocs()
	ring := make(orb.Ring, 1000)
	for i := range ring {
		a := float64(i) / 1000 * 2 * math.Pi
		ring[i] = orb.Point{674000 + 1000*math.Cos(a), 6580000 + 1000*math.Sin(a)}
	}
	ring[len(ring)-1] = ring[0]
	g := orb.Polygon{ring}
	for b.Loop() {
		if _, err := Transform(g, SWEREF99TM, WGS84); err != nil {
			b.Fatal(err)
		}
	}
}
