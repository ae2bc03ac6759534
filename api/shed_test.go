package api_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/segmap/segmap/api"
)

// holdRoute registers GET path on e: each request signals entered, then
// waits for release (or its context).
func holdRoute(e *echo.Echo, path string) (entered chan struct{}, release chan struct{}) {
	entered, release = make(chan struct{}, 16), make(chan struct{})
	e.GET(path, func(c echo.Context) error {
		entered <- struct{}{}
		select {
		case <-release:
			return c.String(http.StatusOK, "done")
		case <-c.Request().Context().Done():
			return c.Request().Context().Err()
		}
	})
	return entered, release
}

// TestShedding: with every slot of expensive work taken, an API request
// waits QueueWait, then gets 503 + Retry-After and the error JSON in the
// client's language; health checks, metadata and tiles are still
// answered; a request that finds a slot within the wait goes through.
func TestShedding(t *testing.T) {
	e := api.New(testSvc, api.Options{Limits: api.Limits{MaxConcurrent: 1, QueueWait: 20 * time.Millisecond}})
	entered, release := holdRoute(e, "/api/test-hold")
	held := make(chan int, 1)
	go func() { held <- serve(t, e, "/api/test-hold").Code }()
	<-entered

	values := "/api/values?level=deso&indicator=low_econ_standard_pct&year=2022"
	for _, tc := range []struct {
		name, target, acceptLang, want string
	}{
		{"Swedish by default", values, "", "servern arbetar redan med 1 förfrågningar"},
		{"English browser", values, "en-GB,en;q=0.9", "the server is busy with 1 requests"},
		{"lang=sv", values + "&lang=sv", "", "servern arbetar redan med 1 förfrågningar"},
		{"Swedish browser", values, "sv-SE,sv;q=0.9,en;q=0.5", "servern arbetar redan"},
		{"lang=sv wins over the browser", values + "&lang=sv", "en-GB", "servern arbetar redan"},
		{"lang=en wins over the browser", values + "&lang=en", "sv-SE", "the server is busy"},
		{"classification", "/api/classify?level=deso&indicator=low_econ_standard_pct&year=2022&method=quantile&k=5", "", "servern arbetar redan"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var hdr []string
			if tc.acceptLang != "" {
				hdr = []string{"Accept-Language", tc.acceptLang}
			}
			rec := serve(t, e, tc.target, hdr...)
			if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") != api.RetryAfterBusy {
				t.Fatalf("status %d, Retry-After %q: %s", rec.Code, rec.Header().Get("Retry-After"), rec.Body.String())
			}
			if cc := rec.Header().Get("Cache-Control"); cc != "no-store" {
				t.Errorf("Cache-Control %q", cc)
			}
			if er := decodeError(t, rec); er.Error.Code != "busy" || !strings.Contains(er.Error.Message, tc.want) {
				t.Errorf("error %+v, want code busy and %q", er.Error, tc.want)
			}
		})
	}
	for _, cheap := range []string{"/healthz", "/readyz", "/api/meta", "/tiles/deso/10/563/301.mvt", "/"} {
		if rec := serve(t, e, cheap); rec.Code != http.StatusOK {
			t.Errorf("%s while the API is full: status %d", cheap, rec.Code)
		}
	}

	// A request that gets a slot within its wait is served.
	queued := make(chan struct{}, 1)
	patient := api.New(testSvc, api.Options{Limits: api.Limits{MaxConcurrent: 1, QueueWait: 10 * time.Second,
		OnQueue: func() { queued <- struct{}{} }}})
	pEntered, pRelease := holdRoute(patient, "/api/test-hold")
	go serve(t, patient, "/api/test-hold")
	<-pEntered
	waited := make(chan int, 1)
	go func() { waited <- serve(t, patient, values).Code }()
	<-queued // the request waits for the held slot
	close(pRelease)
	if code := <-waited; code != http.StatusOK {
		t.Errorf("queued request: status %d, want 200 once the slot freed", code)
	}

	close(release)
	if code := <-held; code != http.StatusOK {
		t.Errorf("held request: %d", code)
	}
	if rec := serve(t, e, values); rec.Code != http.StatusOK {
		t.Errorf("after the slot freed: status %d", rec.Code)
	}
}

// TestTransferDeadlines: on a server whose read and write timeouts are
// short, a handler that takes longer loses its answer (the context is
// cancelled when the read deadline passes; the write deadline cuts the
// connection), unless its route is a transfer route, whose deadlines the
// API moves to TransferTimeout.
func TestTransferDeadlines(t *testing.T) {
	e := api.New(testSvc, api.Options{Limits: api.Limits{TransferRoutes: []string{"/test/transfer"}, TransferTimeout: 10 * time.Second}})
	slow := func(c echo.Context) error {
		select {
		case <-time.After(600 * time.Millisecond):
			return c.String(http.StatusOK, strings.Repeat("x", 1<<16))
		case <-c.Request().Context().Done():
			return c.Request().Context().Err()
		}
	}
	e.GET("/test/plain", slow)
	e.GET("/test/transfer", slow)
	ts := httptest.NewUnstartedServer(e)
	ts.Config.ReadTimeout, ts.Config.WriteTimeout = 200*time.Millisecond, 200*time.Millisecond
	ts.Start()
	defer ts.Close()
	get := func(path string) (int, int, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, ts.URL+path, nil)
		resp, err := ts.Client().Do(req)
		if err != nil {
			return 0, 0, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp.StatusCode, len(b), err
	}
	if code, n, err := get("/test/transfer"); err != nil || code != http.StatusOK || n != 1<<16 {
		t.Errorf("transfer route: status %d, %d bytes, %v; want 200 and the whole body", code, n, err)
	}
	if code, _, err := get("/test/plain"); err == nil && code == http.StatusOK {
		t.Errorf("plain route outlived the server's timeouts: status %d", code)
	} else if err != nil && errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("plain route: the client gave up first: %v", err)
	}
}

// Every default transfer route is a route of the API.
func TestDefaultTransferRoutesExist(t *testing.T) {
	t.Parallel()
	routes := map[string]bool{}
	for _, r := range testEcho.Routes() {
		routes[r.Path] = true
	}
	for _, r := range api.DefaultTransferRoutes() {
		if !routes[r] {
			t.Errorf("transfer route %s is not a route", r)
		}
	}
}
