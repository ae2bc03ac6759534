package api

import (
	"fmt"
	"net/http"
	"regexp"

	"github.com/labstack/echo/v4"

	"github.com/segmap/segmap/service"
)

// unsafeFilename matches characters not kept in a download file name.
var unsafeFilename = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

func (s *server) mapPNG(c echo.Context) error { return s.mapPicture(c, service.PictureFormatPNG) }
func (s *server) mapSVG(c echo.Context) error { return s.mapPicture(c, service.PictureFormatSVG) }

// mapPicture serves GET /api/map.png and /api/map.svg: the classify query
// plus width, height (CSS px) and dpi.
func (s *server) mapPicture(c echo.Context, format string) error {
	q, err := classifyQuery(c)
	if err != nil {
		return err
	}
	opts := service.PictureOptions{Format: format}
	if opts.Width, err = queryInt(c, "width", 1000); err != nil {
		return err
	}
	if opts.Height, err = queryInt(c, "height", 800); err != nil {
		return err
	}
	if opts.DPI, err = queryFloat(c, "dpi", 96); err != nil {
		return err
	}
	release, err := s.pictureSlot(c.Request().Context(), opts)
	if err != nil {
		return err
	}
	pic, err := s.svc.Picture(c.Request().Context(), q, opts)
	release()
	if err != nil {
		return err
	}
	cl := pic.Classification
	name := unsafeFilename.ReplaceAllString(fmt.Sprintf("segmap-%s-%s-%d", cl.Indicator.ID, cl.Level, cl.Year), "_")
	h := c.Response().Header()
	h.Set("Content-Disposition", fmt.Sprintf(`inline; filename="%s.%s"`, name, format))
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	if format == service.PictureFormatSVG {
		// An SVG opened directly must not run anything.
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	}
	return c.Blob(http.StatusOK, pic.ContentType, pic.Body)
}
