package api_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/segmap/segmap/api"
	"github.com/segmap/segmap/service"
)

// middlewareServer is a server with its own (cold) tile cache, CORS for
// one origin, a debug log and
// three routes of its own under /api: a small and a large JSON answer and
// one that flushes between its writes.
func middlewareServer(t *testing.T, opts api.Options) (*echo.Echo, *bytes.Buffer) {
	t.Helper()
	var log bytes.Buffer
	opts.CORSOrigins = []string{"https://www.botkyrka.se"}
	opts.Logger = slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e := api.New(service.New(testStore, nil, service.Options{}), opts)
	e.GET("/api/test/small", func(c echo.Context) error { return c.JSON(http.StatusOK, map[string]string{"status": "ok"}) })
	e.GET("/api/test/large", func(c echo.Context) error {
		return c.JSON(http.StatusOK, map[string]string{"text": strings.Repeat("segregation ", 1000)})
	})
	e.GET("/api/test/flush", func(c echo.Context) error {
		c.Response().Header().Set(echo.HeaderContentType, "text/plain")
		c.Response().WriteHeader(http.StatusOK)
		for range 3 {
			if _, err := c.Response().Write([]byte(strings.Repeat("rad\n", 100))); err != nil {
				return err
			}
			if err := http.NewResponseController(c.Response()).Flush(); err != nil {
				return err
			}
		}
		return nil
	})
	return e, &log
}

// decoded is the body of rec as the client reads it (gunzipped once when
// Content-Encoding says gzip).
func decoded(t *testing.T, rec *httptest.ResponseRecorder) []byte {
	t.Helper()
	if rec.Header().Get("Content-Encoding") != "gzip" {
		return rec.Body.Bytes()
	}
	zr, err := gzip.NewReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestMiddlewareGzip: what is compressed, what is not, and that nothing is
// compressed twice.
func TestMiddlewareGzip(t *testing.T) {
	t.Parallel()
	e, _ := middlewareServer(t, api.Options{})
	for _, tc := range []struct {
		name, target, acceptEncoding string
		status                       int
		gzipped, vary                bool
	}{
		{"large JSON", "/api/test/large", "gzip, deflate, br", 200, true, true},
		{"API document", "/api/openapi.json", "gzip", 200, true, true},
		{"small JSON under the minimum length", "/api/test/small", "gzip", 200, false, true},
		{"flushed answer", "/api/test/flush", "gzip", 200, true, true},
		{"gzip refused with q=0", "/api/test/large", "gzip;q=0, br", 200, false, false},
		{"no Accept-Encoding", "/api/test/large", "", 200, false, false},
		{"area tile: its own gzip bytes", "/tiles/deso/10/562/300.mvt", "gzip", 200, true, true},
		{"download", "/api/export.csv?level=kommun&indicator=foreign_born_pct&year=2022", "gzip", 200, false, false},
		{"PNG picture", "/api/map.png?kommun=0127&indicator=foreign_born_pct&width=600&height=500", "gzip", 200, false, false},
		{"error", "/api/areas/nope", "gzip", 404, false, true},
		{"web client", "/", "gzip", 200, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var headers []string
			if tc.acceptEncoding != "" {
				headers = []string{"Accept-Encoding", tc.acceptEncoding}
			}
			rec := do(t, e, http.MethodGet, tc.target, nil, headers...)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %.200q", rec.Code, tc.status, rec.Body)
			}
			if got := rec.Header().Get("Content-Encoding") == "gzip"; got != tc.gzipped {
				t.Errorf("Content-Encoding %q, want gzip %v", rec.Header().Get("Content-Encoding"), tc.gzipped)
			}
			if got := slices.Contains(rec.Header().Values("Vary"), "Accept-Encoding"); got != tc.vary {
				t.Errorf("Vary %q, want Accept-Encoding %v", rec.Header().Values("Vary"), tc.vary)
			}
			b := decoded(t, rec)
			if bytes.HasPrefix(b, []byte{0x1f, 0x8b}) {
				t.Errorf("compressed twice")
			}
			if rec.Header().Get("Content-Encoding") == "gzip" && rec.Header().Get("Content-Length") != "" && !strings.HasPrefix(tc.target, "/tiles/") {
				t.Errorf("Content-Length %s of the uncompressed body", rec.Header().Get("Content-Length"))
			}
			if strings.Contains(rec.Header().Get("Content-Type"), "json") && !json.Valid(b) {
				t.Errorf("not JSON: %.100q", b)
			}
			if tc.target == "/api/test/flush" && (!rec.Flushed || string(b) != strings.Repeat("rad\n", 300)) {
				t.Errorf("flushed %v, body %d bytes", rec.Flushed, len(b))
			}
		})
	}
}

// TestMiddlewareCORS: CORS headers on answers and on errors, Vary: Origin
// whatever the origin, and preflight requests.
func TestMiddlewareCORS(t *testing.T) {
	t.Parallel()
	e, _ := middlewareServer(t, api.Options{})
	const allowed = "https://www.botkyrka.se"
	for _, tc := range []struct {
		name, method, target, origin string
		status                       int
		allow                        bool
	}{
		{"answer", http.MethodGet, "/api/test/large", allowed, 200, true},
		{"error", http.MethodGet, "/api/areas/nope", allowed, 404, true},
		{"no route", http.MethodGet, "/api/nope", allowed, 404, true},
		{"other origin", http.MethodGet, "/api/test/large", "https://evil.example", 200, false},
		{"other origin, error", http.MethodGet, "/api/areas/nope", "https://evil.example", 404, false},
		{"same origin", http.MethodGet, "/api/test/large", "", 200, false},
		{"preflight", http.MethodOptions, "/api/values", allowed, 204, true},
		{"preflight, other origin", http.MethodOptions, "/api/values", "https://evil.example", 204, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			headers := []string{"Accept-Encoding", "gzip"}
			if tc.origin != "" {
				headers = append(headers, "Origin", tc.origin)
			}
			if tc.method == http.MethodOptions {
				headers = append(headers, "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "authorization")
			}
			rec := do(t, e, tc.method, tc.target, nil, headers...)
			h := rec.Header()
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d", rec.Code, tc.status)
			}
			if !slices.Contains(h.Values("Vary"), "Origin") {
				t.Errorf("Vary %q without Origin", h.Values("Vary"))
			}
			if got := h.Get("Access-Control-Allow-Origin"); (got == allowed) != tc.allow || (!tc.allow && got != "") {
				t.Errorf("Access-Control-Allow-Origin %q, want allowed %v", got, tc.allow)
			}
			switch {
			case !tc.allow:
				if h.Get("Access-Control-Allow-Methods") != "" || h.Get("Access-Control-Expose-Headers") != "" {
					t.Errorf("CORS headers for another origin: %v", h)
				}
			case tc.method == http.MethodOptions:
				if m := h.Get("Access-Control-Allow-Methods"); !strings.Contains(m, "GET") || strings.Contains(m, "POST") {
					t.Errorf("Access-Control-Allow-Methods %q, want GET alone of the read methods", m)
				}
				if h.Get("Access-Control-Allow-Headers") != "authorization" || h.Get("Access-Control-Max-Age") != "3600" {
					t.Errorf("preflight headers %v", h)
				}
				if rec.Body.Len() != 0 {
					t.Errorf("preflight body %q", rec.Body)
				}
			default:
				if x := h.Get("Access-Control-Expose-Headers"); !strings.Contains(x, "ETag") || !strings.Contains(x, "Content-Disposition") {
					t.Errorf("Access-Control-Expose-Headers %q", x)
				}
			}
		})
	}
}

// TestMiddlewareRecover: a panicking handler is answered with the error
// JSON (500) and its panic logged with the stack; http.ErrAbortHandler is
// passed on to net/http.
func TestMiddlewareRecover(t *testing.T) {
	t.Parallel()
	e, log := middlewareServer(t, api.Options{})
	e.GET("/api/test/panic", func(echo.Context) error { panic("boom") })
	e.GET("/api/test/abort", func(echo.Context) error { panic(http.ErrAbortHandler) })
	rec := do(t, e, http.MethodGet, "/api/test/panic", nil, "Origin", "https://www.botkyrka.se")
	var body errorResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || rec.Code != 500 || body.Error.Code != "internal" {
		t.Errorf("panic answered %d %s", rec.Code, rec.Body)
	}
	if rec.Header().Get("Access-Control-Allow-Origin") == "" {
		t.Error("the 500 after a panic lost its CORS headers")
	}
	for _, want := range []string{"level=ERROR msg=panic", "err=boom", "stack=", "middleware_test.go", "status=500"} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("log without %q:\n%s", want, log)
		}
	}
	func() {
		defer func() {
			if r := recover(); r != any(http.ErrAbortHandler) { //nolint:errorlint // recover returns the value passed to panic, unwrapped
				t.Errorf("recovered %v, want http.ErrAbortHandler passed on", r)
			}
		}()
		do(t, e, http.MethodGet, "/api/test/abort", nil)
	}()
}

// TestClientClosedRequest: a request whose client went away (its context
// cancelled) is logged at Info as 499 "client closed request", not as a
// server error, and no error body is written; a request that ran out of
// the server's own time is still a 503 with its body.
func TestClientClosedRequest(t *testing.T) {
	for _, target := range []string{
		"/api/areas/deso",
		"/api/values?level=deso&indicator=low_econ_standard_pct",
		"/tiles/deso/10/562/300.mvt",
		"/api/map.png?kommun=0127&indicator=foreign_born_pct",
	} {
		t.Run(target, func(t *testing.T) {
			e, log := middlewareServer(t, api.Options{})
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			req := httptest.NewRequestWithContext(ctx, http.MethodGet, target, nil)
			req.Header.Set("Accept-Encoding", "gzip")
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, req)
			if rec.Body.Len() != 0 || rec.Header().Get("Content-Type") != "" {
				t.Errorf("answered a closed request: %d %v, %d bytes", rec.Code, rec.Header(), rec.Body.Len())
			}
			l := log.String()
			if !strings.Contains(l, `level=INFO msg="client closed request"`) || !strings.Contains(l, "status=499") {
				t.Errorf("log without an Info 499 client closed request:\n%s", l)
			}
			if strings.Contains(l, "level=ERROR") || strings.Contains(l, "status=5") {
				t.Errorf("a closed request logged as a server error:\n%s", l)
			}
		})
	}
	t.Run("server's deadline", func(t *testing.T) {
		e, log := middlewareServer(t, api.Options{Limits: api.Limits{RequestTimeout: time.Nanosecond}})
		rec := do(t, e, http.MethodGet, "/api/areas/deso", nil)
		var body errorResponse
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || rec.Code != http.StatusServiceUnavailable || body.Error.Code != "timeout" {
			t.Errorf("deadline answered %d %s", rec.Code, rec.Body)
		}
		if !strings.Contains(log.String(), "status=503") || strings.Contains(log.String(), "499") {
			t.Errorf("deadline logged as:\n%s", log)
		}
	})
}

// BenchmarkJSONMiddleware: a JSON answer through the whole middleware
// chain (request log, recover, limits, CORS, gzip), small (/healthz),
// medium (/api/openapi.json) and large (/api/areas/deso), for a client
// taking gzip from an allowed origin.
func BenchmarkJSONMiddleware(b *testing.B) {
	e := api.New(testSvc, api.Options{CORSOrigins: []string{"https://www.botkyrka.se"}})
	for _, target := range []string{"/healthz", "/api/openapi.json", "/api/areas/deso"} {
		b.Run(target, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, target, nil)
			req.Header.Set("Accept-Encoding", "gzip, deflate, br")
			req.Header.Set("Origin", "https://www.botkyrka.se")
			w := &discardWriter{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				w.n = 0
				e.ServeHTTP(w, req)
				if w.code != http.StatusOK || w.n == 0 {
					b.Fatalf("status %d, %d bytes", w.code, w.n)
				}
			}
		})
	}
}
