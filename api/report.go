package api

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/service"
)

// The Nulägesbild report, change between years and area notes.

// reportRoutes registers the report, change and notes routes.

// reportCSP allows what the self-contained report uses: inline styles,
// inline SVG and data: fonts; no scripts, no requests.
const reportCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; base-uri 'none'; form-action 'none'"

// reportQuery reads the report's query parameters.
func reportQuery(c echo.Context) (service.ReportQuery, error) {
	ks, err := service.ParseKommunList(strings.Join(c.QueryParams()["kommun"], ","))
	if err != nil {
		return service.ReportQuery{}, err
	}
	q := service.ReportQuery{Kommuner: ks, Lang: c.QueryParam("lang"), Indicator: c.QueryParam("indicator"),
		ChangeIndicator: c.QueryParam("change")}
	if q.ChangeFrom, err = queryInt(c, "from", 0); err != nil {
		return q, err
	}
	if q.ChangeTo, err = queryInt(c, "to", 0); err != nil {
		return q, err
	}
	return q, nil
}

// report serves GET /report?kommun=0180[,0114…]&lang=&indicator=&change=&from=&to=&format=html|json.
func (s *server) report(c echo.Context) error {
	q, err := reportQuery(c)
	if err != nil {
		return err
	}
	format := c.QueryParam("format")
	if format != "" && format != "html" && format != "json" {
		return bad("format must be html or json, got %q", format)
	}
	r, err := s.svc.Report(c.Request().Context(), q)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	// Notes can change at any time: revalidate.
	h.Set("Cache-Control", "no-cache")
	if format == "json" {
		return c.JSON(http.StatusOK, r)
	}
	var buf bytes.Buffer
	if err := r.WriteHTML(&buf); err != nil {
		return err
	}
	h.Set("Content-Security-Policy", reportCSP+"; frame-ancestors 'self'")
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Add("Vary", "Accept-Encoding")
	if strings.Contains(c.Request().Header.Get("Accept-Encoding"), "gzip") {
		h.Set("Content-Encoding", "gzip")
		c.Response().WriteHeader(http.StatusOK)
		zw := gzip.NewWriter(c.Response())
		if _, err := buf.WriteTo(zw); err != nil {
			return err
		}
		return zw.Close()
	}
	return c.HTMLBlob(http.StatusOK, buf.Bytes())
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
	r, err := s.svc.Change(c.Request().Context(), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

func (s *server) notes(c echo.Context) error {
	ns, err := s.svc.Notes(c.Request().Context(), c.Param("level"), c.Param("code"))
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-cache")
	return c.JSON(http.StatusOK, map[string]any{"level": c.Param("level"), "code": c.Param("code"), "notes": ns})
}

// noteBody is the JSON of a new or changed note.
type noteBody struct {
	Year      *int    `json:"year"`
	Indicator *string `json:"indicator"`
	Text      *string `json:"text"`
	Author    *string `json:"author"`
}

// maxNoteBody bounds a note request (a note is at most 2,000 characters).
const maxNoteBody = 64 << 10

func readNoteBody(c echo.Context) (noteBody, error) {
	var b noteBody
	raw, err := io.ReadAll(io.LimitReader(c.Request().Body, maxNoteBody+1))
	if err != nil {
		return b, err
	}
	if len(raw) > maxNoteBody {
		return b, echo.NewHTTPError(http.StatusRequestEntityTooLarge, "the note request is larger than 64 KiB")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return b, bad(`the body must be a JSON object {"year": 2019, "text": "…", "indicator": "…", "author": "…"}: %v`, err)
	}
	return b, nil
}

func noteID(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, bad("note id must be a positive integer, got %q", c.Param("id"))
	}
	return id, nil
}

// writeErr maps a read-only store to 409 (the server was started on a file
// it may not change).
func writeErr(err error) error {
	if errors.Is(err, data.ErrReadOnly) {
		return echo.NewHTTPError(http.StatusConflict, "the store is read-only; notes cannot be changed on this server")
	}
	return err
}

func (s *server) addNote(c echo.Context) error {
	b, err := readNoteBody(c)
	if err != nil {
		return err
	}
	if b.Year == nil || b.Text == nil {
		return bad(`a note needs "year" and "text", e.g. {"year": 2019, "text": "nytt studentboende 2019 förklarar inkomstfallet"}`)
	}
	n := data.Note{Level: c.Param("level"), Code: c.Param("code"), Year: *b.Year, Text: *b.Text}
	if b.Indicator != nil {
		n.Indicator = *b.Indicator
	}
	if b.Author != nil {
		n.Author = *b.Author
	}
	out, err := s.svc.AddNote(c.Request().Context(), n)
	if err != nil {
		return writeErr(err)
	}
	// Absolute, with the external base: right behind a proxy under a prefix.
	c.Response().Header().Set("Location", s.externalBase(c)+c.Request().URL.EscapedPath()+"/"+strconv.FormatInt(out.ID, 10))
	return c.JSON(http.StatusCreated, out)
}

func (s *server) updateNote(c echo.Context) error {
	id, err := noteID(c)
	if err != nil {
		return err
	}
	b, err := readNoteBody(c)
	if err != nil {
		return err
	}
	out, err := s.svc.UpdateNote(c.Request().Context(), c.Param("level"), c.Param("code"), id,
		data.NotePatch{Year: b.Year, Indicator: b.Indicator, Text: b.Text, Author: b.Author})
	if err != nil {
		return writeErr(err)
	}
	return c.JSON(http.StatusOK, out)
}

func (s *server) deleteNote(c echo.Context) error {
	id, err := noteID(c)
	if err != nil {
		return err
	}
	if err := s.svc.DeleteNote(c.Request().Context(), c.Param("level"), c.Param("code"), id); err != nil {
		return writeErr(err)
	}
	return c.NoContent(http.StatusNoContent)
}

// reportOpenAPI adds the report, change and notes routes to the OpenAPI paths.
// reportRoutes are the report, change and area-note routes (see routes.go).
func (s *server) reportRoutes() []route {
	num := tNumNull()
	note := object(obj{"id": tInt(), "level": tString(), "code": tString(), "year": tInt(), "indicator": tString(), "text": tString(),
		"author": tString(), "created": tString(), "updated": tString(), "kommun": tString()})
	noteIn := obj{"required": true, "content": obj{"application/json": obj{"schema": object(obj{"year": tInt(), "text": tString(), "indicator": tString(), "author": tString()})}}}
	areaPath := []obj{pathParam("level", "Level id", tString()), pathParam("code", "Area code", tString())}
	withID := append(append([]obj{}, areaPath...), pathParam("id", "Note id", tInt()))
	return []route{
		{http.MethodGet, "/report", s.report, public, op("Nulägesbild: a self-contained HTML report (A4 print) of one kommun or several analysed as one region: områdestyper, ojämlikhetsindex beside län and riket, key indicators, LISA clusters, correlations, change between years, area notes, method and sources",
			[]obj{qReq("kommun", "One or more 4-digit kommun codes, comma-separated (e.g. 0180 or 0126,0127,0128)", tString()),
				q("lang", "Language of the report", enum("sv", "en")), q("indicator", "Indicator of the LISA cluster map; default low_econ_standard_pct", tString()),
				q("change", "Indicator of the change map; default the cluster indicator when it has two years, else the first that does", tString()),
				q("from", "Earlier year of the change; default the earliest", tInt()), q("to", "Later year of the change; default the latest", tInt()),
				q("format", "html (default) or json (every number of the report)", enum("html", "json"))},
			fileResp("HTML report", "text/html"))},
		{http.MethodGet, "/api/change", s.change, public, op("Change of an indicator per area between two years: To − From (percentage points for percentages) and the relative change for other units",
			append(valuesParams()[:2:2], q("from", "Earlier year (must be before to); default the level's earliest year", tInt()), q("to", "Later year; default the level's latest year. A level with values for only one year, from not before to, or a year the level lacks: 400", tInt()),
				q("breakdown", "Breakdown; default total", tString()), q("kommun", "Comma-separated kommun codes", tString())),
			jsonResp("change", object(obj{"indicator": ref("Indicator"), "level": tString(), "from": tInt(), "to": tInt(), "breakdown": tString(),
				"kind": enum(service.ChangePercentagePoints, service.ChangeAbsolute), "unit": tString(),
				"summary": object(obj{"n": tInt(), "increased": tInt(), "decreased": tInt(), "unchanged": tInt(), "mean": num, "min": num, "max": num}),
				"areas": arrayOf(object(obj{"id": tInt(), "code": tString(), "name": tString(), "kommun": tString(), "from": num, "to": num, "change": num,
					"relative_pct": num, "suppressed": tBool(), "estimated": tBool()}))})))},
		{http.MethodGet, "/api/areas/:level/:code/notes", s.notes, readToken, op("Notes on an area (planners' local knowledge); needs the API token when the server runs with --private-reads",
			areaPath, jsonResp("notes", object(obj{"level": tString(), "code": tString(), "notes": arrayOf(note)})))},
		{http.MethodPost, "/api/areas/:level/:code/notes", s.addNote, writeToken, withBody(opStatus("Add a note (Authorization: Bearer <token>)", areaPath, http.StatusCreated, jsonResp("the new note", note)), noteIn)},
		{http.MethodPatch, "/api/areas/:level/:code/notes/:id", s.updateNote, writeToken, withBody(op("Change a note's year, text, indicator or author (Authorization: Bearer <token>)", withID, jsonResp("the note", note)), noteIn)},
		{http.MethodDelete, "/api/areas/:level/:code/notes/:id", s.deleteNote, writeToken, opStatus("Delete a note (Authorization: Bearer <token>)", withID, http.StatusNoContent, obj{"description": "deleted"})},
	}
}
