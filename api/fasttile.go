package api

// The fast path for cached area tiles. A map pans through hundreds of
// tiles, nearly all of them already in the engine's cache; they are
// answered before routing, without the general middleware chain (request
// log, limits and deadline, JSON gzip), which took a third of the server's
// time under load. Everything a tile answer carries is kept: CORS, Vary,
// Cache-Control (immutable with the current ?v=), the strong ETag and 304,
// 204 for empty tiles, HEAD, gzip or identity by Accept-Encoding (both made
// once with the tile). Anything else — a tile not cached yet, another
// query parameter, a malformed path —
// falls through to the routed handler, which answers identically (a test
// compares the two answers header by header).

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// fastTile is an echo Pre middleware (after headAsGet) answering cached
// area tile requests with the routed handler's writer, without routing
// and the middleware chain.
func (s *server) fastTile(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if r.Method != http.MethodGet || r.URL.RawPath != "" {
			return next(c)
		}
		layer, z, x, y, ok := parseTilePath(r.URL.Path)
		if !ok {
			return next(c)
		}
		v, ok := parseTileQuery(r.URL.RawQuery)
		if !ok {
			return next(c)
		}
		t, ok := s.svc.CachedTile(layer, z, x, y)
		if !ok {
			return next(c)
		}
		var start time.Time
		debug := s.log.Enabled(r.Context(), slog.LevelDebug)
		if debug {
			start = time.Now()
		}
		s.cors.headers(c)
		err := clientClosed(r.Context(), s.writeAreaTile(c, t, v))
		if debug {
			logRequest(s.log, c, start, err, slog.Bool("cached", true))
		}
		return err
	}
}

// parseTilePath reads /tiles/{layer}/{z}/{x}/{y}.mvt with a plain layer
// name ([a-z0-9_-]) and unsigned decimal z, x, y of at most 9 digits. Any
// other path (site tiles, TileJSON, oddities) is not ok and takes the
// routed handler.
func parseTilePath(p string) (layer string, z, x, y int, ok bool) {
	rest, ok := strings.CutPrefix(p, "/tiles/")
	if !ok {
		return "", 0, 0, 0, false
	}
	rest, ok = strings.CutSuffix(rest, ".mvt")
	if !ok {
		return "", 0, 0, 0, false
	}
	layer, rest, ok = strings.Cut(rest, "/")
	if !ok || layer == "" || strings.IndexFunc(layer, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-')
	}) >= 0 {
		return "", 0, 0, 0, false
	}
	var zxy [3]int
	for i := range zxy {
		part := rest
		if i < 2 {
			part, rest, ok = strings.Cut(rest, "/")
			if !ok {
				return "", 0, 0, 0, false
			}
		}
		if zxy[i], ok = decimal(part); !ok {
			return "", 0, 0, 0, false
		}
	}
	return layer, zxy[0], zxy[1], zxy[2], true
}

// decimal parses 1–9 ASCII digits.
func decimal(s string) (int, bool) {
	if len(s) == 0 || len(s) > 9 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		d := s[i] - '0'
		if d > 9 {
			return 0, false
		}
		n = n*10 + int(d)
	}
	return n, true
}

// parseTileQuery accepts an empty query or a lone data version v=N (up to
// 19 digits) and returns N.
func parseTileQuery(q string) (string, bool) {
	if q == "" {
		return "", true
	}
	v, ok := strings.CutPrefix(q, "v=")
	if !ok || len(v) == 0 || len(v) > 19 {
		return "", false
	}
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return "", false
		}
	}
	return v, true
}
