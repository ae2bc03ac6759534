package api

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/segmap/segmap/internal/download"
	"github.com/segmap/segmap/internal/fault"
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
			"meaning": meaningEnum(),
			"areas":   arrayOf(changeAreaSchema()),
			"classes": object(obj{"breaks": arrayOf(tNumber()), "colors": arrayOf(tString()), "meaning": meaningEnum(),
				"sides": arrayOf(enum(service.DirectionBetter, service.DirectionWorse, service.DirectionIncrease, service.DirectionDecrease, "small"))}), "series_geography": seriesGeographySchema()})))},
		{http.MethodGet, "/api/change/largest", s.largestChanges, public, op("The areas with the largest changes of an indicator between two years, for a kommun, a group or the country: the largest increases and decreases, and named by meaning (better/worse, from the indicator's higher_is_better; empty for an indicator without a better direction). Absolute change (percentage points for percentages) or relative (percent of the earlier value, for indicators that are not percentages)",
			[]obj{qReq("indicator", "Indicator id", tString()), q("level", "Level; default regso", tString()),
				q("from", "Earlier year; default the level's earliest", tInt()), q("to", "Later year; default the level's latest", tInt()),
				q("breakdown", "Breakdown; default total", tString()), q("kommun", "Kommun codes, comma separated; default the whole country", tString()),
				q("n", fmt.Sprintf("Areas on each side, 1..%d; default %d", service.LargestMaxN, service.LargestDefaultN), tInt()),
				q("rank", "absolute (default: To − From) or relative (percent of From; not for percentages)", enum(service.RankAbsolute, service.RankRelative)),
				q("format", "json (default), csv (Swedish Excel) or xlsx: one row per area with side and rank", enum("json", "csv", "xlsx")),
				q("lang", "Table header language", enum("sv", "en"))},
			jsonResp("largest changes", object(obj{"indicator": ref("Indicator"), "level": tString(), "from": tInt(), "to": tInt(), "breakdown": tString(),
				"kommuner": arrayOf(tString()), "kind": enum(service.ChangePercentagePoints, service.ChangeAbsolute), "unit": tString(),
				"meaning": meaningEnum(), "rank": enum(service.RankAbsolute, service.RankRelative),
				"summary":   object(obj{"n": tInt(), "increased": tInt(), "decreased": tInt(), "unchanged": tInt(), "better": tInt(), "worse": tInt(), "mean": num, "min": num, "max": num}),
				"increases": arrayOf(changeAreaSchema()), "decreases": arrayOf(changeAreaSchema()),
				"better": arrayOf(changeAreaSchema()), "worse": arrayOf(changeAreaSchema())})))},
	}
}

func meaningEnum() obj {
	return enum(service.MeaningHigherIsBetter, service.MeaningLowerIsBetter, service.MeaningNeutral)
}

func changeAreaSchema() obj {
	num := tNumNull()
	return object(obj{"id": tInt(), "code": tString(), "name": tString(), "kommun": tString(), "from": num, "to": num, "change": num,
		"relative_pct": num, "suppressed": tBool(), "estimated": tBool(), "class": tInt(),
		"direction": enum(service.DirectionBetter, service.DirectionWorse, service.DirectionIncrease, service.DirectionDecrease, service.DirectionUnchanged)})
}

// changeQuery reads the change parameters shared by /api/change and
// /api/change/largest (level defaults to def).
func changeQuery(c echo.Context, def string) (service.ChangeQuery, error) {
	q := service.ChangeQuery{Level: c.QueryParam("level"), Indicator: c.QueryParam("indicator"),
		Breakdown: c.QueryParam("breakdown"), Kommuner: queryList(c, "kommun")}
	if q.Level == "" {
		q.Level = def
	}
	var err error
	if q.From, err = queryInt(c, "from", 0); err != nil {
		return q, err
	}
	if q.To, err = queryInt(c, "to", 0); err != nil {
		return q, err
	}
	return q, nil
}

// largestChanges serves GET /api/change/largest.
func (s *server) largestChanges(c echo.Context) error {
	cq, err := changeQuery(c, "regso")
	if err != nil {
		return err
	}
	q := service.LargestQuery{ChangeQuery: cq, Rank: c.QueryParam("rank")}
	if q.N, err = queryInt(c, "n", service.LargestDefaultN); err != nil {
		return err
	}
	format := c.QueryParam("format")
	if format != "" && format != "json" && format != "csv" && format != "xlsx" {
		return fault.New(fault.Invalid, "format must be json, csv or xlsx, got %q", format).
			Sv("format måste vara json, csv eller xlsx, inte %q", format)
	}
	r, err := s.svc.LargestChanges(c.Request().Context(), q)
	if err != nil {
		return err
	}
	if format == "" || format == "json" {
		return c.JSON(http.StatusOK, r)
	}
	sh := r.Sheet(c.QueryParam("lang"))
	name := unsafeFilename.ReplaceAllString(fmt.Sprintf("segmap_largest_changes_%s_%s_%d-%d", r.Indicator.ID, r.Level, r.From, r.To), "_")
	var b []byte
	if format == "csv" {
		if b, err = download.WriteCSV(c.Request().Context(), sh, download.CSV{}, download.Limits{}); err != nil {
			return err
		}
		attachment(c, name+".csv")
		return c.Blob(http.StatusOK, "text/csv; charset=utf-8", b)
	}
	if b, err = download.WriteXLSX(c.Request().Context(), sh, download.Limits{}); err != nil {
		return err
	}
	attachment(c, name+".xlsx")
	return c.Blob(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b)
}

// change serves GET /api/change?level&indicator&from&to&breakdown&kommun.
func (s *server) change(c echo.Context) error {
	q, err := changeQuery(c, "deso")
	if err != nil {
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
