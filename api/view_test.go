package api_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"net/http"
	"slices"
	"testing"
)

// TestClassifyCompact: format=compact (and mapped=) on /api/classify and
// /api/values list the same areas, values and classes as the objects
// form in far fewer bytes; the breaks, legend and summary are those of the
// whole selection; bad view parameters are 400.
func TestClassifyCompact(t *testing.T) {
	const q = "level=deso&indicator=foreign_born_pct&method=fisher&k=5"
	type area struct {
		ID    int64    `json:"id"`
		Code  string   `json:"code"`
		Value *float64 `json:"value"`
		Class int      `json:"class"`
	}
	type answer struct {
		Breaks  []float64 `json:"breaks"`
		Legend  []any     `json:"legend"`
		Summary any       `json:"summary"`
		Areas   []area    `json:"areas"`
		Format  string    `json:"format"`
		IDs     []int64   `json:"ids"`
		Codes   []string  `json:"codes"`
		Values  []*float64
		Classes []int `json:"classes"`
	}
	decode := func(target string) (answer, *bytes.Buffer) {
		t.Helper()
		rec := get(t, target, "Accept-Encoding", "gzip")
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: status %d %s", target, rec.Code, rec.Body)
		}
		zipped := bytes.NewBuffer(slices.Clone(rec.Body.Bytes()))
		zr, err := gzip.NewReader(rec.Body)
		if err != nil {
			t.Fatal(err)
		}
		var a answer
		if err := json.NewDecoder(zr).Decode(&a); err != nil {
			t.Fatal(err)
		}
		return a, zipped
	}
	full, fullZ := decode("/api/classify?" + q)
	var meta struct {
		Levels []struct {
			ID           string `json:"id"`
			FeatureCount int    `json:"feature_count"`
		} `json:"levels"`
	}
	getJSON(t, "/api/meta", &meta)
	drawn := 0
	for _, l := range meta.Levels {
		if l.ID == "deso" {
			drawn = l.FeatureCount
		}
	}
	if len(full.Areas) <= drawn || drawn == 0 {
		t.Fatalf("%d areas, %d drawn", len(full.Areas), drawn)
	}
	for _, view := range []string{"&format=compact", "&format=compact&mapped=true", "&mapped=true"} {
		c, z := decode("/api/classify?" + q + view)
		if !slices.Equal(c.Breaks, full.Breaks) || len(c.Legend) != len(full.Legend) || c.Summary == nil {
			t.Errorf("%s: breaks %v, want %v", view, c.Breaks, full.Breaks)
		}
		codes, classes := c.Codes, c.Classes
		if c.Format != "compact" {
			if c.Codes != nil {
				t.Errorf("%s: compact arrays in the objects form", view)
			}
			codes, classes = nil, nil
			for _, a := range c.Areas {
				codes, classes = append(codes, a.Code), append(classes, a.Class)
			}
		} else if c.Areas != nil || len(c.IDs) != len(c.Codes) || len(c.Classes) != len(c.Codes) {
			t.Errorf("%s: areas %d, %d ids, %d codes, %d classes", view, len(c.Areas), len(c.IDs), len(c.Codes), len(c.Classes))
		}
		n := len(full.Areas)
		if bytes.Contains([]byte(view), []byte("mapped")) {
			n = drawn
		}
		if len(codes) != n {
			t.Errorf("%s: %d areas, want %d", view, len(codes), n)
		}
		byCode := map[string]area{}
		for _, a := range full.Areas {
			byCode[a.Code] = a
		}
		for i, code := range codes {
			if a, ok := byCode[code]; !ok || a.Class != classes[i] {
				t.Fatalf("%s: %s class %d, full answer %+v", view, code, classes[i], a)
			}
		}
		t.Logf("%s: %d areas, %d gzip bytes (objects, all areas: %d)", view, len(codes), z.Len(), fullZ.Len())
		if view == "&format=compact&mapped=true" && z.Len()*4 > fullZ.Len() {
			t.Errorf("compact view of the drawn areas: %d gzip bytes, objects of every area %d", z.Len(), fullZ.Len())
		}
	}
	for _, bad := range []string{"format=xml", "bbox=1,2,3", "bbox=18,60,17,61", "bbox=a,b,c,d", "mapped=maybe"} {
		for _, path := range []string{"/api/classify?", "/api/values?"} {
			if rec := get(t, path+q+"&"+bad); rec.Code != http.StatusBadRequest {
				t.Errorf("%s%s: status %d", path, bad, rec.Code)
			}
		}
	}
	// Stockholm's inner city: a few areas, all of them drawn ones.
	c, _ := decode("/api/classify?" + q + "&format=compact&bbox=18.05,59.32,18.08,59.34")
	if len(c.Codes) == 0 || len(c.Codes) >= drawn {
		t.Errorf("bbox: %d areas", len(c.Codes))
	}
	var vals struct {
		Format string     `json:"format"`
		Codes  []string   `json:"codes"`
		Values []*float64 `json:"values"`
	}
	getJSON(t, "/api/values?level=deso&indicator=foreign_born_pct&format=compact&mapped=1", &vals)
	if vals.Format != "compact" || len(vals.Codes) != drawn || len(vals.Values) != drawn {
		t.Errorf("values: format %q, %d codes, %d values, want %d", vals.Format, len(vals.Codes), len(vals.Values), drawn)
	}
}
