package api

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/segmap/segmap/internal/download"
	"github.com/segmap/segmap/internal/fault"
	"github.com/segmap/segmap/service"
)

func trendQuery(c echo.Context) service.TrendQuery {
	return service.TrendQuery{Indicator: c.QueryParam("indicator"), Level: c.QueryParam("level"),
		Breakdown: c.QueryParam("breakdown"), Codes: queryList(c, "codes"), Kommuner: queryList(c, "kommun")}
}

// trendSVG is the trend as an SVG line chart, for embeds.
func (s *server) trendSVG(c echo.Context) error {
	b, err := s.svc.TrendChart(c.Request().Context(), trendQuery(c), c.QueryParam("lang"))
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, "image/svg+xml", b)
}

func (s *server) trend(c echo.Context) error {
	t, err := s.svc.Trend(c.Request().Context(), trendQuery(c))
	if err != nil {
		return err
	}
	lang := c.QueryParam("lang")
	switch c.QueryParam("format") {
	case "", "json":
		return c.JSON(http.StatusOK, t)
	case "csv":
		return trendCSV(c, t, lang)
	case "xlsx":
		return trendXLSX(c, t, lang)
	}
	return fault.New(fault.Invalid, "format must be json, csv or xlsx, got %q", c.QueryParam("format")).
		Sv("format måste vara json, csv eller xlsx, inte %q", c.QueryParam("format"))
}

// trendHeader is the header of a trend table: the area, then one column per year.
func trendHeader(t *service.Trend, lang string) []string {
	h := []string{"kod", "namn", "nivå", "kommun", "län"}
	if lang == "en" {
		h = []string{"code", "name", "level", "kommun", "county"}
	}
	for _, y := range t.Years {
		h = append(h, strconv.Itoa(y))
	}
	return h
}

// trendRows is the asked areas, then their parents.
func trendRows(t *service.Trend) []service.TrendSeries {
	return append(append(make([]service.TrendSeries, 0, len(t.Areas)+len(t.Parents)), t.Areas...), t.Parents...)
}

func trendFileName(t *service.Trend) string {
	return fmt.Sprintf("segmap_trend_%s_%s_%d-%d", t.Indicator.ID, t.Level, t.Years[0], t.Years[len(t.Years)-1])
}

// trendSheet lays the trend out as one sheet (internal/download): one row
// per area (the asked areas, then their parents), one column per year.
func trendSheet(t *service.Trend, lang string) download.Sheet {
	var sh download.Sheet
	for i, h := range trendHeader(t, lang) {
		k := download.Text
		if i >= 5 {
			k = download.Number
		}
		sh.Columns = append(sh.Columns, download.Column{Name: h, Kind: k})
	}
	for _, r := range trendRows(t) {
		row := []any{r.Code, r.Name, r.Level, r.Kommun, r.Lan}
		for _, v := range r.Values {
			row = append(row, float64(v))
		}
		sh.Rows = append(sh.Rows, row)
	}
	sh.Meta = [][2]string{
		{"indicator", t.Indicator.ID},
		{"name_sv", t.Indicator.NameSV},
		{"name_en", t.Indicator.NameEN},
		{"unit", t.Indicator.Unit},
		{"definition_sv", t.Indicator.DescriptionSV},
		{"definition_en", t.Indicator.DescriptionEN},
		{"source", t.Indicator.Source},
		{"level", t.Level},
		{"breakdown", t.Breakdown},
		{"years", fmt.Sprint(t.Years)},
	}
	return sh
}

// trendCSV writes the trend as a CSV for Swedish Excel (see export.go);
// text cells are neutralised by the sheet writer.
func trendCSV(c echo.Context, t *service.Trend, lang string) error {
	b, err := download.WriteCSV(c.Request().Context(), trendSheet(t, lang), download.CSV{}, download.Limits{})
	if err != nil {
		return err
	}
	attachment(c, trendFileName(t)+".csv")
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", b)
}

// trendXLSX writes the trend as an Excel workbook: sheet Data (one column
// per year, numbers as numbers) and sheet Metadata.
func trendXLSX(c echo.Context, t *service.Trend, lang string) error {
	b, err := download.WriteXLSX(c.Request().Context(), trendSheet(t, lang), download.Limits{})
	if err != nil {
		return err
	}
	attachment(c, trendFileName(t)+".xlsx")
	return c.Blob(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b)
}

func (s *server) segregationTrend(c echo.Context) error {
	r, err := s.svc.SegregationTrend(c.Request().Context(), queryList(c, "kommun"))
	if err != nil {
		return err
	}
	r.Localise(requestLang(c))
	return c.JSON(http.StatusOK, r)
}

func (s *server) omradestypTransition(c echo.Context) error {
	from, err := queryInt(c, "from", 0)
	if err != nil {
		return err
	}
	to, err := queryInt(c, "to", 0)
	if err != nil {
		return err
	}
	r, err := s.svc.OmradestypTransition(c.Request().Context(), service.TransitionQuery{From: from, To: to, Kommuner: queryList(c, "kommun")})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

// trendRoutes are the over-time endpoints (see routes.go).
func (s *server) trendRoutes() []route {
	num := tNumNull()
	series := object(obj{"code": tString(), "name": tString(), "level": tString(), "kommun": tString(), "lan": tString(),
		"values": arrayOf(num), "numerators": arrayOf(num), "denominators": arrayOf(num)})
	indices := object(obj{"dissimilarity": num, "isolation": num, "exposure": num, "theil": num, "gini": num, "morrill_d": num})
	typeInfo := object(obj{"type": tInt(), "label_sv": tString(), "label_en": tString(), "color": tString(), "regso_count": tInt(), "population": num, "population_share": num})
	return append([]route{
		{http.MethodGet, "/api/trend", s.trend, public, op("An indicator over every year of the level for one or several areas, beside their kommun, län and riket (parents from the area hierarchy); values aligned with years, null where missing or withheld",
			[]obj{qReq("indicator", "Indicator id", tString()), q("level", "Level; default regso", tString()),
				q("codes", "Area codes, comma separated (codes or kommun required)", tString()),
				q("kommun", "Kommun codes: every area of the level in them", tString()),
				q("breakdown", "Breakdown; default total", tString()),
				q("format", "json (default), csv (Swedish Excel: BOM, ';', decimal comma) or xlsx; tables have one column per year", enum("json", "csv", "xlsx")),
				q("lang", "Table header language", enum("sv", "en"))},
			jsonResp("trend", object(obj{"indicator": obj{"type": "object"}, "level": tString(), "breakdown": tString(), "years": arrayOf(tInt()),
				"areas": arrayOf(series), "parents": arrayOf(series), "series_geography": seriesGeographySchema()})))},
		{http.MethodGet, "/api/trend.svg", s.trendSVG, public, op("The trend as an SVG line chart (for embeds): each area, and the first area's kommun, län and riket",
			[]obj{qReq("indicator", "Indicator id", tString()), q("level", "Level; default regso", tString()),
				q("codes", "Area codes, comma separated (codes or kommun required)", tString()),
				q("kommun", "Kommun codes: every area of the level in them", tString()),
				q("breakdown", "Breakdown; default total", tString()), q("lang", "Labels", enum("sv", "en"))},
			fileResp("SVG", "image/svg+xml"))},
		{http.MethodGet, "/api/segregation/trend", s.segregationTrend, public, op("Segregation indices (foreign-born vs Sweden-born) of each kommun for every year, beside its län and riket: across DeSO where DeSO has the year, RegSO otherwise (levels says which); Morrill's D is null",
			[]obj{qReq("kommun", "Kommun codes, comma separated; each is a series", tString())},
			jsonResp("indices per year", object(obj{"years": arrayOf(tInt()), "levels": obj{"type": "object", "additionalProperties": tString()},
				"groups": tString(), "note": tString(),
				"series": arrayOf(object(obj{"code": tString(), "name": tString(), "kind": enum("kommun", "lan", "riket"),
					"years": arrayOf(object(obj{"year": tInt(), "level": tString(), "areas": tInt(), "indices": indices}))}))})))},
		{http.MethodGet, "/api/omradestyper/transition", s.omradestypTransition, public, op("How the områdestyp of RegSO changed between two years: 5×5 table (row = type in from, column = type in to) in areas and population, and the RegSO that moved to a better or worse type",
			[]obj{q("from", "Year; default the earliest with types", tInt()), q("to", "Year; default the latest", tInt()),
				q("kommun", "Kommun codes, comma separated; default the whole country", tString())},
			jsonResp("transition", object(obj{"from": tInt(), "to": tInt(), "population_year": tInt(), "kommuner": arrayOf(tString()),
				"types": arrayOf(typeInfo), "areas": arrayOf(arrayOf(tInt())), "population": arrayOf(arrayOf(num)),
				"typed": tInt(), "unchanged": tInt(), "better": tInt(), "worse": tInt(), "untyped": tInt(),
				"moves": arrayOf(object(obj{"code": tString(), "name": tString(), "kommun": tString(), "from": tInt(), "to": tInt(),
					"direction": enum("better", "worse"), "population": num}))})))},
	}, s.multiplesRoutes()...)
}
