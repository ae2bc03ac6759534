package api

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"
)

func TestLangOf(t *testing.T) {
	t.Parallel()
	e := echo.New()
	for _, tc := range []struct{ target, accept, want string }{
		{"/x", "", "sv"},
		{"/x?lang=en", "", "en"},
		{"/x?lang=sv", "en-GB,en;q=0.9", "sv"},
		{"/x", "en-GB,en;q=0.9", "en"},
		{"/x?lang=fi", "sv-SE", "fi"}, // refused by the service, not silently Swedish
	} {
		req := httptest.NewRequest(http.MethodGet, tc.target, nil)
		if tc.accept != "" {
			req.Header.Set("Accept-Language", tc.accept)
		}
		if got := langOf(e.NewContext(req, httptest.NewRecorder())); got != tc.want {
			t.Errorf("langOf(%s, Accept-Language %q) = %q, want %q", tc.target, tc.accept, got, tc.want)
		}
	}
}
