package api_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb/encoding/mvt"

	"github.com/segmap/segmap/api"
	"github.com/segmap/segmap/data"
)

// tileOf returns the XYZ tile holding lon/lat at zoom z.
func tileOf(lon, lat float64, z int) (int, int) {
	n := math.Exp2(float64(z))
	x := int((lon + 180) / 360 * n)
	r := lat * math.Pi / 180
	y := int((1 - math.Log(math.Tan(r)+1/math.Cos(r))/math.Pi) / 2 * n)
	return x, y
}

func stockholmTile(layer string) string {
	x, y := tileOf(18.07, 59.33, 11) // Stockholm city
	return fmt.Sprintf("/tiles/%s/11/%d/%d.mvt", layer, x, y)
}

func decodeTile(t *testing.T, b []byte) mvt.Layers {
	t.Helper()
	layers, err := mvt.Unmarshal(b)
	if err != nil {
		t.Fatalf("decode MVT: %v", err)
	}
	return layers
}

func TestTileGzipAndIdentity(t *testing.T) {
	t.Parallel()
	target := stockholmTile("deso")
	gz := get(t, target, "Accept-Encoding", "gzip, deflate, br")
	if gz.Code != http.StatusOK {
		t.Fatalf("GET %s: %d %s", target, gz.Code, gz.Body.String())
	}
	h := gz.Header()
	if h.Get("Content-Encoding") != "gzip" || h.Get("Content-Type") != api.MVTContentType || !strings.Contains(h.Get("Vary"), "Accept-Encoding") {
		t.Errorf("headers %v", h)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	id := get(t, target)
	if id.Code != http.StatusOK || id.Header().Get("Content-Encoding") != "" {
		t.Fatalf("identity: %d, Content-Encoding %q", id.Code, id.Header().Get("Content-Encoding"))
	}
	if !bytes.Equal(id.Body.Bytes(), raw) {
		t.Error("identity body differs from the gunzipped gzip body")
	}
	if id.Header().Get("ETag") == gz.Header().Get("ETag") || !strings.HasPrefix(id.Header().Get("ETag"), `"`) {
		t.Errorf("ETags gzip %q identity %q: want distinct strong tags", gz.Header().Get("ETag"), id.Header().Get("ETag"))
	}
	layers := decodeTile(t, raw)
	if len(layers) != 1 || layers[0].Name != "deso" || len(layers[0].Features) < 10 {
		t.Fatalf("tile layers: %d", len(layers))
	}
	for _, f := range layers[0].Features {
		code, _ := f.Properties["code"].(string)
		if !strings.HasPrefix(code, "01") || f.Properties["name"] == nil {
			t.Fatalf("feature properties %v", f.Properties)
		}
		fid, ok := f.ID.(uint64)
		if !ok {
			if fl, isF := f.ID.(float64); isF {
				fid, ok = uint64(fl), true
			}
		}
		if !ok || int64(fid) != data.FeatureID(code) {
			t.Errorf("%s: feature id %v (%T), want FeatureID %d", code, f.ID, f.ID, data.FeatureID(code))
		}
	}
}

func TestTileCaching(t *testing.T) {
	t.Parallel()
	target := stockholmTile("deso")
	first := get(t, target, "Accept-Encoding", "gzip")
	etag := first.Header().Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	if cc := first.Header().Get("Cache-Control"); cc == api.ImmutableCacheControl {
		t.Errorf("without ?v= Cache-Control is %q", cc)
	}
	nm := get(t, target, "Accept-Encoding", "gzip", "If-None-Match", etag)
	if nm.Code != http.StatusNotModified || nm.Body.Len() != 0 {
		t.Errorf("If-None-Match: %d, %d bytes", nm.Code, nm.Body.Len())
	}
	other := get(t, target, "If-None-Match", etag) // identity has its own tag
	if other.Code != http.StatusOK {
		t.Errorf("identity with the gzip ETag: %d", other.Code)
	}
	ver := testSvc.TileVersion()
	v := get(t, target+"?v="+strconv.FormatInt(ver, 10), "Accept-Encoding", "gzip")
	if cc := v.Header().Get("Cache-Control"); cc != api.ImmutableCacheControl {
		t.Errorf("?v=current: Cache-Control %q", cc)
	}
	old := get(t, target+"?v="+strconv.FormatInt(ver+100, 10), "Accept-Encoding", "gzip")
	if cc := old.Header().Get("Cache-Control"); cc == api.ImmutableCacheControl {
		t.Errorf("?v=other: Cache-Control %q", cc)
	}
	custom := api.New(testSvc, api.Options{CacheControl: "public, max-age=7"})
	if cc := serve(t, custom, target).Header().Get("Cache-Control"); cc != "public, max-age=7" {
		t.Errorf("configured Cache-Control: %q", cc)
	}
}

func TestTileErrors(t *testing.T) {
	t.Parallel()
	// An empty tile: the Atlantic.
	if rec := get(t, "/tiles/deso/11/0/0.mvt"); rec.Code != http.StatusNoContent {
		t.Errorf("empty tile: %d", rec.Code)
	}
	for _, p := range []string{"/tiles/deso/a/1/1.mvt", "/tiles/deso/1/5/0.mvt", "/tiles/deso/-1/0/0.mvt", "/tiles/deso/40/0/0.mvt", "/tiles/deso/1/0/x.mvt"} {
		expectError(t, p, http.StatusBadRequest, "bad_request")
	}
	expectError(t, "/tiles/nosuchlayer/1/0/0.mvt", http.StatusNotFound, "not_found")
	expectError(t, "/tiles/nosuchlayer.json", http.StatusNotFound, "not_found")
}

func TestTileJSON(t *testing.T) {
	t.Parallel()
	var tj struct {
		TileJSON     string    `json:"tilejson"`
		Tiles        []string  `json:"tiles"`
		Bounds       []float64 `json:"bounds"`
		Center       []float64 `json:"center"`
		MinZoom      int       `json:"minzoom"`
		MaxZoom      int       `json:"maxzoom"`
		VectorLayers []struct {
			ID     string            `json:"id"`
			Fields map[string]string `json:"fields"`
		} `json:"vector_layers"`
	}
	getJSON(t, "/tiles/deso.json", &tj)
	if tj.TileJSON != "3.0.0" || len(tj.Tiles) != 1 || !strings.HasPrefix(tj.Tiles[0], "http://example.com/tiles/deso/{z}/{x}/{y}.mvt?v=") {
		t.Errorf("tilejson %+v", tj)
	}
	// Stockholms län lies within 17-20 E, 58.5-60.5 N.
	if len(tj.Bounds) != 4 || tj.Bounds[0] < 17 || tj.Bounds[2] > 20 || tj.Bounds[1] < 58.5 || tj.Bounds[3] > 60.5 {
		t.Errorf("bounds %v", tj.Bounds)
	}
	if len(tj.Center) != 3 || tj.MaxZoom <= tj.MinZoom {
		t.Errorf("center %v zoom %d..%d", tj.Center, tj.MinZoom, tj.MaxZoom)
	}
	if len(tj.VectorLayers) != 1 || tj.VectorLayers[0].ID != "deso" || tj.VectorLayers[0].Fields["code"] == "" {
		t.Errorf("vector_layers %+v", tj.VectorLayers)
	}
	pub := api.New(testSvc, api.Options{PublicURL: "https://karta.example.se/segmap/"})
	rec := serve(t, pub, "/tiles/deso.json")
	if !strings.Contains(rec.Body.String(), `"https://karta.example.se/segmap/tiles/deso/{z}/{x}/{y}.mvt?v=`) {
		t.Errorf("PublicURL not used: %s", rec.Body.String())
	}
}

func TestStyle(t *testing.T) {
	t.Parallel()
	var st struct {
		Version int                       `json:"version"`
		Sources map[string]map[string]any `json:"sources"`
		Layers  []struct {
			ID, Type, Source string
		} `json:"layers"`
	}
	getJSON(t, "/style.json", &st)
	if st.Version != 8 {
		t.Errorf("version %d", st.Version)
	}
	ids := map[string]string{}
	for _, l := range st.Layers {
		ids[l.ID] = l.Type
		if l.Type != "background" && st.Sources[l.Source] == nil {
			t.Errorf("layer %s uses missing source %q", l.ID, l.Source)
		}
	}
	for id, typ := range map[string]string{"background": "background", "deso-fill": "fill", "kommun-line": "line"} {
		if ids[id] != typ {
			t.Errorf("style layer %s: %q, want %s (layers %v)", id, ids[id], typ, ids)
		}
	}
	b, _ := json.Marshal(st.Sources["deso"])
	if !strings.Contains(string(b), "/tiles/deso.json") {
		t.Errorf("deso source %s", b)
	}
}
