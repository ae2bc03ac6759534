package api_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/segmap/segmap/api"
)

// BenchmarkJSONMiddleware: a JSON answer through the whole middleware
// chain (request log, recover, limits, CORS, gzip), small (/healthz), medium (/api/openapi.json) and
// large (/api/areas/deso), for a client taking gzip from an allowed origin.
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
