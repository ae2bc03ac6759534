package api_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestTileWithValues: with ?indicator=… every feature carries the value,
// class and colour that /api/classify gives its area.
func TestTileWithValues(t *testing.T) {
	t.Parallel()
	q := "indicator=low_econ_standard_pct&year=2022&method=quantile&k=5"
	var cl struct {
		Areas []struct {
			Code  string   `json:"code"`
			Value *float64 `json:"value"`
			Class int      `json:"class"`
			Color string   `json:"color"`
		} `json:"areas"`
	}
	getJSON(t, "/api/classify?level=deso&"+q, &cl)
	byCode := map[string]int{}
	for i, a := range cl.Areas {
		byCode[a.Code] = i
	}
	rec := get(t, stockholmTile("deso")+"?"+q)
	if rec.Code != http.StatusOK {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	layers := decodeTile(t, rec.Body.Bytes())
	checked := 0
	for _, f := range layers[0].Features {
		code, _ := f.Properties["code"].(string)
		i, ok := byCode[code]
		if !ok {
			t.Fatalf("tile feature %s not in the classification", code)
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
		t.Errorf("only %d features checked", checked)
	}
	// A plain tile carries no values; a bad classification is a 400.
	plain := decodeTile(t, get(t, stockholmTile("deso")).Body.Bytes())
	if _, ok := plain[0].Features[0].Properties["value"]; ok {
		t.Error("plain tile carries values")
	}
	if rec := get(t, stockholmTile("deso")+"?indicator=low_econ_standard_pct&year=2022&k=99"); rec.Code != http.StatusBadRequest {
		t.Errorf("k=99: %d", rec.Code)
	}
}

// BenchmarkValuesTile: a tile with values, cached (the answer QGIS and
// /style.json pages get for every tile after the first of a view).
func BenchmarkValuesTile(b *testing.B) {
	req := httptest.NewRequest(http.MethodGet, stockholmTile("deso")+"?indicator=low_econ_standard_pct&year=2022", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		testEcho.ServeHTTP(w, req)
		if w.code != http.StatusOK {
			b.Fatal(w.code)
		}
	}
}
