package api

import (
	"github.com/labstack/echo/v4"

	"github.com/segmap/segmap/internal/locale"
)

// langOf is the language a request asks for: the lang query parameter as
// given (the service answers 400 to a language it does not speak), else
// the Accept-Language header's sv or en, else Swedish (locale.Parse).
func langOf(c echo.Context) string {
	if q := c.QueryParam("lang"); q != "" {
		return q
	}
	return locale.Parse("", c.Request().Header.Get("Accept-Language")).String()
}
