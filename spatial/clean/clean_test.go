package clean

import (
	"math"
	"os"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

var (
	ccwSquare = orb.Ring{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}
	cwHole    = orb.Ring{{2, 2}, {2, 4}, {4, 4}, {4, 2}, {2, 2}}
)

func kinds(issues []Issue) map[Kind]Issue {
	m := map[Kind]Issue{}
	for _, is := range issues {
		if _, ok := m[is.Kind]; !ok {
			m[is.Kind] = is
		}
	}
	return m
}

func TestPolygon(t *testing.T) {
	tests := []struct {
		name    string
		in      orb.Polygon
		opts    Options
		kind    Kind // "" = no issue expected
		fixed   bool
		at      orb.Point
		ring    int
		outLen  int // rings in the result
		wantOut orb.Polygon
	}{
		{name: "valid", in: orb.Polygon{ccwSquare, cwHole}, outLen: 2},
		{name: "unclosed", in: orb.Polygon{{{0, 0}, {10, 0}, {10, 10}, {0, 10}}}, kind: Unclosed, fixed: true, at: orb.Point{0, 10}, outLen: 1,
			wantOut: orb.Polygon{ccwSquare}},
		{name: "clockwise exterior", in: orb.Polygon{{{0, 0}, {0, 10}, {10, 10}, {10, 0}, {0, 0}}}, kind: WrongWinding, fixed: true, outLen: 1,
			wantOut: orb.Polygon{{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}}},
		{name: "counter-clockwise hole", in: orb.Polygon{ccwSquare, {{2, 2}, {4, 2}, {4, 4}, {2, 4}, {2, 2}}}, kind: WrongWinding, fixed: true, ring: 1, outLen: 2},
		{name: "duplicates", in: orb.Polygon{{{0, 0}, {10, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 10}, {0, 0}}}, kind: DuplicatePoint, fixed: true, at: orb.Point{10, 0}, outLen: 1,
			wantOut: orb.Polygon{ccwSquare}},
		{name: "empty hole", in: orb.Polygon{ccwSquare, {}}, kind: EmptyRing, fixed: true, ring: 1, outLen: 1},
		{name: "too few points", in: orb.Polygon{{{0, 0}, {1, 1}, {0, 0}}}, kind: TooFewPoints, fixed: false, at: orb.Point{0, 0}, outLen: 1},
		{name: "degenerate hole dropped", in: orb.Polygon{ccwSquare, {{2, 2}, {3, 3}, {2, 2}}}, kind: TooFewPoints, fixed: true, ring: 1, at: orb.Point{2, 2}, outLen: 1},
		{name: "zero area", in: orb.Polygon{{{0, 0}, {5, 0}, {10, 0}, {0, 0}}}, kind: ZeroArea, fixed: false, at: orb.Point{0, 0}, outLen: 1},
		{name: "bow tie", in: orb.Polygon{{{0, 0}, {10, 10}, {10, 4}, {0, 10}, {0, 0}}}, kind: SelfIntersection, fixed: false, at: orb.Point{6.25, 6.25}, outLen: 1},
		{name: "bow tie with drop option is still rejected", in: orb.Polygon{{{0, 0}, {10, 10}, {10, 4}, {0, 10}, {0, 0}}}, opts: Options{DropInvalidHoles: true},
			kind: SelfIntersection, fixed: false, at: orb.Point{6.25, 6.25}, outLen: 1},
		// The symmetric bow tie's lobes cancel (signed area 0): the
		// crossing is reported, not a zero area at the first vertex.
		{name: "symmetric bow tie", in: orb.Polygon{{{0, 0}, {1, 1}, {1, 0}, {0, 1}, {0, 0}}}, kind: SelfIntersection, fixed: false, at: orb.Point{0.5, 0.5}, outLen: 1},
		{name: "symmetric bow tie in Sweden", in: orb.Polygon{{{17.80, 59.20}, {17.82, 59.22}, {17.82, 59.20}, {17.80, 59.22}, {17.80, 59.20}}}, kind: SelfIntersection, fixed: false, at: orb.Point{17.81, 59.21}, outLen: 1},
		{name: "symmetric bow tie in SWEREF metres", in: orb.Polygon{{{662000, 6570000}, {662100, 6570100}, {662100, 6570000}, {662000, 6570100}, {662000, 6570000}}}, kind: SelfIntersection, fixed: false, at: orb.Point{662050, 6570050}, outLen: 1},
		{name: "symmetric bow tie hole rejected", in: orb.Polygon{ccwSquare, {{2, 2}, {4, 4}, {4, 2}, {2, 4}, {2, 2}}}, kind: SelfIntersection, fixed: false, ring: 1, at: orb.Point{3, 3}, outLen: 2},
		{name: "symmetric bow tie hole dropped", in: orb.Polygon{ccwSquare, {{2, 2}, {4, 4}, {4, 2}, {2, 4}, {2, 2}}}, opts: Options{DropInvalidHoles: true},
			kind: SelfIntersection, fixed: true, ring: 1, at: orb.Point{3, 3}, outLen: 1},
		{name: "hole crossing exterior rejected", in: orb.Polygon{ccwSquare, {{8, 2}, {8, 4}, {12, 4}, {12, 2}, {8, 2}}}, kind: SelfIntersection, fixed: false, ring: 1, at: orb.Point{10, 4}, outLen: 2},
		{name: "hole crossing exterior dropped", in: orb.Polygon{ccwSquare, {{8, 2}, {8, 4}, {12, 4}, {12, 2}, {8, 2}}}, opts: Options{DropInvalidHoles: true},
			kind: SelfIntersection, fixed: true, ring: 1, at: orb.Point{10, 4}, outLen: 1},
		{name: "hole touching exterior at a point is valid", in: orb.Polygon{ccwSquare, {{0, 5}, {2, 6}, {2, 4}, {0, 5}}}, outLen: 2},
		{name: "ring touching itself", in: orb.Polygon{{{0, 0}, {10, 0}, {5, 5}, {10, 10}, {0, 10}, {5, 5}, {0, 0}}}, kind: SelfIntersection, fixed: false, at: orb.Point{5, 5}, outLen: 1},
		{name: "spike", in: orb.Polygon{{{0, 0}, {10, 0}, {15, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}}, kind: SelfIntersection, fixed: false, outLen: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := orb.Clone(tt.in).(orb.Polygon)
			out, issues := Polygon(tt.in, tt.opts)
			if !orb.Equal(in, tt.in) {
				t.Error("input modified")
			}
			if tt.kind == "" {
				if len(issues) != 0 {
					t.Fatalf("issues = %v, want none", issues)
				}
			} else {
				is, ok := kinds(issues)[tt.kind]
				if !ok {
					t.Fatalf("issues = %v, want %s", issues, tt.kind)
				}
				if is.Fixed != tt.fixed || is.Ring != tt.ring || !nearPoint(is.Coord, tt.at) && tt.at != (orb.Point{}) {
					t.Errorf("issue = %+v, want fixed=%v ring=%d at %v", is, tt.fixed, tt.ring, tt.at)
				}
				if Valid(issues) != tt.fixed {
					t.Errorf("Valid = %v, want %v (%v)", Valid(issues), tt.fixed, issues)
				}
			}
			if len(out) != tt.outLen {
				t.Errorf("result has %d rings, want %d: %v", len(out), tt.outLen, out)
			}
			if tt.wantOut != nil && !orb.Equal(out, tt.wantOut) {
				t.Errorf("result = %v, want %v", out, tt.wantOut)
			}
		})
	}
}

func TestMultiPolygonEmpty(t *testing.T) {
	_, issues := MultiPolygon(orb.MultiPolygon{{{}}}, Options{})
	if Valid(issues) || kinds(issues)[Empty].Kind != Empty {
		t.Errorf("issues = %v, want unfixed empty", issues)
	}
}

// TestRealBoundaries: SCB DeSO 2025 Växjö (valid per GEOS st_is_valid, see
// testdata/boundaries/README.md) must produce no unfixed issue, and
// lan_okfse_tiny (counties) must be valid after at most winding fixes.
func TestRealBoundaries(t *testing.T) {
	for _, file := range []string{"deso_2025_vaxjo_4326.geojson", "lan_okfse_tiny_4326.geojson"} {
		b, err := os.ReadFile("../../testdata/boundaries/" + file)
		if err != nil {
			t.Fatal(err)
		}
		fc, err := geojson.UnmarshalFeatureCollection(b)
		if err != nil {
			t.Fatal(err)
		}
		for i, f := range fc.Features {
			var mp orb.MultiPolygon
			switch g := f.Geometry.(type) {
			case orb.Polygon:
				mp = orb.MultiPolygon{g}
			case orb.MultiPolygon:
				mp = g
			}
			out, issues := MultiPolygon(mp, Options{})
			for _, is := range issues {
				if !is.Fixed || (is.Kind != WrongWinding && is.Kind != DuplicatePoint) {
					t.Errorf("%s feature %d: %v", file, i, is)
				}
			}
			if _, again := MultiPolygon(out, Options{}); len(again) != 0 {
				t.Errorf("%s feature %d: cleaned geometry still has %v", file, i, again)
			}
		}
	}
}

func FuzzMultiPolygon(f *testing.F) {
	f.Add([]byte{0, 0, 10, 0, 10, 10, 0, 10, 0, 0}, uint8(0))
	f.Add([]byte{0, 0, 10, 10, 10, 0, 0, 10, 0, 0, 2, 2, 2, 4, 4, 4, 4, 2, 2}, uint8(5))
	f.Add([]byte{0, 0, 0, 0, 1, 1, 5}, uint8(3))
	f.Fuzz(func(t *testing.T, coords []byte, split uint8) {
		// Build up to two rings from the bytes: ring 0 = points before split, ring 1 after.
		var p orb.Polygon
		var r orb.Ring
		for i := 0; i+1 < len(coords); i += 2 {
			if i/2 == int(split) && len(r) > 0 {
				p = append(p, r)
				r = nil
			}
			r = append(r, orb.Point{float64(coords[i]), float64(coords[i+1])})
		}
		p = append(p, r)
		for _, opts := range []Options{{}, {DropInvalidHoles: true}} {
			out, issues := MultiPolygon(orb.MultiPolygon{p}, opts)
			if !Valid(issues) {
				continue
			}
			// A geometry accepted as valid must be clean when checked again.
			if _, again := MultiPolygon(out, opts); len(again) != 0 {
				t.Fatalf("cleaned %v to %v, which still has %v", p, out, again)
			}
			for _, pg := range out {
				if signedArea(pg[0]) <= 0 {
					t.Fatalf("exterior not CCW: %v", pg[0])
				}
			}
		}
	})
}

func BenchmarkMultiPolygonVaxjo(b *testing.B) {
	data, err := os.ReadFile("../../testdata/boundaries/deso_2025_vaxjo_4326.geojson")
	if err != nil {
		b.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(data)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range fc.Features {
			if p, ok := f.Geometry.(orb.Polygon); ok {
				MultiPolygon(orb.MultiPolygon{p}, Options{})
			}
		}
	}
}

// nearPoint compares points to 1e-12 of their size (a crossing point is
// computed, so decimal coordinates are not exact).
func nearPoint(a, b orb.Point) bool {
	tol := 1e-12 * max(1, math.Abs(b[0]), math.Abs(b[1]))
	return math.Abs(a[0]-b[0]) <= tol && math.Abs(a[1]-b[1]) <= tol
}
