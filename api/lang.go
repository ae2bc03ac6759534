package api

import (
	"github.com/labstack/echo/v4"
)

// langOf is the language a request asks for: the lang query parameter as
// given (the service answers 400 to a language it does not speak), else
// what errorLang reads from Accept-Language.
func langOf(c echo.Context) string {
	if q := c.QueryParam("lang"); q != "" {
		return q
	}
	return errorLang(c.Request())
}
