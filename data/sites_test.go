package data

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/segmap/segmap/spatial/proj"
)

func siteFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "sites", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// gdalSiteAreas reads the site areas GDAL computed (testdata/sites/gen.sh).
func gdalSiteAreas(t testing.TB) map[string]float64 {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(siteFixture(t, "expected_overlaps_gdal.csv")))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, rec := range recs[1:] {
		v, err := strconv.ParseFloat(rec[2], 64)
		if err != nil {
			t.Fatal(err)
		}
		out[rec[0]] = v
	}
	return out
}

func TestImportSitesFormats(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	want := gdalSiteAreas(t)
	tests := []struct {
		file  string
		sites int
	}{
		{"botkyrka_planerat_3006.geojson", 3},
		{"botkyrka_planerat_4326.geojson", 3},
		{"botkyrka_planerat_3006.gpkg", 3},
		{"botkyrka_planerat_3006.zip", 2}, // a shapefile holds the polygons only
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			l, rep, err := s.ImportSites(ctx, tc.file, siteFixture(t, tc.file), SiteOptions{Name: "Planerat " + tc.file})
			if err != nil {
				t.Fatal(err)
			}
			if l.Sites != tc.sites || l.Name != "Planerat "+tc.file {
				t.Errorf("layer %+v, want %d sites", l, tc.sites)
			}
			wantSRID := proj.SWEREF99TM
			if strings.Contains(tc.file, "4326") {
				wantSRID = proj.WGS84
			}
			if rep.SourceSRID != wantSRID || l.SourceSRID != wantSRID {
				t.Errorf("source SRID %d/%d, want %d", rep.SourceSRID, l.SourceSRID, wantSRID)
			}
			sites, err := s.Sites(ctx, l.ID)
			if err != nil {
				t.Fatal(err)
			}
			alby := sites[0]
			if alby.Name != "Albyberget etapp 1" || alby.Dwellings == nil || *alby.Dwellings != 450 || alby.Tenure != TenureRental || alby.Year == nil || *alby.Year != 2029 {
				t.Errorf("first site %+v (dwellings %v, year %v)", alby, alby.Dwellings, alby.Year)
			}
			if alby.Props["byggherre"] != "Botkyrkabyggen" {
				t.Errorf("other properties %v, want byggherre kept", alby.Props)
			}
			if sites[1].Tenure != TenureTenantOwned {
				t.Errorf("second site tenure %q", sites[1].Tenure)
			}
			// Area in SWEREF 99 TM against GDAL's ST_Area; the 4326 source is
			// projected by segmap rather than GDAL, so allow 0.01 %.
			for _, st := range sites {
				w, ok := want[st.Name]
				if !ok {
					continue
				}
				if math.Abs(st.AreaM2-w) > 1e-4*w {
					t.Errorf("%s: area %.3f m², GDAL %.3f", st.Name, st.AreaM2, w)
				}
			}
			if b := sites[0].Geometry.Bound(); !inSweden(b) {
				t.Errorf("WGS 84 geometry %v not in Sweden", b)
			}
		})
	}
	ls, err := s.SiteLayers(ctx)
	if err != nil || len(ls) != len(tests) {
		t.Fatalf("layers %v, %v", ls, err)
	}
	if err := s.RenameSiteLayer(ctx, ls[0].ID, "Nytt namn"); err != nil {
		t.Fatal(err)
	}
	if l, _ := s.SiteLayer(ctx, ls[0].ID); l.Name != "Nytt namn" {
		t.Errorf("renamed to %q", l.Name)
	}
	if err := s.DeleteSiteLayer(ctx, ls[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sites(ctx, ls[0].ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("sites of a deleted layer: %v, want ErrNotFound", err)
	}
	var orphans int
	s.db.QueryRow(`SELECT count(*) FROM segmap_sites WHERE layer = ?`, ls[0].ID).Scan(&orphans)
	if orphans != 0 {
		t.Errorf("%d sites left of the deleted layer", orphans)
	}
	if err := s.DeleteSiteLayer(ctx, 999999); !errors.Is(err, ErrNotFound) {
		t.Errorf("delete unknown: %v", err)
	}
}

// TestSitesGeoPackage checks that GDAL reads the store's site table.
func TestSitesGeoPackageOGR(t *testing.T) {
	needBoundaryTool(t, "ogrinfo")
	ctx := context.Background()
	s := newStore(t)
	if _, _, err := s.ImportSites(ctx, "b.geojson", siteFixture(t, "botkyrka_planerat_3006.geojson"), SiteOptions{}); err != nil {
		t.Fatal(err)
	}
	out := ogrinfo(t, "-so", s.Path(), "segmap_sites")
	if !strings.Contains(out, "Feature Count: 3") || !strings.Contains(out, "dwellings: Integer") {
		t.Errorf("ogrinfo:\n%s", out)
	}
}

func geojsonSites(features string) []byte {
	return []byte(`{"type":"FeatureCollection","features":[` + features + `]}`)
}

func zipOf(t testing.TB, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, b := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestSitesBadInput(t *testing.T) {
	ctx := context.Background()
	shpZip := siteFixture(t, "botkyrka_planerat_3006.zip")
	zr, err := zip.NewReader(bytes.NewReader(shpZip), int64(len(shpZip)))
	if err != nil {
		t.Fatal(err)
	}
	members := map[string][]byte{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		var b bytes.Buffer
		b.ReadFrom(rc)
		rc.Close()
		members[f.Name] = b.Bytes()
	}
	without := func(ext string) map[string][]byte {
		m := map[string][]byte{}
		for k, v := range members {
			if !strings.HasSuffix(k, ext) {
				m[k] = v
			}
		}
		return m
	}
	truncated := without(".shp")
	truncated["botkyrka_planerat.shp"] = members["botkyrka_planerat.shp"][:180]
	tests := []struct {
		name, file string
		body       []byte
		opts       SiteOptions
		want       []string // substrings of the message (file, place, field, problem)
	}{
		{"empty file", "x.geojson", nil, SiteOptions{}, []string{"x.geojson", "empty"}},
		{"unknown type", "x.txt", []byte("hello"), SiteOptions{}, []string{"x.txt", "unknown file type"}},
		{"geojson that is not json", "x.geojson", []byte("namn,x,y\nA,17.8,59.2\n"), SiteOptions{}, []string{"x.geojson", `not valid GeoJSON: the file does not start with '{' (it starts with "namn,x,y\nA,17.8,")`}},
		{"json array", "x.json", []byte(` [{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[17.8,59.2]}}]`), SiteOptions{}, []string{"x.json", "a JSON array, not a FeatureCollection"}},
		{"utf-16 geojson", "x.geojson", utf16LE(string(geojsonSites(`{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[17.8,59.2]}}`))), SiteOptions{}, []string{"x.geojson", "UTF-16 text: save it as UTF-8"}},
		{"utf-16 without a mark or extension", "platser", utf16LE(`{"type":"FeatureCollection"}`)[2:], SiteOptions{}, []string{"platser", "UTF-16 text"}},
		{"symmetric bow tie", "x.geojson", geojsonSites(`{"type":"Feature","properties":{"namn":"Fluga"},"geometry":{"type":"Polygon","coordinates":[[[17.80,59.20],[17.82,59.21],[17.82,59.20],[17.80,59.21],[17.80,59.20]]]}}`), SiteOptions{},
			[]string{"x.geojson", `feature 0 ("Fluga")`, `"geometry"`, "the polygon crosses itself at (17.81, 59.205)", "cannot be repaired"}},
		{"bad json", "x.geojson", []byte(`{"type":"FeatureCollection","features":[}`), SiteOptions{}, []string{"x.geojson", "line 1"}},
		{"empty collection", "x.geojson", geojsonSites(""), SiteOptions{}, []string{"x.geojson", `"features"`, "no features"}},
		{"line", "x.geojson", geojsonSites(`{"type":"Feature","properties":{"namn":"Väg"},"geometry":{"type":"LineString","coordinates":[[17.8,59.2],[17.9,59.3]]}}`), SiteOptions{},
			[]string{"x.geojson", `feature 0 ("Väg")`, `"geometry"`, "LineString", "Polygon, MultiPolygon or Point"}},
		{"bow tie", "x.geojson", geojsonSites(`{"type":"Feature","properties":{"namn":"Fluga"},"geometry":{"type":"Polygon","coordinates":[[[17.80,59.20],[17.82,59.21],[17.82,59.20],[17.80,59.215],[17.80,59.20]]]}}`), SiteOptions{},
			[]string{"x.geojson", `feature 0 ("Fluga")`, `"geometry"`, "the polygon crosses itself at (17.812, 59.206)", "cannot be repaired"}},
		{"sweref numbers declared as wgs84", "x.geojson", []byte(`{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:4326"}},"features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[662300,6570000]}}]}`), SiteOptions{},
			[]string{"x.geojson", "feature 0", `"geometry"`, "not in Sweden", "SWEREF 99 TM (EPSG:3006)"}},
		{"lat lon swapped", "x.geojson", geojsonSites(`{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[59.2,17.8]}}`), SiteOptions{},
			[]string{"x.geojson", "feature 0", "wrong order", "longitude first"}},
		{"northing easting swapped", "x.geojson", geojsonSites(`{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[6570000,662300]}}`), SiteOptions{},
			[]string{"x.geojson", "feature 0", "swapped"}},
		{"rt90", "x.geojson", geojsonSites(`{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1612000,6570000]}}`), SiteOptions{},
			[]string{"x.geojson", "RT90", "EPSG:3021"}},
		{"local sweref zone", "x.geojson", geojsonSites(`{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[148000,6570000]}}`), SiteOptions{},
			[]string{"x.geojson", "EPSG:3011"}},
		{"tenure", "x.geojson", geojsonSites(`{"type":"Feature","properties":{"namn":"A","upplåtelseform":"kooperativ hyra"},"geometry":{"type":"Point","coordinates":[17.8,59.2]}}`), SiteOptions{},
			[]string{"x.geojson", `feature 0 ("A")`, `"upplåtelseform"`, "hyresrätt, bostadsrätt or äganderätt"}},
		{"dwellings", "x.geojson", geojsonSites(`{"type":"Feature","properties":{"namn":"A","bostäder":"många"},"geometry":{"type":"Point","coordinates":[17.8,59.2]}}`), SiteOptions{},
			[]string{"x.geojson", `feature 0 ("A")`, `"bostäder"`, "whole number"}},
		{"year", "x.geojson", geojsonSites(`{"type":"Feature","properties":{"namn":"A","year":30},"geometry":{"type":"Point","coordinates":[17.8,59.2]}}`), SiteOptions{},
			[]string{"x.geojson", `"year"`, "such as 2028"}},
		{"too many vertices in a site", "big.geojson", geojsonSites(circleSite("Stor", 17.8, 59.2, 25000)), SiteOptions{},
			[]string{"big.geojson", `feature 0 ("Stor")`, `"geometry"`, "25001 vertices", "limit of 20000 per site", "Förenkla geometrin", "Vector > Geometry Tools > Simplify"}},
		{"site vertex cap from the options", "x.geojson", geojsonSites(circleSite("A", 17.8, 59.2, 100)), SiteOptions{MaxSiteVertices: 100},
			[]string{"x.geojson", `feature 0 ("A")`, "101 vertices", "limit of 100 per site"}},
		{"too many vertices in an upload", "x.geojson", geojsonSites(circleSite("A", 17.8, 59.2, 100) + "," + circleSite("B", 17.9, 59.2, 100)), SiteOptions{MaxLayerVertices: 150},
			[]string{"x.geojson", `"geometry"`, "202 vertices in all", "limit of 150 per upload", "Simplify"}},
		{"too many features", "x.geojson", geojsonSites(`{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[17.8,59.2]}},{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[17.8,59.2]}}`), SiteOptions{MaxFeatures: 1},
			[]string{"x.geojson", "limit of 1"}},
		{"zip slip", "slip.zip", zipOf(t, map[string][]byte{"../../etc/cron.d/x.shp": []byte("x")}), SiteOptions{},
			[]string{"slip.zip", "entry ../../etc/cron.d/x.shp", "outside the archive", "zip slip"}},
		{"zip absolute", "abs.zip", zipOf(t, map[string][]byte{"/tmp/x.geojson": []byte("x")}), SiteOptions{},
			[]string{"abs.zip", "absolute path"}},
		{"zip bomb", "bomb.zip", zipOf(t, map[string][]byte{"a.geojson": bytes.Repeat([]byte(" "), 1<<20)}), SiteOptions{MaxExpandedBytes: 64 << 10},
			[]string{"bomb.zip", "expand to 1048576 bytes", "limit of 65536"}},
		{"shapefile without dbf", "nodbf.zip", zipOf(t, without(".dbf")), SiteOptions{},
			[]string{"nodbf.zip", "botkyrka_planerat.dbf", "missing"}},
		{"shapefile without prj", "noprj.zip", zipOf(t, map[string][]byte{"p.shp": members["botkyrka_planerat.shp"], "p.dbf": members["botkyrka_planerat.dbf"]}), SiteOptions{}, nil}, // SWEREF extent: read as EPSG:3006
		{"truncated shp", "trunc.zip", zipOf(t, truncated), SiteOptions{},
			[]string{"botkyrka_planerat.shp", "shape 0", "runs past the end"}},
		{"unknown prj", "prj.zip", zipOf(t, map[string][]byte{"p.shp": members["botkyrka_planerat.shp"], "p.dbf": members["botkyrka_planerat.dbf"], "p.prj": []byte(`PROJCS["RT90 2.5 gon V",GEOGCS["RT90"],PROJECTION["Transverse_Mercator"],PARAMETER["central_meridian",15.8082777778]]`)}), SiteOptions{},
			[]string{"p.prj", "RT90 2.5 gon V", "SWEREF 99 TM (EPSG:3006)"}},
		{"gpkg with two layers", "two.gpkg", twoLayerGeoPackage(t), SiteOptions{},
			[]string{"two.gpkg", `"layer"`, "2 feature layers"}},
	}
	// What the Swedish message (the default for people) must say; every
	// refusal is also checked to have a Swedish problem without English.
	sv := map[string][]string{
		"symmetric bow tie":                {`x.geojson: objekt 0 ("Fluga"): fält "geometry": polygonen korsar sig själv vid (17.81, 59.205)`, "går inte att laga"},
		"bow tie":                          {`objekt 0 ("Fluga")`, "polygonen korsar sig själv vid (17.812, 59.206)", "Laga geometrier"},
		"bad json":                         {"x.geojson: inte giltig GeoJSON: fel på rad 1, kolumn"},
		"line":                             {`objekt 0 ("Väg"): fält "geometry"`, "av typen LineString", "Polygon, MultiPolygon eller Point"},
		"sweref numbers declared as wgs84": {`objekt 0: fält "geometry"`, "ligger inte i Sverige", "nordlig koordinat ~6\u00a0570\u00a0000, östlig ~662\u00a0300 meter", "troligen SWEREF 99 TM (EPSG:3006)"},
		"lat lon swapped":                  {`x.geojson: objekt 0: fält "geometry": koordinaterna (runt 59.2, 17.8) ligger inte i Sverige`, "latitud och longitud i fel ordning", "longituden först"},
		"northing easting swapped":         {"objekt 0", "nordlig och östlig koordinat omkastade"},
		"rt90":                             {"objekt 0", "RT90", "EPSG:3021", "projicera om"},
		"local sweref zone":                {"EPSG:3011", "lokal SWEREF 99-zon"},
		"dwellings":                        {`objekt 0 ("A"): fält "bostäder": planerade bostäder: "många" är inte ett tal`, "heltal"},
		"year":                             {`fält "year": år: 30 är inte ett heltal mellan 1900 och 2200`, "som 2028"},
		"zip slip":                         {"slip.zip: zip-post ../../etc/cron.d/x.shp", "pekar ut ur arkivet", "zip slip"},
		"zip absolute":                     {"abs.zip: zip-post /tmp/x.geojson", "absolut sökväg"},
		"truncated shp":                    {"botkyrka_planerat.shp: form 0", "går förbi filens slut"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := ValidateSites(ctx, tc.file, tc.body, tc.opts)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			var ie *InputError
			if !errors.As(err, &ie) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v (%T), want an *InputError", err, err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("message %q lacks %q", err.Error(), w)
				}
			}
			checkLanguages(t, err, sv[tc.name], nil)
		})
	}
}

func twoLayerGeoPackage(t *testing.T) []byte {
	t.Helper()
	needBoundaryTool(t, "ogr2ogr")
	dir := t.TempDir()
	out := filepath.Join(dir, "two.gpkg")
	src := filepath.Join("..", "testdata", "sites", "botkyrka_planerat_3006.gpkg")
	runOGR(t, "ogr2ogr", "-f", "GPKG", out, src, "-nln", "a")
	runOGR(t, "ogr2ogr", "-update", "-f", "GPKG", out, src, "-nln", "b")
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseTenure(t *testing.T) {
	for in, want := range map[string]string{
		"Hyresrätt": TenureRental, "hyresratt": TenureRental, "rental": TenureRental, "HR": TenureRental,
		"Bostadsrätt": TenureTenantOwned, "tenant-owned": TenureTenantOwned, "BR": TenureTenantOwned,
		"Äganderätt": TenureOwnerOccupied, "owner occupied": TenureOwnerOccupied, "": "",
	} {
		got, ok := ParseTenure(in)
		if !ok || got != want {
			t.Errorf("ParseTenure(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if _, ok := ParseTenure("kooperativ"); ok {
		t.Error("kooperativ accepted")
	}
}

// TestImportSitesNothingStoredOnError: a failing upload leaves no layer.
func TestImportSitesNothingStoredOnError(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	bad := geojsonSites(`{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[17.8,59.2]}},{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[17.8,59.2],[17.9,59.2]]}}`)
	if _, _, err := s.ImportSites(ctx, "x.geojson", bad, SiteOptions{}); err == nil {
		t.Fatal("no error")
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, _, err := s.ImportSites(cctx, "b.geojson", siteFixture(t, "botkyrka_planerat_3006.geojson"), SiteOptions{}); err == nil {
		t.Fatal("no error with a cancelled context")
	}
	var layers, sites int
	s.db.QueryRow(`SELECT count(*) FROM segmap_site_layers`).Scan(&layers)
	s.db.QueryRow(`SELECT count(*) FROM segmap_sites`).Scan(&sites)
	if layers != 0 || sites != 0 {
		t.Errorf("%d layers, %d sites stored after failed imports", layers, sites)
	}
}

func FuzzShapefile(f *testing.F) {
	shpZip := siteFixture(f, "botkyrka_planerat_3006.zip")
	zr, _ := zip.NewReader(bytes.NewReader(shpZip), int64(len(shpZip)))
	var shp, dbf []byte
	for _, zf := range zr.File {
		rc, _ := zf.Open()
		var b bytes.Buffer
		b.ReadFrom(rc)
		rc.Close()
		switch filepath.Ext(zf.Name) {
		case ".shp":
			shp = b.Bytes()
		case ".dbf":
			dbf = b.Bytes()
		}
	}
	f.Add(shp, dbf)
	f.Add(shp[:100], dbf[:40])
	// Headers that claim more than is there (issue 14).
	f.Add(shpOfPoints(1), dbfOf(1<<20, 2, []dbfTestField{{"namn", 'C', 1}}, dbfRecords(1<<10, 1)))
	f.Add(shpOfPoints(2), dbfOf(2, 2, []dbfTestField{{"namn", 'C', 1}, {"tom", 'C', 0}}, dbfRecords(2, 1)))
	f.Add(shpOfPoints(3), dbfOf(3, 5, []dbfTestField{{"namn", 'C', 4}}, dbfRecords(3, 4)))
	f.Fuzz(func(t *testing.T, shp, dbf []byte) {
		src, err := readShapefile(context.Background(), shapefileParts{Name: "f", SHP: shp, DBF: dbf, HasDBF: true}, DefaultSiteMaxFeatures)
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v is not an *InputError", err)
			}
			requireSwedishProblem(t, ie)
			return
		}
		if len(src.Features) == 0 || len(src.Features) > DefaultSiteMaxFeatures {
			t.Fatalf("%d features and no error", len(src.Features))
		}
	})
}

func FuzzSiteUpload(f *testing.F) {
	f.Add(siteFixture(f, "botkyrka_planerat_3006.zip"))
	f.Add(siteFixture(f, "botkyrka_planerat_3006.geojson"))
	f.Add(zipOf(f, map[string][]byte{"../x.shp": []byte("x")}))
	f.Add(zipOf(f, map[string][]byte{"a.geojson": []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[17.8,59.2]}}]}`)}))
	f.Fuzz(func(t *testing.T, body []byte) {
		if bytes.HasPrefix(body, []byte("SQLite format 3\x00")) {
			return // GeoPackages are SQLite's business
		}
		sites, _, err := ValidateSites(context.Background(), "f.zip", body, SiteOptions{MaxExpandedBytes: 1 << 20})
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v is not an *InputError", err)
			}
			requireSwedishProblem(t, ie)
			return
		}
		for _, s := range sites {
			if !inSweden(s.Geometry.Bound()) {
				t.Fatalf("site outside Sweden accepted: %v", s.Geometry.Bound())
			}
		}
	})
}

func runOGR(t testing.TB, args ...string) string {
	t.Helper()
	out, err := exec.Command(args[0], args[1:]...).CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %v\n%s", args, err, out)
	}
	return string(out)
}

func ogrinfo(t testing.TB, args ...string) string {
	t.Helper()
	return runOGR(t, append([]string{"ogrinfo", "-ro"}, args...)...)
}

// TestSitesRepairedAndSaid: safe repairs are made and reported.
func TestSitesRepairedAndSaid(t *testing.T) {
	// Clockwise exterior with a repeated point (both repaired), in SWEREF 99
	// TM without a crs member (read as EPSG:3006, reported).
	body := geojsonSites(`{"type":"Feature","properties":{"namn":"Medurs"},"geometry":{"type":"Polygon","coordinates":[[[662000,6569800],[662000,6570300],[662000,6570300],[662600,6570300],[662600,6569800],[662000,6569800]]]}}`)
	sites, rep, err := ValidateSites(context.Background(), "medurs.geojson", body, SiteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	notes := strings.Join(rep.Notes, "\n")
	for _, want := range []string{"EPSG:3006", "repaired: a ring wound the wrong way", "repaired: a repeated point", `feature 0 ("Medurs")`} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes %q lack %q", notes, want)
		}
	}
	if rep.SourceSRID != proj.SWEREF99TM || math.Abs(sites[0].AreaM2-600*500) > 1e-6 {
		t.Errorf("srid %d, area %v", rep.SourceSRID, sites[0].AreaM2)
	}
}

// circleSite is a GeoJSON Feature: a polygon of n vertices (+ closing) on a
// circle of ~100 m around lon, lat.
func circleSite(name string, lon, lat float64, n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `{"type":"Feature","properties":{"namn":%q},"geometry":{"type":"Polygon","coordinates":[[`, name)
	for i := 0; i <= n; i++ {
		a := 2 * math.Pi * float64(i%n) / float64(n)
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "[%.9f,%.9f]", lon+0.0018*math.Cos(a), lat+0.0009*math.Sin(a))
	}
	b.WriteString("]]}}")
	return b.String()
}
