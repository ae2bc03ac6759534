package api_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/segmap/segmap/api"
	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/data/demo"
	"github.com/segmap/segmap/service"
)

// One demo store (real SCB data for Stockholms län) per test binary.
var (
	testStore *data.Store
	testSvc   *service.Service
	testEcho  *echo.Echo
)

func TestMain(m *testing.M) {
	os.Exit(demo.WithTestStore(m, func(s *data.Store) {
		testStore = s
		testSvc = service.New(testStore, nil, service.Options{})
		testEcho = api.New(testSvc, api.Options{})
	}))
}

// get performs a GET against the test server.
func get(t *testing.T, target string, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	return serve(t, testEcho, target, headers...)
}

func serve(t *testing.T, e *echo.Echo, target string, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

// getJSON GETs target, expects 200 and decodes the body into v.
func getJSON(t *testing.T, target string, v any) {
	t.Helper()
	rec := get(t, target)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s: status %d, body %s", target, rec.Code, rec.Body.String())
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" && ct != "application/json; charset=UTF-8" {
		t.Errorf("GET %s: Content-Type %q", target, ct)
	}
	if err := json.Unmarshal(rec.Body.Bytes(), v); err != nil {
		t.Fatalf("GET %s: %v\n%s", target, err, rec.Body.String())
	}
}

// errorResponse is the contract's error body.
type errorResponse struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func expectError(t *testing.T, target string, status int, code string) {
	t.Helper()
	rec := get(t, target)
	if rec.Code != status {
		t.Fatalf("GET %s: status %d, want %d; body %s", target, rec.Code, status, rec.Body.String())
	}
	var e errorResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil {
		t.Fatalf("GET %s: error body is not JSON: %v: %s", target, err, rec.Body.String())
	}
	if e.Error.Code != code || e.Error.Message == "" {
		t.Errorf("GET %s: error %+v, want code %q and a message", target, e.Error, code)
	}
	if cc := rec.Header().Get("Cache-Control"); cc != "no-store" {
		t.Errorf("GET %s: Cache-Control %q on an error, want no-store", target, cc)
	}
}
