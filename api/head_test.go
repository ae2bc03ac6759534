package api_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// HEAD answers like GET, without a body, on every kind of route.
func TestHead(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(testEcho)
	defer srv.Close()
	for _, path := range []string{"/healthz", "/", "/api/meta", "/tiles/deso/10/562/300.mvt", "/api/classify?level=deso&indicator=low_econ_standard_pct"} {
		get, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, get.Body)
		get.Body.Close()
		head, err := http.Head(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, head.Body)
		head.Body.Close()
		if head.StatusCode != get.StatusCode || get.StatusCode != http.StatusOK {
			t.Errorf("%s: HEAD %d, GET %d", path, head.StatusCode, get.StatusCode)
		}
		if n != 0 {
			t.Errorf("%s: HEAD sent a %d-byte body", path, n)
		}
		if ct := head.Header.Get("Content-Type"); ct == "" || ct != get.Header.Get("Content-Type") {
			t.Errorf("%s: HEAD Content-Type %q, GET %q", path, ct, get.Header.Get("Content-Type"))
		}
	}
	// POST is still refused on a GET route.
	resp, err := http.Post(srv.URL+"/api/meta", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /api/meta: %d", resp.StatusCode)
	}
}
