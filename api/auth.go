package api

import (
	"crypto/sha256"
	"crypto/subtle"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/internal/fault"
)

// Access control. segmap's national and kommun statistics are public; what a
// kommun adds itself (development-site layers, area notes) is changed only
// with the API token configured on the server (Options.APIToken), sent as
// "Authorization: Bearer <token>". Options.PrivateReads also requires the
// token to read those additions.

// requireToken refuses a request without the configured API token:
// fault.Unauthorized (401 with a WWW-Authenticate challenge) when the token
// is missing or wrong, fault.ReadOnly (403 read_only) when the server has
// no token configured (writes are then disabled).
func (s *server) requireToken(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := s.checkToken(c); err != nil {
			return err
		}
		return next(c)
	}
}

// requireReadToken guards reads of kommun-made data when
// Options.PrivateReads is set; otherwise it lets every request through.
func (s *server) requireReadToken(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.opts.PrivateReads {
			if err := s.checkToken(c); err != nil {
				return err
			}
		}
		return next(c)
	}
}

// requireWritable refuses a change when the store was opened read-only
// (fault.ReadOnly, 403 read_only), before the handler reads the request:
// every write route answers the same, whatever its body.
func (s *server) requireWritable(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.svc != nil && s.svc.Store() != nil && s.svc.Store().ReadOnly() {
			return fault.New(data.ErrReadOnly, "the store is read-only: this server was started on a file it may not change, so nothing can be changed here").
				Sv("databasen är skrivskyddad: servern startades på en fil den inte får ändra, så inget kan ändras här")
		}
		return next(c)
	}
}

func (s *server) checkToken(c echo.Context) error {
	if s.opts.APIToken == "" {
		return fault.New(fault.ReadOnly, "this server accepts no changes: start segmap with --api-token (or SEGMAP_API_TOKEN) to enable them").
			Sv("servern tar inte emot ändringar: starta segmap med --api-token (eller SEGMAP_API_TOKEN) för att tillåta dem")
	}
	got, ok := bearer(c.Request().Header.Get("Authorization"))
	if !ok {
		c.Response().Header().Set("WWW-Authenticate", `Bearer realm="segmap"`)
		return fault.New(fault.Unauthorized, `this request needs the API token: send the header "Authorization: Bearer <token>"`).
			Sv(`den här begäran kräver API-nyckeln: skicka rubriken "Authorization: Bearer <nyckel>"`)
	}
	if !tokenEqual(got, s.opts.APIToken) {
		c.Response().Header().Set("WWW-Authenticate", `Bearer realm="segmap", error="invalid_token"`)
		return fault.New(fault.Unauthorized, "the API token is wrong").Sv("API-nyckeln är fel")
	}
	return nil
}

// bearer extracts the token of an "Authorization: Bearer <token>" header.
func bearer(h string) (string, bool) {
	scheme, tok, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.TrimSpace(tok)
	return tok, tok != ""
}

// tokenEqual compares in constant time; hashing first makes the time
// independent of the lengths too.
func tokenEqual(a, b string) bool {
	ha, hb := sha256.Sum256([]byte(a)), sha256.Sum256([]byte(b))
	return subtle.ConstantTimeCompare(ha[:], hb[:]) == 1
}
