package api

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/segmap/segmap/service"
)

// Small multiples: one map per year with the same (pooled) class breaks.

func multiplesQuery(c echo.Context) (service.MultiplesQuery, error) {
	cq, err := classifyQuery(c)
	if err != nil {
		return service.MultiplesQuery{}, err
	}
	q := service.MultiplesQuery{ClassifyQuery: cq}
	for _, p := range queryList(c, "years") {
		y, err := strconv.Atoi(p)
		if err != nil {
			return q, bad("years must be a comma-separated list of years, got %q", p).Sv("years måste vara en kommaseparerad lista med år, inte %q", p)
		}
		q.Years = append(q.Years, y)
	}
	if q.Columns, err = queryInt(c, "cols", 0); err != nil {
		return q, err
	}
	if q.Columns < 0 || q.Columns > service.MaxMultiplesYears {
		return q, bad("cols must be between 1 and %d, got %d", service.MaxMultiplesYears, q.Columns).
			Sv("cols måste vara mellan 1 och %d, inte %d", service.MaxMultiplesYears, q.Columns)
	}
	if q.Width, err = queryInt(c, "width", 1000); err != nil {
		return q, err
	}
	return q, nil
}

// smallMultiples serves GET /api/multiples.
func (s *server) smallMultiples(c echo.Context) error {
	q, err := multiplesQuery(c)
	if err != nil {
		return err
	}
	m, err := s.svc.SmallMultiples(c.Request().Context(), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, m)
}

// smallMultiplesSVG serves GET /api/multiples.svg.
func (s *server) smallMultiplesSVG(c echo.Context) error {
	q, err := multiplesQuery(c)
	if err != nil {
		return err
	}
	release, err := s.pictureSlot(c.Request().Context(), service.PictureOptions{Format: service.PictureFormatSVG})
	if err != nil {
		return err
	}
	b, err := s.svc.SmallMultiplesSVG(c.Request().Context(), q)
	release()
	if err != nil {
		return err
	}
	name := unsafeFilename.ReplaceAllString(fmt.Sprintf("segmap-%s-%s-years", q.Indicator, q.Level), "_")
	h := c.Response().Header()
	h.Set("Content-Disposition", fmt.Sprintf(`inline; filename="%s.svg"`, name))
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	return c.Blob(http.StatusOK, "image/svg+xml", b)
}

// multiplesRoutes are the small-multiples routes (listed with trendRoutes).
func (s *server) multiplesRoutes() []route {
	params := func(svg bool) []obj {
		ps := append(classifyParams(),
			q("years", "Comma-separated years, one map each; default every year the level has values for (at most 12). year= and pooled= are ignored: the breaks are pooled over these years", tString()))
		if svg {
			ps = append(ps, q("cols", "Columns of the grid; default 2 for up to four years, else 3", tInt()),
				q("width", "Width in CSS px (120-4000); default 1000; the height follows", tInt()))
		}
		return ps
	}
	legend := object(obj{"label": tString(), "color": tString(), "count": tInt(), "min": tNumNull(), "max": tNumNull(), "kind": tString()})
	area := object(obj{"id": tInt(), "code": tString(), "name": tString(), "kommun": tString(), "value": tNumNull(), "class": tInt(), "color": tString(), "suppressed": tBool()})
	return []route{
		{http.MethodGet, "/api/multiples", s.smallMultiples, public, op("Small multiples: the indicator classified for every year with the same class breaks (pooled over the years), so maps of different years share one legend; each year's classes and counts",
			params(false), jsonResp("maps per year", object(obj{"indicator": ref("Indicator"), "level": tString(), "breakdown": tString(), "years": arrayOf(tInt()),
				"method": tString(), "k": tInt(), "scheme": tString(), "breaks": arrayOf(tNumber()), "note": tString(),
				"maps": arrayOf(object(obj{"year": tInt(), "legend": arrayOf(legend), "areas": arrayOf(area)}))})))},
		{http.MethodGet, "/api/multiples.svg", s.smallMultiplesSVG, public, op("Small multiples as one SVG for print and embeds: a map per year (same breaks), one title, one legend, the source",
			params(true), fileResp("SVG", "image/svg+xml"))},
	}
}
