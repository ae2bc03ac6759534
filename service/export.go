package service

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/internal/download"
)

// ExportRow is one area in an export.
type ExportRow struct {
	ID          int64
	Code, Name  string
	Kommun, Lan string
	Value       float64 // NaN when missing or suppressed
	Numerator   float64
	Denominator float64
	Suppressed  bool
	Estimated   bool
	Class       int // 0..k-1 (shown 1-based), -1 no data, -2 suppressed
	ClassLabel  string
	Color       string
	Geometry    orb.Geometry // only with ExportOptions.Geometry
}

// Export is exactly the values and classes of a ClassifyQuery, with the
// metadata a reader needs.
type Export struct {
	Classification *Classification
	Rows           []ExportRow
	// Suppression describes the disclosure rule in force (English);
	// SuppressionSV says the same in Swedish.
	Suppression   string
	SuppressionSV string
	DataVersion   int64
}

// ExportOptions choose what an export holds.
type ExportOptions struct {
	Geometry bool // load the WGS 84 geometry of every row
}

// Export classifies q and returns one row per area.
func (s *Service) Export(ctx context.Context, q ClassifyQuery, opts ExportOptions) (*Export, error) {
	c, err := s.Classify(ctx, q)
	if err != nil {
		return nil, err
	}
	ver, err := s.store.DataVersion(ctx)
	if err != nil {
		return nil, err
	}
	labels := map[int]string{}
	ci := 0
	for _, e := range c.Legend {
		switch e.Kind {
		case "nodata":
			labels[-1] = e.Label
		case "suppressed":
			labels[-2] = e.Label
		default:
			labels[ci] = e.Label
			ci++
		}
	}
	var geoms map[string]orb.Geometry
	if opts.Geometry {
		as, err := s.store.Areas(ctx, c.Level, data.AreasOptions{WithGeometry: true, Kommuner: q.Kommuner})
		if err != nil {
			return nil, err
		}
		geoms = make(map[string]orb.Geometry, len(as))
		for _, a := range as {
			geoms[a.Code] = a.Geometry
		}
	}
	ex := &Export{Classification: c, DataVersion: ver, Rows: make([]ExportRow, 0, len(c.Areas)),
		Suppression:   "Values marked suppressed are withheld by the source (SCB).",
		SuppressionSV: "Värden markerade som undertryckta lämnas inte ut av källan (SCB)."}
	if r := s.opts.Disclosure; r != nil {
		ex.Suppression += fmt.Sprintf(" In addition a share is shown only if its denominator > %d and its numerator > %d (segmap disclosure rule).", r.MinGroup, r.MinCount)
		ex.SuppressionSV += fmt.Sprintf(" Dessutom visas en andel bara om nämnaren är större än %d och täljaren större än %d (segmaps röjanderegel).", r.MinGroup, r.MinCount)
	}
	for i, a := range c.Values.Areas {
		ca := c.Areas[i]
		row := ExportRow{ID: a.ID, Code: a.Code, Name: a.Name, Kommun: a.Kommun, Lan: a.Lan,
			Value: float64(a.Value), Numerator: float64(a.Numerator), Denominator: float64(a.Denominator),
			Suppressed: a.Suppressed, Estimated: a.Estimated, Class: ca.Class, ClassLabel: labels[ca.Class], Color: ca.Color}
		if geoms != nil {
			row.Geometry = geoms[a.Code]
		}
		ex.Rows = append(ex.Rows, row)
	}
	return ex, nil
}

// exportColumns are the columns of an export, Swedish and English.
var exportColumns = []struct {
	sv, en string
	kind   download.Kind
}{
	{"kod", "code", download.Text}, {"namn", "name", download.Text}, {"kommun", "kommun", download.Text}, {"län", "county", download.Text},
	{"nivå", "level", download.Text}, {"indikator", "indicator", download.Text}, {"år", "year", download.Integer}, {"uppdelning", "breakdown", download.Text},
	{"värde", "value", download.Number}, {"täljare", "numerator", download.Number}, {"nämnare", "denominator", download.Number},
	{"undertryckt", "suppressed", download.Text}, {"uppskattad", "estimated", download.Text}, {"klass", "class", download.Integer},
	{"klassgränser", "class_label", download.Text}, {"färg", "color", download.Text},
}

// Sheet lays the export out for a download in lang ("sv" unless "en"):
// one row per area (missing numbers are empty cells, classes 1-based) and
// the metadata a reader needs (source, definitions, classification,
// suppression).
func (ex *Export) Sheet(lang string) download.Sheet {
	var sh download.Sheet
	for _, c := range exportColumns {
		name := c.sv
		if lang == "en" {
			name = c.en
		}
		sh.Columns = append(sh.Columns, download.Column{Name: name, Kind: c.kind})
	}
	cl := ex.Classification
	sh.Rows = make([][]any, 0, len(ex.Rows))
	for _, r := range ex.Rows {
		var class any
		if r.Class >= 0 {
			class = r.Class + 1
		}
		sh.Rows = append(sh.Rows, []any{r.Code, r.Name, r.Kommun, r.Lan, cl.Level, cl.Indicator.ID, cl.Year, cl.Breakdown,
			r.Value, r.Numerator, r.Denominator, yesNo(r.Suppressed, lang), yesNo(r.Estimated, lang), class, r.ClassLabel, r.Color})
	}
	suppression := ex.SuppressionSV
	if lang == "en" {
		suppression = ex.Suppression
	}
	breaks := make([]string, len(cl.Breaks))
	for i, b := range cl.Breaks {
		breaks[i] = strconv.FormatFloat(b, 'g', -1, 64)
	}
	sh.Meta = [][2]string{
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
		{"suppression", suppression},
		{"data_version", strconv.FormatInt(ex.DataVersion, 10)},
		{"rows", strconv.Itoa(len(ex.Rows))},
	}
	return sh
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
