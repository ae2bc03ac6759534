package api

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/segmap/segmap/tiles"

	"github.com/labstack/echo/v4"
)

// MVTContentType is the media type of Mapbox vector tiles.
const MVTContentType = "application/vnd.mapbox-vector-tile"

// acceptsGzip reports whether the Accept-Encoding header allows gzip
// (gzip or *, unless with q=0).
func acceptsGzip(h string) bool {
	for h != "" {
		var part string
		part, h, _ = strings.Cut(h, ",")
		enc, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		enc = strings.TrimSpace(enc)
		if !strings.EqualFold(enc, "gzip") && enc != "*" {
			continue
		}
		params = strings.ReplaceAll(params, " ", "")
		if q, ok := strings.CutPrefix(params, "q="); ok {
			if f, err := strconv.ParseFloat(q, 64); err == nil && f == 0 {
				return false
			}
		}
		return true
	}
	return false
}

// etagMatch reports whether an If-None-Match header matches etag.
func etagMatch(header, etag string) bool {
	for header != "" {
		var t string
		t, header, _ = strings.Cut(header, ",")
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}

// tile serves one vector tile. The gzip bytes are sent as they are when the
// client accepts gzip, otherwise decompressed; each encoding has its own
// strong ETag.
func (s *server) tile(c echo.Context) error {
	zxy, err := tileZXY(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	var t *tiles.Tile
	if c.QueryParam("indicator") != "" {
		// Values and classes in the tile, for clients that cannot join.
		q, qerr := classifyQuery(c)
		if qerr != nil {
			return qerr
		}
		t, err = s.svc.TileWithValues(ctx, c.Param("layer"), zxy[0], zxy[1], zxy[2], q)
	} else {
		t, err = s.svc.Tile(ctx, c.Param("layer"), zxy[0], zxy[1], zxy[2])
	}
	if err != nil {
		return err
	}
	return s.writeAreaTile(c, t, c.QueryParam("v"))
}

// writeAreaTile sends an area tile, from the route or the fast path:
// Vary, Cache-Control (immutable when v is the data version the tile was
// made from), then writeTile.
func (s *server) writeAreaTile(c echo.Context, t *tiles.Tile, v string) error {
	h := c.Response().Header()
	if len(h[echo.HeaderVary]) == 0 {
		h[echo.HeaderVary] = hdrVaryEncoding
	} else {
		h.Add(echo.HeaderVary, "Accept-Encoding") // after CORS's Vary: Origin
	}
	h[echo.HeaderCacheControl] = s.cacheControl
	if v != "" && v == t.Version {
		h[echo.HeaderCacheControl] = hdrImmutable
	}
	return writeTile(c, t)
}

// Header values shared by every tile answer (read-only; len == cap, so an
// append by anyone copies rather than writes into them): an allocation
// less per header on the busiest path.
var (
	hdrMVT          = []string{MVTContentType}
	hdrGzip         = []string{"gzip"}
	hdrVaryEncoding = []string{"Accept-Encoding"}
	hdrImmutable    = []string{ImmutableCacheControl}
)

// tileZXY reads the z, x and y.mvt path parameters of a tile route.
func tileZXY(c echo.Context) ([3]int, error) {
	var zxy [3]int
	y, ok := strings.CutSuffix(c.Param("y.mvt"), ".mvt")
	if !ok {
		return zxy, bad("tile path must end in .mvt").Sv("sökvägen till en kartbit (tile) ska sluta på .mvt")
	}
	for i, p := range []string{c.Param("z"), c.Param("x"), y} {
		n, err := strconv.Atoi(p)
		if err != nil {
			return zxy, bad("tile coordinates must be integers: z=%q x=%q y=%q", c.Param("z"), c.Param("x"), y).
				Sv("kartbitens koordinater ska vara heltal: z=%q x=%q y=%q", c.Param("z"), c.Param("x"), y)
		}
		zxy[i] = n
	}
	return zxy, nil
}

// writeTile sends a tile after the caller set Vary and Cache-Control: 204
// when empty; the gzip bytes when the client accepts gzip, otherwise the
// identity bytes (both made once with the tile; decompressed here only for
// a tile that lacks them); each encoding with its own strong ETag, and 304
// when If-None-Match has it. Area tiles and site tiles share it.
func writeTile(c echo.Context, t *tiles.Tile) error {
	h := c.Response().Header()
	if t.Empty {
		return c.NoContent(http.StatusNoContent)
	}
	gz := acceptsGzip(c.Request().Header.Get("Accept-Encoding"))
	etag, body := t.ETag, t.Gzip // ETag strong and quoted (tiles.Tile)
	if !gz {
		etag, body = t.RawETag, t.Raw
		if body == nil {
			raw, err := gunzip(t.Gzip)
			if err != nil {
				return err
			}
			etag, body = tiles.IdentityETag(t.ETag), raw
		}
	}
	h["Etag"] = []string{etag}
	if inm := c.Request().Header.Get("If-None-Match"); inm != "" && etagMatch(inm, etag) {
		return c.NoContent(http.StatusNotModified)
	}
	h[echo.HeaderContentType] = hdrMVT
	if gz {
		h[echo.HeaderContentEncoding] = hdrGzip
	}
	h[echo.HeaderContentLength] = []string{strconv.Itoa(len(body))}
	return c.Blob(http.StatusOK, MVTContentType, body)
}

func gunzip(b []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}
