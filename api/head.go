package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// headAsGet answers HEAD like GET (RFC 9110 §9.3.2): uptime monitors, link
// checkers and CDNs send HEAD, and every read route here is a GET. Echo
// routes by the request's method before any middleware can hand it a copy,
// so the request becomes a GET and the body the handler writes is dropped;
// the headers (status, Content-Type, ETag, Cache-Control) are those of GET.
func headAsGet(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if r.Method == http.MethodHead {
			r.Method = http.MethodGet
			c.Response().Writer = headWriter{c.Response().Writer}
		}
		return next(c)
	}
}

// headWriter sends the headers and drops the body.
type headWriter struct{ http.ResponseWriter }

func (headWriter) Write(p []byte) (int, error) { return len(p), nil }
