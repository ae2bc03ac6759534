package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/segmap/segmap/service"
)

// Change of an indicator between two years (the map client's Förändring).

// changeRoutes is GET /api/change (see routes.go).
func (s *server) changeRoutes() []route {
	num := tNumNull()
	return []route{{http.MethodGet, "/api/change", s.change, public, op("Change of an indicator per area between two years: To − From (percentage points for percentages) and the relative change for other units",
		append(valuesParams()[:2:2], q("from", "Earlier year (must be before to); default the level's earliest year", tInt()), q("to", "Later year; default the level's latest year. A level with values for only one year, from not before to, or a year the level lacks: 400", tInt()),
			q("breakdown", "Breakdown; default total", tString()), q("kommun", "Comma-separated kommun codes", tString()), q("k", "Classes of the change map (made odd; outside 1..9: 5); default 5", tInt())),
		jsonResp("change", object(obj{"indicator": ref("Indicator"), "level": tString(), "from": tInt(), "to": tInt(), "breakdown": tString(),
			"kind": enum(service.ChangePercentagePoints, service.ChangeAbsolute), "unit": tString(),
			"summary": object(obj{"n": tInt(), "increased": tInt(), "decreased": tInt(), "unchanged": tInt(), "mean": num, "min": num, "max": num}),
			"areas": arrayOf(object(obj{"id": tInt(), "code": tString(), "name": tString(), "kommun": tString(), "from": num, "to": num, "change": num,
				"relative_pct": num, "suppressed": tBool(), "estimated": tBool(), "class": tInt()})),
			"classes": object(obj{"breaks": arrayOf(tNumber()), "colors": arrayOf(tString())}), "series_geography": seriesGeographySchema()})))}}
}

// change serves GET /api/change?level&indicator&from&to&breakdown&kommun.
func (s *server) change(c echo.Context) error {
	q := service.ChangeQuery{Level: c.QueryParam("level"), Indicator: c.QueryParam("indicator"),
		Breakdown: c.QueryParam("breakdown"), Kommuner: queryList(c, "kommun")}
	if q.Level == "" {
		q.Level = "deso"
	}
	var err error
	if q.From, err = queryInt(c, "from", 0); err != nil {
		return err
	}
	if q.To, err = queryInt(c, "to", 0); err != nil {
		return err
	}
	if q.K, err = queryInt(c, "k", 5); err != nil {
		return err
	}
	r, err := s.svc.Change(c.Request().Context(), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}
