package topology

import (
	"errors"
	"math"
	"os"
	"reflect"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"
)

const stockholm = "../../testdata/tiles/deso_2018_stockholms_lan_4326_simplified.geojson"

type area struct {
	code, kommun string
	geom         orb.MultiPolygon
}

func loadStockholm(tb testing.TB) []area {
	tb.Helper()
	raw, err := os.ReadFile(stockholm)
	if err != nil {
		tb.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(raw)
	if err != nil {
		tb.Fatal(err)
	}
	out := make([]area, 0, len(fc.Features))
	for _, f := range fc.Features {
		var mp orb.MultiPolygon
		switch g := f.Geometry.(type) {
		case orb.Polygon:
			mp = orb.MultiPolygon{g}
		case orb.MultiPolygon:
			mp = g
		default:
			tb.Fatalf("unexpected geometry %T", g)
		}
		out = append(out, area{code: f.Properties.MustString("id"), kommun: f.Properties.MustString("kommun"), geom: mp})
	}
	return out
}

func geoms(as []area) []orb.MultiPolygon {
	out := make([]orb.MultiPolygon, len(as))
	for i, a := range as {
		out[i] = a.geom
	}
	return out
}

func TestBuildStockholm(t *testing.T) {
	as := loadStockholm(t)
	if len(as) != 1287 {
		t.Fatalf("want 1287 DeSO, got %d", len(as))
	}
	// Quantum 1e-9 is finer than the file's 8 decimals: exact matching.
	topo, err := Build(geoms(as), Options{Quantum: 1e-9})
	if err != nil {
		t.Fatal(err)
	}
	shared := 0
	for a, n := range topo.ArcUse() {
		if n > 2 {
			t.Errorf("arc %d used by %d rings, want <= 2", a, n)
		}
		if n == 2 {
			shared++
		}
	}
	// The file is a coverage: a good share of borders must be shared.
	if shared < len(topo.Arcs)/5 {
		t.Errorf("only %d of %d arcs shared", shared, len(topo.Arcs))
	}
	for i, a := range as {
		got := topo.MultiPolygon(i)
		if !got.Equal(a.geom) {
			t.Fatalf("%s: rebuilt geometry differs from input", a.code)
		}
	}
}

func TestBuildSharesBorder(t *testing.T) {
	// Two unit squares side by side share the edge x=1; the shared edge
	// must become one arc used by both rings in opposite directions.
	left := orb.MultiPolygon{{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}}
	right := orb.MultiPolygon{{{{1, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 0}}}}
	topo, err := Build([]orb.MultiPolygon{left, right}, Options{Quantum: 1e-9})
	if err != nil {
		t.Fatal(err)
	}
	if len(topo.Arcs) != 3 {
		t.Fatalf("want 3 arcs (left, shared, right), got %d: %v", len(topo.Arcs), topo.Arcs)
	}
	use := topo.ArcUse()
	twice := 0
	for _, n := range use {
		if n == 2 {
			twice++
		}
	}
	if twice != 1 {
		t.Errorf("want exactly 1 shared arc, got %d", twice)
	}
}

func TestBuildSnapsNearVertices(t *testing.T) {
	// The right square's corner is 3e-8 off the left square's: with the
	// default quantum (1e-7) they match and the border is one shared arc.
	left := orb.MultiPolygon{{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}}
	right := orb.MultiPolygon{{{{1.00000003, 0}, {2, 0}, {2, 1}, {1, 1}, {1.00000003, 0}}}}
	topo, err := Build([]orb.MultiPolygon{left, right}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(topo.Arcs) != 3 {
		t.Fatalf("want 3 arcs, got %d", len(topo.Arcs))
	}
	exact, err := Build([]orb.MultiPolygon{left, right}, Options{Quantum: 1e-9})
	if err != nil {
		t.Fatal(err)
	}
	if len(exact.Arcs) == 3 {
		t.Fatal("quantum 1e-9 should not match vertices 3e-8 apart")
	}
}

func TestRemoveSpikes(t *testing.T) {
	k := func(x int64) key { return key{x, 0} }
	keys := []key{k(1), k(2), k(3), k(2), k(4), k(5)}
	pts := make([]orb.Point, len(keys))
	got, _ := removeSpikes(keys, pts)
	want := []key{k(1), k(2), k(4), k(5)}
	if len(got) != len(want) {
		t.Fatalf("got %v want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v want %v", got, want)
		}
	}
}

func TestBuildErrors(t *testing.T) {
	tests := []struct {
		name  string
		polys []orb.MultiPolygon
		opts  Options
	}{
		{"degenerate ring", []orb.MultiPolygon{{{{{0, 0}, {1, 0}, {0, 0}}}}}, Options{}},
		{"nan", []orb.MultiPolygon{{{{{0, 0}, {math.NaN(), 0}, {1, 1}, {0, 0}}}}}, Options{}},
		{"bad quantum", []orb.MultiPolygon{}, Options{Quantum: math.Inf(1)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Build(tc.polys, tc.opts); !errors.Is(err, ErrInvalid) {
				t.Fatalf("want ErrInvalid, got %v", err)
			}
		})
	}
	topo, err := Build(tests[0].polys, Options{DropDegenerate: true})
	if err != nil || len(topo.Geometries[0]) != 0 {
		t.Fatalf("DropDegenerate: got %v, %v", topo, err)
	}
}

func TestSimplifyKeepsSharedBorders(t *testing.T) {
	as := loadStockholm(t)
	topo, err := Build(geoms(as), Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := topo.Simplify(SimplifyOptions{Tolerance: 0.002, KeepValid: true})
	in, out := 0, 0
	for i := range topo.Arcs {
		in += len(topo.Arcs[i])
		out += len(s.Arcs[i])
		a, b := topo.Arcs[i], s.Arcs[i]
		if a[0] != b[0] || a[len(a)-1] != b[len(b)-1] {
			t.Fatalf("arc %d: end points moved", i)
		}
	}
	if out >= in {
		t.Errorf("simplification removed nothing: %d -> %d vertices", in, out)
	}
	// The input was simplified per polygon by its publisher, so some
	// neighbours already overlap; simplification must not add crossings.
	before := map[int]bool{}
	for _, a := range crossingArcs(topo.Arcs) {
		before[a] = true
	}
	for _, a := range crossingArcs(s.Arcs) {
		if !before[a] {
			t.Errorf("arc %d crosses after KeepValid simplification but not before", a)
		}
	}
	// Every shared border is identical in both neighbours: each segment of
	// a shared simplified arc occurs in the rebuilt rings once per use.
	seg := map[[2]orb.Point]int{}
	for i := range as {
		for _, p := range s.MultiPolygon(i) {
			for _, r := range p {
				for k := 0; k+1 < len(r); k++ {
					a, b := r[k], r[k+1]
					if b[0] < a[0] || (b[0] == a[0] && b[1] < a[1]) {
						a, b = b, a
					}
					seg[[2]orb.Point{a, b}]++
				}
			}
		}
	}
	checked := 0
	for i, n := range topo.ArcUse() {
		if n != 2 || len(s.Arcs[i]) < 2 {
			continue
		}
		a := s.Arcs[i]
		for k := 0; k+1 < len(a); k++ {
			p, q := a[k], a[k+1]
			if q[0] < p[0] || (q[0] == p[0] && q[1] < p[1]) {
				p, q = q, p
			}
			if seg[[2]orb.Point{p, q}] < 2 {
				t.Fatalf("shared arc %d segment %d used %d times, want 2", i, k, seg[[2]orb.Point{p, q}])
			}
			checked++
		}
	}
	if checked < 1000 {
		t.Errorf("only %d shared segments checked", checked)
	}
}

func TestDissolveKommuner(t *testing.T) {
	as := loadStockholm(t)
	groups := make([]string, len(as))
	var sum float64
	for i, a := range as {
		groups[i] = a.code[:4]
		if a.code[:4] != a.kommun {
			t.Fatalf("%s: kommun field %s", a.code, a.kommun)
		}
		sum += planar.Area(a.geom)
	}
	// Exact matching (quantum finer than the data): areas must add up to
	// rounding error. The default quantum merges vertices a few mm apart.
	parts, err := DissolveWith(geoms(as), groups, Options{Quantum: 1e-9})
	if err != nil {
		t.Fatal(err)
	}
	snapped, err := Dissolve(geoms(as), groups)
	if err != nil {
		t.Fatal(err)
	}
	var snappedSum float64
	for _, mp := range snapped {
		snappedSum += planar.Area(mp)
	}
	if math.Abs(snappedSum-sum) > 1e-6*sum {
		t.Errorf("snapped dissolve area %.12f != DeSO area %.12f", snappedSum, sum)
	}
	if len(parts) != 26 || len(snapped) != 26 {
		t.Fatalf("want 26 kommuner in Stockholms län, got %d", len(parts))
	}
	var got float64
	for k, mp := range parts {
		if len(mp) == 0 {
			t.Errorf("kommun %s: empty", k)
		}
		got += planar.Area(mp)
	}
	if math.Abs(got-sum) > 1e-9*sum {
		t.Errorf("area of kommuner %.12f != area of DeSO %.12f", got, sum)
	}
	// Per kommun too.
	for k, mp := range parts {
		var want float64
		for i, a := range as {
			if groups[i] == k {
				want += planar.Area(a.geom)
			}
		}
		if g := planar.Area(mp); math.Abs(g-want) > 1e-9*want+1e-15 {
			t.Errorf("kommun %s: area %.12f, DeSO sum %.12f", k, g, want)
		}
	}
}

func TestDissolveTwoSquares(t *testing.T) {
	left := orb.MultiPolygon{{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}}
	right := orb.MultiPolygon{{{{1, 0}, {1, 1}, {2, 1}, {2, 0}, {1, 0}}}} // clockwise input
	parts, err := Dissolve([]orb.MultiPolygon{left, right}, []string{"a", "a"})
	if err != nil {
		t.Fatal(err)
	}
	mp := parts["a"]
	if len(mp) != 1 || len(mp[0]) != 1 {
		t.Fatalf("want one polygon without holes, got %v", mp)
	}
	if a := planar.Area(mp); a != 2 {
		t.Errorf("area %v, want 2", a)
	}
	if _, err := Dissolve([]orb.MultiPolygon{left}, nil); err == nil {
		t.Error("want error for mismatched groups")
	}
}

func BenchmarkBuild(b *testing.B) {
	as := loadStockholm(b)
	g := geoms(as)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Build(g, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestSimplifyYield: Yield is called between chunks and does not change
// the result.
func TestSimplifyYield(t *testing.T) {
	topo, err := Build(geoms(loadStockholm(t)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	opts := SimplifyOptions{Tolerance: 0.002, KeepValid: true}
	want := topo.Simplify(opts)
	calls := 0
	opts.Yield = func() { calls++ }
	got := topo.Simplify(opts)
	if calls < len(topo.Arcs)/YieldEvery {
		t.Errorf("Yield called %d times for %d arcs, want at least %d", calls, len(topo.Arcs), len(topo.Arcs)/YieldEvery)
	}
	if !reflect.DeepEqual(got.Arcs, want.Arcs) {
		t.Error("Yield changed the simplified arcs")
	}
}
