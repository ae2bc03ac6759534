package api

import (
	"github.com/labstack/echo/v4"

	"github.com/segmap/segmap/internal/locale"
)

// langOf is the language a request asks for ("sv" or "en"): the lang query
// parameter, else the Accept-Language header, else Swedish
// (locale.Parse, the one place that decides).
func langOf(c echo.Context) string {
	return locale.Parse(c.QueryParam("lang"), c.Request().Header.Get("Accept-Language")).String()
}
