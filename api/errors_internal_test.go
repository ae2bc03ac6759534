package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/internal/fault"
	"github.com/segmap/segmap/tiles"
)

func TestStatusTable(t *testing.T) {
	t.Parallel()
	raw := errors.New("sql: secret detail")
	for _, tc := range []struct {
		name   string
		err    error
		status int
		code   string
		en, sv string // "" : the kind's generic sentence
	}{
		{"invalid with message", fault.New(fault.Invalid, "k must be 2..12").Sv("k måste vara 2–12"), 400, "bad_request", "k must be 2..12", "k måste vara 2–12"},
		{"sentinel without message", fmt.Errorf("%w: %w", data.ErrNotFound, raw), 404, "not_found", "", ""},
		{"conflict", fmt.Errorf("data: insert: %w: %w", data.ErrConflict, raw), 409, "conflict", "", ""},
		{"read-only store", &data.ReadOnlyError{Path: "/srv/x.gpkg"}, 403, "read_only", "", ""},
		{"unauthorized", fault.New(fault.Unauthorized, "the API token is wrong"), 401, "unauthorized", "the API token is wrong", "the API token is wrong"}, // no Swedish: the English
		{"too large", &http.MaxBytesError{Limit: 1 << 20}, 413, "request_entity_too_large", "limit of 1 MiB", "gräns på 1 MiB"},
		{"busy", fmt.Errorf("service: %w", tiles.ErrBusy), 503, "busy", "", ""},
		{"timeout", &timeoutError{limit: 3}, 503, "timeout", "limit of 3ns", "gräns på 3ns"},
		{"cancelled", fmt.Errorf("query: %w", context.Canceled), 503, "unavailable", "cancelled", "avbröts"},
		{"unavailable", fmt.Errorf("%w: %w", data.ErrSchemaTooNew, raw), 503, "unavailable", "", ""},
		{"outer kind wins", fault.Wrap(fault.Invalid, fmt.Errorf("%w", data.ErrNotFound), "bad year").Sv("fel år"), 400, "bad_request", "bad year", "fel år"},
		{"echo's 404", echo.ErrNotFound, 404, "not_found", "nothing at this address", "inget på den här adressen"},
		{"echo's 405", echo.ErrMethodNotAllowed, 405, "method_not_allowed", "does not answer this method", "svarar inte på"},
		{"another handler's HTTPError", echo.NewHTTPError(414, "the query string has 9000 bytes"), 414, "request_uri_too_long", "9000 bytes", "9000 bytes"},
		{"no kind", fmt.Errorf("service: render: %w", raw), 500, "internal", "server log", "serverns logg"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, lang := range []string{"en", "sv"} {
				a := statusOf(tc.err, lang)
				if a.status != tc.status || a.code != tc.code {
					t.Errorf("%s: %d %s, want %d %s", lang, a.status, a.code, tc.status, tc.code)
				}
				want := map[string]string{"en": tc.en, "sv": tc.sv}[lang]
				if want == "" {
					for _, row := range statusTable {
						if row.status == tc.status && row.code == tc.code {
							want = pick(lang, row.en, row.sv)
						}
					}
				}
				if !strings.Contains(a.message, want) {
					t.Errorf("%s: message %q, want %q", lang, a.message, want)
				}
				if strings.Contains(a.message, "secret") || strings.Contains(a.message, "data:") || strings.Contains(a.message, "service:") {
					t.Errorf("%s: message %q shows the raw error", lang, a.message)
				}
			}
		})
	}
}

func TestStatusTableHasEveryKind(t *testing.T) {
	t.Parallel()
	for _, k := range fault.Kinds {
		n := 0
		for _, row := range statusTable {
			if errors.Is(row.kind, k) {
				n++
				if row.en == "" || row.sv == "" || row.en == row.sv {
					t.Errorf("%v: generic sentences %q / %q", k, row.en, row.sv)
				}
			}
		}
		if n != 1 {
			t.Errorf("kind %v has %d rows in the status table, want 1", k, n)
		}
	}
}

func TestRequestLang(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ query, accept, want string }{
		{"", "", "sv"},
		{"", "en-GB,en;q=0.9", "en"},
		{"", "sv-SE,en;q=0.8", "sv"},
		{"", "de", "sv"},
		{"lang=en", "sv", "en"},
		{"lang=sv", "en", "sv"},
		{"lang=EN", "", "en"},
		{"lang=de", "en", "en"},
	} {
		req, _ := http.NewRequest(http.MethodGet, "/x?"+tc.query, nil)
		if tc.accept != "" {
			req.Header.Set("Accept-Language", tc.accept)
		}
		c := echo.New().NewContext(req, nil)
		if got := requestLang(c); got != tc.want {
			t.Errorf("?%s Accept-Language %q: %s, want %s", tc.query, tc.accept, got, tc.want)
		}
	}
}
