package api

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb/geojson"
	"github.com/segmap/segmap/service"
	"github.com/xuri/excelize/v2"
)

// CSV exports are written for Swedish Excel, which opens a double-clicked
// .csv with the system list separator (";" in Swedish locale) and decimal
// comma, and reads UTF-8 only when the file starts with a byte-order mark:
// UTF-8 with BOM, ";" separators, decimal comma, CRLF line ends, no
// thousands separators. Missing and suppressed numbers are empty cells.

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

func exportHeader(lang string) []string {
	if lang == "en" {
		return []string{"code", "name", "kommun", "county", "level", "indicator", "year", "breakdown", "value", "numerator", "denominator", "suppressed", "estimated", "class", "class_label", "color"}
	}
	return []string{"kod", "namn", "kommun", "län", "nivå", "indikator", "år", "uppdelning", "värde", "täljare", "nämnare", "undertryckt", "uppskattad", "klass", "klassgränser", "färg"}
}

func csvNum(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return ""
	}
	return strings.Replace(strconv.FormatFloat(f, 'f', -1, 64), ".", ",", 1)
}

func yesNo(b bool, lang string) string {
	switch {
	case b && lang == "en":
		return "yes"
	case b:
		return "ja"
	case lang == "en":
		return "no"
	}
	return "nej"
}

// class1 is the 1-based class number, "" for no data or suppressed.
func class1(c int) string {
	if c < 0 {
		return ""
	}
	return strconv.Itoa(c + 1)
}

func (s *server) exportCSV(c echo.Context) error {
	ex, name, err := s.export(c, false)
	if err != nil {
		return err
	}
	lang := c.QueryParam("lang")
	cl := ex.Classification
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	w := csv.NewWriter(&buf)
	w.Comma, w.UseCRLF = ';', true
	_ = w.Write(exportHeader(lang))
	for _, r := range ex.Rows {
		_ = w.Write([]string{r.Code, r.Name, r.Kommun, r.Lan, cl.Level, cl.Indicator.ID, strconv.Itoa(cl.Year), cl.Breakdown,
			csvNum(r.Value), csvNum(r.Numerator), csvNum(r.Denominator), yesNo(r.Suppressed, lang), yesNo(r.Estimated, lang),
			class1(r.Class), r.ClassLabel, r.Color})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	attachment(c, name+".csv")
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// XLSX sheet names.
const (
	SheetData = "Data"
	SheetMeta = "Metadata"
)

func (s *server) exportXLSX(c echo.Context) error {
	ex, name, err := s.export(c, false)
	if err != nil {
		return err
	}
	lang := c.QueryParam("lang")
	cl := ex.Classification
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetData); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(SheetData)
	if err != nil {
		return err
	}
	row := func(n int, vals []any) error {
		cell, _ := excelize.CoordinatesToCellName(1, n)
		return sw.SetRow(cell, vals)
	}
	hdr := exportHeader(lang)
	hv := make([]any, len(hdr))
	for i, h := range hdr {
		hv[i] = h
	}
	if err := row(1, hv); err != nil {
		return err
	}
	num := func(f float64) any {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil
		}
		return f
	}
	for i, r := range ex.Rows {
		var class any
		if r.Class >= 0 {
			class = r.Class + 1
		}
		if err := row(i+2, []any{r.Code, r.Name, r.Kommun, r.Lan, cl.Level, cl.Indicator.ID, cl.Year, cl.Breakdown,
			num(r.Value), num(r.Numerator), num(r.Denominator), yesNo(r.Suppressed, lang), yesNo(r.Estimated, lang),
			class, r.ClassLabel, r.Color}); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	if _, err := f.NewSheet(SheetMeta); err != nil {
		return err
	}
	breaks := make([]string, len(cl.Breaks))
	for i, b := range cl.Breaks {
		breaks[i] = strconv.FormatFloat(b, 'g', -1, 64)
	}
	meta := [][2]string{
		{"indicator", cl.Indicator.ID},
		{"name_sv", cl.Indicator.NameSV},
		{"name_en", cl.Indicator.NameEN},
		{"unit", cl.Indicator.Unit},
		{"definition_sv", cl.Indicator.DescriptionSV},
		{"definition_en", cl.Indicator.DescriptionEN},
		{"source", cl.Indicator.Source},
		{"aggregation", string(cl.Indicator.Aggregation)},
		{"level", cl.Level},
		{"year", strconv.Itoa(cl.Year)},
		{"breakdown", cl.Breakdown},
		{"classification_method", cl.Method},
		{"classes", strconv.Itoa(cl.K)},
		{"breaks", strings.Join(breaks, " | ")},
		{"closure", cl.Closure},
		{"pooled_years", fmt.Sprint(cl.Pooled)},
		{"scheme", cl.Scheme},
		{"suppression", ex.Suppression},
		{"data_version", strconv.FormatInt(ex.DataVersion, 10)},
		{"rows", strconv.Itoa(len(ex.Rows))},
	}
	for i, m := range meta {
		if err := f.SetSheetRow(SheetMeta, fmt.Sprintf("A%d", i+1), &[]any{m[0], m[1]}); err != nil {
			return err
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return err
	}
	attachment(c, name+".xlsx")
	return c.Blob(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
}

func (s *server) exportGeoJSON(c echo.Context) error {
	ex, name, err := s.export(c, true)
	if err != nil {
		return err
	}
	cl := ex.Classification
	fc := geojson.NewFeatureCollection()
	for _, r := range ex.Rows {
		if r.Geometry == nil {
			continue
		}
		f := geojson.NewFeature(r.Geometry)
		f.ID = r.ID
		num := func(x float64) any {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return nil
			}
			return x
		}
		var class any
		if r.Class >= 0 {
			class = r.Class + 1
		}
		f.Properties = geojson.Properties{"code": r.Code, "name": r.Name, "kommun": r.Kommun, "lan": r.Lan,
			"indicator": cl.Indicator.ID, "year": cl.Year, "breakdown": cl.Breakdown,
			"value": num(r.Value), "numerator": num(r.Numerator), "denominator": num(r.Denominator),
			"suppressed": r.Suppressed, "estimated": r.Estimated, "class": class, "class_label": r.ClassLabel, "color": r.Color}
		fc.Append(f)
	}
	b, err := fc.MarshalJSON()
	if err != nil {
		return err
	}
	attachment(c, name+".geojson")
	return c.Blob(http.StatusOK, "application/geo+json", b)
}
