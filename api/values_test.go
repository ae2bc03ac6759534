package api_test

import (
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/segmap/segmap/api"
)

// refRows reads the demo's source CSV (real SCB data, see
// data/national/files) as an independent reference: rows of one kommun.
func refRows(t *testing.T, kommun string) []map[string]string {
	t.Helper()
	f, err := os.Open("../data/national/files/deso_indicators_2022.csv")
	if err != nil {
		t.Fatalf("reference CSV: %v", err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		if m["kommun"] == kommun {
			out = append(out, m)
		}
	}
	if len(out) == 0 {
		t.Fatalf("reference CSV has no rows for kommun %s", kommun)
	}
	return out
}

func num(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("reference number %q: %v", s, err)
	}
	return f
}

type valuesResp struct {
	Indicator struct {
		ID    string `json:"id"`
		Years []int  `json:"years"`
	} `json:"indicator"`
	Level     string `json:"level"`
	Year      int    `json:"year"`
	Breakdown string `json:"breakdown"`
	Areas     []struct {
		ID          int64    `json:"id"`
		Code        string   `json:"code"`
		Name        string   `json:"name"`
		Kommun      string   `json:"kommun"`
		Value       *float64 `json:"value"`
		Numerator   *float64 `json:"numerator"`
		Denominator *float64 `json:"denominator"`
		Suppressed  bool     `json:"suppressed"`
	} `json:"areas"`
}

func TestHealth(t *testing.T) {
	t.Parallel()
	for _, p := range []string{"/healthz", "/readyz"} {
		if rec := get(t, p); rec.Code != http.StatusOK {
			t.Errorf("GET %s: %d", p, rec.Code)
		}
	}
}

func TestMeta(t *testing.T) {
	t.Parallel()
	var m struct {
		DataVersion int64 `json:"data_version"`
		Levels      []struct {
			ID           string `json:"id"`
			FeatureCount int    `json:"feature_count"`
			Tiles        string `json:"tiles"`
			TileJSON     string `json:"tilejson"`
		} `json:"levels"`
		Indicators []struct {
			ID    string `json:"id"`
			Years []int  `json:"years"`
		} `json:"indicators"`
		Kommuner []struct{ Code, Name, Lan string } `json:"kommuner"`
		Defaults struct {
			Level, Indicator string
			Year             int
		} `json:"defaults"`
	}
	getJSON(t, "/api/meta", &m)
	if m.DataVersion <= 0 {
		t.Errorf("data_version %d", m.DataVersion)
	}
	var deso bool
	for _, l := range m.Levels {
		if l.ID == "deso" {
			deso = true
			if l.FeatureCount < 1000 {
				t.Errorf("deso feature_count %d, want the 1287 Stockholm DeSO", l.FeatureCount)
			}
			if want := "tiles/deso/{z}/{x}/{y}.mvt?v=" + strconv.FormatInt(m.DataVersion, 10); l.Tiles != want {
				t.Errorf("deso tiles %q, want %q", l.Tiles, want)
			}
			if l.TileJSON != "tiles/deso.json" {
				t.Errorf("deso tilejson %q", l.TileJSON)
			}
			// Relative to the base URL: under a prefix they stay under it.
			for _, rel := range []string{l.Tiles, l.TileJSON} {
				ref, err := url.Parse(rel)
				if err != nil {
					t.Fatal(err)
				}
				base, _ := url.Parse("https://karta.kommun.se/segmap/")
				if got := base.ResolveReference(ref).String(); !strings.HasPrefix(got, "https://karta.kommun.se/segmap/tiles/deso") {
					t.Errorf("%q resolved against %s: %s", rel, base, got)
				}
			}
			if rec := get(t, "/"+l.TileJSON); rec.Code != http.StatusOK {
				t.Errorf("GET /%s: %d", l.TileJSON, rec.Code)
			}
		}
	}
	if !deso {
		t.Error("no deso level")
	}
	i := slices.IndexFunc(m.Indicators, func(x struct {
		ID    string `json:"id"`
		Years []int  `json:"years"`
	}) bool {
		return x.ID == "low_econ_standard_pct"
	})
	if i < 0 || !slices.Contains(m.Indicators[i].Years, 2022) {
		t.Errorf("low_econ_standard_pct with 2022 missing: %+v", m.Indicators)
	}
	if !slices.ContainsFunc(m.Kommuner, func(k struct{ Code, Name, Lan string }) bool {
		return k.Code == "0180" && k.Name == "Stockholm" && k.Lan == "01"
	}) {
		t.Errorf("kommun 0180 Stockholm missing: %v", m.Kommuner)
	}
	if m.Defaults.Level != "deso" || m.Defaults.Indicator != "low_econ_standard_pct" || m.Defaults.Year != 2022 {
		t.Errorf("defaults %+v", m.Defaults)
	}
}

func TestMetaGzip(t *testing.T) {
	t.Parallel()
	rec := get(t, "/api/meta", "Accept-Encoding", "gzip")
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("status %d, Content-Encoding %q", rec.Code, rec.Header().Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil || m["data_version"] == nil {
		t.Fatalf("gunzipped meta: %v %v", err, m)
	}
}

func TestAreas(t *testing.T) {
	t.Parallel()
	var r struct {
		Areas []struct {
			ID                        int64
			Code, Name, Kommun, RegSO string
		} `json:"areas"`
	}
	getJSON(t, "/api/areas/deso?kommun=0180", &r)
	ref := refRows(t, "0180")
	if len(r.Areas) != len(ref) {
		t.Errorf("%d DeSO in 0180, reference CSV has %d", len(r.Areas), len(ref))
	}
	for _, a := range r.Areas {
		if a.Kommun != "0180" || a.ID <= 0 || len(a.Code) != 9 {
			t.Fatalf("bad area %+v", a)
		}
	}
	expectError(t, "/api/areas/nosuchlevel", http.StatusNotFound, "not_found")
}

func TestValuesMatchSource(t *testing.T) {
	t.Parallel()
	var r valuesResp
	getJSON(t, "/api/values?level=deso&indicator=population&year=2022&kommun=0180", &r)
	ref := refRows(t, "0180")
	want := map[string]float64{}
	sum := 0.0
	for _, row := range ref {
		want[row["deso"]] = num(t, row["pop_total"])
		sum += want[row["deso"]]
	}
	if r.Year != 2022 || r.Level != "deso" || r.Breakdown != "total" || len(r.Areas) != len(ref) {
		t.Fatalf("year %d level %s breakdown %s areas %d (want %d)", r.Year, r.Level, r.Breakdown, len(r.Areas), len(ref))
	}
	for _, a := range r.Areas {
		if a.Value == nil || *a.Value != want[a.Code] {
			t.Errorf("%s population %v, source %v", a.Code, a.Value, want[a.Code])
		}
	}
	var k valuesResp
	getJSON(t, "/api/values?level=kommun&indicator=population&year=2022&kommun=0180", &k)
	if len(k.Areas) != 1 || k.Areas[0].Value == nil || *k.Areas[0].Value != sum {
		t.Errorf("kommun 0180 population %+v, sum of source DeSO %v", k.Areas, sum)
	}
	// A ratio: low economic standard, value as published.
	var low valuesResp
	getJSON(t, "/api/values?indicator=low_econ_standard_pct&kommun=0180", &low)
	if low.Year != 2022 {
		t.Errorf("default year %d, want latest 2022", low.Year)
	}
	for i, a := range low.Areas {
		w := num(t, ref[slices.IndexFunc(ref, func(m map[string]string) bool { return m["deso"] == a.Code })]["low_econ_standard_pct"])
		if a.Value == nil || math.Abs(*a.Value-w) > 1e-9 {
			t.Errorf("area %d %s low econ %v, source %v", i, a.Code, a.Value, w)
		}
	}
}

func TestValuesErrors(t *testing.T) {
	t.Parallel()
	expectError(t, "/api/values?level=deso&indicator=nope", http.StatusNotFound, "not_found")
	expectError(t, "/api/values?level=deso", http.StatusBadRequest, "bad_request")
	expectError(t, "/api/values?level=deso&indicator=population&year=abc", http.StatusBadRequest, "bad_request")
	expectError(t, "/api/values?level=deso&indicator=population&year=1990", http.StatusNotFound, "not_found")
	expectError(t, "/api/values?level=mars&indicator=population", http.StatusNotFound, "not_found")
	expectError(t, "/api/nosuchroute", http.StatusNotFound, "not_found")
}

func TestClassify(t *testing.T) {
	t.Parallel()
	var c struct {
		Method  string    `json:"method"`
		K       int       `json:"k"`
		Breaks  []float64 `json:"breaks"`
		Closure string    `json:"closure"`
		Legend  []struct {
			Label, Color, Kind string
			Count              int
		} `json:"legend"`
		Areas []struct {
			Code  string   `json:"code"`
			Value *float64 `json:"value"`
			Class int      `json:"class"`
			Color string   `json:"color"`
		} `json:"areas"`
	}
	getJSON(t, "/api/classify?level=deso&indicator=low_econ_standard_pct&year=2022&kommun=0180,0114&method=quantile&k=5&lang=en", &c)
	if c.Method != "quantile" || c.K != 5 || len(c.Breaks) != 6 {
		t.Fatalf("method %s k %d breaks %v", c.Method, c.K, c.Breaks)
	}
	total := 0
	for _, e := range c.Legend {
		total += e.Count
		if e.Color == "" || e.Label == "" {
			t.Errorf("legend entry %+v lacks colour or label", e)
		}
	}
	if total != len(c.Areas) {
		t.Errorf("legend counts sum to %d, %d areas", total, len(c.Areas))
	}
	perClass := map[int]int{}
	for _, a := range c.Areas {
		perClass[a.Class]++
		if a.Value == nil {
			if a.Class >= 0 {
				t.Errorf("%s has no value but class %d", a.Code, a.Class)
			}
			continue
		}
		if a.Class < 0 || a.Class >= c.K {
			t.Fatalf("%s class %d", a.Code, a.Class)
		}
		if v := *a.Value; v < c.Breaks[a.Class] || v > c.Breaks[a.Class+1] {
			t.Errorf("%s value %v outside class %d [%v, %v]", a.Code, v, a.Class, c.Breaks[a.Class], c.Breaks[a.Class+1])
		}
		if a.Color != c.Legend[a.Class].Color {
			t.Errorf("%s colour %s, legend %s", a.Code, a.Color, c.Legend[a.Class].Color)
		}
	}
	for i := range c.K {
		if perClass[i] != c.Legend[i].Count {
			t.Errorf("class %d: %d areas, legend count %d", i, perClass[i], c.Legend[i].Count)
		}
	}
	expectError(t, "/api/classify?indicator=low_econ_standard_pct&k=1", http.StatusBadRequest, "bad_request")
	expectError(t, "/api/classify?indicator=low_econ_standard_pct&method=astrology", http.StatusBadRequest, "bad_request")
	expectError(t, "/api/classify?indicator=low_econ_standard_pct&scheme=NoSuchScheme", http.StatusBadRequest, "bad_request")
}

func TestProfile(t *testing.T) {
	t.Parallel()
	ref := refRows(t, "0180")
	code := ref[0]["deso"]
	var p struct {
		Area struct {
			Code, Name, Level, Kommun, KommunName, Lan, LanName, Regso string
			Omradestyp                                                 int
		} `json:"area"`
		Indicators []struct {
			Indicator struct{ ID string } `json:"indicator"`
			Series    []struct {
				Year                      int
				Breakdown                 string
				Value, Kommun, Lan, Riket *float64
			} `json:"series"`
		} `json:"indicators"`
	}
	getJSON(t, "/api/areas/deso/"+code+"/profile", &p)
	if p.Area.Code != code || p.Area.Kommun != "0180" || p.Area.Lan != "01" || p.Area.Level != "deso" {
		t.Fatalf("area %+v", p.Area)
	}
	var kom valuesResp
	getJSON(t, "/api/values?level=kommun&indicator=population&year=2022&kommun=0180", &kom)
	found := false
	for _, is := range p.Indicators {
		if is.Indicator.ID != "population" {
			continue
		}
		for _, s := range is.Series {
			if s.Year == 2022 && s.Breakdown == "total" {
				found = true
				if s.Value == nil || *s.Value != num(t, ref[0]["pop_total"]) {
					t.Errorf("profile value %v, source %s", s.Value, ref[0]["pop_total"])
				}
				if s.Kommun == nil || *s.Kommun != *kom.Areas[0].Value {
					t.Errorf("profile kommun %v, /api/values %v", s.Kommun, *kom.Areas[0].Value)
				}
				if s.Lan == nil || s.Riket == nil || *s.Riket < *s.Lan || *s.Lan < *s.Kommun {
					t.Errorf("riket %v < län %v < kommun %v expected", s.Riket, s.Lan, s.Kommun)
				}
			}
		}
	}
	if !found {
		t.Error("no population 2022 in the profile")
	}
	expectError(t, "/api/areas/deso/0180X9999/profile", http.StatusNotFound, "not_found")
}

func TestCORS(t *testing.T) {
	t.Parallel()
	e := api.New(testSvc, api.Options{CORSOrigins: []string{"https://kommun.example.se"}})
	ok := serve(t, e, "/api/meta", "Origin", "https://kommun.example.se")
	if got := ok.Header().Get("Access-Control-Allow-Origin"); got != "https://kommun.example.se" {
		t.Errorf("allowed origin: Access-Control-Allow-Origin %q", got)
	}
	other := serve(t, e, "/api/meta", "Origin", "https://evil.example.com")
	if got := other.Header().Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("other origin: Access-Control-Allow-Origin %q", got)
	}
	req := httptest.NewRequest(http.MethodOptions, "/api/values", nil)
	req.Header.Set("Origin", "https://kommun.example.se")
	req.Header.Set("Access-Control-Request-Method", "GET")
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	if rec.Code != http.StatusNoContent || !strings.Contains(rec.Header().Get("Access-Control-Allow-Methods"), "GET") {
		t.Errorf("preflight: %d %v", rec.Code, rec.Header())
	}
	if got := get(t, "/api/meta", "Origin", "https://kommun.example.se").Header().Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("no CORS configured, yet Access-Control-Allow-Origin %q", got)
	}
}

func TestMethodNotAllowed(t *testing.T) {
	t.Parallel()
	req := httptest.NewRequest(http.MethodPost, "/api/meta", nil)
	rec := httptest.NewRecorder()
	testEcho.ServeHTTP(rec, req)
	var e errorResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || rec.Code != http.StatusMethodNotAllowed || e.Error.Code != "method_not_allowed" {
		t.Errorf("POST /api/meta: %d %s", rec.Code, rec.Body.String())
	}
}
