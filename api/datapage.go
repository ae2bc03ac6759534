package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/internal/fault"
	"github.com/segmap/segmap/service/datapage"
)

// The data page's endpoints (dataRoutes): upload, preview and import of
// indicator and boundary files, the mapping as YAML, and the management of
// indicators, boundary layers and the import history. Everything that
// holds an uploaded file needs the API token; the lists follow
// --private-reads. See the "Data page / Datasidan" section of the README.

func (s *server) dataRoutes() []route {
	join := object(obj{"rows": tInt(), "codes": tInt(), "matched": tInt(), "unmatched": tInt(), "causes": obj{"type": "object", "additionalProperties": tInt()},
		"unmatched_examples": arrayOf(object(obj{"code": tString(), "place": tString(), "cause": enum(data.CauseLeadingZero, data.CauseOtherVersion, data.CauseOtherKommun, data.CauseOtherLevel, data.CauseUnknown),
			"suggestion": tString(), "message": tString()})),
		"unmatched_in_store": tInt(), "unmatched_in_store_examples": arrayOf(tString()), "values": tInt(), "store_empty": tBool(),
		"geography": tString(), "geography_label": tString(), "store_geography": tString()})
	upload := object(obj{"id": tString(), "kind": enum(datapage.KindIndicators, datapage.KindBoundaries), "file": tString(), "format": tString(),
		"size": tInt(), "expires": tString(), "sheets": arrayOf(tString()), "sheet": tString(),
		"mapping": obj{"type": "object", "description": "indicators: the mapping of segmap import (the keys of the YAML); boundaries: level, code_field, name_field, layer, level_name_sv, level_name_en, complete (DeSO only, default true: also SCB's national reference data and RegSO and kommun polygons dissolved from the DeSO, as segmap import does; false: the DeSO alone)"},
		"preview": obj{"type": "object", "description": "indicators: code_column, level, geography, years, year_layout, columns, header_rows, skipped_rows, encoding, delimiter, decimal_comma, missing, suppressed, header, sample_rows, join, warnings; boundaries: level, code_field, name_field, fields, features, source_srid, bbox, outline (GeoJSON), fixed, repaired, warnings, geography, join, replaces",
			"properties": obj{"join": join}}})
	job := object(obj{"id": tString(), "upload": tString(), "kind": tString(), "file": tString(), "state": enum(datapage.JobQueued, datapage.JobRunning, datapage.JobDone, datapage.JobFailed),
		"done": tInt(), "total": tInt(), "step": tString(), "started": tString(), "finished": tString(), "report": obj{"type": "object", "nullable": true},
		"error": obj{"type": "object", "nullable": true, "properties": obj{"code": tString(), "message": tString()}}, "import_id": tInt(), "data_version": tInt()})
	mappingBody := obj{"required": false, "content": obj{"application/json": obj{"schema": object(obj{"mapping": obj{"type": "object"}})}}}
	uploadBody := obj{"required": true, "content": obj{"multipart/form-data": obj{"schema": object(obj{"file": obj{"type": "string", "format": "binary"},
		"kind": enum(datapage.KindIndicators, datapage.KindBoundaries), "sheet": tString(), "level": tString()})}}}
	idParam := []obj{pathParam("id", "Upload id", tString())}
	indicator := object(obj{"id": tString(), "name_sv": tString(), "name_en": tString(), "unit": tString(), "higher_is_better": obj{"type": "boolean", "nullable": true},
		"aggregation": tString(), "source": tString(), "levels": arrayOf(object(obj{"level": tString(), "years": arrayOf(tInt()), "rows": tInt()})), "rows": tInt(), "origin": tString()})
	imp := object(obj{"id": tInt(), "at": tString(), "kind": tString(), "file": tString(), "summary": tString(), "undoable": tBool(), "undone": tBool()})
	deleted := object(obj{"deleted": tInt(), "data_version": tInt()})
	return []route{
		{http.MethodPost, "/api/data/uploads", s.dataUpload, writeToken, withBody(opStatus("Data page: stage an indicator (.xlsx, .csv) or boundary file (.geojson, .gpkg, zipped Shapefile) and preview it: the suggested mapping and the join report, nothing written", nil, http.StatusCreated, jsonResp("the upload", upload)), uploadBody)},
		{http.MethodGet, "/api/data/uploads/:id", s.dataGetUpload, writeToken, op("Data page: a staged upload with its mapping and preview", idParam, jsonResp("the upload", upload))},
		{http.MethodDelete, "/api/data/uploads/:id", s.dataDeleteUpload, writeToken, opStatus("Data page: remove a staged upload", idParam, http.StatusNoContent, obj{"description": "removed"})},
		{http.MethodPost, "/api/data/uploads/:id/preview", s.dataPreview, writeToken, withBody(op("Data page: preview the upload with an edited mapping (nothing written)", idParam, jsonResp("the upload", upload)), mappingBody)},
		{http.MethodPost, "/api/data/uploads/:id/import", s.dataImport, writeToken, withBody(opStatus("Data page: import the upload with its (edited) mapping in one transaction, in the background; poll the job", idParam, http.StatusAccepted, jsonResp("the job", job)), mappingBody)},
		{http.MethodGet, "/api/data/uploads/:id/mapping.yaml", s.dataMappingYAML, writeToken, op("Data page: the upload's mapping as the YAML segmap import takes", idParam, fileResp("YAML", "application/yaml"))},
		{http.MethodGet, "/api/data/jobs/:id", s.dataJob, writeToken, op("Data page: an import job's state, progress and report", []obj{pathParam("id", "Job id", tString())}, jsonResp("the job", job))},
		{http.MethodGet, "/api/data/indicators", s.dataIndicators, readToken, op("Data page: indicators with their levels, years, row counts and origin", nil, jsonResp("indicators", object(obj{"indicators": arrayOf(indicator)})))},
		{http.MethodPatch, "/api/data/indicators/:id", s.dataPatchIndicator, writeToken, withBody(op("Data page: rename an indicator, change its unit or direction", []obj{pathParam("id", "Indicator id", tString())}, jsonResp("the indicator", indicator)),
			obj{"required": true, "content": obj{"application/json": obj{"schema": object(obj{"name_sv": tString(), "name_en": tString(), "unit": tString(), "higher_is_better": obj{"type": "boolean", "nullable": true}})}}})},
		{http.MethodDelete, "/api/data/indicators/:id", s.dataDeleteIndicator, writeToken, op("Data page: delete an indicator, or one year of it (year=)", []obj{pathParam("id", "Indicator id", tString()), q("year", "Only this year", tInt())}, jsonResp("deleted", deleted))},
		{http.MethodGet, "/api/data/boundaries", s.dataBoundaries, readToken, op("Data page: boundary layers", nil, jsonResp("layers", object(obj{"layers": arrayOf(object(obj{"level": tString(), "name_sv": tString(), "name_en": tString(), "kind": tString(),
			"features": tInt(), "areas": tInt(), "source": tString(), "bbox": arrayOf(tNumber())}))})))},
		{http.MethodDelete, "/api/data/boundaries/:level", s.dataDeleteBoundaries, writeToken, op("Data page: delete a boundary layer", []obj{pathParam("level", "Level id", tString())}, jsonResp("deleted", deleted))},
		{http.MethodGet, "/api/data/imports", s.dataImports, readToken, op("Data page: import history, newest first", nil, jsonResp("imports", object(obj{"imports": arrayOf(imp)})))},
		{http.MethodPost, "/api/data/imports/undo", s.dataUndo, writeToken, op("Data page: undo the last import (restores the state before it); 409 when it cannot be undone", nil,
			jsonResp("undone", object(obj{"undone": imp, "data_version": tInt()})))},
	}
}

// dataUploadForm reads the multipart form of an upload (or the file as the
// raw body with ?filename=).
func (s *server) dataUploadForm(c echo.Context) (name string, body []byte, opts datapage.UploadOptions, err error) {
	req := c.Request()
	limit := s.dataPage.MaxBytes() + 1<<20
	all, err := io.ReadAll(http.MaxBytesReader(c.Response(), req.Body, limit))
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return "", nil, opts, fault.New(fault.TooLarge, "the file is larger than the limit of %d MB", s.dataPage.MaxBytes()>>20).
			Sv("filen är större än gränsen på %d MB", s.dataPage.MaxBytes()>>20)
	}
	if err != nil {
		return "", nil, opts, err
	}
	opts = datapage.UploadOptions{Kind: c.QueryParam("kind"), Sheet: c.QueryParam("sheet"), Level: c.QueryParam("level"), Lang: requestLang(c)}
	name = c.QueryParam("filename")
	mt, params, _ := mime.ParseMediaType(req.Header.Get("Content-Type"))
	if !strings.HasPrefix(mt, "multipart/") {
		if name == "" {
			return "", nil, opts, fault.New(fault.Invalid, `send the file as the multipart form field "file" (or the raw body with ?filename=)`).
				Sv(`skicka filen i formulärfältet "file" (multipart), eller som innehåll med ?filename=`)
		}
		return name, all, opts, nil
	}
	mr := multipart.NewReader(bytes.NewReader(all), params["boundary"])
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", nil, opts, fault.New(fault.Invalid, "malformed multipart form: %v", err).Sv("formuläret (multipart) är felaktigt: %v", err)
		}
		b, err := io.ReadAll(p)
		if err != nil {
			return "", nil, opts, fault.New(fault.Invalid, "malformed multipart form: %v", err).Sv("formuläret (multipart) är felaktigt: %v", err)
		}
		switch p.FormName() {
		case "file":
			body, name = b, p.FileName()
		case "kind":
			opts.Kind = strings.TrimSpace(string(b))
		case "sheet":
			opts.Sheet = strings.TrimSpace(string(b))
		case "level":
			opts.Level = strings.TrimSpace(string(b))
		}
	}
	if body == nil {
		return "", nil, opts, fault.New(fault.Invalid, `the form has no "file" field; send the file as the form field "file"`).
			Sv(`formuläret saknar fältet "file"; skicka filen i formulärfältet "file"`)
	}
	if name == "" {
		name = "upload"
	}
	return name, body, opts, nil
}

func (s *server) dataUpload(c echo.Context) error {
	name, body, opts, err := s.dataUploadForm(c)
	if err != nil {
		return err
	}
	u, err := s.dataPage.Upload(c.Request().Context(), name, body, opts)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusCreated, u)
}

func (s *server) dataGetUpload(c echo.Context) error {
	u, err := s.dataPage.Get(c.Param("id"), requestLang(c))
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, u)
}

func (s *server) dataDeleteUpload(c echo.Context) error {
	if err := s.dataPage.Delete(c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// mappingOf reads {"mapping": …} (an empty body: no mapping).
func mappingOf(c echo.Context) (json.RawMessage, error) {
	b, err := io.ReadAll(io.LimitReader(c.Request().Body, 4<<20))
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, nil
	}
	var body struct {
		Mapping json.RawMessage `json:"mapping"`
	}
	if err := json.Unmarshal(b, &body); err != nil {
		return nil, fault.New(fault.Invalid, `send a JSON body {"mapping": {...}}: %v`, err).Sv(`skicka JSON {"mapping": {...}}: %v`, err)
	}
	return body.Mapping, nil
}

func (s *server) dataPreview(c echo.Context) error {
	m, err := mappingOf(c)
	if err != nil {
		return err
	}
	u, err := s.dataPage.Preview(c.Request().Context(), c.Param("id"), m, requestLang(c))
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, u)
}

func (s *server) dataImport(c echo.Context) error {
	m, err := mappingOf(c)
	if err != nil {
		return err
	}
	j, err := s.dataPage.Import(c.Request().Context(), c.Param("id"), m, requestLang(c))
	if err != nil {
		return err
	}
	c.Response().Header().Set("Location", "/api/data/jobs/"+j.ID)
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusAccepted, s.jobAnswer(j, requestLang(c)))
}

// jobAnswer words a failed job's error as the error handler would.
func (s *server) jobAnswer(j *datapage.Job, lang string) *datapage.Job {
	if err := j.Err(); err != nil {
		a := statusOf(err, lang)
		if a.kind == nil {
			s.log.Error("data import failed", "file", j.File, "err", err)
		}
		j.Error = &datapage.JobError{Code: a.code, Message: a.message}
	}
	if r, ok := j.Report.(*data.JoinPreview); ok {
		c := *r
		c.UnmatchedExamples = append([]data.UnmatchedCode(nil), r.UnmatchedExamples...)
		c.Localise(lang)
		j.Report = &c
	}
	return j
}

func (s *server) dataJob(c echo.Context) error {
	j, err := s.dataPage.JobByID(c.Param("id"), requestLang(c))
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, s.jobAnswer(j, requestLang(c)))
}

func (s *server) dataMappingYAML(c echo.Context) error {
	name, y, err := s.dataPage.MappingYAML(c.Param("id"))
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, "application/yaml; charset=utf-8", y)
}

func (s *server) dataIndicators(c echo.Context) error {
	list, err := s.svc.Store().IndicatorSummaries(c.Request().Context())
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-cache")
	return c.JSON(http.StatusOK, map[string]any{"indicators": list})
}

func (s *server) dataPatchIndicator(c echo.Context) error {
	var raw map[string]json.RawMessage
	if err := json.NewDecoder(io.LimitReader(c.Request().Body, 1<<16)).Decode(&raw); err != nil {
		return fault.New(fault.Invalid, `send a JSON body like {"name_sv": "…", "name_en": "…", "unit": "…", "higher_is_better": true|false|null}`).
			Sv(`skicka JSON som {"name_sv": "…", "name_en": "…", "unit": "…", "higher_is_better": true|false|null}`)
	}
	var p data.IndicatorPatch
	str := func(key string) (*string, error) {
		v, ok := raw[key]
		if !ok {
			return nil, nil
		}
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return nil, fault.New(fault.Invalid, "%s must be a string", key).Sv("%s måste vara en sträng", key)
		}
		return &s, nil
	}
	var err error
	if p.NameSV, err = str("name_sv"); err != nil {
		return err
	}
	if p.NameEN, err = str("name_en"); err != nil {
		return err
	}
	if p.Unit, err = str("unit"); err != nil {
		return err
	}
	for k := range raw {
		switch k {
		case "name_sv", "name_en", "unit", "higher_is_better":
		default:
			return fault.New(fault.Invalid, "unknown field %q: use name_sv, name_en, unit, higher_is_better", k).
				Sv("okänt fält %q: använd name_sv, name_en, unit, higher_is_better", k)
		}
	}
	if v, ok := raw["higher_is_better"]; ok {
		p.SetHigherIsBetter = true
		if string(v) != "null" {
			var b bool
			if err := json.Unmarshal(v, &b); err != nil {
				return fault.New(fault.Invalid, "higher_is_better must be true, false or null").Sv("higher_is_better måste vara true, false eller null")
			}
			p.HigherIsBetter = &b
		}
	}
	ctx := c.Request().Context()
	id := c.Param("id")
	if err := s.svc.Store().UpdateIndicator(ctx, id, p); err != nil {
		return err
	}
	if _, err := s.svc.Reload(ctx); err != nil {
		return err
	}
	list, err := s.svc.Store().IndicatorSummaries(ctx)
	if err != nil {
		return err
	}
	for _, ind := range list {
		if ind.ID == id {
			return c.JSON(http.StatusOK, ind)
		}
	}
	return fault.New(fault.NotFound, "no indicator %s", id).Sv("indikatorn %s finns inte", id)
}

func (s *server) dataDeleteIndicator(c echo.Context) error {
	year := 0
	if v := c.QueryParam("year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < 1900 || y > 2200 {
			return fault.New(fault.Invalid, "year must be a year, got %q", v).Sv("year måste vara ett årtal, inte %q", v)
		}
		year = y
	}
	ctx := c.Request().Context()
	n, err := s.svc.Store().DeleteIndicator(ctx, c.Param("id"), year)
	if err != nil {
		return err
	}
	return s.deletedAnswer(c, n)
}

func (s *server) deletedAnswer(c echo.Context, n int64) error {
	ver, err := s.svc.Reload(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"deleted": n, "data_version": ver})
}

func (s *server) dataBoundaries(c echo.Context) error {
	ls, err := s.svc.Store().BoundaryLayers(c.Request().Context())
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-cache")
	return c.JSON(http.StatusOK, map[string]any{"layers": ls})
}

func (s *server) dataDeleteBoundaries(c echo.Context) error {
	n, err := s.svc.Store().DeleteBoundaryLayer(c.Request().Context(), c.Param("level"))
	if err != nil {
		return err
	}
	return s.deletedAnswer(c, n)
}

func (s *server) dataImports(c echo.Context) error {
	list, err := s.svc.Store().Imports(c.Request().Context(), 0)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-cache")
	return c.JSON(http.StatusOK, map[string]any{"imports": list})
}

func (s *server) dataUndo(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := s.svc.Store().UndoLastImport(ctx)
	if err != nil {
		return err
	}
	list, err := s.svc.Store().Imports(ctx, 0)
	if err != nil {
		return err
	}
	var undone any
	for _, r := range list {
		if r.ID == id {
			undone = r
		}
	}
	ver, err := s.svc.Reload(ctx)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"undone": undone, "data_version": ver})
}
