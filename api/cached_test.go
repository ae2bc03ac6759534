package api_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"testing"
)

// TestAnalysisCached: the analysis answers carry a strong ETag and
// Cache-Control, a revalidation with the ETag is a 304, and the gzip and
// identity bodies of a cached answer are the same JSON.
func TestAnalysisCached(t *testing.T) {
	t.Parallel()
	for _, target := range []string{
		"/api/values?level=deso&indicator=low_econ_standard_pct&kommun=0180",
		"/api/classify?level=deso&indicator=low_econ_standard_pct&method=fisher&k=5",
		"/api/lisa?level=deso&indicator=low_econ_standard_pct&kommun=0184&permutations=99",
	} {
		t.Run(target, func(t *testing.T) {
			plain := get(t, target)
			if plain.Code != http.StatusOK {
				t.Fatalf("status %d: %s", plain.Code, plain.Body)
			}
			etag, cc := plain.Header().Get("ETag"), plain.Header().Get("Cache-Control")
			if len(etag) < 3 || etag[0] != '"' || cc != "no-cache" {
				t.Fatalf("ETag %q, Cache-Control %q", etag, cc)
			}
			zipped := get(t, target, "Accept-Encoding", "gzip")
			if zipped.Header().Get("Content-Encoding") != "gzip" || zipped.Header().Get("ETag") != etag {
				t.Fatalf("gzip answer: Content-Encoding %q, ETag %q (identity %q)", zipped.Header().Get("Content-Encoding"), zipped.Header().Get("ETag"), etag)
			}
			zr, err := gzip.NewReader(zipped.Body)
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(zr)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(b, plain.Body.Bytes()) {
				t.Error("the gzip body is not the identity body")
			}
			again := get(t, target, "If-None-Match", etag)
			if again.Code != http.StatusNotModified || again.Body.Len() != 0 {
				t.Errorf("revalidation: status %d, %d bytes", again.Code, again.Body.Len())
			}
			if other := get(t, target, "If-None-Match", `"other"`); other.Code != http.StatusOK {
				t.Errorf("another ETag: status %d", other.Code)
			}
		})
	}
	// An error is not cached and carries no ETag.
	for range 2 {
		rec := get(t, "/api/classify?level=deso&indicator=no_such_indicator")
		if rec.Code != http.StatusNotFound || rec.Header().Get("ETag") != "" {
			t.Errorf("status %d, ETag %q", rec.Code, rec.Header().Get("ETag"))
		}
	}
}

// BenchmarkClassifyHTTP: a warm /api/classify of every DeSO (Fisher–Jenks,
// k = 5) through the whole handler chain, gzip accepted, no network.
func BenchmarkClassifyHTTP(b *testing.B) {
	const target = "/api/classify?level=deso&indicator=low_econ_standard_pct&method=fisher&k=5"
	req, _ := http.NewRequest(http.MethodGet, target, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	b.ReportAllocs()
	for b.Loop() {
		rec := discard{h: http.Header{}}
		testEcho.ServeHTTP(&rec, req)
		if rec.code != http.StatusOK {
			b.Fatalf("status %d", rec.code)
		}
	}
}

type discard struct {
	h    http.Header
	code int
}

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(p []byte) (int, error) { return len(p), nil }
func (d *discard) WriteHeader(code int)        { d.code = code }
