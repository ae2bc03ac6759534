package data

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/segmap/segmap/internal/fault"
)

// Regression tests for hostile and odd uploads (issue 14): each builds its
// file in the test.

// storedSites counts the site layers and sites of s.
func storedSites(t *testing.T, s *Store) (layers, sites int) {
	t.Helper()
	if err := s.db.QueryRow(`SELECT count(*) FROM segmap_site_layers`).Scan(&layers); err != nil {
		t.Fatal(err)
	}
	if err := s.db.QueryRow(`SELECT count(*) FROM segmap_sites`).Scan(&sites); err != nil {
		t.Fatal(err)
	}
	return layers, sites
}

// TestGeoJSONByteOrderMark: a GeoJSON that starts with a UTF-8 byte order
// mark (as QGIS and Excel may write it) is read, as site and as boundary.
func TestGeoJSONByteOrderMark(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	body := append([]byte(utf8BOM), geojsonSites(`{"type":"Feature","properties":{"namn":"Kvarnbacken"},"geometry":{"type":"Point","coordinates":[17.8,59.2]}}`)...)
	layer, rep, err := s.ImportSites(ctx, "bom.geojson", body, SiteOptions{})
	if err != nil {
		t.Fatalf("BOM GeoJSON refused: %v", err)
	}
	if rep.Sites != 1 || layer == nil {
		t.Fatalf("report %+v, layer %+v", rep, layer)
	}
	sites, _, err := ValidateSites(ctx, "bom.geojson", body, SiteOptions{})
	if err != nil || len(sites) != 1 || sites[0].Name != "Kvarnbacken" {
		t.Fatalf("sites %+v, %v", sites, err)
	}

	p := filepath.Join(t.TempDir(), "bom.geojson")
	b := append([]byte(utf8BOM), `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"desokod":"0780C1210"},"geometry":{"type":"Polygon","coordinates":[[[14,56],[15,56],[15,57],[14,56]]]}}]}`...)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := readGeoJSON(p)
	if err != nil || len(src.Features) != 1 {
		t.Fatalf("boundary GeoJSON with BOM: %v", err)
	}
	// A syntax error after the mark names the same line and column as
	// without it.
	bad := "{\n \"type\": }"
	_, _, errBOM := decodeGeoJSON("x.geojson", append([]byte(utf8BOM), bad...), "site")
	_, _, errPlain := decodeGeoJSON("x.geojson", []byte(bad), "site")
	if errBOM == nil || errPlain == nil || errBOM.Error() != errPlain.Error() || !strings.Contains(errBOM.Error(), "line 2") {
		t.Errorf("with mark %v, without %v", errBOM, errPlain)
	}
}

// TestCSVByteOrderMark: the CSV reader drops the mark before the header.
func TestCSVByteOrderMark(t *testing.T) {
	tab, err := readCSV("bom.csv", []byte(utf8BOM+"deso;value\n0114A0010;7,5\n"))
	if err != nil {
		t.Fatal(err)
	}
	if tab.header[0] != "deso" || len(tab.rows) != 1 {
		t.Errorf("header %q, %d rows", tab.header, len(tab.rows))
	}
}

// shpOfPoints is a .shp of n points in SWEREF 99 TM (Botkyrka).
func shpOfPoints(n int) []byte {
	b := make([]byte, 100, 100+n*28)
	binary.BigEndian.PutUint32(b[0:], 9994)
	binary.LittleEndian.PutUint32(b[28:], 1000)
	binary.LittleEndian.PutUint32(b[32:], 1)
	for i := 0; i < n; i++ {
		r := make([]byte, 28)
		binary.BigEndian.PutUint32(r[0:], uint32(i+1))
		binary.BigEndian.PutUint32(r[4:], 10) // 20 bytes of content, in 16-bit words
		binary.LittleEndian.PutUint32(r[8:], 1)
		binary.LittleEndian.PutUint64(r[12:], math.Float64bits(660000+float64(i)))
		binary.LittleEndian.PutUint64(r[20:], math.Float64bits(6565000))
		b = append(b, r...)
	}
	binary.BigEndian.PutUint32(b[24:], uint32(len(b)/2))
	return b
}

type dbfTestField struct {
	name string
	typ  byte
	len  int
}

// dbfOf is a dBASE III file whose header declares nrec records of rlen
// bytes and the given fields, followed by body (the records as stored).
func dbfOf(nrec uint32, rlen int, fields []dbfTestField, body []byte) []byte {
	hlen := 32 + 32*len(fields) + 1
	b := make([]byte, hlen, hlen+len(body)+1)
	b[0] = 3
	binary.LittleEndian.PutUint32(b[4:], nrec)
	binary.LittleEndian.PutUint16(b[8:], uint16(hlen))
	binary.LittleEndian.PutUint16(b[10:], uint16(rlen))
	for i, f := range fields {
		d := b[32+32*i:]
		copy(d[:11], f.name)
		d[11] = f.typ
		d[16] = byte(f.len)
	}
	b[hlen-1] = 0x0D
	b = append(b, body...)
	return append(b, 0x1A)
}

// dbfRecords is n records of one C field of width w, each "x…".
func dbfRecords(n, w int) []byte {
	rec := append([]byte{' '}, bytes.Repeat([]byte("x"), w)...)
	return bytes.Repeat(rec, n)
}

// TestShapefileHostileDBF: a .dbf whose header claims more records than
// the .shp has shapes, or fields that cannot be, is refused from its
// header, before its records are decoded, and nothing is stored.
func TestShapefileHostileDBF(t *testing.T) {
	ctx := context.Background()
	prj := []byte(`PROJCS["SWEREF99_TM",GEOGCS["GCS_SWEREF99",DATUM["D_SWEREF99",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",15.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`)
	namn := []dbfTestField{{"namn", 'C', 1}}
	many := make([]dbfTestField, dbfMaxFields+1)
	for i := range many {
		many[i] = dbfTestField{fmt.Sprintf("f%d", i), 'C', 1}
	}
	const million = 1 << 20
	tests := []struct {
		name     string
		shp, dbf []byte
		want     []string
	}{
		{"a million records for one shape", shpOfPoints(1), dbfOf(million, 2, namn, dbfRecords(million, 1)),
			[]string{"h.zip", "h.dbf", "has 1048576 records but h.shp has 1 shapes"}},
		{"records past the end of the file", shpOfPoints(3), dbfOf(3, 2, namn, dbfRecords(2, 1)),
			[]string{"h.zip/h.dbf", "3 records of 2 bytes run past the end of the file"}},
		{"records past what the zip may expand to (4 MiB here)", shpOfPoints(100), dbfOf(100, 65535, []dbfTestField{{"namn", 'C', 255}}, nil),
			[]string{"h.zip/h.dbf", "declares 100 records of 65535 bytes, more than the", "bytes the zip may still expand to"}},
		{"a field of no bytes", shpOfPoints(2), dbfOf(2, 2, []dbfTestField{{"namn", 'C', 1}, {"tom", 'C', 0}}, dbfRecords(2, 1)),
			[]string{"h.dbf", "field 2", `"tom"`, "length 0 bytes"}},
		{"more fields than dBASE allows", shpOfPoints(1), dbfOf(1, 1+len(many), many, dbfRecords(1, len(many))),
			[]string{"h.dbf", "more than 255 fields"}},
		{"fields wider than the record", shpOfPoints(1), dbfOf(1, 2, []dbfTestField{{"namn", 'C', 40}}, dbfRecords(1, 40)),
			[]string{"h.dbf", "fields need 41 bytes but a record has 2"}},
		{"more shapes than sites allowed", shpOfPoints(DefaultSiteMaxFeatures + 1), dbfOf(DefaultSiteMaxFeatures+1, 2, namn, dbfRecords(DefaultSiteMaxFeatures+1, 1)),
			[]string{"h.shp", "more than 10000 shapes, the limit of sites per layer"}},
	}
	s := newStore(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body := zipOf(t, map[string][]byte{"h.shp": tc.shp, "h.dbf": tc.dbf, "h.prj": prj})
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, _, err := s.ImportSites(ctx, "h.zip", body, SiteOptions{MaxExpandedBytes: 4 << 20})
			runtime.ReadMemStats(&after)
			var ie *InputError
			if !errors.As(err, &ie) || !errors.Is(err, fault.Invalid) {
				t.Fatalf("error %v, want an *InputError", err)
			}
			checkLanguages(t, err, nil, nil)
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			// What is decoded is bounded by the header checks: the zip's
			// members (≤ 2.3 MB here) and not one map per claimed record
			// (a million maps would be well over 100 MB).
			if grown := after.TotalAlloc - before.TotalAlloc; grown > 64<<20 {
				t.Errorf("refusing it allocated %d MiB", grown>>20)
			}
		})
	}
	if layers, sites := storedSites(t, s); layers != 0 || sites != 0 {
		t.Errorf("%d layers, %d sites stored after refused uploads", layers, sites)
	}
	// The builders make a valid shapefile when the counts agree.
	body := zipOf(t, map[string][]byte{"h.shp": shpOfPoints(3), "h.dbf": dbfOf(3, 5, []dbfTestField{{"namn", 'C', 4}}, dbfRecords(3, 4)), "h.prj": prj})
	sites, _, err := ValidateSites(ctx, "h.zip", body, SiteOptions{})
	if err != nil || len(sites) != 3 || sites[0].Name != "xxxx" {
		t.Fatalf("valid shapefile: %d sites, %v", len(sites), err)
	}
}

// TestShapefileCancelled: reading a shapefile stops when ctx is done.
func TestShapefileCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := readShapefile(ctx, shapefileParts{Name: "c", SHP: shpOfPoints(10), DBF: dbfOf(10, 2, []dbfTestField{{"namn", 'C', 1}}, dbfRecords(10, 1)), HasDBF: true}, 100)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	// Read directly (not from a zip), a header claiming more records than
	// the file holds is refused from the header too.
	_, err = readShapefile(context.Background(), shapefileParts{Name: "d", SHP: shpOfPoints(1), DBF: dbfOf(1<<31, 2, []dbfTestField{{"namn", 'C', 1}}, dbfRecords(2, 1)), HasDBF: true}, 100)
	if err == nil || !strings.Contains(err.Error(), "d.dbf: 2147483648 records of 2 bytes run past the end of the file") {
		t.Fatalf("error %v", err)
	}
}

// TestSiteTextLimits: names, attribute names and values and the number of
// attributes of an upload are bounded; a refusal names the file, the
// feature, the field and the limit, and nothing is stored.
func TestSiteTextLimits(t *testing.T) {
	point := `"geometry":{"type":"Point","coordinates":[17.8,59.2]}`
	feature := func(props string) string { return `{"type":"Feature","properties":{` + props + `},` + point + `}` }
	long := func(n int) string { return strings.Repeat("å", n) }
	manyFields := make([]string, SiteMaxFields+1)
	for i := range manyFields {
		manyFields[i] = fmt.Sprintf(`"f%d":1`, i)
	}
	tests := []struct {
		name  string
		body  []byte
		want  []string // "" : accepted
		sites int
	}{
		{"name at the limit", geojsonSites(feature(`"namn":"` + long(SiteMaxNameRunes) + `"`)), nil, 1},
		{"name over the limit", geojsonSites(feature(`"namn":"a"`) + "," + feature(`"namn":"`+long(SiteMaxNameRunes+1)+`"`)),
			[]string{"t.geojson", "feature 1", `field "namn"`, "the name has 501 characters, more than the limit of 500"}, 0},
		{"a 4 MB name", geojsonSites(feature(`"name":"` + strings.Repeat("x", 4<<20) + `"`)),
			[]string{"t.geojson", "feature 0", `field "name"`, "the name has 4194304 characters, more than the limit of 500"}, 0},
		{"description over the limit", geojsonSites(feature(`"namn":"a","beskrivning":"` + long(SiteMaxTextRunes+1) + `"`)),
			[]string{"feature 0", `field "beskrivning"`, "the value has 2001 characters, more than the limit of 2000"}, 0},
		{"an object property over the limit", geojsonSites(feature(`"meta":{"x":"` + long(SiteMaxTextRunes) + `"}`)),
			[]string{"feature 0", `field "meta"`, "the value has 2008 characters"}, 0},
		{"too many attributes", geojsonSites(feature(strings.Join(manyFields, ","))),
			[]string{"t.geojson", "201 attribute fields, more than the limit of 200 per layer"}, 0},
		{"a long attribute name", geojsonSites(feature(`"` + long(SiteMaxFieldNameRunes+1) + `":1`)),
			[]string{"t.geojson", "an attribute name of 201 characters, more than the limit of 200", "ååå…"}, 0},
	}
	ctx := context.Background()
	s := newStore(t)
	stored := 0
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, rep, err := s.ImportSites(ctx, "t.geojson", tc.body, SiteOptions{})
			if tc.want == nil {
				if err != nil || rep.Sites != tc.sites {
					t.Fatalf("refused: %v", err)
				}
				stored += tc.sites
				return
			}
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v, want an *InputError", err)
			}
			checkLanguages(t, err, nil, nil)
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if len(err.Error()) > 400 {
				t.Errorf("message of %d bytes; it must not repeat the value", len(err.Error()))
			}
		})
	}
	if _, sites := storedSites(t, s); sites != stored {
		t.Errorf("%d sites stored, want %d (only the accepted uploads)", sites, stored)
	}
}

// TestSiteTextLayerTotal: the text of all sites of a layer is bounded.
func TestSiteTextLayerTotal(t *testing.T) {
	v := strings.Repeat("x", SiteMaxTextRunes)
	src := &boundarySource{File: "big.geojson", Fields: []string{"a", "b"}}
	for i := 0; i < DefaultSiteMaxFeatures; i++ {
		src.Features = append(src.Features, boundaryFeature{Index: i, Props: map[string]any{"a": v, "b": v}})
	}
	err := checkSiteText(context.Background(), src, "")
	// Each feature holds 2 × (2,000 + 1) bytes; the first past 32 MiB is refused.
	first := fmt.Sprintf("big.geojson: feature %d:", SiteMaxLayerTextBytes/(2*(SiteMaxTextRunes+1)))
	if err == nil || !strings.Contains(err.Error(), first) || !strings.Contains(err.Error(), "more than 32 MiB of text, the limit per layer") {
		t.Fatalf("error %v", err)
	}
	src.Features = src.Features[:8000]
	if err := checkSiteText(context.Background(), src, ""); err != nil {
		t.Fatalf("32 MB of text refused: %v", err)
	}
}

// TestSiteTextLimitsGeoPackage: a long name in a GeoPackage is refused too.
func TestSiteTextLimitsGeoPackage(t *testing.T) {
	body := geoPackageWith(t, `CREATE TRIGGER long_name AFTER INSERT ON sites BEGIN UPDATE sites SET namn = printf('%.600c', 'x') WHERE fid = 2; END`)
	_, _, err := ValidateSites(context.Background(), "l.gpkg", body, SiteOptions{})
	if err == nil || !strings.Contains(err.Error(), `l.gpkg: feature 1: field "namn": the name has 600 characters, more than the limit of 500`) {
		t.Fatalf("error %v", err)
	}
}

// BenchmarkShapefileRefuseHostileDBF: refusing a .dbf that claims a
// million records for one shape costs its header, not its records.
func BenchmarkShapefileRefuseHostileDBF(b *testing.B) {
	p := shapefileParts{Name: "h", SHP: shpOfPoints(1), DBF: dbfOf(1<<20, 2, []dbfTestField{{"namn", 'C', 1}}, dbfRecords(1<<20, 1)), HasDBF: true}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := readShapefile(context.Background(), p, DefaultSiteMaxFeatures); err == nil {
			b.Fatal("accepted")
		}
	}
}

// BenchmarkShapefileRead: a full layer of 10,000 points with a name each.
func BenchmarkShapefileRead(b *testing.B) {
	n := DefaultSiteMaxFeatures
	p := shapefileParts{Name: "p", SHP: shpOfPoints(n), DBF: dbfOf(uint32(n), 21, []dbfTestField{{"namn", 'C', 20}}, dbfRecords(n, 20)), HasDBF: true, PRJ: []byte(`PROJCS["SWEREF99_TM"]`), HasPRJ: true}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := readShapefile(context.Background(), p, n); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSiteGeoPackageGuarded: validating the fixture GeoPackage upload
// through the guarded connection (temporary copy, schema checks, read).
func BenchmarkSiteGeoPackageGuarded(b *testing.B) {
	body := siteFixture(b, "botkyrka_planerat_3006.gpkg")
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := ValidateSites(context.Background(), "b.gpkg", body, SiteOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
