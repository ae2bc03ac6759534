package api

import (
	"compress/gzip"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/segmap/segmap/service"
	"github.com/segmap/segmap/service/report"
)

// The Nulägesbild report. Its numbers are public statistics, but it also
// carries the area notes, which are kommun-made data: under --private-reads
// a reader without the API token gets the report without them (and a
// sentence saying so), never a 401 for the whole report.

// reportRoutes is the report's route (see routes.go).
func (s *server) reportRoutes() []route {
	return []route{
		{http.MethodGet, "/report", s.report, public, op("Nulägesbild: a self-contained HTML report (A4 print) of one kommun or several analysed as one region: områdestyper, ojämlikhetsindex beside län and riket, key indicators, LISA clusters, correlations, change between years, development over time (trends beside län and riket, maps by year, segregation indices per year, områdestyper transition, largest changes, area notes on the time axis), area notes (left out, with a sentence saying so, for a reader without the API token when the server runs with --private-reads), method and sources. Built a few at a time: 503 busy with Retry-After when the queue is full",
			[]obj{qReq("kommun", "One or more 4-digit kommun codes, comma-separated (e.g. 0180 or 0126,0127,0128)", tString()),
				q("lang", "Language of the report", enum("sv", "en")), q("indicator", "Indicator of the LISA cluster map; default low_econ_standard_pct", tString()),
				q("change", "Indicator of the change map; default the cluster indicator when it has two years, else the first that does", tString()),
				q("from", "Earlier year of the change; default the earliest", tInt()), q("to", "Later year of the change; default the latest", tInt()),
				q("format", "html (default) or json (every number of the report)", enum("html", "json"))},
			fileResp("HTML report", "text/html"))},
	}
}

// reportCSP allows what the self-contained report uses: inline styles,
// inline SVG and data: fonts; no scripts, no requests.
const reportCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; base-uri 'none'; form-action 'none'"

// reportQuery reads the report's query parameters.
func reportQuery(c echo.Context) (report.Query, error) {
	ks, err := service.ParseKommunList(strings.Join(c.QueryParams()["kommun"], ","))
	if err != nil {
		return report.Query{}, err
	}
	q := report.Query{Kommuner: ks, Lang: langOf(c), Indicator: c.QueryParam("indicator"),
		ChangeIndicator: c.QueryParam("change")}
	if q.ChangeFrom, err = queryInt(c, "from", 0); err != nil {
		return q, err
	}
	if q.ChangeTo, err = queryInt(c, "to", 0); err != nil {
		return q, err
	}
	return q, nil
}

// mayReadPrivate reports whether the request may read kommun-made data:
// always without --private-reads, else only with the right API token. It
// answers nothing itself (no 401): a route that carries such data beside
// public data leaves it out instead.
func (s *server) mayReadPrivate(c echo.Context) bool {
	if !s.opts.PrivateReads {
		return true
	}
	if s.opts.APIToken == "" {
		return false
	}
	got, ok := bearer(c.Request().Header.Get("Authorization"))
	return ok && tokenEqual(got, s.opts.APIToken)
}

// report serves GET /report?kommun=0180[,0114…]&lang=&indicator=&change=&from=&to=&format=html|json.
func (s *server) report(c echo.Context) error {
	q, err := reportQuery(c)
	if err != nil {
		return err
	}
	format := c.QueryParam("format")
	if format != "" && format != "html" && format != "json" {
		return bad("format must be html or json, got %q", format).Sv("format ska vara html eller json, inte %q", format)
	}
	q.WithNotes = s.mayReadPrivate(c)
	r, err := s.reports.Build(c.Request().Context(), q)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	// Notes can change at any time: revalidate. Under private reads the
	// answer depends on the token: no shared cache may keep it.
	if s.opts.PrivateReads {
		h.Set("Cache-Control", "private, no-cache")
		h.Add("Vary", "Authorization")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	if format == "json" {
		return c.JSON(http.StatusOK, r)
	}
	page, err := r.HTML()
	if err != nil {
		return err
	}
	h.Set("Content-Security-Policy", reportCSP+"; frame-ancestors 'self'")
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Add("Vary", "Accept-Encoding")
	if strings.Contains(c.Request().Header.Get("Accept-Encoding"), "gzip") {
		h.Set("Content-Encoding", "gzip")
		c.Response().WriteHeader(http.StatusOK)
		zw := gzip.NewWriter(c.Response())
		if _, err := zw.Write(page); err != nil {
			return err
		}
		return zw.Close()
	}
	return c.HTMLBlob(http.StatusOK, page)
}
