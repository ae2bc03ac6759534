package api

// Small middlewares written here rather than taken from
// echo/v4/middleware, which would pull golang.org/x/time into the module.

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
)

// recoverer turns a panic in a handler into a 500 error.
func recoverer(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				err = fmt.Errorf("api: panic: %v", r)
			}
		}()
		return next(c)
	}
}

// corsPolicy allows GET requests from the listed origins ("*": any). A nil
// policy allows none and adds no headers.
type corsPolicy struct {
	origins []string
	any     bool
}

func newCORS(origins []string) *corsPolicy {
	if len(origins) == 0 {
		return nil
	}
	return &corsPolicy{origins: origins, any: slices.Contains(origins, "*")}
}

// allow adds Vary: Origin and, for an allowed origin, the
// Access-Control-Allow-Origin and -Expose-Headers of an actual request. It
// reports whether the origin is allowed.
func (p *corsPolicy) allow(h http.Header, origin string) bool {
	if p == nil {
		return false
	}
	h.Add("Vary", "Origin")
	if origin == "" || !(p.any || slices.Contains(p.origins, origin)) {
		return false
	}
	if p.any {
		h.Set("Access-Control-Allow-Origin", "*")
	} else {
		h.Set("Access-Control-Allow-Origin", origin)
	}
	h.Set("Access-Control-Expose-Headers", "ETag, Content-Disposition")
	return true
}

// middleware answers preflight requests from allowed origins and adds the
// CORS headers to every other answer.
func (p *corsPolicy) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		if p.allow(h, c.Request().Header.Get("Origin")) && c.Request().Method == http.MethodOptions {
			h.Set("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
			if rh := c.Request().Header.Get("Access-Control-Request-Headers"); rh != "" {
				h.Set("Access-Control-Allow-Headers", rh)
			}
			h.Set("Access-Control-Max-Age", "3600")
			return c.NoContent(http.StatusNoContent)
		}
		return next(c)
	}
}

// gzipJSON compresses /api JSON responses and the web client's bundle for
// clients that accept gzip. Tiles (already gzip bytes) and downloads are
// never passed through it. Writers (about 800 KiB each) are reused from
// pool, so memory does not grow with the number of responses.
func gzipJSON(pool *sync.Pool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc { return gzipJSONHandler(next, pool) }
}

func gzipJSONHandler(next echo.HandlerFunc, pool *sync.Pool) echo.HandlerFunc {
	return func(c echo.Context) error {
		p := c.Request().URL.Path
		compress := (strings.HasPrefix(p, "/api/") && !strings.HasPrefix(p, "/api/export")) || strings.HasPrefix(p, "/assets/") || p == "/"
		if !compress ||
			!acceptsGzip(c.Request().Header.Get("Accept-Encoding")) || c.Request().Method == http.MethodHead {
			return next(c)
		}
		res := c.Response()
		res.Header().Add("Vary", "Accept-Encoding")
		gw := &gzipWriter{ResponseWriter: res.Writer, pool: pool}
		res.Writer = gw
		defer func() {
			res.Writer = gw.ResponseWriter
			gw.close()
		}()
		return next(c)
	}
}

// gzipWriter starts compressing at the first write of a successful
// response; errors (written by the error handler) pass through as they are.
type gzipWriter struct {
	http.ResponseWriter
	zw      *gzip.Writer
	pool    *sync.Pool // of *gzip.Writer
	decided bool
	status  int
}

func (w *gzipWriter) WriteHeader(code int) {
	w.status = code
	if !w.decided {
		w.decided = true
		h := w.Header()
		if code == http.StatusOK && h.Get("Content-Encoding") == "" && h.Get("Cache-Control") != "no-store" {
			h.Set("Content-Encoding", "gzip")
			h.Del("Content-Length")
			if zw, ok := w.pool.Get().(*gzip.Writer); ok {
				zw.Reset(w.ResponseWriter)
				w.zw = zw
			} else {
				w.zw = gzip.NewWriter(w.ResponseWriter)
			}
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *gzipWriter) Write(b []byte) (int, error) {
	if !w.decided {
		w.WriteHeader(http.StatusOK)
	}
	if w.zw != nil {
		return w.zw.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

func (w *gzipWriter) Flush() {
	if w.zw != nil {
		_ = w.zw.Flush()
	}
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (w *gzipWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return http.NewResponseController(w.ResponseWriter).Hijack()
}

func (w *gzipWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *gzipWriter) close() {
	if w.zw != nil {
		_ = w.zw.Close()
		w.zw.Reset(io.Discard)
		w.pool.Put(w.zw)
		w.zw = nil
	}
}

// requestLog logs every request: server errors at Error, client errors at
// Info, the rest at Debug (tiles are many).
func requestLog(log *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			err := next(c)
			logRequest(log, c, start, err)
			return err
		}
	}
}

// logRequest logs one answered request (see requestLog) with extra attrs.
func logRequest(log *slog.Logger, c echo.Context, start time.Time, err error, attrs ...slog.Attr) {
	st := c.Response().Status
	if err != nil {
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
	log.LogAttrs(c.Request().Context(), lvl, "request", append([]slog.Attr{slog.String("method", c.Request().Method),
		slog.String("path", c.Request().URL.Path), slog.Int("status", st), slog.Duration("duration", time.Since(start))}, attrs...)...)
}
