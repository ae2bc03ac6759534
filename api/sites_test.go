package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/segmap/segmap/api"
	"github.com/segmap/segmap/data"
)

const siteToken = "test-token-0123456789abcdef"

func do(t *testing.T, e *echo.Echo, method, target string, body []byte, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, bytes.NewReader(body))
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

func siteFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "sites", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func multipartBody(t *testing.T, file string, content []byte, name string) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if name != "" {
		mw.WriteField("name", name)
	}
	w, err := mw.CreateFormFile("file", file)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(content)
	mw.Close()
	return buf.Bytes(), mw.FormDataContentType()
}

var bearer = []string{"Authorization", "Bearer " + siteToken}

type layerResp struct {
	Layer data.SiteLayer `json:"layer"`
}

func upload(t *testing.T, e *echo.Echo, file string, content []byte, name string) data.SiteLayer {
	t.Helper()
	body, ct := multipartBody(t, file, content, name)
	rec := do(t, e, http.MethodPost, "/api/sites", body, append([]string{"Content-Type", ct}, bearer...)...)
	if rec.Code != http.StatusCreated {
		t.Fatalf("upload %s: %d %s", file, rec.Code, rec.Body.String())
	}
	var r layerResp
	if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	return r.Layer
}

func TestSitesAccess(t *testing.T) {
	e, _ := writableServer(t, api.Options{APIToken: siteToken})
	geo := siteFile(t, "botkyrka_planerat_3006.geojson")
	tests := []struct {
		name, method, target string
		headers              []string
		want                 int
	}{
		{"upload without token", http.MethodPost, "/api/sites?filename=a.geojson", nil, http.StatusUnauthorized},
		{"upload with wrong token", http.MethodPost, "/api/sites?filename=a.geojson", []string{"Authorization", "Bearer wrong-token-wrong-token"}, http.StatusUnauthorized},
		{"upload with basic auth", http.MethodPost, "/api/sites?filename=a.geojson", []string{"Authorization", "Basic dXNlcjpwYXNz"}, http.StatusUnauthorized},
		{"rename without token", http.MethodPatch, "/api/sites/1", nil, http.StatusUnauthorized},
		{"delete without token", http.MethodDelete, "/api/sites/1", nil, http.StatusUnauthorized},
		{"public list", http.MethodGet, "/api/sites", nil, http.StatusOK},
		{"upload with token", http.MethodPost, "/api/sites?filename=a.geojson", bearer, http.StatusCreated},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := do(t, e, tc.method, tc.target, geo, tc.headers...)
			if rec.Code != tc.want {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.want, rec.Body.String())
			}
			if tc.want == http.StatusUnauthorized && !strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("WWW-Authenticate %q", rec.Header().Get("WWW-Authenticate"))
			}
		})
	}
	// No layer was stored by the refused requests: exactly one exists.
	var list struct{ Layers []data.SiteLayer }
	json.Unmarshal(do(t, e, http.MethodGet, "/api/sites", nil).Body.Bytes(), &list)
	if len(list.Layers) != 1 {
		t.Errorf("%d layers after one accepted upload", len(list.Layers))
	}

	// A server without a token accepts no changes (403).
	noTok, _ := writableServer(t, api.Options{})
	if rec := do(t, noTok, http.MethodPost, "/api/sites?filename=a.geojson", geo, bearer...); rec.Code != http.StatusForbidden {
		t.Errorf("no token configured: %d, want 403", rec.Code)
	}
	// Private reads need the token.
	priv, _ := writableServer(t, api.Options{APIToken: siteToken, PrivateReads: true})
	for _, target := range []string{"/api/sites", "/api/sites/1", "/api/sites/1/summary", "/api/sites/1/geojson"} {
		if rec := do(t, priv, http.MethodGet, target, nil); rec.Code != http.StatusUnauthorized {
			t.Errorf("private read %s without token: %d, want 401", target, rec.Code)
		}
	}
	if rec := do(t, priv, http.MethodGet, "/api/sites", nil, bearer...); rec.Code != http.StatusOK {
		t.Errorf("private read with token: %d", rec.Code)
	}
	// A site tile read with the token (and so cached) is still refused
	// without it: no cache or fast path answers before the token check.
	l := upload(t, priv, "b.geojson", siteFile(t, "botkyrka_planerat_3006.geojson"), "")
	x, y := tileOf(17.8465, 59.2375, 12)
	tile := fmt.Sprintf("/tiles/sites/%d/12/%d/%d.mvt", l.ID, x, y)
	for i, tc := range []struct {
		headers []string
		want    int
	}{
		{append([]string{"Accept-Encoding", "gzip"}, bearer...), http.StatusOK},
		{[]string{"Accept-Encoding", "gzip"}, http.StatusUnauthorized},
		{append([]string{"Accept-Encoding", "gzip"}, bearer...), http.StatusOK},
		{[]string{"Accept-Encoding", "gzip"}, http.StatusUnauthorized},
	} {
		if rec := do(t, priv, http.MethodGet, tile, nil, tc.headers...); rec.Code != tc.want {
			t.Errorf("site tile, request %d: %d, want %d", i+1, rec.Code, tc.want)
		}
	}
}
