package storewalk_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/segmap/segmap/api"
	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/data/national"
	"github.com/segmap/segmap/service"
)

// Every view works on every store: a kommun's own store as `segmap init
// --kommun K --boundaries FILE` builds it (its DeSO, the national reference
// data, RegSO and kommun dissolved from the DeSO), for Göteborg on DeSO 2025
// and Falun on DeSO 2018, answers every GET route of the route table with
// good input without a 5xx; a part without its data answers in one
// sentence for people, Swedish by default.

// kommunStore builds a store as segmap init does (cmd/segmap/init.go), with
// one site layer: a point in the middle of the kommun.
func kommunStore(t *testing.T, boundaries, kommun string) *data.Store {
	t.Helper()
	ctx := context.Background()
	st, err := data.Open(ctx, filepath.Join(t.TempDir(), kommun+".gpkg"), data.OpenOptions{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	keep := func(code string) bool { return strings.HasPrefix(code, kommun) }
	if _, err := st.ImportBoundaries(ctx, boundaries, data.BoundaryOptions{Level: data.LevelDeSO, Filter: keep}); err != nil {
		t.Fatal(err)
	}
	if _, err := national.Complete(ctx, st, national.CompleteOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := st.SetHome(ctx, []string{kommun}); err != nil {
		t.Fatal(err)
	}
	c := kommunCenter(t, st, kommun)
	site := fmt.Sprintf(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Mitt"},"geometry":{"type":"Point","coordinates":[%.6f,%.6f]}}]}`, c[0], c[1])
	if _, _, err := st.ImportSites(ctx, "mitt.geojson", []byte(site), data.SiteOptions{}); err != nil {
		t.Fatal(err)
	}
	return st
}

// kommunCenter is the centre of the kommun's dissolved polygon (WGS 84).
func kommunCenter(t *testing.T, st *data.Store, kommun string) orb.Point {
	t.Helper()
	k, err := st.Areas(context.Background(), data.LevelKommun, data.AreasOptions{Kommuner: []string{kommun}, WithGeometry: true})
	if err != nil || len(k) != 1 || k[0].Geometry == nil {
		t.Fatalf("kommun %s: %d areas, %v", kommun, len(k), err)
	}
	return k[0].Geometry.Bound().Center()
}

// heavy are the routes walked with one indicator only.
var heavy = map[string]bool{"/api/lisa": true, "/api/gistar": true, "/api/map.png": true, "/api/map.svg": true,
	"/api/export.csv": true, "/api/export.xlsx": true, "/api/export.geojson": true, "/tiles/{layer}/{z}/{x}/{y}.mvt": true,
	"/tiles/{layer}.json": true, "/style.json": true, "/report": true}

func TestEveryViewOnEveryStore(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two kommun stores from the national data")
	}
	ctx := context.Background()
	for _, tc := range []struct {
		name, boundaries, kommun string
		deso                     string // a DeSO of the store for the area routes
	}{
		// DeSO 2025: the DeSO is chosen from the store (the first split).
		{"Göteborg DeSO 2025", "../../testdata/boundaries/deso_2025_goteborg_3006.gpkg", "1480", ""},
		{"Falun DeSO 2018", "../../testdata/boundaries/deso_2018_dalarna_3006.gpkg", "2080", "2080C1080"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			st := kommunStore(t, tc.boundaries, tc.kommun)
			deso := tc.deso
			if deso == "" {
				// A DeSO 2025 area split from a 2018 one: the hardest case.
				areas, err := st.Areas(ctx, data.LevelDeSO, data.AreasOptions{Kommuner: []string{tc.kommun}})
				if err != nil {
					t.Fatal(err)
				}
				for _, a := range areas {
					if a.Mapped && data.SplitParent(a.Code) != "" {
						deso = a.Code
						break
					}
				}
				if deso == "" {
					t.Fatal("no DeSO 2025 split in the store")
				}
			}
			layers, err := st.SiteLayers(ctx)
			if err != nil || len(layers) != 1 {
				t.Fatalf("site layers %v, %v", layers, err)
			}
			tile := maptile.At(kommunCenter(t, st, tc.kommun), 12)
			regso, err := st.Area(ctx, data.LevelDeSO, deso)
			if err != nil || regso.RegSO == "" {
				t.Fatalf("DeSO %s: RegSO %q, %v", deso, regso.RegSO, err)
			}
			codes := map[string]string{data.LevelDeSO: deso, data.LevelRegSO: regso.RegSO, data.LevelKommun: tc.kommun}
			path := pathValues{"level": "deso", "code": deso, "layer": "deso", "z": "12",
				"x": fmt.Sprint(tile.X), "y": fmt.Sprint(tile.Y), "id": fmt.Sprint(layers[0].ID), "*": "nope.js"}
			e := api.New(service.New(st, nil, service.Options{}), api.Options{})
			query := url.Values{
				"kommun": {tc.kommun}, "x": {"low_econ_standard_pct"}, "y": {"foreign_born_pct"},
				"from": {"2022"}, "to": {"2023"}, "url": {"http://example.com/?kommun=" + tc.kommun},
			}
			n := 0
			for _, r := range getRoutes(t) {
				// Every level a route takes, and indicators from the DeSO
				// table (2022), with two years (population) and from the
				// RegSO panel only (wage income, 2020–2023).
				levels, inds := []string{""}, []string{""}
				for _, p := range r.Query {
					switch p.Name {
					case "level":
						levels = []string{data.LevelDeSO, data.LevelRegSO, data.LevelKommun}
					case "indicator":
						inds = []string{"low_econ_standard_pct", "population", "wage_income_mean_tkr"}
						if heavy[r.Path] {
							// One indicator with two years is enough for
							// the slow views (permutations, drawing, files).
							inds = []string{"population"}
						}
					}
				}
				if strings.Contains(r.Path, "{level}") || strings.Contains(r.Path, "{layer}") {
					levels = []string{data.LevelDeSO, data.LevelRegSO, data.LevelKommun}
				}
				for _, level := range levels {
					for _, ind := range inds {
						q := url.Values{}
						for _, p := range r.Query {
							if v, ok := query[p.Name]; ok {
								q[p.Name] = v
							}
						}
						if ind != "" {
							q.Set("indicator", ind)
						}
						pv := path
						if level != "" {
							pv = pathValues{}
							for k, v := range path {
								pv[k] = v
							}
							pv["level"], pv["layer"], pv["code"] = level, level, codes[level]
							if !strings.Contains(r.Path, "{level}") && !strings.Contains(r.Path, "{layer}") {
								q.Set("level", level)
							}
						}
						target := fill(r.Path, pv)
						if len(q) > 0 {
							target += "?" + q.Encode()
						}
						n++
						a := walkDo(t, e, http.MethodGet, target, "")
						switch {
						case a.status >= 500:
							t.Errorf("GET %s: %d %s %q", target, a.status, a.code, a.message)
						case a.status >= 400:
							checkSentence(t, "GET "+target, a.message)
							en := walkDo(t, e, http.MethodGet, target, "en")
							if en.message == a.message {
								t.Errorf("GET %s: %d %q is not Swedish (the English message is the same)", target, a.status, a.message)
							}
							t.Logf("GET %s: %d %q", target, a.status, a.message)
						}
					}
				}
			}
			// The områdestyper say which types they are (the national data has
			// SCB's official ones), and the report's chapter says it too.
			var ot struct {
				TypeSource service.TypeSource `json:"type_source"`
			}
			getJSONFrom(t, e, "/api/omradestyper?kommun="+tc.kommun, &ot)
			if ot.TypeSource.Source != service.SourceOfficial || ot.TypeSource.Year == 0 || ot.TypeSource.NoteSV == "" {
				t.Errorf("omradestyper type source %+v", ot.TypeSource)
			}
			if page := serve(t, e, "/report?kommun="+tc.kommun).Body.String(); !strings.Contains(page, `<p id="types-source">`+ot.TypeSource.NoteSV) {
				t.Errorf("the report does not say which områdestyper it used (%q)", ot.TypeSource.NoteSV)
			}
			if n < 30 {
				t.Errorf("only %d GET routes walked", n)
			}
		})
	}
}

// getJSONFrom GETs target from e, expects 200 and decodes the body into v.
func getJSONFrom(t *testing.T, e *echo.Echo, target string, v any) {
	t.Helper()
	rec := serve(t, e, target)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s: status %d, body %s", target, rec.Code, rec.Body.String())
	}
	if err := json.Unmarshal(rec.Body.Bytes(), v); err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
}

// The helpers below are the api package's walk helpers (api/routes_walk_test.go).

type pathValues map[string]string

var paramRE = regexp.MustCompile(`\{([a-z_]+)\}`)

func fill(path string, v pathValues) string {
	return paramRE.ReplaceAllStringFunc(path, func(m string) string {
		return v[strings.Trim(m, "{}")]
	})
}

// route is a GET route of the API and its query parameters.
type route struct {
	Path  string
	Query []struct{ Name string }
}

// getRoutes are the GET routes of api/openapi.json (which TestOpenAPIFile
// keeps equal to the route table) and the two pages it does not list.
func getRoutes(t *testing.T) []route {
	t.Helper()
	b, err := os.ReadFile("../openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			Parameters []struct{ Name, In string }
		}
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	out := []route{{Path: "/"}, {Path: "/embed"}}
	for path, ops := range doc.Paths {
		get, ok := ops["get"]
		if !ok {
			continue
		}
		r := route{Path: path}
		for _, p := range get.Parameters {
			if p.In == "query" {
				r.Query = append(r.Query, struct{ Name string }{p.Name})
			}
		}
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// rawError is what a message for people must not contain.
var rawError = regexp.MustCompile(`\b(service|data|classify|tiles|api|palette|render|fault|echo|sqlite3?):|\b(fault|data|service|tiles|classify|echo|http|errors)\.[A-Z]|%!|<nil>|\*[a-z]+\.[A-Z]|HTTPError|^(invalid|not found|bad request|conflict|read-only|internal server error)$`)

type walkAnswer struct {
	status  int
	code    string
	message string
}

func walkDo(t *testing.T, e *echo.Echo, method, target, lang string) walkAnswer {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	if lang != "" {
		req.Header.Set("Accept-Language", lang)
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	a := walkAnswer{status: rec.Code}
	if rec.Code >= 400 {
		var b struct {
			Error struct{ Code, Message string }
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil {
			t.Errorf("%s %s: error body is not JSON: %v: %q", method, target, err, rec.Body.String())
		}
		a.code, a.message = b.Error.Code, b.Error.Message
	}
	return a
}

func checkSentence(t *testing.T, what, msg string) {
	t.Helper()
	if len(msg) < 12 || !strings.Contains(msg, " ") || rawError.MatchString(msg) {
		t.Errorf("%s: message %q is not a sentence for people", what, msg)
	}
}

func serve(t *testing.T, e *echo.Echo, target string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}
