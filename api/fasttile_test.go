package api_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb/encoding/mvt"

	"github.com/segmap/segmap/api"
	"github.com/segmap/segmap/service"
)

// fastPathServer is a server with its own (cold) tile cache, CORS for one
// origin and a debug log, which marks answers of the fast path cached=true.
func fastPathServer(t *testing.T) (*echo.Echo, *service.Service, *bytes.Buffer) {
	t.Helper()
	var log bytes.Buffer
	svc := service.New(testStore, nil, service.Options{})
	e := api.New(svc, api.Options{
		CORSOrigins: []string{"https://www.botkyrka.se"},
		Logger:      slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug})),
	})
	return e, svc, &log
}

// TestTileFastPathAnswersAsRouted: a tile's first request renders it
// through the routed handler; the second finds it cached and is answered
// by the fast path. Both answers must be the same: status, every header
// (but Date) and body, for each kind of tile request.
func TestTileFastPathAnswersAsRouted(t *testing.T) {
	t.Parallel()
	tile := stockholmTile("deso")
	cases := []struct {
		name, method, target string
		headers              []string
		status               int
	}{
		{"gzip", http.MethodGet, tile, []string{"Accept-Encoding", "gzip, deflate, br"}, 200},
		{"current version", http.MethodGet, tile + "?v=CURRENT", []string{"Accept-Encoding", "gzip"}, 200},
		{"old version", http.MethodGet, tile + "?v=1", []string{"Accept-Encoding", "gzip"}, 200},
		{"HEAD", http.MethodHead, tile, []string{"Accept-Encoding", "gzip"}, 200},
		{"allowed origin", http.MethodGet, tile, []string{"Accept-Encoding", "gzip", "Origin", "https://www.botkyrka.se"}, 200},
		{"other origin", http.MethodGet, tile, []string{"Accept-Encoding", "gzip", "Origin", "https://evil.example"}, 200},
		{"If-None-Match", http.MethodGet, tile, []string{"Accept-Encoding", "gzip", "If-None-Match", "ETAG"}, 304},
		{"If-None-Match other", http.MethodGet, tile, []string{"Accept-Encoding", "gzip", "If-None-Match", `"nope"`}, 200},
		{"empty tile", http.MethodGet, "/tiles/deso/10/0/0.mvt", []string{"Accept-Encoding", "gzip"}, 204},
		{"kommun layer", http.MethodGet, stockholmTile("kommun"), []string{"Accept-Encoding", "gzip"}, 200},
		// Clients without gzip (curl, scripts, load tools, some caches)
		// get the identity bytes made with the tile, on both paths.
		{"no Accept-Encoding", http.MethodGet, tile, nil, 200},
		{"identity", http.MethodGet, tile, []string{"Accept-Encoding", "identity"}, 200},
		{"gzip refused", http.MethodGet, tile, []string{"Accept-Encoding", "gzip;q=0, deflate"}, 200},
		{"no gzip, current version", http.MethodGet, tile + "?v=CURRENT", nil, 200},
		{"no gzip, HEAD", http.MethodHead, tile, nil, 200},
		{"no gzip, allowed origin", http.MethodGet, tile, []string{"Origin", "https://www.botkyrka.se"}, 200},
		{"no gzip, If-None-Match", http.MethodGet, tile, []string{"If-None-Match", "ETAG_IDENTITY"}, 304},
		{"no gzip, gzip ETag", http.MethodGet, tile, []string{"If-None-Match", "ETAG"}, 200},
		{"no gzip, empty tile", http.MethodGet, "/tiles/deso/10/0/0.mvt", nil, 204},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e, svc, log := fastPathServer(t)
			target := strings.Replace(tc.target, "CURRENT", "", 1)
			headers := slices.Clone(tc.headers)
			if strings.Contains(tc.target, "CURRENT") || slices.Contains(headers, "ETAG") || slices.Contains(headers, "ETAG_IDENTITY") {
				warm := do(t, e, http.MethodGet, tile, nil, "Accept-Encoding", "gzip") // renders the tile
				warmID := do(t, e, http.MethodGet, tile, nil)                          // identity
				e, svc, log = fastPathServer(t)                                        // and starts again cold
				ver, err := svc.Reload(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				target = strings.Replace(tc.target, "CURRENT", strconv.FormatInt(ver, 10), 1)
				for i, h := range headers {
					switch h {
					case "ETAG":
						headers[i] = warm.Header().Get("ETag")
					case "ETAG_IDENTITY":
						headers[i] = warmID.Header().Get("ETag")
					}
				}
			}
			routed := do(t, e, tc.method, target, nil, headers...)
			if strings.Contains(log.String(), "cached=true") {
				t.Fatalf("the first request was answered from the cache: %s", log)
			}
			fast := do(t, e, tc.method, target, nil, headers...)
			if !strings.Contains(log.String(), "cached=true") {
				t.Fatalf("the second request did not take the fast path; log:\n%s", log)
			}
			if routed.Code != tc.status || fast.Code != tc.status {
				t.Fatalf("status routed %d, fast %d, want %d (%s)", routed.Code, fast.Code, tc.status, routed.Body)
			}
			rh, fh := routed.Result().Header, fast.Result().Header
			rh.Del("Date")
			fh.Del("Date")
			if fmt.Sprint(rh) != fmt.Sprint(fh) {
				t.Errorf("headers differ:\nrouted %v\nfast   %v", rh, fh)
			}
			if !bytes.Equal(routed.Body.Bytes(), fast.Body.Bytes()) {
				t.Errorf("bodies differ: routed %d bytes, fast %d bytes", routed.Body.Len(), fast.Body.Len())
			}
			gz := false // the client takes gzip
			for i := 0; i+1 < len(headers); i += 2 {
				gz = gz || headers[i] == "Accept-Encoding" && strings.HasPrefix(headers[i+1], "gzip") && !strings.HasPrefix(headers[i+1], "gzip;q=0")
			}
			if tc.status == 200 && (fh.Get("Content-Encoding") == "gzip") != gz {
				t.Errorf("Content-Encoding %q for Accept-Encoding %q", fh.Get("Content-Encoding"), headers)
			}
			if tc.status == 200 && tc.method == http.MethodGet && !gz {
				if _, err := mvt.Unmarshal(fast.Body.Bytes()); err != nil {
					t.Errorf("identity body is not an MVT tile: %v", err)
				}
			}
			if tc.method == http.MethodHead && fast.Body.Len() != 0 {
				t.Errorf("HEAD sent %d body bytes", fast.Body.Len())
			}
			if tc.status == 200 && fh.Get("Content-Length") != strconv.Itoa(fast.Body.Len()) && tc.method == http.MethodGet {
				t.Errorf("Content-Length %q for %d bytes", fh.Get("Content-Length"), fast.Body.Len())
			}
			// With CORS on, an answer varies by origin as well as by encoding
			// (a shared cache must not hand one origin's answer to another).
			if v := fh.Values("Vary"); !slices.Contains(v, "Origin") || !slices.Contains(v, "Accept-Encoding") {
				t.Errorf("Vary %q, want Origin and Accept-Encoding", v)
			}
			want := "public, max-age=300"
			if strings.Contains(tc.target, "CURRENT") {
				want = api.ImmutableCacheControl
			}
			if fh.Get("Cache-Control") != want {
				t.Errorf("Cache-Control %q, want %q", fh.Get("Cache-Control"), want)
			}
		})
	}
}

// TestTileFastPathLeavesOthersToTheRoutes: requests the fast path must not
// answer, though their tile is cached, go the long way with their own
// result.
func TestTileFastPathLeavesOthersToTheRoutes(t *testing.T) {
	t.Parallel()
	e, _, log := fastPathServer(t)
	tile := stockholmTile("deso")
	plain := do(t, e, http.MethodGet, tile, nil, "Accept-Encoding", "gzip")
	if plain.Code != 200 {
		t.Fatal(plain.Code)
	}
	for _, tc := range []struct {
		name, target string
		headers      []string
		status       int
	}{
		{"values in the tile", tile + "?indicator=low_econ_standard_pct&year=2022", []string{"Accept-Encoding", "gzip"}, 200},
		{"unknown layer", "/tiles/nope/11/1000/500.mvt", []string{"Accept-Encoding", "gzip"}, 404},
		{"zoom too deep", "/tiles/deso/99/0/0.mvt", []string{"Accept-Encoding", "gzip"}, 400},
		{"x outside the grid", "/tiles/deso/1/2/0.mvt", []string{"Accept-Encoding", "gzip"}, 400},
		{"not a number", "/tiles/deso/1/a/0.mvt", []string{"Accept-Encoding", "gzip"}, 400},
		{"long query", tile + "?v=" + strings.Repeat("9", 9000), []string{"Accept-Encoding", "gzip"}, 414},
	} {
		log.Reset()
		rec := do(t, e, http.MethodGet, tc.target, nil, tc.headers...)
		if rec.Code != tc.status {
			t.Errorf("%s: status %d, want %d", tc.name, rec.Code, tc.status)
		}
		if strings.Contains(log.String(), "cached=true") {
			t.Errorf("%s: answered by the fast path", tc.name)
		}
		if rec.Code == 200 && bytes.Equal(rec.Body.Bytes(), plain.Body.Bytes()) && tc.headers != nil && tc.headers[1] == "gzip" {
			t.Errorf("%s: got the plain cached tile", tc.name)
		}
		if rec.Code >= 400 && rec.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("%s: error with Cache-Control %q", tc.name, rec.Header().Get("Cache-Control"))
		}
	}
	// Preflight requests are answered by the CORS middleware, not as tiles.
	pre := do(t, e, http.MethodOptions, tile, nil, "Origin", "https://www.botkyrka.se", "Access-Control-Request-Method", "GET")
	if pre.Code != http.StatusNoContent || pre.Header().Get("Access-Control-Allow-Methods") == "" {
		t.Errorf("preflight: %d %v", pre.Code, pre.Header())
	}
	body, _ := io.ReadAll(pre.Body)
	if len(body) != 0 {
		t.Errorf("preflight body %q", body)
	}
}

// discardWriter is a reusable http.ResponseWriter that drops the body, so
// a benchmark measures the handler rather than a recorder.
type discardWriter struct {
	h    http.Header
	code int
	n    int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) WriteHeader(code int)        { w.code = code }
func (w *discardWriter) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }

// BenchmarkServeCachedTile: the server's own time for a cached tile (no
// network), against a bare handler writing the same bytes and headers —
// the in-process share of the fixed-bytes ceiling of bench/tiles.sh.
func BenchmarkServeCachedTile(b *testing.B) {
	target := stockholmTile("deso")
	warm := httptest.NewRequest(http.MethodGet, target, nil)
	warm.Header.Set("Accept-Encoding", "gzip")
	rec := httptest.NewRecorder()
	testEcho.ServeHTTP(rec, warm)
	if rec.Code != http.StatusOK {
		b.Fatal(rec.Code)
	}
	body, etag := rec.Body.Bytes(), rec.Header().Get("ETag")
	fixed := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Vary", "Accept-Encoding")
		h.Set("Cache-Control", "public, max-age=300")
		h.Set("ETag", etag)
		h.Set("Content-Type", api.MVTContentType)
		h.Set("Content-Encoding", "gzip")
		h.Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(body)
	})
	identity := httptest.NewRecorder() // a client without gzip
	testEcho.ServeHTTP(identity, httptest.NewRequest(http.MethodGet, target, nil))
	if identity.Code != http.StatusOK {
		b.Fatal(identity.Code)
	}
	for _, bc := range []struct {
		name, accept string
		h            http.Handler
		size         int
	}{
		{"segmap", "gzip, deflate, br", testEcho, len(body)},
		{"segmap-no-gzip", "", testEcho, identity.Body.Len()},
		{"fixed-bytes", "gzip, deflate, br", fixed, len(body)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, target, nil)
			if bc.accept != "" {
				req.Header.Set("Accept-Encoding", bc.accept)
			}
			w := &discardWriter{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				w.n = 0
				bc.h.ServeHTTP(w, req)
				if w.code != http.StatusOK || w.n != bc.size {
					b.Fatalf("status %d, %d bytes", w.code, w.n)
				}
			}
		})
	}
}
