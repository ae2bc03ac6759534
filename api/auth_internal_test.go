package api

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
)

func TestRequireToken(t *testing.T) {
	t.Parallel()
	const tok = "0123456789abcdef0123"
	ok := func(c echo.Context) error { return c.String(http.StatusOK, "done") }
	mk := func(o Options) *echo.Echo {
		s := &server{opts: o, log: slog.New(slog.DiscardHandler)}
		e := echo.New()
		e.HTTPErrorHandler = s.handleError
		e.POST("/write", ok, s.requireToken)
		e.GET("/read", ok, s.requireReadToken)
		return e
	}
	public := mk(Options{APIToken: tok})
	private := mk(Options{APIToken: tok, PrivateReads: true})
	none := mk(Options{})
	tests := []struct {
		name       string
		e          *echo.Echo
		method     string
		path, auth string
		want       int
		challenge  bool
		msg        string
	}{
		{"write with token", public, http.MethodPost, "/write", "Bearer " + tok, 200, false, "done"},
		{"scheme is case-insensitive", public, http.MethodPost, "/write", "bearer " + tok, 200, false, "done"},
		{"write without header", public, http.MethodPost, "/write", "", 401, true, "Authorization: Bearer"},
		{"write with wrong token", public, http.MethodPost, "/write", "Bearer " + tok + "x", 401, true, "token is wrong"},
		{"write with token prefix", public, http.MethodPost, "/write", "Bearer " + tok[:10], 401, true, "token is wrong"},
		{"basic auth is not a bearer token", public, http.MethodPost, "/write", "Basic " + tok, 401, true, "Authorization: Bearer"},
		{"empty bearer", public, http.MethodPost, "/write", "Bearer ", 401, true, "Authorization: Bearer"},
		{"no token configured", none, http.MethodPost, "/write", "Bearer " + tok, 403, false, "--api-token"},
		{"public read", public, http.MethodGet, "/read", "", 200, false, "done"},
		{"private read without token", private, http.MethodGet, "/read", "", 401, true, "Authorization: Bearer"},
		{"private read with token", private, http.MethodGet, "/read", "Bearer " + tok, 200, false, "done"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(tc.method, tc.path, nil)
			req.Header.Set("Accept-Language", "en")
			if tc.auth != "" {
				req.Header.Set("Authorization", tc.auth)
			}
			rec := httptest.NewRecorder()
			tc.e.ServeHTTP(rec, req)
			if rec.Code != tc.want {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.want, rec.Body)
			}
			if got := rec.Header().Get("WWW-Authenticate") != ""; got != tc.challenge {
				t.Errorf("WWW-Authenticate present = %v, want %v", got, tc.challenge)
			}
			if !strings.Contains(rec.Body.String(), tc.msg) {
				t.Errorf("body %q does not say %q", rec.Body, tc.msg)
			}
		})
	}
}

func TestCheckOptionsToken(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		o   Options
		bad bool
	}{
		{Options{}, false},
		{Options{APIToken: "0123456789abcdef"}, false},
		{Options{APIToken: "short"}, true},
		{Options{PrivateReads: true}, true},
	} {
		if err := CheckOptions(tc.o); (err != nil) != tc.bad {
			t.Errorf("CheckOptions(%+v) = %v, want error %v", tc.o, err, tc.bad)
		}
	}
}
