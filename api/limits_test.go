package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/segmap/segmap/api"
	"github.com/segmap/segmap/service"
	"github.com/segmap/segmap/tiles"
)

func decodeError(t *testing.T, rec *httptest.ResponseRecorder) errorResponse {
	t.Helper()
	var e errorResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil {
		t.Fatalf("error body is not JSON: %v: %s", err, rec.Body.String())
	}
	return e
}

// TestRequestLimits checks each refusal: status, error code and a message
// that names the limit.
func TestRequestLimits(t *testing.T) {
	t.Parallel()
	e := api.New(testSvc, api.Options{Limits: api.Limits{MaxBodyBytes: 1000, MaxQueryBytes: 2000, MaxListItems: 50, MaxPermutations: 99}})
	// A write endpoint as the other handlers will have: it reads its body.
	e.POST("/test/upload", func(c echo.Context) error {
		b, err := io.ReadAll(c.Request().Body)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, map[string]int{"bytes": len(b)})
	})
	kommuner := func(n int) string {
		codes := make([]string, n)
		for i := range codes {
			codes[i] = "0180"
		}
		return strings.Join(codes, ",")
	}
	values := "/api/values?level=deso&indicator=low_econ_standard_pct&year=2022"
	for _, tc := range []struct {
		name    string
		method  string
		target  string
		body    io.Reader
		status  int
		code    string
		message string // English (Accept-Language: en)
		sv      string // Swedish, the default
	}{
		{"list at the limit", "GET", values + "&kommun=" + kommuner(50), nil, 200, "", "", ""},
		{"list over the limit", "GET", values + "&kommun=" + kommuner(51), nil, 400, "bad_request", "kommun lists 51 items; at most 50", "kommun har 51 värden i listan; högst 50"},
		{"repeated parameter counts", "GET", values + "&kommun=" + kommuner(30) + "&kommun=" + kommuner(30), nil, 400, "bad_request", "kommun lists 60 items", "kommun har 60 värden"},
		{"query string too long", "GET", values + "&x=" + strings.Repeat("a", 2000), nil, 414, "request_uri_too_long", "at most 2000", "tar emot högst 2000"},
		{"permutations over the limit", "GET", "/api/lisa?level=deso&indicator=low_econ_standard_pct&year=2022&permutations=100", nil, 400, "bad_request", "permutations must be at most 99", "permutations får vara högst 99"},
		{"picture over the pixel limit", "GET", "/api/map.png?level=deso&indicator=low_econ_standard_pct&year=2022&width=4000&height=4000&dpi=300", nil, 400, "bad_request", "at most 40 million", "högst 40 miljoner"},
		{"body within the limit", "POST", "/test/upload", strings.NewReader(strings.Repeat("x", 1000)), 200, "", "", ""},
		{"body over the limit (Content-Length)", "POST", "/test/upload", strings.NewReader(strings.Repeat("x", 1001)), 413, "request_entity_too_large", "limit of 1000 bytes", "gräns på 1000 byte"},
		{"body over the limit (chunked)", "POST", "/test/upload", io.MultiReader(strings.NewReader(strings.Repeat("x", 600)), strings.NewReader(strings.Repeat("x", 600))), 413, "request_entity_too_large", "limit of 1000 bytes", ""},
		{"large body on a GET route", "POST", "/api/meta", strings.NewReader(strings.Repeat("x", 5000)), 413, "request_entity_too_large", "", "serverns gräns"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var body []byte
			if tc.body != nil && !strings.Contains(tc.name, "chunked") {
				body, _ = io.ReadAll(tc.body)
			}
			// English on request; Swedish (no Accept-Language) by default.
			for _, lang := range []string{"en", "sv"} {
				if lang == "sv" && (tc.sv == "" || tc.code == "") {
					continue
				}
				var r io.Reader = tc.body
				if body != nil {
					r = bytes.NewReader(body)
				}
				req := httptest.NewRequest(tc.method, tc.target, r)
				if lang == "en" {
					req.Header.Set("Accept-Language", "en")
				}
				if strings.Contains(tc.name, "chunked") {
					req.ContentLength = -1
				}
				rec := httptest.NewRecorder()
				e.ServeHTTP(rec, req)
				if rec.Code != tc.status {
					t.Fatalf("%s: status %d, want %d: %s", lang, rec.Code, tc.status, rec.Body.String())
				}
				if tc.code == "" {
					return
				}
				er := decodeError(t, rec)
				want := map[string]string{"en": tc.message, "sv": tc.sv}[lang]
				if er.Error.Code != tc.code || !strings.Contains(er.Error.Message, want) {
					t.Errorf("%s: error %+v, want code %q and a message with %q", lang, er.Error, tc.code, want)
				}
			}
		})
	}
}

// TestRequestTimeout: a request whose deadline passes gets 503 with the
// limit in the message; the default limit lets the same request through.
func TestRequestTimeout(t *testing.T) {
	svc := service.New(testStore, nil, service.Options{})
	short := api.New(svc, api.Options{Limits: api.Limits{RequestTimeout: time.Nanosecond}})
	for _, target := range []string{
		"/api/values?level=deso&indicator=low_econ_standard_pct&year=2022",
		"/tiles/deso/12/2253/1204.mvt",
	} {
		rec := serve(t, short, target, "Accept-Language", "en")
		if rec.Code != http.StatusServiceUnavailable {
			t.Fatalf("%s with a 1ns limit: status %d: %s", target, rec.Code, rec.Body.String())
		}
		if er := decodeError(t, rec); er.Error.Code != "timeout" || !strings.Contains(er.Error.Message, "limit of 1ns") {
			t.Errorf("%s: error %+v", target, er.Error)
		}
		if rec := serve(t, api.New(svc, api.Options{}), target); rec.Code != http.StatusOK {
			t.Errorf("%s with the default limit: status %d", target, rec.Code)
		}
	}
}

// TestTileGenerationBusy: with one generation slot, held by a tile being
// made, a request for another missing tile gets 503 + Retry-After; a
// cached tile is still served.
func TestTileGenerationBusy(t *testing.T) {
	var mu sync.Mutex
	hold := false
	held := make(chan struct{}, 1)
	release := make(chan struct{})
	engine := tiles.New(tiles.Options{MaxGenerations: 1, GenerationWait: 10 * time.Millisecond, OnGenerate: func(tiles.Request) {
		mu.Lock()
		h := hold
		hold = false
		mu.Unlock()
		if h {
			held <- struct{}{}
			<-release
		}
	}})
	svc := service.New(testStore, engine, service.Options{})
	e := api.New(svc, api.Options{})
	cached := "/tiles/deso/10/563/301.mvt"
	if rec := serve(t, e, cached); rec.Code != http.StatusOK {
		t.Fatalf("warm-up tile: %d %s", rec.Code, rec.Body.String())
	}
	mu.Lock()
	hold = true
	mu.Unlock()
	done := make(chan int, 1)
	go func() {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/tiles/deso/11/1126/602.mvt", nil))
		done <- rec.Code
	}()
	<-held
	rec := serve(t, e, "/tiles/deso/12/2253/1204.mvt")
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") != api.RetryAfterBusy {
		t.Errorf("second missing tile with the slot held: status %d, Retry-After %q", rec.Code, rec.Header().Get("Retry-After"))
	}
	if er := decodeError(t, rec); er.Error.Code != "busy" {
		t.Errorf("error %+v, want code busy", er.Error)
	}
	if cc := rec.Header().Get("Cache-Control"); cc != "no-store" {
		t.Errorf("503 Cache-Control %q", cc)
	}
	if rec := serve(t, e, cached); rec.Code != http.StatusOK {
		t.Errorf("cached tile with the slot held: status %d", rec.Code)
	}
	close(release)
	if code := <-done; code != http.StatusOK {
		t.Errorf("held tile: status %d", code)
	}
	if rec := serve(t, e, "/tiles/deso/12/2253/1204.mvt"); rec.Code != http.StatusOK {
		t.Errorf("refused tile once the slot is free: status %d", rec.Code)
	}
}
