package api

// The middleware chain: echo's own Recover, CORS and Gzip, configured
// here, and the request log.

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// recoverer turns a panic in a handler into a 500 error (the error
// handler's JSON), logging the panic with its goroutine's stack.
// http.ErrAbortHandler is panicked on, as net/http expects.
func recoverer(log *slog.Logger) echo.MiddlewareFunc {
	return middleware.RecoverWithConfig(middleware.RecoverConfig{
		DisableStackAll: true,
		// The error goes back up the chain, so the request log sees it
		// like any other and the error handler answers once.
		DisableErrorHandler: true,
		LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
			log.LogAttrs(c.Request().Context(), slog.LevelError, "panic", slog.String("method", c.Request().Method),
				slog.String("path", c.Request().URL.Path), slog.Any("err", err), slog.String("stack", string(stack)))
			return fmt.Errorf("api: panic: %w", err)
		},
	})
}

// corsPolicy allows GET requests from the listed origins ("*": any; a
// "*" inside an origin, as in https://*.example.se, matches any text).
// The zero policy allows none and adds no headers.
type corsPolicy struct {
	mw echo.MiddlewareFunc
	// actual is mw around a no-op handler: the headers of an actual
	// (not preflight) request, for the tile fast path.
	actual echo.HandlerFunc
}

func newCORS(origins []string) corsPolicy {
	if len(origins) == 0 {
		return corsPolicy{}
	}
	mw := middleware.CORSWithConfig(middleware.CORSConfig{
		AllowOrigins:  origins,
		AllowMethods:  []string{http.MethodGet, http.MethodHead, http.MethodOptions},
		ExposeHeaders: []string{"ETag", "Content-Disposition"},
		MaxAge:        3600,
	})
	return corsPolicy{mw: mw, actual: mw(func(echo.Context) error { return nil })}
}

// headers adds Vary: Origin and, for an allowed origin, the
// Access-Control-Allow-Origin and -Expose-Headers of an actual request,
// exactly as the middleware does on the routed path.
func (p corsPolicy) headers(c echo.Context) {
	if p.actual != nil {
		_ = p.actual(c) // no error: no AllowOriginFunc
	}
}

// gzipMinLength is the smallest answer gzipped: below about one TCP
// segment, compression saves no packet and costs the gzip header and CPU.
const gzipMinLength = 1400

// gzipJSON compresses /api JSON answers and the web client (index.html
// and its bundle) for clients that accept gzip. selfEncoded is the set of
// route paths (echo syntax, c.Path()) whose handlers send their own gzip
// bytes (see selfEncodedPaths).
func gzipJSON(selfEncoded map[string]bool) echo.MiddlewareFunc {
	return middleware.GzipWithConfig(middleware.GzipConfig{Skipper: func(c echo.Context) bool { return skipGzip(c, selfEncoded) }, MinLength: gzipMinLength})
}

// skipGzip leaves alone what must not or need not be compressed: tiles
// (they carry their own gzip bytes; echo's Gzip would compress them
// again), routes marked encodedOnce (their route path is in selfEncoded),
// downloads under /api/export, already compressed formats (PNG pictures,
// XLSX), /report (it compresses itself), and requests whose
// Accept-Encoding refuses gzip (echo's Gzip only looks for the word).
func skipGzip(c echo.Context, selfEncoded map[string]bool) bool {
	r := c.Request()
	p := r.URL.Path
	compress := (strings.HasPrefix(p, "/api/") && !strings.HasPrefix(p, "/api/export")) ||
		strings.HasPrefix(p, "/assets/") || p == "/" || p == "/embed"
	if !compress || precompressed[path.Ext(p)] || selfEncoded[c.Path()] {
		return true
	}
	return !acceptsGzip(r.Header.Get(echo.HeaderAcceptEncoding))
}

// precompressed are the extensions of formats that are compressed already.
var precompressed = map[string]bool{".png": true, ".xlsx": true, ".woff2": true, ".gz": true, ".zip": true}

// statusClientClosed is the status logged, never sent, for a request whose
// client went away before the answer (nginx's 499 Client Closed Request).
const statusClientClosed = 499

// clientClosedError is a handler's error for a request whose client closed
// the connection first: the error is a consequence (a cancelled query, a
// failed write), not a failure of the server. It is logged as 499 and
// answered with nothing.
type clientClosedError struct{ err error }

func (e *clientClosedError) Error() string { return "client closed request: " + e.err.Error() }
func (e *clientClosedError) Unwrap() error { return e.err }

// clientClosed marks err as a clientClosedError when ctx, the request's
// own context (not the deadline that limits derives from it), was
// cancelled: net/http cancels it when the connection closes.
func clientClosed(ctx context.Context, err error) error {
	if err == nil || !errors.Is(ctx.Err(), context.Canceled) {
		return err
	}
	return &clientClosedError{err: err}
}

// requestLog logs every request: server errors at Error, client errors
// and requests their client closed at Info, the rest at Debug (tiles are
// many).
func requestLog(log *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			ctx := c.Request().Context()
			err := clientClosed(ctx, next(c))
			logRequest(log, c, start, err)
			return err
		}
	}
}

// logRequest logs one answered request (see requestLog) with extra attrs.
func logRequest(log *slog.Logger, c echo.Context, start time.Time, err error, attrs ...slog.Attr) {
	st, msg := c.Response().Status, "request"
	switch {
	case err == nil:
	case errors.As(err, new(*clientClosedError)): // allocates on this path only
		st, msg = statusClientClosed, "client closed request"
	default:
		st, _, _ = status(err)
	}
	lvl := slog.LevelDebug
	switch {
	case st >= 500:
		lvl = slog.LevelError
	case st >= 400:
		lvl = slog.LevelInfo
	}
	if !log.Enabled(c.Request().Context(), lvl) {
		return
	}
	log.LogAttrs(c.Request().Context(), lvl, msg, append([]slog.Attr{slog.String("method", c.Request().Method),
		slog.String("path", c.Request().URL.Path), slog.Int("status", st), slog.Duration("duration", time.Since(start))}, attrs...)...)
}
