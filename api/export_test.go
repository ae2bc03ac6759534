package api_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/segmap/segmap/api"
)

const exportQuery = "?level=deso&indicator=low_econ_standard_pct&year=2022&kommun=0180&method=quantile&k=5"

func valuesByCode(t *testing.T) (map[string]*float64, int) {
	t.Helper()
	var v valuesResp
	getJSON(t, "/api/values"+exportQuery, &v)
	m := map[string]*float64{}
	for _, a := range v.Areas {
		m[a.Code] = a.Value
	}
	return m, len(v.Areas)
}

func TestExportCSV(t *testing.T) {
	t.Parallel()
	want, n := valuesByCode(t)
	rec := get(t, "/api/export.csv"+exportQuery)
	if rec.Code != http.StatusOK {
		t.Fatalf("%d %s", rec.Code, rec.Body.String())
	}
	if cd := rec.Header().Get("Content-Disposition"); !strings.Contains(cd, `filename="segmap_low_econ_standard_pct_deso_2022.csv"`) {
		t.Errorf("Content-Disposition %q", cd)
	}
	b := rec.Body.Bytes()
	if !bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")) {
		t.Fatal("CSV lacks the UTF-8 BOM Excel needs")
	}
	r := csv.NewReader(bytes.NewReader(b[3:]))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != n+1 || recs[0][0] != "kod" || recs[0][8] != "värde" {
		t.Fatalf("%d rows (want %d+header), header %v", len(recs), n, recs[0])
	}
	for _, row := range recs[1:] {
		w := want[row[0]]
		if w == nil {
			if row[8] != "" {
				t.Errorf("%s: %q for a missing value", row[0], row[8])
			}
			continue
		}
		if strings.Contains(row[8], ".") {
			t.Errorf("%s: %q uses a decimal point", row[0], row[8])
		}
		f, err := strconv.ParseFloat(strings.Replace(row[8], ",", ".", 1), 64)
		if err != nil || f != *w {
			t.Errorf("%s: CSV %q, /api/values %v", row[0], row[8], *w)
		}
	}
}

func TestExportXLSX(t *testing.T) {
	t.Parallel()
	want, n := valuesByCode(t)
	rec := get(t, "/api/export.xlsx"+exportQuery)
	if rec.Code != http.StatusOK {
		t.Fatalf("%d %s", rec.Code, rec.Body.String())
	}
	f, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(api.SheetData)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != n+1 {
		t.Fatalf("%d rows, want %d + header", len(rows), n)
	}
	for i, row := range rows[1:] {
		code := row[0]
		cell, _ := excelize.CoordinatesToCellName(9, i+2)
		typ, err := f.GetCellType(api.SheetData, cell)
		if err != nil {
			t.Fatal(err)
		}
		v, _ := f.GetCellValue(api.SheetData, cell, excelize.Options{RawCellValue: true})
		w := want[code]
		if w == nil {
			if v != "" {
				t.Errorf("%s: %q for a missing value", code, v)
			}
			continue
		}
		got, err := strconv.ParseFloat(v, 64)
		if err != nil || math.Abs(got-*w) > 1e-12 || (typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset) {
			t.Errorf("%s: cell %s = %q (type %v), /api/values %v", code, cell, v, typ, *w)
		}
	}
	meta, err := f.GetRows(api.SheetMeta)
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]string{}
	for _, r := range meta {
		if len(r) >= 2 {
			keys[r[0]] = r[1]
		}
	}
	for _, k := range []string{"source", "definition_sv", "classification_method", "breaks", "suppression"} {
		if keys[k] == "" {
			t.Errorf("metadata %q missing: %v", k, keys)
		}
	}
	if keys["classification_method"] != "quantile" || !strings.Contains(keys["source"], "SCB") {
		t.Errorf("metadata %v", keys)
	}
	// The sentence on suppression is Swedish by default, English on request.
	if !strings.HasPrefix(keys["suppression"], "Värden markerade som undertryckta lämnas inte ut av källan (SCB).") {
		t.Errorf("suppression (sv) %q", keys["suppression"])
	}
	en, err := excelize.OpenReader(bytes.NewReader(get(t, "/api/export.xlsx"+exportQuery+"&lang=en").Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	enMeta, err := en.GetRows(api.SheetMeta)
	if err != nil {
		t.Fatal(err)
	}
	v := ""
	for _, r := range enMeta {
		if len(r) >= 2 && r[0] == "suppression" {
			v = r[1]
		}
	}
	if !strings.HasPrefix(v, "Values marked suppressed are withheld") {
		t.Errorf("suppression (en) %q", v)
	}
}

func TestExportGeoJSON(t *testing.T) {
	t.Parallel()
	want, _ := valuesByCode(t)
	rec := get(t, "/api/export.geojson"+exportQuery)
	if rec.Code != http.StatusOK {
		t.Fatalf("%d %s", rec.Code, rec.Body.String())
	}
	var fc struct {
		Type     string `json:"type"`
		Features []struct {
			Geometry struct {
				Type string `json:"type"`
			} `json:"geometry"`
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &fc); err != nil {
		t.Fatal(err)
	}
	if fc.Type != "FeatureCollection" || len(fc.Features) < len(want)-5 {
		t.Fatalf("%s with %d features, %d areas", fc.Type, len(fc.Features), len(want))
	}
	for _, f := range fc.Features {
		code := f.Properties["code"].(string)
		if !strings.Contains(f.Geometry.Type, "Polygon") {
			t.Errorf("%s geometry %s", code, f.Geometry.Type)
		}
		if w := want[code]; w != nil && f.Properties["value"] != *w {
			t.Errorf("%s value %v, /api/values %v", code, f.Properties["value"], *w)
		}
	}
}

// openAPIPath turns an echo path into OpenAPI form: ":name" up to the first
// "." is a parameter, the rest of the segment is literal.
func openAPIPath(p string) string {
	return regexp.MustCompile(`:([a-z_]+)`).ReplaceAllString(p, "{$1}")
}

func TestOpenAPICoversRoutes(t *testing.T) {
	t.Parallel()
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	getJSON(t, "/api/openapi.json", &doc)
	if !strings.HasPrefix(doc.OpenAPI, "3.0") {
		t.Errorf("openapi %q", doc.OpenAPI)
	}
	static := map[string]bool{"/": true, "/assets/*": true, "/embed": true}
	registered := map[string]bool{}
	for _, r := range testEcho.Routes() {
		switch r.Method {
		case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		default:
			continue
		}
		if static[r.Path] {
			continue
		}
		p := openAPIPath(r.Path)
		registered[p] = true
		if _, ok := doc.Paths[p][strings.ToLower(r.Method)]; !ok {
			t.Errorf("route %s %s (%s) is not in openapi.json", r.Method, r.Path, p)
		}
	}
	for p := range doc.Paths {
		if !registered[p] {
			t.Errorf("openapi.json documents %s, which is not a route", p)
		}
	}
	if len(registered) < 15 {
		t.Errorf("only %d routes registered", len(registered))
	}
}

func TestWebClient(t *testing.T) {
	t.Parallel()
	rec := get(t, "/")
	if rec.Code != http.StatusOK || !strings.Contains(strings.ToLower(rec.Body.String()), "<html") {
		t.Errorf("GET /: %d %.100s", rec.Code, rec.Body.String())
	}
	expectError(t, "/assets/no-such-file.js", http.StatusNotFound, "not_found")
	// index.html refers to its bundle relatively (assets/app-<hash>.js), so
	// the client also works under a path prefix.
	m := regexp.MustCompile(`src="(assets/[^"']+\.js)"`).FindStringSubmatch(rec.Body.String())
	if m == nil {
		t.Fatalf("GET / references no assets/*.js bundle: %.300s", rec.Body.String())
	}
	js := get(t, "/"+m[1], "Accept-Encoding", "gzip")
	if js.Code != http.StatusOK || !strings.Contains(js.Header().Get("Content-Type"), "javascript") || js.Header().Get("Content-Encoding") != "gzip" {
		t.Errorf("GET /%s: %d %q %q", m[1], js.Code, js.Header().Get("Content-Type"), js.Header().Get("Content-Encoding"))
	}
}
