package data

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
