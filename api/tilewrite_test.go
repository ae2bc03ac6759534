package api_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/segmap/segmap/api"
)

// TestTileEncodingAndETag: area tiles and site tiles share one writer:
// gzip as stored when accepted, decompressed otherwise, each encoding with
// its own strong ETag, 304 only for the ETag of the encoding asked for.
// The headers each route sets itself (Vary, Cache-Control) stay its own.
func TestTileEncodingAndETag(t *testing.T) {
	t.Parallel()
	e, _ := writableServer(t, api.Options{APIToken: siteToken})
	l := upload(t, e, "b.geojson", siteFile(t, "botkyrka_planerat_3006.geojson"), "")
	x, y := tileOf(17.8465, 59.2375, 12) // Albyberget
	tests := []struct {
		name, target, vary string
	}{
		{"area tile", stockholmTile("deso"), "Accept-Encoding"},
		{"site tile", fmt.Sprintf("/tiles/sites/%d/12/%d/%d.mvt", l.ID, x, y), "Accept-Encoding, Authorization"},
	}
	for _, tc := range tests {
		gz := do(t, e, http.MethodGet, tc.target, nil, "Accept-Encoding", "gzip")
		plain := do(t, e, http.MethodGet, tc.target, nil, "Accept-Encoding", "identity")
		if gz.Code != 200 || plain.Code != 200 {
			t.Fatalf("%s: %d %d", tc.name, gz.Code, plain.Code)
		}
		if gz.Header().Get("Content-Encoding") != "gzip" || plain.Header().Get("Content-Encoding") != "" {
			t.Errorf("%s: encodings %q %q", tc.name, gz.Header().Get("Content-Encoding"), plain.Header().Get("Content-Encoding"))
		}
		zr, err := gzip.NewReader(bytes.NewReader(gz.Body.Bytes()))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		unzipped, _ := io.ReadAll(zr)
		if !bytes.Equal(unzipped, plain.Body.Bytes()) || len(unzipped) == 0 {
			t.Errorf("%s: gunzipped %d bytes, identity %d bytes", tc.name, len(unzipped), plain.Body.Len())
		}
		eg, ep := gz.Header().Get("ETag"), plain.Header().Get("ETag")
		if eg == "" || ep == "" || eg == ep || eg[0] != '"' {
			t.Errorf("%s: ETags %q %q", tc.name, eg, ep)
		}
		for _, h := range []http.Header{gz.Header(), plain.Header()} {
			if h.Get("Vary") != tc.vary || h.Get("Cache-Control") == "" {
				t.Errorf("%s: Vary %q Cache-Control %q", tc.name, h.Get("Vary"), h.Get("Cache-Control"))
			}
		}
		for _, c := range []struct {
			enc, inm string
			want     int
		}{
			{"gzip", eg, http.StatusNotModified},
			{"identity", ep, http.StatusNotModified},
			{"gzip", "W/" + eg, http.StatusNotModified},
			{"gzip", `"other", ` + eg, http.StatusNotModified},
			{"identity", eg, http.StatusOK}, // the gzip ETag does not stand for the identity body
			{"gzip", ep, http.StatusOK},
		} {
			if rec := do(t, e, http.MethodGet, tc.target, nil, "Accept-Encoding", c.enc, "If-None-Match", c.inm); rec.Code != c.want {
				t.Errorf("%s: %s with If-None-Match %s: %d, want %d", tc.name, c.enc, c.inm, rec.Code, c.want)
			}
		}
	}
}
