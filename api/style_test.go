package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

type tileJSONDoc struct {
	Tiles        []string `json:"tiles"`
	VectorLayers []struct {
		ID     string            `json:"id"`
		Fields map[string]string `json:"fields"`
	} `json:"vector_layers"`
}

type classifyAnswer struct {
	Year   int `json:"year"`
	Legend []struct {
		Label string `json:"label"`
		Color string `json:"color"`
		Count int    `json:"count"`
	} `json:"legend"`
	Areas []struct {
		Code  string   `json:"code"`
		Value *float64 `json:"value"`
		Class int      `json:"class"`
		Color string   `json:"color"`
	} `json:"areas"`
}

// localPath turns an absolute URL of the test server into its path and
// query, checking it is on the test server.
func localPath(t *testing.T, abs string) string {
	t.Helper()
	const base = "http://example.com/"
	if !strings.HasPrefix(abs, base) {
		t.Fatalf("%q is not under %s", abs, base)
	}
	return "/" + strings.TrimPrefix(abs, base)
}

// checkTileColours fetches the Stockholm city tile of a TileJSON's tile
// template and checks every feature's value, class and color against
// /api/classify?<classify> (an independent computation of the same view).
func checkTileColours(t *testing.T, template, classify string) {
	t.Helper()
	var cl classifyAnswer
	getJSON(t, "/api/classify?level=deso&"+classify, &cl)
	byCode := map[string]int{}
	for i, a := range cl.Areas {
		byCode[a.Code] = i
	}
	var z, x, y int
	if _, err := fmt.Sscanf(stockholmTile("deso"), "/tiles/deso/%d/%d/%d.mvt", &z, &x, &y); err != nil {
		t.Fatal(err)
	}
	target := strings.NewReplacer("{z}", fmt.Sprint(z), "{x}", fmt.Sprint(x), "{y}", fmt.Sprint(y)).Replace(localPath(t, template))
	rec := get(t, target)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s: %d %s", target, rec.Code, rec.Body)
	}
	checked := 0
	for _, f := range decodeTile(t, rec.Body.Bytes())[0].Features {
		code, _ := f.Properties["code"].(string)
		i, ok := byCode[code]
		if !ok {
			if f.Properties["color"] != nil {
				t.Errorf("%s: coloured %v but not in the classification", code, f.Properties["color"])
			}
			continue
		}
		want := cl.Areas[i]
		if f.Properties["color"] != want.Color || f.Properties["class"] != float64(want.Class) {
			t.Errorf("%s: tile class %v colour %v, classify says %d %s", code, f.Properties["class"], f.Properties["color"], want.Class, want.Color)
		}
		if want.Value != nil && f.Properties["value"] != *want.Value {
			t.Errorf("%s: tile value %v, classify says %v", code, f.Properties["value"], *want.Value)
		}
		checked++
	}
	if checked < 10 {
		t.Errorf("%s: only %d features checked", target, checked)
	}
}

// TestTileJSONWithValues: /tiles/{layer}.json?indicator=… points at the
// tiles with values and lists value, class and color among the fields.
func TestTileJSONWithValues(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, query string
		values      bool
	}{
		{"plain", "", false},
		{"indicator", "indicator=low_econ_standard_pct&year=2022", true},
		{"classification", "indicator=net_income_mean_tkr&year=2022&method=equal&k=4&scheme=Blues&kommun=0180,0127", true},
		{"lang and level are not tile parameters", "indicator=low_econ_standard_pct&level=regso&lang=en", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var tj tileJSONDoc
			getJSON(t, "/tiles/deso.json?"+c.query, &tj)
			if len(tj.Tiles) != 1 || len(tj.VectorLayers) != 1 {
				t.Fatalf("tilejson %+v", tj)
			}
			fields := tj.VectorLayers[0].Fields
			u, err := url.Parse(strings.NewReplacer("{", "", "}", "").Replace(tj.Tiles[0]))
			if err != nil {
				t.Fatal(err)
			}
			q := u.Query()
			if q.Get("v") == "" || q.Has("lang") || q.Has("level") {
				t.Errorf("tile query %v", q)
			}
			if !c.values {
				if q.Has("indicator") || fields["value"] != "" || fields["color"] != "" {
					t.Errorf("plain TileJSON: tiles %s fields %v", tj.Tiles[0], fields)
				}
				return
			}
			want, _ := url.ParseQuery(c.query)
			for _, k := range []string{"indicator", "year", "method", "k", "scheme", "kommun"} {
				if q.Get(k) != want.Get(k) {
					t.Errorf("tile %s=%q, want %q", k, q.Get(k), want.Get(k))
				}
			}
			for k, typ := range map[string]string{"code": "String", "name": "String", "value": "Number", "class": "Number", "color": "String"} {
				if fields[k] != typ {
					t.Errorf("field %s: %q, want %s (fields %v)", k, fields[k], typ, fields)
				}
			}
			want.Del("lang")
			want.Del("level")
			checkTileColours(t, tj.Tiles[0], want.Encode())
		})
	}
	expectError(t, "/tiles/deso.json?indicator=no_such_indicator", http.StatusNotFound, "not_found")
	expectError(t, "/tiles/deso.json?indicator=low_econ_standard_pct&k=99", http.StatusBadRequest, "bad_request")
}

type styleDoc struct {
	Sources map[string]struct {
		Type string `json:"type"`
		URL  string `json:"url"`
	} `json:"sources"`
	Layers []struct {
		ID    string         `json:"id"`
		Type  string         `json:"type"`
		Paint map[string]any `json:"paint"`
	} `json:"layers"`
	Metadata map[string]json.RawMessage `json:"metadata"`
}

// TestStyleChoropleth: /style.json colours DeSO from the tiles' color
// property, for the query's classification or else the client's first view.
func TestStyleChoropleth(t *testing.T) {
	t.Parallel()
	var meta struct {
		Defaults struct {
			Indicator string `json:"indicator"`
			Year      int    `json:"year"`
			Method    string `json:"method"`
			K         int    `json:"k"`
			Kommun    string `json:"kommun"`
		} `json:"defaults"`
	}
	getJSON(t, "/api/meta", &meta)
	d := meta.Defaults
	def := url.Values{"indicator": {d.Indicator}, "year": {fmt.Sprint(d.Year)}, "method": {d.Method}, "k": {fmt.Sprint(d.K)}}
	if d.Kommun != "" {
		def.Set("kommun", d.Kommun)
	}
	cases := []struct{ name, query, classify string }{
		{"default view", "", def.Encode()},
		{"indicator and year", "indicator=net_income_mean_tkr&year=2022", "indicator=net_income_mean_tkr&year=2022"},
		{"latest year is pinned", "indicator=low_econ_standard_pct&k=3&method=equal", "indicator=low_econ_standard_pct&k=3&method=equal"},
		{"english legend", "indicator=low_econ_standard_pct&year=2022&kommun=0180&lang=en", "indicator=low_econ_standard_pct&year=2022&kommun=0180&lang=en"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var st styleDoc
			getJSON(t, "/style.json?"+c.query, &st)
			var fill map[string]any
			for _, l := range st.Layers {
				if l.ID == "deso-fill" {
					fill = l.Paint
				}
			}
			b, _ := json.Marshal(fill["fill-color"])
			if !strings.Contains(string(b), `["get","color"]`) {
				t.Errorf("deso-fill colour %s does not read the tiles' color", b)
			}
			src := st.Sources["deso"]
			var tj tileJSONDoc
			getJSON(t, localPath(t, src.URL), &tj)
			if len(tj.Tiles) != 1 || tj.VectorLayers[0].Fields["color"] != "String" {
				t.Fatalf("deso source %s: %+v", src.URL, tj)
			}
			var cl classifyAnswer
			getJSON(t, "/api/classify?level=deso&"+c.classify, &cl)
			var year int
			if err := json.Unmarshal(st.Metadata["segmap:year"], &year); err != nil || year != cl.Year {
				t.Errorf("metadata year %s, classify %d", st.Metadata["segmap:year"], cl.Year)
			}
			if tq, _ := url.Parse(strings.NewReplacer("{", "", "}", "").Replace(tj.Tiles[0])); tq.Query().Get("year") != fmt.Sprint(cl.Year) {
				t.Errorf("tiles %s do not name the year %d", tj.Tiles[0], cl.Year)
			}
			gotLegend, _ := json.Marshal(st.Metadata["segmap:legend"])
			var legend []struct {
				Label, Color string
				Count        int
			}
			if err := json.Unmarshal(gotLegend, &legend); err != nil || len(legend) != len(cl.Legend) {
				t.Fatalf("metadata legend %s, classify %+v", gotLegend, cl.Legend)
			}
			for i, l := range legend {
				if l.Label != cl.Legend[i].Label || l.Color != cl.Legend[i].Color || l.Count != cl.Legend[i].Count {
					t.Errorf("legend %d: %+v, classify %+v", i, l, cl.Legend[i])
				}
			}
			cq, _ := url.ParseQuery(c.classify)
			cq.Del("lang")
			cq.Set("year", fmt.Sprint(cl.Year))
			checkTileColours(t, tj.Tiles[0], cq.Encode())
			// Outlines stay plain tiles.
			if u := st.Sources["kommun"].URL; strings.Contains(u, "indicator=") {
				t.Errorf("kommun source %s", u)
			}
		})
	}
	expectError(t, "/style.json?indicator=no_such_indicator", http.StatusNotFound, "not_found")
	expectError(t, "/style.json?indicator=low_econ_standard_pct&k=1", http.StatusBadRequest, "bad_request")
}

// BenchmarkStyle: /style.json classifies the view to check it and name its
// legend (the default view also reads /api/meta's defaults).
func BenchmarkStyle(b *testing.B) {
	for _, target := range []string{"/style.json", "/style.json?indicator=low_econ_standard_pct&year=2022"} {
		b.Run(target, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				testEcho.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
				if rec.Code != http.StatusOK {
					b.Fatal(rec.Code, rec.Body.String())
				}
			}
		})
	}
}
