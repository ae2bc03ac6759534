package api

import (
	"embed"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"regexp"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/segmap/segmap/internal/fault"
)

// webDist is the built web client (api/web, built by `npm run build`).
//
//go:embed web/dist
var webDist embed.FS

// hashedName matches bundle files whose name carries a content hash
// (app-03fd177b72.css): they never change, so they are cached for good.
var hashedName = regexp.MustCompile(`-[0-9a-f]{8,}\.[a-z0-9]+$`)

// webRoutes serve the client: index.html at / and /embed, and the bundle
// at /assets/*. index.html is revalidated on every load; the hashed assets
// are cached. page, when not nil, adapts index.html to the request (see
// server.pageHTML). They are not in the OpenAPI document.
func webRoutes(page func(echo.Context, []byte) []byte) []route {
	index := func(c echo.Context) error {
		b, err := fs.ReadFile(webDist, "web/dist/index.html")
		if err != nil {
			return fault.Wrap(fault.NotFound, err, "the web client is not built (run npm run build in api/web)").
				Sv("webbklienten är inte byggd (kör npm run build i api/web)")
		}
		if page != nil {
			b = page(c, b)
		}
		c.Response().Header().Set("Cache-Control", "no-cache")
		return c.HTMLBlob(http.StatusOK, b)
	}
	asset := func(c echo.Context) error {
		name := path.Clean("/" + c.Param("*"))
		if strings.Contains(name, "..") || name == "/" {
			return fault.New(fault.NotFound, "no such asset").Sv("filen finns inte")
		}
		b, err := fs.ReadFile(webDist, "web/dist/assets"+name)
		if err != nil {
			return fault.Wrap(fault.NotFound, err, "no such asset: %s", strings.TrimPrefix(name, "/")).
				Sv("filen finns inte: %s", strings.TrimPrefix(name, "/"))
		}
		ct := mime.TypeByExtension(path.Ext(name))
		if ct == "" {
			ct = http.DetectContentType(b)
		}
		cc := "public, max-age=3600"
		if hashedName.MatchString(name) {
			cc = "public, max-age=31536000, immutable"
		}
		c.Response().Header().Set("Cache-Control", cc)
		return c.Blob(http.StatusOK, ct, b)
	}
	return []route{
		{http.MethodGet, "/", index, public, nil},
		{http.MethodGet, "/embed", index, public, nil},
		{http.MethodGet, "/assets/*", asset, public, nil},
	}
}
