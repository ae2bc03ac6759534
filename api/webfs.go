package api

import (
	"embed"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/labstack/echo/v4"
)

// webDist is the built web client (api/web, built by `npm run build`).
//
//go:embed web/dist/index.html web/dist/assets
var webDist embed.FS

// registerWeb serves the client: index.html at / and the bundle at /assets/*.
// index.html is revalidated on every load; the hashed assets are cached.
func registerWeb(e *echo.Echo) {
	index := func(c echo.Context) error {
		b, err := fs.ReadFile(webDist, "web/dist/index.html")
		if err != nil {
			return echo.NewHTTPError(http.StatusNotFound, "the web client is not built (run npm run build in api/web)")
		}
		c.Response().Header().Set("Cache-Control", "no-cache")
		return c.HTMLBlob(http.StatusOK, b)
	}
	e.GET("/", index)
	e.GET("/embed", index)
	e.GET("/assets/*", func(c echo.Context) error {
		name := path.Clean("/" + c.Param("*"))
		if strings.Contains(name, "..") || name == "/" {
			return echo.NewHTTPError(http.StatusNotFound, "no such asset")
		}
		b, err := fs.ReadFile(webDist, "web/dist/assets"+name)
		if err != nil {
			return echo.NewHTTPError(http.StatusNotFound, "no such asset: "+strings.TrimPrefix(name, "/"))
		}
		ct := mime.TypeByExtension(path.Ext(name))
		if ct == "" {
			ct = http.DetectContentType(b)
		}
		c.Response().Header().Set("Cache-Control", "public, max-age=3600")
		return c.Blob(http.StatusOK, ct, b)
	})
}
