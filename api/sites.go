package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb/geojson"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/internal/download"
	"github.com/segmap/segmap/internal/fault"
	"github.com/segmap/segmap/service/sites"
)

// DefaultSiteUploadMaxBytes is the default size limit of a site upload.
const DefaultSiteUploadMaxBytes = 50 << 20

// The development-site endpoints (sitesRoutes): writes need the API
// token, reads the read token when --private-reads is set.

// siteTile serves a vector tile of a site layer (MVT layer "sites").
func (s *server) siteTile(c echo.Context) error {
	id, err := siteLayerID(c)
	if err != nil {
		return err
	}
	zxy, err := tileZXY(c)
	if err != nil {
		return err
	}
	t, err := s.sites.SiteTile(c.Request().Context(), id, zxy[0], zxy[1], zxy[2])
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Add("Vary", "Accept-Encoding, Authorization") // after CORS's Vary: Origin
	// A layer's tiles never change, but a deleted layer must disappear soon.
	if s.opts.PrivateReads {
		h.Set("Cache-Control", "private, max-age=60")
	} else {
		h.Set("Cache-Control", "public, max-age=300")
	}
	return writeTile(c, t)
}

func siteLayerID(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, fault.New(fault.Invalid, "site layer id must be a positive integer, got %q", c.Param("id")).
			Sv("lagrets id måste vara ett positivt heltal, inte %q", c.Param("id"))
	}
	return id, nil
}

func (s *server) uploadLimit() int64 {
	if s.opts.SiteUploadMaxBytes > 0 {
		return s.opts.SiteUploadMaxBytes
	}
	return DefaultSiteUploadMaxBytes
}

// createSites accepts a multipart form (field "file", optional "name") or
// the file as the raw body (?name=, ?filename=).
func (s *server) createSites(c echo.Context) error {
	req := c.Request()
	limit := s.uploadLimit()
	body, err := io.ReadAll(http.MaxBytesReader(c.Response(), req.Body, limit))
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return fault.New(fault.TooLarge, "the upload is larger than the limit of %d bytes (%d MB); split the layer or ask the administrator to raise --site-upload-max-mb", limit, limit>>20).
			Sv("filen är större än gränsen på %d byte (%d MB); dela upp lagret eller be administratören höja --site-upload-max-mb", limit, limit>>20)
	}
	if err != nil {
		return err
	}
	name, file := c.QueryParam("name"), c.QueryParam("filename")
	layer := c.QueryParam("layer")
	mt, params, _ := mime.ParseMediaType(req.Header.Get("Content-Type"))
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
		var fileBody []byte
		for {
			p, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return fault.New(fault.Invalid, "malformed multipart form: %v", err).Sv("formuläret (multipart) är felaktigt: %v", err)
			}
			b, err := io.ReadAll(p)
			if err != nil {
				return fault.New(fault.Invalid, "malformed multipart form: %v", err).Sv("formuläret (multipart) är felaktigt: %v", err)
			}
			switch p.FormName() {
			case "file":
				fileBody, file = b, p.FileName()
			case "name":
				name = string(b)
			case "layer":
				layer = string(b)
			}
		}
		if fileBody == nil {
			return fault.New(fault.Invalid, `the form has no "file" field; send the site file as the form field "file"`).
				Sv(`formuläret saknar fältet "file"; skicka filen med platserna i formulärfältet "file"`)
		}
		body = fileBody
	}
	if file == "" {
		file = "upload"
		if name != "" {
			file = name
		}
	}
	l, rep, err := s.sites.ImportSites(req.Context(), file, body, data.SiteOptions{Name: name, Layer: layer, MaxExpandedBytes: s.opts.SiteMaxExpandedBytes, MaxSiteVertices: s.opts.SiteMaxVertices})
	if err != nil {
		return err
	}
	rep.Localise(requestLang(c))
	l.Localise(requestLang(c))
	return c.JSON(http.StatusCreated, map[string]any{"layer": l, "report": rep})
}

func (s *server) listSites(c echo.Context) error {
	ls, err := s.sites.SiteLayers(c.Request().Context())
	if err != nil {
		return err
	}
	for i := range ls {
		ls[i].Localise(requestLang(c))
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, map[string]any{"layers": ls})
}

func (s *server) getSites(c echo.Context) error {
	id, err := siteLayerID(c)
	if err != nil {
		return err
	}
	l, list, err := s.sites.SiteLayer(c.Request().Context(), id)
	if err != nil {
		return err
	}
	if list == nil {
		list = []data.Site{}
	}
	l.Localise(requestLang(c))
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, map[string]any{"layer": l, "sites": list})
}

func (s *server) renameSites(c echo.Context) error {
	id, err := siteLayerID(c)
	if err != nil {
		return err
	}
	var body struct {
		Name *string `json:"name"`
	}
	if err := json.NewDecoder(io.LimitReader(c.Request().Body, 1<<16)).Decode(&body); err != nil || body.Name == nil {
		return fault.New(fault.Invalid, `send a JSON body {"name": "new name"}`).Sv(`skicka JSON {"name": "nytt namn"}`)
	}
	if err := s.sites.RenameSiteLayer(c.Request().Context(), id, *body.Name); err != nil {
		return err
	}
	l, _, err := s.sites.SiteLayer(c.Request().Context(), id)
	if err != nil {
		return err
	}
	l.Localise(requestLang(c))
	return c.JSON(http.StatusOK, map[string]any{"layer": l})
}

func (s *server) deleteSites(c echo.Context) error {
	id, err := siteLayerID(c)
	if err != nil {
		return err
	}
	if err := s.sites.DeleteSiteLayer(c.Request().Context(), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *server) sitesGeoJSON(c echo.Context) error {
	id, err := siteLayerID(c)
	if err != nil {
		return err
	}
	l, list, err := s.sites.SiteLayer(c.Request().Context(), id)
	if err != nil {
		return err
	}
	lang := langOf(c)
	fs := make([]*geojson.Feature, 0, len(list))
	for _, st := range list {
		f := geojson.NewFeature(st.Geometry)
		f.ID = st.ID
		f.Properties = siteProps(st, lang)
		fs = append(fs, f)
	}
	b, err := download.WriteFeatureCollection(c.Request().Context(), fs, map[string]any{"name": l.Name}, download.Limits{})
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, "application/geo+json", b)
}

func siteProps(st data.Site, lang string) geojson.Properties {
	kind := "polygon"
	if st.Geometry != nil && st.Geometry.GeoJSONType() == "Point" {
		kind = "point"
	}
	p := geojson.Properties{"id": st.ID, "name": st.Name, "dwellings": st.Dwellings, "tenure": nullIfEmpty(st.Tenure),
		"tenure_label": sites.TenureLabel(st.Tenure, lang), "year": st.Year, "kind": kind, "area_m2": math.Round(st.AreaM2*10) / 10}
	return p
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (s *server) summaryQuery(c echo.Context) (sites.SiteSummaryQuery, error) {
	id, err := siteLayerID(c)
	if err != nil {
		return sites.SiteSummaryQuery{}, err
	}
	q := sites.SiteSummaryQuery{Layer: id, Lang: langOf(c)}
	if v := c.QueryParam("site"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return q, fault.New(fault.Invalid, "site must be a positive integer (a site id), got %q", v).
				Sv("site måste vara ett positivt heltal (en plats id), inte %q", v)
		}
		q.Site = n
	}
	if v := strings.TrimSpace(c.QueryParam("buffers")); v != "" {
		for _, part := range strings.Split(v, ",") {
			f, err := strconv.ParseFloat(strings.TrimSpace(part), 64)
			if err != nil {
				return q, fault.New(fault.Invalid, "buffers must be distances in metres separated by commas (e.g. 500,1000), got %q", v).
					Sv("buffers ska vara avstånd i meter åtskilda med kommatecken (t.ex. 500,1000), inte %q", v)
			}
			q.Buffers = append(q.Buffers, f)
		}
	}
	return q, nil
}

func (s *server) summary(c echo.Context) (*sites.SiteSummary, error) {
	q, err := s.summaryQuery(c)
	if err != nil {
		return nil, err
	}
	return s.sites.SiteSummary(c.Request().Context(), q)
}

func (s *server) siteSummary(c echo.Context) error {
	sum, err := s.summary(c)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, sum)
}

func summaryFileName(sum *sites.SiteSummary) string {
	return fmt.Sprintf("segmap_platser_%d", sum.Layer.ID)
}

func (s *server) siteSummaryCSV(c echo.Context) error {
	sum, err := s.summary(c)
	if err != nil {
		return err
	}
	b, err := download.WriteCSV(c.Request().Context(), sum.Sheet(langOf(c)), download.CSV{}, download.Limits{})
	if err != nil {
		return err
	}
	attachment(c, summaryFileName(sum)+".csv")
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", b)
}

func (s *server) siteSummaryXLSX(c echo.Context) error {
	sum, err := s.summary(c)
	if err != nil {
		return err
	}
	b, err := download.WriteXLSX(c.Request().Context(), sum.Sheet(langOf(c)), download.Limits{})
	if err != nil {
		return err
	}
	attachment(c, summaryFileName(sum)+".xlsx")
	return c.Blob(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b)
}

// siteSummaryGeoJSON is the layer's sites with the main results as properties.
func (s *server) siteSummaryGeoJSON(c echo.Context) error {
	q, err := s.summaryQuery(c)
	if err != nil {
		return err
	}
	sum, err := s.sites.SiteSummary(c.Request().Context(), q)
	if err != nil {
		return err
	}
	_, list, err := s.sites.SiteLayer(c.Request().Context(), q.Layer)
	if err != nil {
		return err
	}
	byID := map[int64]sites.SiteOverlay{}
	for _, o := range sum.Sites {
		byID[o.ID] = o
	}
	fs := make([]*geojson.Feature, 0, len(sum.Sites))
	for _, st := range list {
		o, ok := byID[st.ID]
		if !ok {
			continue
		}
		f := geojson.NewFeature(st.Geometry)
		f.ID = st.ID
		p := siteProps(st, q.Lang)
		var deso, regso, kommun []string
		for _, a := range o.Areas {
			switch a.Level {
			case data.LevelDeSO:
				deso = append(deso, a.Code)
			case data.LevelRegSO:
				regso = append(regso, a.Code)
			case data.LevelKommun:
				kommun = append(kommun, a.Code)
			}
		}
		p["deso"], p["regso"], p["kommun"] = strings.Join(deso, ","), strings.Join(regso, ","), strings.Join(kommun, ",")
		if n := o.NearestType12; n != nil {
			p["nearest_type_1_2"], p["nearest_type_1_2_m"] = n.Code, n.DistanceM
		}
		for _, tm := range o.TenureMix {
			if tm.After != nil {
				p[tm.Level+"_rental_share_after"] = tm.After.RentalShare
			}
			p[tm.Level+"_rental_share_before"] = tm.Before.RentalShare
		}
		f.Properties = p
		fs = append(fs, f)
	}
	b, err := download.WriteFeatureCollection(c.Request().Context(), fs, map[string]any{"name": sum.Layer.Name, "method": sum.Method}, download.Limits{})
	if err != nil {
		return err
	}
	attachment(c, summaryFileName(sum)+".geojson")
	return c.Blob(http.StatusOK, "application/geo+json", b)
}

// sitesRoutes are the development-site routes (see routes.go).
func (s *server) sitesRoutes() []route {
	idParam := pathParam("id", "Site layer id", tInt())
	layer := object(obj{"id": tInt(), "name": tString(), "created": tString(), "source_file": tString(), "source_srid": tInt(), "sites": tInt(), "notes": arrayOf(tString())})
	site := object(obj{"id": tInt(), "layer": tInt(), "name": tString(), "dwellings": obj{"type": "integer", "nullable": true},
		"tenure": obj{"type": "string", "nullable": true, "enum": []any{"rental", "tenant_owned", "owner_occupied", nil}}, "year": obj{"type": "integer", "nullable": true},
		"properties": obj{"type": "object"}, "area_m2": tNumber()})
	summaryParams := []obj{idParam, q("site", "Only this site id", tInt()), q("buffers", "Catchment distances in metres, comma-separated (max 5, each ≤ 5000); default 500,1000", tString()), q("lang", "Label language", enum("sv", "en"))}
	num := tNumNull()
	counts := object(obj{"rental": num, "tenant_owned": num, "owner_occupied": num, "unknown": num, "total": num, "rental_share": num, "tenant_owned_share": num, "owner_occupied_share": num})
	summary := object(obj{"layer": layer, "buffers": arrayOf(tNumber()), "method": tString(), "sites": arrayOf(object(obj{
		"id": tInt(), "name": tString(), "kind": enum("polygon", "point"), "dwellings": obj{"type": "integer", "nullable": true}, "tenure": tString(), "tenure_label": tString(),
		"year": obj{"type": "integer", "nullable": true}, "area_m2": tNumber(),
		"areas": arrayOf(object(obj{"level": tString(), "code": tString(), "name": tString(), "overlap_m2": tNumber(), "share_of_site": num, "share_of_area": num, "omradestyp": tInt(), "omradestyp_label": tString()})),
		"zones": arrayOf(object(obj{"zone": enum("site", "buffer"), "distance_m": tNumber(), "area_m2": tNumber(), "covered": num,
			"deso":      arrayOf(object(obj{"code": tString(), "weight": num})),
			"estimates": arrayOf(object(obj{"indicator": tString(), "name": tString(), "unit": tString(), "year": tInt(), "value": num, "numerator": num, "denominator": num, "method": tString(), "coverage": num, "decimals": tInt()}))})),
		"nearest_type_1_2":      object(obj{"code": tString(), "name": tString(), "type": tInt(), "type_label": tString(), "distance_m": tNumber(), "year": tInt()}),
		"nearest_type_1_2_note": tString(),
		"type_source":           typeSourceSchema(),
		"tenure_mix":            arrayOf(object(obj{"level": tString(), "codes": arrayOf(tString()), "year": tInt(), "before": counts, "after": counts, "change_pp": obj{"type": "object"}, "note": tString()})),
		"notes":                 arrayOf(tString())}))})
	return []route{
		{http.MethodPost, "/api/sites", s.createSites, writeToken, withBody(opStatus("Upload a site layer: GeoJSON, GeoPackage or a zipped Shapefile (any of EPSG:4326, 3006, 3857), as multipart field \"file\" (+ \"name\") or as the raw body (?name=&filename=). Needs the API token. Nothing is stored on an error.",
			[]obj{q("name", "Layer name; default the file name", tString()), q("filename", "File name of a raw-body upload", tString()), q("layer", "GeoPackage layer when the file has several", tString())},
			http.StatusCreated, jsonResp("created", object(obj{"layer": layer, "report": obj{"type": "object"}}))),
			obj{"content": obj{"multipart/form-data": obj{"schema": object(obj{"file": obj{"type": "string", "format": "binary"}, "name": tString()})}, "application/octet-stream": obj{"schema": obj{"type": "string", "format": "binary"}}}})},
		{http.MethodGet, "/api/sites", s.listSites, readToken, op("Development-site layers (token needed with --private-reads)", nil, jsonResp("layers", object(obj{"layers": arrayOf(layer)})))},
		{http.MethodGet, "/api/sites/:id", s.getSites, readToken, op("A site layer and its sites (attributes, no geometry)", []obj{idParam}, jsonResp("layer", object(obj{"layer": layer, "sites": arrayOf(site)})))},
		{http.MethodPatch, "/api/sites/:id", s.renameSites, writeToken, withBody(op("Rename a site layer (JSON {\"name\": ...}); needs the API token", []obj{idParam}, jsonResp("layer", object(obj{"layer": layer}))),
			obj{"content": obj{"application/json": obj{"schema": object(obj{"name": tString()})}}})},
		{http.MethodDelete, "/api/sites/:id", s.deleteSites, writeToken, opStatus("Delete a site layer and its sites; needs the API token", []obj{idParam}, http.StatusNoContent, obj{"description": "deleted"})},
		{http.MethodGet, "/api/sites/:id/geojson", s.sitesGeoJSON, readToken, op("The layer's sites as GeoJSON (WGS 84) for the map; feature id = site id", []obj{idParam, q("lang", "Label language", enum("sv", "en"))}, fileResp("GeoJSON", "application/geo+json"))},
		{http.MethodGet, "/api/sites/:id/summary", s.siteSummary, readToken, op("Per-site overlay: DeSO/RegSO/kommun touched with shares, områdestyp, area-weighted estimates inside the site and buffers (method stated), distance to the nearest RegSO of type 1 or 2, tenure mix before and after",
			summaryParams, jsonResp("summary", summary))},
		{http.MethodGet, "/api/sites/:id/summary.csv", s.siteSummaryCSV, readToken, op("The summary in long form as CSV (UTF-8 with BOM, ';', decimal comma)", summaryParams, fileResp("CSV", "text/csv"))},
		{http.MethodGet, "/api/sites/:id/summary.xlsx", s.siteSummaryXLSX, readToken, op("The summary as Excel: sheet Data (long form) and Metadata (method)", summaryParams, fileResp("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))},
		{http.MethodGet, "/api/sites/:id/summary.geojson", s.siteSummaryGeoJSON, readToken, op("The sites with the main results as properties (WGS 84)", summaryParams, fileResp("GeoJSON", "application/geo+json"))},
		{http.MethodGet, "/tiles/sites/:id/:z/:x/:y.mvt", s.siteTile, readToken, op("Vector tile of a site layer (MVT layer \"sites\"; feature id = site id; properties code, name, kind polygon|point, dwellings, tenure; a point is a 15 m octagon); 204 when empty",
			[]obj{idParam, pathParam("z", "Zoom", tInt()), pathParam("x", "Column", tInt()), pathParam("y", "Row (XYZ scheme)", tInt())}, fileResp("MVT", MVTContentType))},
	}
}
