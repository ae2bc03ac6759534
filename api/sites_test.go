package api_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/segmap/segmap/api"
	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/service"
	"github.com/xuri/excelize/v2"
)

const siteToken = "test-token-0123456789abcdef"

// sitesServer serves a writable copy of the demo store.
func sitesServer(t *testing.T, opts api.Options) (*echo.Echo, *service.Service) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sites.gpkg")
	if err := testStore.CopyTo(ctx, path); err != nil {
		t.Fatal(err)
	}
	st, err := data.Open(ctx, path, data.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	svc := service.New(st, nil, service.Options{})
	return api.New(svc, opts), svc
}

func do(t *testing.T, e *echo.Echo, method, target string, body []byte, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, bytes.NewReader(body))
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

func siteFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "sites", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func multipartBody(t *testing.T, file string, content []byte, name string) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if name != "" {
		mw.WriteField("name", name)
	}
	w, err := mw.CreateFormFile("file", file)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(content)
	mw.Close()
	return buf.Bytes(), mw.FormDataContentType()
}

var bearer = []string{"Authorization", "Bearer " + siteToken}

type layerResp struct {
	Layer data.SiteLayer `json:"layer"`
}

func upload(t *testing.T, e *echo.Echo, file string, content []byte, name string) data.SiteLayer {
	t.Helper()
	body, ct := multipartBody(t, file, content, name)
	rec := do(t, e, http.MethodPost, "/api/sites", body, append([]string{"Content-Type", ct}, bearer...)...)
	if rec.Code != http.StatusCreated {
		t.Fatalf("upload %s: %d %s", file, rec.Code, rec.Body.String())
	}
	var r layerResp
	if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	return r.Layer
}

func TestSitesAccess(t *testing.T) {
	e, _ := sitesServer(t, api.Options{APIToken: siteToken})
	geo := siteFile(t, "botkyrka_planerat_3006.geojson")
	tests := []struct {
		name, method, target string
		headers              []string
		want                 int
	}{
		{"upload without token", http.MethodPost, "/api/sites?filename=a.geojson", nil, http.StatusUnauthorized},
		{"upload with wrong token", http.MethodPost, "/api/sites?filename=a.geojson", []string{"Authorization", "Bearer wrong-token-wrong-token"}, http.StatusUnauthorized},
		{"upload with basic auth", http.MethodPost, "/api/sites?filename=a.geojson", []string{"Authorization", "Basic dXNlcjpwYXNz"}, http.StatusUnauthorized},
		{"rename without token", http.MethodPatch, "/api/sites/1", nil, http.StatusUnauthorized},
		{"delete without token", http.MethodDelete, "/api/sites/1", nil, http.StatusUnauthorized},
		{"public list", http.MethodGet, "/api/sites", nil, http.StatusOK},
		{"upload with token", http.MethodPost, "/api/sites?filename=a.geojson", bearer, http.StatusCreated},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := do(t, e, tc.method, tc.target, geo, tc.headers...)
			if rec.Code != tc.want {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.want, rec.Body.String())
			}
			if tc.want == http.StatusUnauthorized && !strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("WWW-Authenticate %q", rec.Header().Get("WWW-Authenticate"))
			}
		})
	}
	// No layer was stored by the refused requests: exactly one exists.
	var list struct{ Layers []data.SiteLayer }
	json.Unmarshal(do(t, e, http.MethodGet, "/api/sites", nil).Body.Bytes(), &list)
	if len(list.Layers) != 1 {
		t.Errorf("%d layers after one accepted upload", len(list.Layers))
	}

	// A server without a token accepts no changes (403).
	noTok, _ := sitesServer(t, api.Options{})
	if rec := do(t, noTok, http.MethodPost, "/api/sites?filename=a.geojson", geo, bearer...); rec.Code != http.StatusForbidden {
		t.Errorf("no token configured: %d, want 403", rec.Code)
	}
	// Private reads need the token.
	priv, _ := sitesServer(t, api.Options{APIToken: siteToken, PrivateReads: true})
	for _, target := range []string{"/api/sites", "/api/sites/1", "/api/sites/1/summary", "/api/sites/1/geojson"} {
		if rec := do(t, priv, http.MethodGet, target, nil); rec.Code != http.StatusUnauthorized {
			t.Errorf("private read %s without token: %d, want 401", target, rec.Code)
		}
	}
	if rec := do(t, priv, http.MethodGet, "/api/sites", nil, bearer...); rec.Code != http.StatusOK {
		t.Errorf("private read with token: %d", rec.Code)
	}
}

type gdalOverlap struct {
	site, deso                string
	siteM2, overlapM2, desoM2 float64
}

func gdalOverlaps(t *testing.T) []gdalOverlap {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(siteFile(t, "expected_overlaps_gdal.csv")))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []gdalOverlap
	for _, rec := range recs[1:] {
		f := func(s string) float64 {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		out = append(out, gdalOverlap{rec[0], rec[1], f(rec[2]), f(rec[3]), f(rec[4])})
	}
	return out
}

// TestSiteSummaryAgainstGDAL checks the overlap shares of a real-looking
// upload (three planned developments in Botkyrka, SWEREF 99 TM) against
// the areas GDAL/SpatiaLite computed (testdata/sites/gen.sh), and the
// estimates and tenure mix against sums made here from /api/values.
func TestSiteSummaryAgainstGDAL(t *testing.T) {
	e, _ := sitesServer(t, api.Options{APIToken: siteToken})
	for _, file := range []string{"botkyrka_planerat_3006.geojson", "botkyrka_planerat_3006.zip", "botkyrka_planerat_3006.gpkg"} {
		t.Run(file, func(t *testing.T) {
			l := upload(t, e, file, siteFile(t, file), "Botkyrka "+file)
			rec := do(t, e, http.MethodGet, fmt.Sprintf("/api/sites/%d/summary?buffers=500,1000", l.ID), nil)
			if rec.Code != http.StatusOK {
				t.Fatalf("summary: %d %s", rec.Code, rec.Body.String())
			}
			var sum service.SiteSummary
			if err := json.Unmarshal(rec.Body.Bytes(), &sum); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(sum.Method, "Areal interpolation") {
				t.Errorf("method not stated: %q", sum.Method)
			}
			bySite := map[string]service.SiteOverlay{}
			for _, s := range sum.Sites {
				bySite[s.Name] = s
			}
			want := gdalOverlaps(t)
			for _, g := range want {
				o, ok := bySite[g.site]
				if !ok {
					t.Fatalf("site %q missing", g.site)
				}
				var got *service.TouchedArea
				for i := range o.Areas {
					if o.Areas[i].Level == "deso" && o.Areas[i].Code == g.deso {
						got = &o.Areas[i]
					}
				}
				if got == nil {
					t.Errorf("%s: DeSO %s (GDAL overlap %.1f m²) not reported", g.site, g.deso, g.overlapM2)
					continue
				}
				// segmap and PROJ project the WGS 84 DeSO to SWEREF 99 TM
				// within a millimetre: allow 2 m² plus 0.01 %.
				if math.Abs(got.OverlapM2-g.overlapM2) > 2+1e-4*g.overlapM2 {
					t.Errorf("%s ∩ %s: %.3f m², GDAL %.3f", g.site, g.deso, got.OverlapM2, g.overlapM2)
				}
				if s := g.overlapM2 / g.siteM2; math.Abs(float64(got.ShareOfSite)-s) > 1e-4 {
					t.Errorf("%s ∩ %s: share of site %.6f, GDAL %.6f", g.site, g.deso, float64(got.ShareOfSite), s)
				}
				if s := g.overlapM2 / g.desoM2; math.Abs(float64(got.ShareOfArea)-s) > 1e-4 {
					t.Errorf("%s ∩ %s: share of area %.6f, GDAL %.6f", g.site, g.deso, float64(got.ShareOfArea), s)
				}
			}
			// Every reported DeSO overlap is one GDAL found too.
			for name, o := range bySite {
				for _, a := range o.Areas {
					if a.Level != "deso" || a.OverlapM2 < 1 {
						continue
					}
					found := false
					for _, g := range want {
						found = found || g.site == name && g.deso == a.Code
					}
					if !found {
						t.Errorf("%s: DeSO %s (%.1f m²) not in GDAL's result", name, a.Code, a.OverlapM2)
					}
				}
			}
			alby := bySite["Albyberget etapp 1"]
			checkAlby(t, alby, want)
		})
	}
}

func checkAlby(t *testing.T, alby service.SiteOverlay, want []gdalOverlap) {
	t.Helper()
	// Population inside the site: Σ (overlap / DeSO area) × population, from
	// GDAL's areas and the store's values.
	pop := valuesOf(t, "population", "deso")
	var wantPop float64
	codes := []string{}
	for _, g := range want {
		if g.site == alby.Name {
			wantPop += g.overlapM2 / g.desoM2 * pop[g.deso][0]
			codes = append(codes, g.deso)
		}
	}
	if len(alby.Zones) != 3 || alby.Zones[0].Zone != "site" || alby.Zones[1].DistanceM != 500 || alby.Zones[2].DistanceM != 1000 {
		t.Fatalf("zones %+v", alby.Zones)
	}
	est := func(z service.SiteZone, id string) service.SiteEstimate {
		for _, e := range z.Estimates {
			if e.Indicator == id {
				return e
			}
		}
		t.Fatalf("no estimate of %s", id)
		return service.SiteEstimate{}
	}
	if got := float64(est(alby.Zones[0], "population").Value); math.Abs(got-wantPop) > 0.5+1e-3*wantPop {
		t.Errorf("population in the site %.2f, want %.2f", got, wantPop)
	}
	// A share: Σ w·numerator / Σ w·denominator.
	fb := valuesOf(t, "foreign_born_pct", "deso")
	var n, d float64
	for _, g := range want {
		if g.site == alby.Name {
			w := g.overlapM2 / g.desoM2
			n += w * fb[g.deso][1]
			d += w * fb[g.deso][2]
		}
	}
	if got := float64(est(alby.Zones[0], "foreign_born_pct").Value); math.Abs(got-100*n/d) > 0.05 {
		t.Errorf("foreign born in the site %.3f %%, want %.3f", got, 100*n/d)
	}
	// Buffers grow: more population within 1 km than 500 m than in the site.
	p0, p1, p2 := est(alby.Zones[0], "population").Value, est(alby.Zones[1], "population").Value, est(alby.Zones[2], "population").Value
	if !(p0 < p1 && p1 < p2) {
		t.Errorf("population site %v, 500 m %v, 1 km %v: not increasing", p0, p1, p2)
	}
	// Tenure mix of the DeSO touched, before and after 450 rental dwellings.
	var mix *service.TenureMix
	for i := range alby.TenureMix {
		if alby.TenureMix[i].Level == "deso" {
			mix = &alby.TenureMix[i]
		}
	}
	if mix == nil || mix.After == nil {
		t.Fatalf("no DeSO tenure mix: %+v", alby.TenureMix)
	}
	rent, tenant := valuesOf(t, "dwellings_rental_pct", "deso"), valuesOf(t, "dwellings_tenant_owned_pct", "deso")
	var r, tn, total float64
	for _, c := range codes {
		r += rent[c][1]
		tn += tenant[c][1]
		total += rent[c][2]
	}
	if math.Abs(float64(mix.Before.Rental)-r) > 1e-6 || math.Abs(float64(mix.Before.Total)-total) > 1e-6 || math.Abs(float64(mix.Before.TenantOwned)-tn) > 1e-6 {
		t.Errorf("before %+v, want rental %v tenant-owned %v of %v", mix.Before, r, tn, total)
	}
	if math.Abs(float64(mix.After.RentalShare)-(r+450)/(total+450)) > 1e-9 || math.Abs(float64(mix.After.TenantShare)-tn/(total+450)) > 1e-9 {
		t.Errorf("after %+v, want rental share %v", mix.After, (r+450)/(total+450))
	}
	if alby.NearestType12 == nil || alby.NearestType12.Type < 1 || alby.NearestType12.Type > 2 {
		t.Errorf("nearest type 1/2: %+v", alby.NearestType12)
	}
	var regso *service.TouchedArea
	for i := range alby.Areas {
		if alby.Areas[i].Level == "regso" {
			regso = &alby.Areas[i]
		}
	}
	if regso == nil || regso.Omradestyp == 0 || regso.TypeLabel == "" {
		t.Errorf("RegSO with områdestyp: %+v", regso)
	}
	if regso != nil && regso.Omradestyp <= 2 && alby.NearestType12.DistanceM != 0 {
		t.Errorf("the site touches RegSO %s of type %d but the nearest type 1/2 is %v m away", regso.Code, regso.Omradestyp, alby.NearestType12.DistanceM)
	}
}

// valuesOf returns value, numerator, denominator per code of an indicator's latest year.
func valuesOf(t *testing.T, indicator, level string) map[string][3]float64 {
	t.Helper()
	var v struct {
		Areas []struct {
			Code                          string
			Value, Numerator, Denominator *float64
		}
	}
	getJSON(t, "/api/values?level="+level+"&indicator="+indicator, &v)
	out := map[string][3]float64{}
	f := func(p *float64) float64 {
		if p == nil {
			return math.NaN()
		}
		return *p
	}
	for _, a := range v.Areas {
		out[a.Code] = [3]float64{f(a.Value), f(a.Numerator), f(a.Denominator)}
	}
	return out
}

func TestSiteSummaryPoint(t *testing.T) {
	e, _ := sitesServer(t, api.Options{APIToken: siteToken})
	l := upload(t, e, "b.geojson", siteFile(t, "botkyrka_planerat_4326.geojson"), "")
	if l.Name != "b" {
		t.Errorf("default name %q, want the file name", l.Name)
	}
	var layer struct {
		Sites []data.Site
	}
	json.Unmarshal(do(t, e, http.MethodGet, fmt.Sprintf("/api/sites/%d", l.ID), nil).Body.Bytes(), &layer)
	if len(layer.Sites) != 3 {
		t.Fatalf("sites %+v", layer.Sites)
	}
	pt := layer.Sites[2].ID
	rec := do(t, e, http.MethodGet, fmt.Sprintf("/api/sites/%d/summary?site=%d&buffers=250&lang=en", l.ID, pt), nil)
	var sum service.SiteSummary
	if err := json.Unmarshal(rec.Body.Bytes(), &sum); err != nil || len(sum.Sites) != 1 {
		t.Fatalf("summary %d: %s", rec.Code, rec.Body.String())
	}
	o := sum.Sites[0]
	if o.Kind != "point" || o.TenureLabel != "owner-occupied" {
		t.Errorf("point site %+v", o)
	}
	levels := map[string]int{}
	for _, a := range o.Areas {
		levels[a.Level]++
		if a.ShareOfSite != 1 {
			t.Errorf("a point is wholly in its area: %+v", a)
		}
	}
	if levels["deso"] != 1 || levels["regso"] != 1 || levels["kommun"] != 1 {
		t.Errorf("a point is in one area per level: %+v", o.Areas)
	}
	if len(o.Zones) != 1 || o.Zones[0].Zone != "buffer" {
		t.Fatalf("zones %+v", o.Zones)
	}
	// The polygonal disc of 250 m: n/2·r²·sin(2π/n), n = 4·⌈…⌉ ≥ π/acos(1−0.5/250).
	if a := o.Zones[0].AreaM2; math.Abs(a-math.Pi*250*250) > 2*math.Pi*250*0.5 {
		t.Errorf("250 m disc %.1f m², circle %.1f", a, math.Pi*250*250)
	}
	if !strings.Contains(sum.Method, "interpolation") {
		t.Errorf("method %q", sum.Method)
	}
}

func TestSitesBadUploads(t *testing.T) {
	e, _ := sitesServer(t, api.Options{APIToken: siteToken, SiteUploadMaxBytes: 64 << 10, SiteMaxExpandedBytes: 256 << 10})
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
		want       []string
	}{
		{"line", "vag.geojson", []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"namn":"Väg 226"},"geometry":{"type":"LineString","coordinates":[[17.8,59.2],[17.9,59.3]]}}]}`), 400,
			[]string{"vag.geojson", `feature 0 (\"Väg 226\")`, `field \"geometry\"`, "LineString"}},
		{"swapped", "byte.geojson", []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[59.24,17.85]}}]}`), 400,
			[]string{"byte.geojson", "feature 0", "wrong order"}},
		{"sweref as wgs84", "s.geojson", []byte(`{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:4326"}},"features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[662000,6569800],[662600,6569800],[662600,6570300],[662000,6569800]]]}}]}`), 400,
			[]string{"s.geojson", "feature 0", "SWEREF 99 TM (EPSG:3006)"}},
		{"empty", "tom.geojson", []byte(`{"type":"FeatureCollection","features":[]}`), 400, []string{"tom.geojson", "no features"}},
		{"tenure", "t.geojson", []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"namn":"A","upplatelseform":"kooperativ"},"geometry":{"type":"Point","coordinates":[17.85,59.24]}}]}`), 400,
			[]string{"t.geojson", `feature 0 (\"A\")`, `field \"upplatelseform\"`, "hyresrätt"}},
		{"zip slip", "slip.zip", zipOf(map[string][]byte{"../../x.geojson": []byte("{}")}), 400, []string{"slip.zip", "../../x.geojson", "zip slip"}},
		{"zip bomb", "bomb.zip", zipOf(map[string][]byte{"a.geojson": bytes.Repeat([]byte(" "), 1<<20)}), 400, []string{"bomb.zip", "limit of 262144 bytes"}},
		{"too large", "big.geojson", bytes.Repeat([]byte(" "), 65<<10), 413, []string{"limit of 65536 bytes"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body, ct := multipartBody(t, tc.file, tc.body, "")
			rec := do(t, e, http.MethodPost, "/api/sites", body, append([]string{"Content-Type", ct}, bearer...)...)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.status, rec.Body.String())
			}
			for _, w := range tc.want {
				if !strings.Contains(rec.Body.String(), w) {
					t.Errorf("message %s lacks %q", rec.Body.String(), w)
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
	e, _ := sitesServer(t, api.Options{APIToken: siteToken})
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
	e, _ := sitesServer(t, api.Options{APIToken: siteToken})
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
	e, _ := sitesServer(t, api.Options{APIToken: siteToken, Limits: api.Limits{MaxBodyBytes: 512}, SiteUploadMaxBytes: 1 << 20})
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
