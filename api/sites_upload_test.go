package api_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"strings"
	"testing"

	"github.com/paulmach/orb/encoding/mvt"
	"github.com/xuri/excelize/v2"

	"github.com/segmap/segmap/api"
	"github.com/segmap/segmap/data"
)

func TestSitesBadUploads(t *testing.T) {
	e, _ := writableServer(t, api.Options{APIToken: siteToken, SiteUploadMaxBytes: 64 << 10, SiteMaxExpandedBytes: 256 << 10})
	zipOf := func(files map[string][]byte) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for n, b := range files {
			w, _ := zw.Create(n)
			w.Write(b)
		}
		zw.Close()
		return buf.Bytes()
	}
	tests := []struct {
		name, file string
		body       []byte
		status     int
		want       []string // in the English answer (Accept-Language: en)
		sv         []string // in the Swedish answer (the default)
	}{
		{"line", "vag.geojson", []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"namn":"Väg 226"},"geometry":{"type":"LineString","coordinates":[[17.8,59.2],[17.9,59.3]]}}]}`), 400,
			[]string{"vag.geojson", `feature 0 (\"Väg 226\")`, `field \"geometry\"`, "LineString"},
			[]string{`vag.geojson: objekt 0 ("Väg 226"): fält "geometry": geometrin är av typen LineString; en plats ska vara Polygon, MultiPolygon eller Point`}},
		{"swapped", "byte.geojson", []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[59.24,17.85]}}]}`), 400,
			[]string{"byte.geojson", "feature 0", "wrong order"},
			[]string{`byte.geojson: objekt 0: fält "geometry": koordinaterna (runt 59.24, 17.85) ligger inte i Sverige; de ser ut som latitud och longitud i fel ordning`}},
		{"sweref as wgs84", "s.geojson", []byte(`{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:4326"}},"features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[662000,6569800],[662600,6569800],[662600,6570300],[662000,6569800]]]}}]}`), 400,
			[]string{"s.geojson", "feature 0", "SWEREF 99 TM (EPSG:3006)"},
			[]string{`s.geojson: objekt 0: fält "geometry": koordinaterna`, "är troligen SWEREF 99 TM (EPSG:3006): ange det koordinatsystemet"}},
		{"empty", "tom.geojson", []byte(`{"type":"FeatureCollection","features":[]}`), 400, []string{"tom.geojson", "no features"}, []string{"tom.geojson", "FeatureCollection har inga objekt"}},
		{"tenure", "t.geojson", []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"namn":"A","upplatelseform":"kooperativ"},"geometry":{"type":"Point","coordinates":[17.85,59.24]}}]}`), 400,
			[]string{"t.geojson", `feature 0 (\"A\")`, `field \"upplatelseform\"`, "hyresrätt"},
			[]string{`t.geojson: objekt 0 ("A"): fält "upplatelseform": okänd upplåtelseform "kooperativ"`}},
		{"dwellings", "d.geojson", []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"namn":"A","bostader":"ett par hundra"},"geometry":{"type":"Point","coordinates":[17.85,59.24]}}]}`), 400,
			[]string{"d.geojson", `field \"bostader\"`, "is not a number"},
			[]string{`d.geojson: objekt 0 ("A"): fält "bostader": planerade bostäder: "ett par hundra" är inte ett tal; ange antalet bostäder som ett heltal`}},
		{"zip slip", "slip.zip", zipOf(map[string][]byte{"../../x.geojson": []byte("{}")}), 400, []string{"slip.zip", "../../x.geojson", "zip slip"},
			[]string{"slip.zip: zip-post ../../x.geojson: sökvägen", "pekar ut ur arkivet"}},
		{"zip bomb", "bomb.zip", zipOf(map[string][]byte{"a.geojson": bytes.Repeat([]byte(" "), 1<<20)}), 400, []string{"bomb.zip", "limit of 262144 bytes"},
			[]string{"bomb.zip", "gränsen på 262144 byte"}},
		{"too large", "big.geojson", bytes.Repeat([]byte(" "), 65<<10), 413, []string{"limit of 65536 bytes"}, []string{"gräns"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body, ct := multipartBody(t, tc.file, tc.body, "")
			rec := do(t, e, http.MethodPost, "/api/sites", body, append([]string{"Content-Type", ct, "Accept-Language", "en"}, bearer...)...)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.status, rec.Body.String())
			}
			for _, w := range tc.want {
				if !strings.Contains(rec.Body.String(), w) {
					t.Errorf("message %s lacks %q", rec.Body.String(), w)
				}
			}
			// The same upload without a language: Swedish.
			body, ct = multipartBody(t, tc.file, tc.body, "")
			sv := do(t, e, http.MethodPost, "/api/sites", body, append([]string{"Content-Type", ct}, bearer...)...)
			var msg [2]struct{ Error struct{ Message string } }
			json.Unmarshal(rec.Body.Bytes(), &msg[0])
			json.Unmarshal(sv.Body.Bytes(), &msg[1])
			if sv.Code != tc.status || msg[1].Error.Message == "" || msg[1].Error.Message == msg[0].Error.Message {
				t.Errorf("Swedish answer %d %q, English %q", sv.Code, msg[1].Error.Message, msg[0].Error.Message)
			}
			for _, w := range tc.sv {
				if !strings.Contains(msg[1].Error.Message, w) {
					t.Errorf("Swedish message %q lacks %q", msg[1].Error.Message, w)
				}
			}
		})
	}
	var list struct{ Layers []data.SiteLayer }
	json.Unmarshal(do(t, e, http.MethodGet, "/api/sites", nil).Body.Bytes(), &list)
	if len(list.Layers) != 0 {
		t.Errorf("%d layers stored by failed uploads", len(list.Layers))
	}
}

func TestSitesLifecycleAndExports(t *testing.T) {
	e, _ := writableServer(t, api.Options{APIToken: siteToken})
	// Raw-body upload.
	rec := do(t, e, http.MethodPost, "/api/sites?name=R%C3%A5&filename=p.gpkg", siteFile(t, "botkyrka_planerat_3006.gpkg"), bearer...)
	if rec.Code != http.StatusCreated {
		t.Fatalf("raw upload %d %s", rec.Code, rec.Body.String())
	}
	var r layerResp
	json.Unmarshal(rec.Body.Bytes(), &r)
	id := r.Layer.ID
	if r.Layer.Name != "Rå" || r.Layer.Sites != 3 || r.Layer.SourceSRID != 3006 {
		t.Errorf("layer %+v", r.Layer)
	}
	base := fmt.Sprintf("/api/sites/%d", id)
	if rec := do(t, e, http.MethodPatch, base, []byte(`{"name":"Planerat 2030"}`), append([]string{"Content-Type", "application/json"}, bearer...)...); rec.Code != 200 || !strings.Contains(rec.Body.String(), "Planerat 2030") {
		t.Errorf("rename: %d %s", rec.Code, rec.Body.String())
	}
	if rec := do(t, e, http.MethodPatch, base, []byte(`{"name":""}`), bearer...); rec.Code != 400 {
		t.Errorf("empty name: %d", rec.Code)
	}
	// GeoJSON for the map.
	rec = do(t, e, http.MethodGet, base+"/geojson", nil)
	var fc struct {
		Type     string
		Features []struct {
			ID         int64
			Properties map[string]any
			Geometry   struct{ Type string }
		}
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &fc); err != nil || len(fc.Features) != 3 || fc.Features[2].Geometry.Type != "Point" || fc.Features[0].Properties["dwellings"] != 450.0 {
		t.Errorf("geojson %d %s", rec.Code, rec.Body.String())
	}
	// CSV: BOM, ';', decimal comma, one section per kind.
	rec = do(t, e, http.MethodGet, base+"/summary.csv", nil)
	b := rec.Body.String()
	if rec.Code != 200 || !strings.HasPrefix(b, "\ufeffplats_id;plats;avsnitt") || !strings.Contains(b, ";area;deso;0127C1300;") || !strings.Contains(b, ";tenure;deso after;rental;") || !strings.Contains(b, ";estimate;buffert 1000 m;population;") {
		t.Errorf("csv %d:\n%.600s", rec.Code, b)
	}
	// XLSX with the method in the metadata sheet.
	rec = do(t, e, http.MethodGet, base+"/summary.xlsx?lang=en", nil)
	f, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatalf("xlsx: %v", err)
	}
	rows, _ := f.GetRows(api.SheetMeta)
	found := false
	for _, row := range rows {
		found = found || len(row) == 2 && row[0] == "method" && strings.Contains(row[1], "Areal interpolation")
	}
	data, _ := f.GetRows(api.SheetData)
	if !found || len(data) < 20 || data[0][0] != "site_id" {
		t.Errorf("xlsx: method %v, %d rows", found, len(data))
	}
	// The metadata sheet in the language asked for (Swedish by default).
	for _, tc := range []struct {
		lang          string
		keys          []string
		crs, dataHead string
	}{
		{"", []string{"lager", "källfil", "källans_srid", "buffertar_m", "metod", "referenssystem", "källa"}, "för ytor och avstånd", "plats_id"},
		{"sv", []string{"lager", "källfil", "källans_srid", "buffertar_m", "metod", "referenssystem", "källa"}, "för ytor och avstånd", "plats_id"},
		{"en", []string{"layer", "source_file", "source_srid", "buffers_m", "method", "crs", "source"}, "for areas and distances", "site_id"},
	} {
		rec := do(t, e, http.MethodGet, base+"/summary.xlsx?lang="+tc.lang, nil)
		f, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
		if err != nil {
			t.Fatalf("xlsx %s: %v", tc.lang, err)
		}
		meta, _ := f.GetRows(api.SheetMeta)
		var keys []string
		crs := ""
		for _, row := range meta {
			keys = append(keys, row[0])
			if len(row) == 2 && row[0] == tc.keys[5] {
				crs = row[1]
			}
		}
		head, _ := f.GetRows(api.SheetData)
		if strings.Join(keys, ",") != strings.Join(tc.keys, ",") || !strings.Contains(crs, tc.crs) || head[0][0] != tc.dataHead {
			t.Errorf("xlsx lang=%q: metadata keys %v, crs %q, data header %v", tc.lang, keys, crs, head[0])
		}
	}
	// GeoJSON with results.
	rec = do(t, e, http.MethodGet, base+"/summary.geojson", nil)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"deso":"0127C1270,`) && !strings.Contains(rec.Body.String(), `"deso_rental_share_after"`) {
		t.Errorf("summary geojson %d %.300s", rec.Code, rec.Body.String())
	}
	// Bad parameters.
	for target, status := range map[string]int{
		base + "/summary?buffers=abc":   400,
		base + "/summary?buffers=99999": 400,
		base + "/summary?site=424242":   404,
		"/api/sites/x":                  400,
		"/api/sites/987654":             404,
	} {
		if rec := do(t, e, http.MethodGet, target, nil); rec.Code != status {
			t.Errorf("GET %s: %d, want %d", target, rec.Code, status)
		}
	}
	// Delete.
	if rec := do(t, e, http.MethodDelete, base, nil, bearer...); rec.Code != http.StatusNoContent {
		t.Errorf("delete: %d", rec.Code)
	}
	if rec := do(t, e, http.MethodGet, base, nil); rec.Code != http.StatusNotFound {
		t.Errorf("deleted layer: %d", rec.Code)
	}
	if rec := do(t, e, http.MethodDelete, base, nil, bearer...); rec.Code != http.StatusNotFound {
		t.Errorf("delete twice: %d", rec.Code)
	}
	_ = io.Discard
}

// TestSiteTiles decodes a site layer's vector tile: the sites are in it with
// their id, kind and attributes; a deleted layer's tiles are gone.
func TestSiteTiles(t *testing.T) {
	e, _ := writableServer(t, api.Options{APIToken: siteToken})
	l := upload(t, e, "b.geojson", siteFile(t, "botkyrka_planerat_3006.geojson"), "")
	// The tile at z14 that holds Albyberget (17.8465, 59.2375) and Fittja.
	z := 12
	n := math.Exp2(float64(z))
	x := int((17.8465 + 180) / 360 * n)
	lat := 59.2375 * math.Pi / 180
	y := int((1 - math.Log(math.Tan(lat)+1/math.Cos(lat))/math.Pi) / 2 * n)
	target := fmt.Sprintf("/tiles/sites/%d/%d/%d/%d.mvt", l.ID, z, x, y)
	rec := do(t, e, http.MethodGet, target, nil)
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != api.MVTContentType {
		t.Fatalf("GET %s: %d %s", target, rec.Code, rec.Header().Get("Content-Type"))
	}
	layers, err := mvt.Unmarshal(rec.Body.Bytes())
	if err != nil || len(layers) != 1 || layers[0].Name != "sites" {
		t.Fatalf("tile: %v %+v", err, layers)
	}
	kinds := map[string]string{}
	for _, f := range layers[0].Features {
		kinds[fmt.Sprint(f.Properties["name"])] = fmt.Sprint(f.Properties["kind"])
		if f.ID == nil {
			t.Errorf("feature %v has no id", f.Properties)
		}
	}
	want := map[string]string{"Albyberget etapp 1": "polygon", "Fittja centrum norra": "polygon", "Radhus Eriksberg": "point"}
	for name, kind := range want {
		if kinds[name] != kind {
			t.Errorf("tile features %v, want %s as %s", kinds, name, kind)
		}
	}
	if rec := do(t, e, http.MethodGet, fmt.Sprintf("/tiles/sites/%d/1/0/0.mvt", l.ID), nil); rec.Code != http.StatusNoContent {
		t.Errorf("empty tile: %d", rec.Code)
	}
	do(t, e, http.MethodDelete, fmt.Sprintf("/api/sites/%d", l.ID), nil, bearer...)
	if rec := do(t, e, http.MethodGet, target, nil); rec.Code != http.StatusNotFound {
		t.Errorf("tile of a deleted layer: %d", rec.Code)
	}
}

// The general body limit (--max-body-mb) bounds every request but a site
// upload, which --site-upload-max-mb bounds.
func TestSiteUploadHasItsOwnBodyLimit(t *testing.T) {
	geo := siteFile(t, "botkyrka_planerat_3006.geojson")
	e, _ := writableServer(t, api.Options{APIToken: siteToken, Limits: api.Limits{MaxBodyBytes: 512}, SiteUploadMaxBytes: 1 << 20})
	if len(geo) <= 512 {
		t.Fatalf("fixture of %d bytes does not exceed the general limit", len(geo))
	}
	upload(t, e, "botkyrka_planerat_3006.geojson", geo, "Större än 512 byte") // fails the test unless 201
	note := `{"year":2022,"text":"` + strings.Repeat("x", 600) + `"}`
	rec := do(t, e, http.MethodPost, "/api/areas/deso/0127C1380/notes", []byte(note), append([]string{"Content-Type", "application/json"}, bearer...)...)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("a 600-byte note under a 512-byte body limit: %d %s", rec.Code, rec.Body)
	}
}

// TestSiteUploadNotesLanguage: what a site upload repaired or guessed
// (the answer's report.notes, shown by the client) is Swedish by default
// and English on request.
func TestSiteUploadNotesLanguage(t *testing.T) {
	e, _ := writableServer(t, api.Options{APIToken: siteToken})
	// Clockwise, with a repeated point, SWEREF 99 TM numbers without a crs member.
	file := []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"namn":"Medurs"},"geometry":{"type":"Polygon","coordinates":[[[662000,6569800],[662000,6570300],[662000,6570300],[662600,6570300],[662600,6569800],[662000,6569800]]]}}]}`)
	for _, tc := range []struct {
		lang string
		want []string
	}{
		{"", []string{"lästes som SWEREF 99 TM (EPSG:3006)", `lagat: en ring med fel riktning: vänd till moturs (RFC 7946) (objekt 0 ("Medurs"))`}},
		{"en", []string{"read as SWEREF 99 TM (EPSG:3006)", `repaired: a ring wound the wrong way`, `feature 0 ("Medurs")`}},
	} {
		body, ct := multipartBody(t, "medurs.geojson", file, "")
		h := append([]string{"Content-Type", ct}, bearer...)
		if tc.lang != "" {
			h = append(h, "Accept-Language", tc.lang)
		}
		rec := do(t, e, http.MethodPost, "/api/sites", body, h...)
		var r struct{ Report struct{ Notes []string } }
		if rec.Code != http.StatusCreated || json.Unmarshal(rec.Body.Bytes(), &r) != nil {
			t.Fatalf("%q: %d %s", tc.lang, rec.Code, rec.Body.String())
		}
		notes := strings.Join(r.Report.Notes, "\n")
		for _, w := range tc.want {
			if !strings.Contains(notes, w) {
				t.Errorf("%q: notes %q lack %q", tc.lang, notes, w)
			}
		}
		// The layer keeps them in both languages: its listing says them
		// in the language asked for.
		target := "/api/sites"
		if tc.lang != "" {
			target += "?lang=" + tc.lang
		}
		var list struct{ Layers []data.SiteLayer }
		if err := json.Unmarshal(do(t, e, http.MethodGet, target, nil).Body.Bytes(), &list); err != nil || len(list.Layers) == 0 {
			t.Fatalf("%s: %v, %d layers", target, err, len(list.Layers))
		}
		for _, l := range list.Layers {
			if got := strings.Join(l.Notes, "\n"); got != notes {
				t.Errorf("%s: layer %d notes %q, upload said %q", target, l.ID, got, notes)
			}
		}
	}
}
