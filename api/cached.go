package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/segmap/segmap/service"
)

// analysisCacheControl lets a browser keep an analysis answer and ask
// again with If-None-Match: the answer changes only with the data version,
// and the strong ETag is of its bytes, so a revalidation is a 304.
const analysisCacheControl = "no-cache"

// cachedJSON answers with the JSON that build makes, encoded (and
// gzipped) once per data version and request path and query (see
// service.EncodedJSON): a repeated request is a copy of bytes, or a 304
// when If-None-Match has the answer's ETag.
func (s *server) cachedJSON(c echo.Context, build func(ctx context.Context) (any, error)) error {
	r := c.Request()
	key := r.URL.Path + "?" + c.QueryParams().Encode()
	enc, err := s.svc.EncodedJSON(r.Context(), key, build)
	if err != nil {
		return err
	}
	return sendEncoded(c, enc)
}

// sendEncoded answers with an encoded answer: its ETag, a 304 when
// If-None-Match has it, else its gzip bytes when accepted or its JSON.
// The route must be marked encodedOnce (echo's Gzip leaves it alone).
func sendEncoded(c echo.Context, enc *service.Encoded) error {
	r := c.Request()
	h := c.Response().Header()
	h.Set("ETag", enc.ETag)
	h.Set("Cache-Control", analysisCacheControl)
	if !strings.Contains(strings.Join(h.Values("Vary"), ","), "Accept-Encoding") {
		h.Add("Vary", "Accept-Encoding")
	}
	if inm := r.Header.Get("If-None-Match"); inm != "" && etagMatch(inm, enc.ETag) {
		return c.NoContent(http.StatusNotModified)
	}
	body := enc.JSON
	if acceptsGzip(r.Header.Get("Accept-Encoding")) {
		// The route is marked encodedOnce: echo's Gzip leaves these bytes alone.
		h.Set("Content-Encoding", "gzip")
		body = enc.Gzip
	}
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, body)
}
