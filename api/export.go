package api

import (
	"fmt"
	"math"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb/geojson"

	"github.com/segmap/segmap/internal/download"
	"github.com/segmap/segmap/service"
)

// Downloads are laid out by the service (a download.Sheet) and written by
// package download: CSV for Swedish Excel (UTF-8 with BOM, ";", decimal
// comma, CRLF; missing and suppressed numbers are empty cells; text that
// would start a formula neutralised), XLSX, GeoJSON — each within the
// request's deadline and a size limit.

func (s *server) export(c echo.Context, geometry bool) (*service.Export, string, error) {
	q, err := classifyQuery(c)
	if err != nil {
		return nil, "", err
	}
	ex, err := s.svc.Export(c.Request().Context(), q, service.ExportOptions{Geometry: geometry})
	if err != nil {
		return nil, "", err
	}
	cl := ex.Classification
	name := fmt.Sprintf("segmap_%s_%s_%d", cl.Indicator.ID, cl.Level, cl.Year)
	if cl.Breakdown != "" && cl.Breakdown != "total" {
		name += "_" + cl.Breakdown
	}
	return ex, name, nil
}

func attachment(c echo.Context, filename string) {
	c.Response().Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, filename))
	c.Response().Header().Set("Cache-Control", "no-store")
}

func (s *server) exportCSV(c echo.Context) error {
	ex, name, err := s.export(c, false)
	if err != nil {
		return err
	}
	b, err := download.WriteCSV(c.Request().Context(), ex.Sheet(langOf(c)), download.CSV{}, download.Limits{})
	if err != nil {
		return err
	}
	attachment(c, name+".csv")
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", b)
}

// XLSX sheet names.
const (
	SheetData = download.SheetData
	SheetMeta = download.SheetMeta
)

func (s *server) exportXLSX(c echo.Context) error {
	ex, name, err := s.export(c, false)
	if err != nil {
		return err
	}
	b, err := download.WriteXLSX(c.Request().Context(), ex.Sheet(langOf(c)), download.Limits{})
	if err != nil {
		return err
	}
	attachment(c, name+".xlsx")
	return c.Blob(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b)
}

func (s *server) exportGeoJSON(c echo.Context) error {
	ex, name, err := s.export(c, true)
	if err != nil {
		return err
	}
	cl := ex.Classification
	num := func(x float64) any {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
		return x
	}
	fs := make([]*geojson.Feature, 0, len(ex.Rows))
	for _, r := range ex.Rows {
		if r.Geometry == nil {
			continue
		}
		f := geojson.NewFeature(r.Geometry)
		f.ID = r.ID
		var class any
		if r.Class >= 0 {
			class = r.Class + 1
		}
		f.Properties = geojson.Properties{"code": r.Code, "name": r.Name, "kommun": r.Kommun, "lan": r.Lan,
			"indicator": cl.Indicator.ID, "year": cl.Year, "breakdown": cl.Breakdown,
			"value": num(r.Value), "numerator": num(r.Numerator), "denominator": num(r.Denominator),
			"suppressed": r.Suppressed, "estimated": r.Estimated, "class": class, "class_label": r.ClassLabel, "color": r.Color}
		fs = append(fs, f)
	}
	b, err := download.WriteFeatureCollection(c.Request().Context(), fs, nil, download.Limits{})
	if err != nil {
		return err
	}
	attachment(c, name+".geojson")
	return c.Blob(http.StatusOK, "application/geo+json", b)
}
