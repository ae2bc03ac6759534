package api_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/segmap/segmap/api"
)

// hostileNames would run as formulas in a spreadsheet if written as they are.
var hostileNames = []string{`=cmd|"/c calc"!A1`, "+1+2", "@SUM(1)", "-2+3+cmd|' /C calc'!A0"}

// hostileGeoJSON is one small square site per hostile name (SWEREF 99 TM, Alby).
func hostileGeoJSON() []byte {
	var fs []string
	for i, n := range hostileNames {
		x, y := 666000.0+float64(i)*300, 6564000.0
		name, _ := json.Marshal(n)
		fs = append(fs, fmt.Sprintf(`{"type":"Feature","properties":{"namn":%s,"bostader":10,"upplatelseform":"hyresrätt"},"geometry":{"type":"Polygon","coordinates":[[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]}}`,
			name, x, y, x+100, y, x+100, y+100, x, y+100, x, y))
	}
	return []byte(`{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:3006"}},"features":[` + strings.Join(fs, ",") + `]}`)
}

// TestSiteDownloadsHostileNames: site names that are formulas are
// neutralised in the summary CSV, are plain text cells in the XLSX and are
// kept as they are in GeoJSON (JSON strings run nothing).
func TestSiteDownloadsHostileNames(t *testing.T) {
	e, _ := writableServer(t, api.Options{APIToken: siteToken})
	l := upload(t, e, "hostile.geojson", hostileGeoJSON(), "=HYPERLINK(\"x\")")
	base := fmt.Sprintf("/api/sites/%d/summary", l.ID)

	rec := do(t, e, http.MethodGet, base+".csv?buffers=500", nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("csv: %d %s", rec.Code, rec.Body.String())
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(rec.Body.Bytes(), []byte("\ufeff"))))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, rec := range recs[1:] {
		if c := rec[1]; c != "" && strings.ContainsRune("=+-@", rune(c[0])) {
			t.Errorf("CSV cell %q starts a formula", c)
		}
		seen[strings.TrimPrefix(rec[1], "'")] = true
	}
	for _, n := range hostileNames {
		if !seen[n] {
			t.Errorf("CSV lacks the site %q", n)
		}
	}

	rec = do(t, e, http.MethodGet, base+".xlsx?buffers=500", nil)
	f, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatalf("xlsx: %v", err)
	}
	rows, _ := f.GetRows(api.SheetData)
	names := map[string]bool{}
	for i := range rows[1:] {
		cell, _ := excelize.CoordinatesToCellName(2, i+2)
		v, _ := f.GetCellValue(api.SheetData, cell)
		if formula, _ := f.GetCellFormula(api.SheetData, cell); formula != "" {
			t.Errorf("XLSX %s holds the formula %q", cell, formula)
		}
		names[v] = true
	}
	for _, n := range hostileNames {
		if !names[n] {
			t.Errorf("XLSX lacks the site %q as text", n)
		}
	}
	f.Close()

	rec = do(t, e, http.MethodGet, base+".geojson?buffers=500", nil)
	var fc struct {
		Name     string `json:"name"`
		Features []struct {
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &fc); err != nil || len(fc.Features) != len(hostileNames) || fc.Name != "=HYPERLINK(\"x\")" {
		t.Fatalf("geojson: %v, %d features, name %q", err, len(fc.Features), fc.Name)
	}
}

// TestSiteWritesReadOnly: uploads, renames and deletes on a read-only store
// are 409 with code read_only, not 500.
func TestSiteWritesReadOnly(t *testing.T) {
	e := api.New(testSvc, api.Options{APIToken: siteToken})
	body, ct := multipartBody(t, "b.geojson", siteFile(t, "botkyrka_planerat_3006.geojson"), "b")
	for _, tc := range []struct {
		method, target string
		body           []byte
		headers        []string
	}{
		{http.MethodPost, "/api/sites", body, []string{"Content-Type", ct}},
		{http.MethodPatch, "/api/sites/1", []byte(`{"name":"x"}`), []string{"Content-Type", "application/json"}},
		{http.MethodDelete, "/api/sites/1", nil, nil},
	} {
		rec := do(t, e, tc.method, tc.target, tc.body, append(tc.headers, bearer...)...)
		if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), `"read_only"`) {
			t.Errorf("%s %s: %d %s, want 403 read_only", tc.method, tc.target, rec.Code, rec.Body.String())
		}
	}
}
