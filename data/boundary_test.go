package data

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/segmap/segmap/spatial/clean"
)

const bdir = "../testdata/boundaries/"

func newBoundaryStore(t testing.TB) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "store.gpkg"), OpenOptions{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func levelByID(t *testing.T, s *Store, id string) Level {
	t.Helper()
	ls, err := s.Levels(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		if l.ID == id {
			return l
		}
	}
	t.Fatalf("level %s missing from %v", id, ls)
	return Level{}
}

func TestImportVaxjoGeoJSON(t *testing.T) {
	ctx := context.Background()
	s := newBoundaryStore(t)
	var calls int
	rep, err := s.ImportBoundaries(ctx, bdir+"deso_2025_vaxjo_4326.geojson", BoundaryOptions{Level: LevelDeSO, Progress: func(done, total int) { calls++ }})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Features != 53 || rep.SourceSRID != 4326 || rep.CodeField != "desokod" {
		t.Errorf("report = %+v, want 53 features from EPSG:4326 via desokod", rep)
	}
	if calls != 53 {
		t.Errorf("progress called %d times", calls)
	}
	l := levelByID(t, s, LevelDeSO)
	if l.FeatureCount != 53 || l.AreaCount != 53 || l.Table != "deso" || l.Kind != KindBuiltin {
		t.Errorf("level = %+v", l)
	}
	// Växjö kommun lies around 14.4–15.3 E, 56.7–57.2 N.
	if l.Bounds.Min[0] < 14 || l.Bounds.Max[0] > 15.5 || l.Bounds.Min[1] < 56.5 || l.Bounds.Max[1] > 57.3 {
		t.Errorf("bounds = %v", l.Bounds)
	}
	if v, _ := s.DataVersion(ctx); v != 1 {
		t.Errorf("data version = %d, want 1", v)
	}
	areas, err := s.Areas(ctx, LevelDeSO, AreasOptions{Kommuner: []string{"0780"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(areas) != 53 {
		t.Fatalf("areas in 0780 = %d, want 53", len(areas))
	}
	for i, a := range areas {
		if i > 0 && areas[i-1].Code >= a.Code {
			t.Errorf("areas not sorted: %s before %s", areas[i-1].Code, a.Code)
		}
		if a.Kommun != "0780" || a.Lan != "07" || a.ID != FeatureID(a.Code) || a.Geometry != nil {
			t.Errorf("area = %+v", a)
		}
	}
	if none, _ := s.Areas(ctx, LevelDeSO, AreasOptions{Kommuner: []string{"0180"}}); len(none) != 0 {
		t.Errorf("kommun filter 0180 gave %d areas", len(none))
	}
	a, err := s.Area(ctx, LevelDeSO, "0780C1210")
	if err != nil {
		t.Fatal(err)
	}
	mp, ok := a.Geometry.(orb.MultiPolygon)
	if !ok || !mp.Bound().Contains(orb.Point{14.809213314619425, 56.895894510950853}) {
		t.Errorf("geometry = %T %v", a.Geometry, a.Geometry.Bound())
	}
	if _, err := s.Area(ctx, LevelDeSO, "0780C9999"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing area: %v", err)
	}
	if _, err := s.Areas(ctx, "nope", AreasOptions{}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown level: %v", err)
	}
	// Stored blobs: GeoPackage header, srs 4326, registered as MULTIPOLYGON.
	var gtype string
	var srs int
	s.db.QueryRow(`SELECT geometry_type_name, srs_id FROM gpkg_geometry_columns WHERE table_name='deso'`).Scan(&gtype, &srs)
	if gtype != "MULTIPOLYGON" || srs != 4326 {
		t.Errorf("gpkg_geometry_columns = %s %d", gtype, srs)
	}
	var fid int64
	s.db.QueryRow(`SELECT fid FROM deso WHERE code='0780C1210'`).Scan(&fid)
	if fid != FeatureID("0780C1210") {
		t.Errorf("fid = %d", fid)
	}
	var nimp int
	s.db.QueryRow(`SELECT count(*) FROM segmap_imports WHERE kind='boundaries'`).Scan(&nimp)
	if nimp != 1 {
		t.Errorf("imports logged = %d", nimp)
	}

	// A second import of the same level replaces the layer fully.
	rep, err = s.ImportBoundaries(ctx, bdir+"deso_2025_vaxjo_4326.geojson", BoundaryOptions{Level: LevelDeSO,
		Filter: func(code string) bool { return strings.HasPrefix(code, "0780C") }})
	if err != nil {
		t.Fatal(err)
	}
	if l := levelByID(t, s, LevelDeSO); l.FeatureCount != rep.Features || rep.Features >= 53 || rep.Features == 0 {
		t.Errorf("after filtered re-import: features %d, report %d", l.FeatureCount, rep.Features)
	}
}

// TestImportDalarnaGeoPackage: the SWEREF 99 TM path. The expected lon/lat
// of the first vertex of DeSO 2081C1150 (523325.127, 6706482.5749) comes from
// echo "6706482.5749 523325.127" | cs2cs EPSG:3006 EPSG:4326 -f %.10f.
func TestImportDalarnaGeoPackage(t *testing.T) {
	ctx := context.Background()
	s := newBoundaryStore(t)
	rep, err := s.ImportBoundaries(ctx, bdir+"deso_2018_dalarna_3006.gpkg", BoundaryOptions{Level: LevelDeSO})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Features != 175 || rep.SourceSRID != 3006 || rep.CodeField != "deso" {
		t.Errorf("report = %+v", rep)
	}
	// The source rings are clockwise (GDAL writes them as they come); they must be fixed.
	if !strings.Contains(strings.Join(rep.Fixed, "\n"), string(clean.WrongWinding)) {
		t.Errorf("fixed = %v, want winding fixes", rep.Fixed)
	}
	a, err := s.Area(ctx, LevelDeSO, "2081C1150")
	if err != nil {
		t.Fatal(err)
	}
	if a.Kommun != "2081" || a.Lan != "20" {
		t.Errorf("area = %+v", a)
	}
	ring := a.Geometry.(orb.MultiPolygon)[0][0]
	want := orb.Point{15.4245247044, 60.4938065879}
	if d := math.Hypot((ring[0][0]-want[0])*math.Cos(want[1]*math.Pi/180), ring[0][1]-want[1]) * 111320; d > 0.01 {
		t.Errorf("first vertex %v, cs2cs %v: %.4f m apart", ring[0], want, d)
	}
	if ring.Orientation() != orb.CCW {
		t.Error("exterior ring is not counter-clockwise")
	}
}

func TestImportLanOKFSE(t *testing.T) {
	ctx := context.Background()
	s := newBoundaryStore(t)
	rep, err := s.ImportBoundaries(ctx, bdir+"lan_okfse_tiny_4326.geojson", BoundaryOptions{Level: LevelLan})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Features != 21 || rep.CodeField != "l_id" || rep.NameField != "name" {
		t.Errorf("report = %+v", rep)
	}
	if !strings.Contains(strings.Join(rep.Fixed, "\n"), "zero-padded") {
		t.Errorf("fixed = %v, want the zero-padding note", rep.Fixed)
	}
	areas, err := s.Areas(ctx, LevelLan, AreasOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(areas) != 21 || areas[0].Code != "01" || areas[0].Parent != RiketCode {
		t.Errorf("areas[0] = %+v of %d", areas[0], len(areas))
	}
}

func TestImportCustomLevelAndSwerefGuess(t *testing.T) {
	ctx := context.Background()
	s := newBoundaryStore(t)
	// SWEREF metres without a crs member (a ring around Stockholm city hall).
	p := writeTemp(t, "omr.geojson", `{"type":"FeatureCollection","features":[
	 {"type":"Feature","properties":{"code":"N1","namn":"Norr","kommun":"0180"},"geometry":{"type":"Polygon","coordinates":[[[674000,6580000],[675000,6580000],[675000,6581000],[674000,6581000],[674000,6580000]]]}}]}`)
	rep, err := s.ImportBoundaries(ctx, p, BoundaryOptions{Level: "stadsdel", LevelNameSV: "Stadsdelar", Kind: KindCustom})
	if err != nil {
		t.Fatal(err)
	}
	if rep.SourceSRID != 3006 || len(rep.Warnings) == 0 || !strings.Contains(rep.Warnings[0], "EPSG:3006") {
		t.Errorf("report = %+v, want a SWEREF guess warning", rep)
	}
	a, err := s.Area(ctx, "stadsdel", "N1")
	if err != nil {
		t.Fatal(err)
	}
	// testdata/proj fixture: 6580000 674000 -> 59.3228732176 18.0579653368
	if c := a.Geometry.(orb.MultiPolygon)[0][0][0]; math.Abs(c[0]-18.0579653368) > 1e-7 || math.Abs(c[1]-59.3228732176) > 1e-7 {
		t.Errorf("first vertex %v", c)
	}
	if a.Name != "Norr" || a.Kommun != "0180" || a.Lan != "01" {
		t.Errorf("area = %+v", a)
	}
	if l := levelByID(t, s, "stadsdel"); l.Kind != KindCustom || l.NameSV != "Stadsdelar" || l.FeatureCount != 1 {
		t.Errorf("level = %+v", l)
	}
}

func TestReplaceGeometry(t *testing.T) {
	ctx := context.Background()
	s := newBoundaryStore(t)
	sq := orb.Polygon{{{14, 56}, {15, 56}, {15, 57}, {14, 57}, {14, 56}}}
	if err := s.ReplaceGeometry(ctx, LevelRegSO, []Area{{Code: "0780R001", Name: "Centrum", Geometry: sq}}); err != nil {
		t.Fatal(err)
	}
	a, err := s.Area(ctx, LevelRegSO, "0780R001")
	if err != nil {
		t.Fatal(err)
	}
	if !orb.Equal(a.Geometry, orb.MultiPolygon{sq}) || a.Kommun != "0780" || a.Name != "Centrum" || a.Parent != "0780" {
		t.Errorf("area = %+v", a)
	}
	if err := s.ReplaceGeometry(ctx, "nolevel", nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown level: %v", err)
	}
	if err := s.ReplaceGeometry(ctx, LevelRegSO, []Area{{Code: "x", Geometry: orb.Point{1, 2}}}); !errors.Is(err, ErrInvalid) {
		t.Errorf("point geometry: %v", err)
	}
}

// badFile writes a FeatureCollection with the given features.
func badFile(t *testing.T, name, features string) string {
	return writeTemp(t, name, `{"type":"FeatureCollection","features":[`+features+`]}`)
}

const vaxjoRing = `[[14.80,56.89],[14.81,56.89],[14.81,56.90],[14.80,56.90],[14.80,56.89]]`

func gpkgWithoutGeometryColumn(t *testing.T) string {
	p := filepath.Join(t.TempDir(), "nogeom.gpkg")
	db, err := sql.Open("sqlite3", p)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = db.Exec(`CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT, identifier TEXT, srs_id INTEGER);
		CREATE TABLE gpkg_geometry_columns (table_name TEXT, column_name TEXT, geometry_type_name TEXT, srs_id INTEGER, z INT, m INT);
		CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT, srs_id INTEGER PRIMARY KEY, organization TEXT, organization_coordsys_id INTEGER, definition TEXT);
		CREATE TABLE omr (fid INTEGER PRIMARY KEY, code TEXT);
		INSERT INTO gpkg_contents VALUES ('omr', 'features', 'omr', 3006);
		INSERT INTO omr VALUES (1, '0180');`)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestImportBoundaryErrors(t *testing.T) {
	tests := []struct {
		name  string
		path  func(t *testing.T) string
		opts  BoundaryOptions
		place string // substring of InputError.Place
		field string
		want  string // substring of the problem
	}{
		{name: "malformed GeoJSON", path: func(t *testing.T) string {
			return writeTemp(t, "bad.geojson", "{\"type\":\"FeatureCollection\",\n\"features\":[{]}")
		}, opts: BoundaryOptions{Level: LevelDeSO}, want: "line 2"},
		{name: "GeoPackage without geometry column", path: gpkgWithoutGeometryColumn,
			opts: BoundaryOptions{Level: LevelKommun}, place: "layer omr", field: "geometry", want: "no geometry column"},
		{name: "unknown CRS", path: func(t *testing.T) string {
			return writeTemp(t, "rt90.geojson", `{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::3021"}},
			"features":[{"type":"Feature","properties":{"deso":"0780C1210"},"geometry":{"type":"Polygon","coordinates":[`+vaxjoRing+`]}}]}`)
		}, opts: BoundaryOptions{Level: LevelDeSO}, field: "crs", want: "3021"},
		{name: "numeric codes", path: func(t *testing.T) string {
			return badFile(t, "num.geojson", `{"type":"Feature","properties":{"kommun_kod":180},"geometry":{"type":"Polygon","coordinates":[`+vaxjoRing+`]}}`)
		}, opts: BoundaryOptions{Level: LevelKommun}, place: "feature 0", field: "kommun_kod", want: "leading zeros are lost"},
		{name: "numeric deso codes", path: func(t *testing.T) string {
			return badFile(t, "numdeso.geojson", `{"type":"Feature","properties":{"deso":114},"geometry":{"type":"Polygon","coordinates":[`+vaxjoRing+`]}}`)
		}, opts: BoundaryOptions{Level: LevelDeSO}, place: "feature 0", field: "deso", want: `the code is the number 114, but a deso code has a letter (like "0114A0010")`},
		{name: "code of the wrong level", path: func(t *testing.T) string {
			return badFile(t, "lvl.geojson", `{"type":"Feature","properties":{"code":"0780"},"geometry":{"type":"Polygon","coordinates":[`+vaxjoRing+`]}}`)
		}, opts: BoundaryOptions{Level: LevelDeSO}, place: "feature 0", field: "code", want: "does not look like a deso code"},
		{name: "duplicate codes", path: func(t *testing.T) string {
			f := `{"type":"Feature","properties":{"deso":"0780C1210"},"geometry":{"type":"Polygon","coordinates":[` + vaxjoRing + `]}}`
			return badFile(t, "dup.geojson", f+","+f)
		}, opts: BoundaryOptions{Level: LevelDeSO}, place: "feature 1 (code 0780C1210)", field: "deso", want: "also in feature 0"},
		{name: "self-intersection", path: func(t *testing.T) string {
			return badFile(t, "bowtie.geojson", `{"type":"Feature","properties":{"deso":"0780C1210"},"geometry":{"type":"Polygon","coordinates":[[[14,56],[15,57],[15,56.4],[14,57],[14,56]]]}}`)
		}, opts: BoundaryOptions{Level: LevelDeSO}, place: "feature 0 (code 0780C1210)", field: "geometry", want: "self_intersection at (14.625, 56.625)"},
		{name: "symmetric bow tie", path: func(t *testing.T) string {
			return badFile(t, "bowtie0.geojson", `{"type":"Feature","properties":{"deso":"0780C1210"},"geometry":{"type":"Polygon","coordinates":[[[14,56],[15,57],[15,56],[14,57],[14,56]]]}}`)
		}, opts: BoundaryOptions{Level: LevelDeSO}, place: "feature 0 (code 0780C1210)", field: "geometry", want: "self_intersection at (14.5, 56.5)"},
		{name: "not JSON", path: func(t *testing.T) string {
			return writeTemp(t, "text.geojson", "deso;namn\n0780C1210;Växjö\n")
		}, opts: BoundaryOptions{Level: LevelDeSO}, want: `not valid GeoJSON: the file does not start with '{' (it starts with "deso;namn\n0780C1")`},
		{name: "JSON array", path: func(t *testing.T) string {
			return writeTemp(t, "array.json", `[{"type":"Feature","properties":{"deso":"0780C1210"},"geometry":null}]`)
		}, opts: BoundaryOptions{Level: LevelDeSO}, want: "a JSON array, not a FeatureCollection"},
		{name: "UTF-16", path: func(t *testing.T) string {
			return writeTemp(t, "utf16.geojson", string(utf16LE(`{"type":"FeatureCollection","features":[]}`)))
		}, opts: BoundaryOptions{Level: LevelDeSO}, want: "UTF-16 text: save it as UTF-8"},
		{name: "point geometry", path: func(t *testing.T) string {
			return badFile(t, "pt.geojson", `{"type":"Feature","properties":{"deso":"0780C1210"},"geometry":{"type":"Point","coordinates":[14,56]}}`)
		}, opts: BoundaryOptions{Level: LevelDeSO}, field: "geometry", want: "Point"},
		{name: "no code field", path: func(t *testing.T) string {
			return badFile(t, "nocode.geojson", `{"type":"Feature","properties":{"foo":"x"},"geometry":{"type":"Polygon","coordinates":[`+vaxjoRing+`]}}`)
		}, opts: BoundaryOptions{Level: LevelDeSO}, want: "no code field"},
		{name: "unknown GeoPackage layer", path: func(t *testing.T) string { return bdir + "deso_2018_dalarna_3006.gpkg" },
			opts: BoundaryOptions{Level: LevelDeSO, Layer: "nope"}, field: "layer", want: "the file has: deso_dalarna"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			s := newBoundaryStore(t)
			path := tt.path(t)
			_, err := s.ImportBoundaries(ctx, path, tt.opts)
			var ie *InputError
			if !errors.As(err, &ie) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want *InputError", err)
			}
			checkLanguages(t, err, nil, nil)
			if ie.File != path || !strings.Contains(ie.Place, tt.place) || ie.Field != tt.field || !strings.Contains(ie.Problem, tt.want) {
				t.Errorf("error = %#v\nwant place %q field %q problem containing %q", ie, tt.place, tt.field, tt.want)
			}
			if v, _ := s.DataVersion(ctx); v != 0 {
				t.Errorf("data version moved to %d", v)
			}
			if l := levelByID(t, s, LevelDeSO); l.Table != "" || l.AreaCount != 0 {
				t.Errorf("something was written: %+v", l)
			}
		})
	}
}

func TestWindingFixedAndValidateWritesNothing(t *testing.T) {
	ctx := context.Background()
	s := newBoundaryStore(t)
	// Clockwise exterior ring.
	p := badFile(t, "cw.geojson", `{"type":"Feature","properties":{"deso":"0780C1210"},"geometry":{"type":"Polygon","coordinates":[[[14,56],[14,57],[15,57],[15,56],[14,56]]]}}`)
	rep, err := s.ValidateBoundaries(ctx, p, BoundaryOptions{Level: LevelDeSO})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Fixed) != 1 || !strings.Contains(rep.Fixed[0], "wrong_winding") || !strings.Contains(rep.Fixed[0], "feature 0 (code 0780C1210)") {
		t.Errorf("fixed = %q", rep.Fixed)
	}
	if l := levelByID(t, s, LevelDeSO); l.Table != "" {
		t.Error("ValidateBoundaries wrote a table")
	}
	if _, err := s.ImportBoundaries(ctx, p, BoundaryOptions{Level: LevelDeSO}); err != nil {
		t.Fatal(err)
	}
	a, err := s.Area(ctx, LevelDeSO, "0780C1210")
	if err != nil {
		t.Fatal(err)
	}
	want := orb.MultiPolygon{{{{14, 56}, {15, 56}, {15, 57}, {14, 57}, {14, 56}}}}
	if !orb.Equal(a.Geometry, want) {
		t.Errorf("stored %v, want %v", a.Geometry, want)
	}
}

func BenchmarkImportDalarnaGeoPackage(b *testing.B) {
	ctx := context.Background()
	s := newBoundaryStore(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.ImportBoundaries(ctx, bdir+"deso_2018_dalarna_3006.gpkg", BoundaryOptions{Level: LevelDeSO}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestRealSelfIntersection: SCB's Halland county (lan_full_3006.gpkg) has one
// ring self-intersection; GEOS reports "Ring Self-intersection at or near
// point 354084.7508 6299513.2647" (ogrinfo -sql "select ST_IsValid(geom) ...").
func TestRealSelfIntersection(t *testing.T) {
	ctx := context.Background()
	s := newBoundaryStore(t)
	_, err := s.ImportBoundaries(ctx, bdir+"lan_13_halland_3006.gpkg", BoundaryOptions{Level: LevelLan})
	var ie *InputError
	if !errors.As(err, &ie) {
		t.Fatalf("err = %v, want *InputError", err)
	}
	if ie.Place != "feature 0 (code 13)" || ie.Field != "geometry" ||
		!strings.Contains(ie.Problem, "self_intersection at (354084.7508, 6299513.265) in EPSG:3006 (polygon 4, ring 0)") {
		t.Errorf("error = %#v", ie)
	}
}

// utf16LE encodes ASCII text as UTF-16 little-endian with a byte order
// mark, as Windows Notepad's "Unicode" saves it.
func utf16LE(s string) []byte {
	out := []byte{0xFF, 0xFE}
	for _, r := range s {
		out = append(out, byte(r), byte(r>>8))
	}
	return out
}
