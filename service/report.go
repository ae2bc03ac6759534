package service

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"slices"
	"strings"
	"time"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/render"
)

// The Nulägesbild: a one-click segregation analysis of one kommun or of
// several kommuner taken as one region, as the kommuner that made
// segregationsanalyser recommend starting: områdestyper and the
// ojämlikhetsindex first, then key indicators, clusters, correlations and
// change. Report builds the numbers (a Report, every figure in it); WriteHTML
// renders them as one self-contained HTML page.

// DefaultReportIndicators are the "main indicators" of the correlation
// table, in this order; those the store lacks are left out.
var defaultReportIndicators = []string{
	"low_econ_standard_pct", "high_econ_standard_pct", "net_income_mean_tkr", "foreign_born_pct",
	"edu_25_64_post_sec_ge3y_pct", "employment_rate_16_64_pct", "unemployment_rate_16_64_pct", "dwellings_rental_pct",
}

// DefaultReportIndicators returns the default main indicators of a report.
func DefaultReportIndicators() []string { return slices.Clone(defaultReportIndicators) }

// ReportQuery selects what a report covers. Zero values take the defaults
// in brackets.
type ReportQuery struct {
	Kommuner []string // one or more kommun codes, analysed as one region (required)
	Lang     string   // "sv" [sv] or "en"
	// Indicator is mapped as LISA clusters [the low economic standard indicator].
	Indicator string
	// ChangeIndicator is mapped as change between years [Indicator when it
	// has two years with values in the region, else the first indicator
	// that does]; ChangeFrom/ChangeTo pick the years [earliest, latest].
	ChangeIndicator      string
	ChangeFrom, ChangeTo int
	// Main are the indicators of the correlation table [DefaultReportIndicators].
	Main []string
	// Permutations and Seed of the LISA permutation test [999, 1 — as the
	// API's /api/lisa defaults, so the report and the map agree].
	Permutations int
	Seed         uint64
	Alpha        float64 // LISA significance level [0.05]
	Now          time.Time
}

// ReportKommun is one kommun of the region.
type ReportKommun struct {
	Code    string `json:"code"`
	Name    string `json:"name"`
	Lan     string `json:"lan"`
	LanName string `json:"lan_name"`
}

// ReportNote is an area note with the area's display name.
type ReportNote struct {
	data.Note
	AreaName string `json:"area_name"`
}

// Report is every number of a Nulägesbild.
type Report struct {
	Lang        string         `json:"lang"`
	Title       string         `json:"title"`
	Name        string         `json:"name"` // "Stockholm", "Huddinge, Botkyrka och Salem"
	Codes       []string       `json:"codes"`
	Kommuner    []ReportKommun `json:"kommuner"`
	Generated   string         `json:"generated"` // YYYY-MM-DD
	DataVersion int64          `json:"data_version"`

	Population     Num `json:"population"`
	PopulationYear int `json:"population_year"`
	DeSOCount      int `json:"deso_count"`
	RegSOCount     int `json:"regso_count"`

	Types    *Omradestyper `json:"omradestyper"`
	TypesMap template.HTML `json:"-"`
	TypesBar template.HTML `json:"-"`
	// TypesViaDeSO is set when the map colours DeSO by their RegSO's type
	// (the store has no RegSO boundaries).
	TypesViaDeSO bool `json:"types_via_deso"`

	LanCode         string            `json:"lan_code"`
	LanName         string            `json:"lan_name"`
	Inequality      []InequalityPoint `json:"inequality"`
	InequalityByKom []InequalityRow   `json:"inequality_by_kommun,omitempty"`
	InequalityChart template.HTML     `json:"-"`
	Segregation     *Segregation      `json:"segregation,omitempty"`

	Indicators  []KeyIndicator     `json:"indicators"`
	LISA        *ReportLISA        `json:"lisa,omitempty"`
	Correlation *ReportCorrelation `json:"correlation,omitempty"`
	Change      *ReportChange      `json:"change,omitempty"`
	Notes       []ReportNote       `json:"notes"`
	Sources     []string           `json:"sources"`
	// Warnings name the parts that could not be computed and why, in the
	// report's language (Skipped[i].Text); the raw errors go to the log.
	Warnings []string      `json:"warnings"`
	Skipped  []SkippedPart `json:"skipped"`
}

// reportBuilder caches what several parts of a report need.
type reportBuilder struct {
	s       *Service
	q       ReportQuery
	r       *Report
	en      bool
	geoms   map[string][]data.Area // level -> areas with geometry in the region
	outline []render.Feature
	regso   map[string]data.Area // RegSO code -> area
	noMaps  bool                 // a map was left out for want of boundaries
	types   map[string]int       // RegSO code -> områdestyp
	deso    []data.Area
}

// Report builds the Nulägesbild of the kommuner in q.
func (s *Service) Report(ctx context.Context, q ReportQuery) (*Report, error) {
	if len(q.Kommuner) == 0 {
		return nil, badRequest("kommun is required: one or more 4-digit kommun codes, e.g. 0180 or 0126,0127,0128")
	}
	if q.Lang == "" {
		q.Lang = "sv"
	}
	if q.Lang != "sv" && q.Lang != "en" {
		return nil, badRequest("lang must be sv or en, got %q", q.Lang)
	}
	if q.Indicator == "" {
		q.Indicator = s.opts.LowEconIndicator
	}
	if len(q.Main) == 0 {
		q.Main = DefaultReportIndicators()
	}
	if q.Permutations == 0 {
		q.Permutations = 999
	}
	if q.Seed == 0 {
		q.Seed = 1
	}
	if q.Alpha == 0 {
		q.Alpha = 0.05
	}
	if q.Now.IsZero() {
		q.Now = time.Now()
	}
	lisaInd, err := s.indicator(ctx, q.Indicator)
	if err != nil {
		return nil, err
	}
	if lisaInd.ID == s.opts.OmradestypIndicator {
		return nil, badRequest("indicator %q is a classification, not a measure; choose another indicator for the cluster map", lisaInd.ID)
	}
	b := &reportBuilder{s: s, q: q, en: q.Lang == "en", geoms: map[string][]data.Area{},
		r: &Report{Lang: q.Lang, Codes: q.Kommuner, Generated: q.Now.Format("2006-01-02"), Notes: []ReportNote{}, Warnings: []string{}, Skipped: []SkippedPart{}, Indicators: []KeyIndicator{}}}
	r := b.r
	var names []string
	for _, code := range q.Kommuner {
		k, err := s.store.Area(ctx, data.LevelKommun, code)
		if err != nil {
			return nil, err
		}
		rk := ReportKommun{Code: k.Code, Name: k.Name, Lan: k.Lan, LanName: data.LanName(k.Lan)}
		if l, err := s.store.Area(ctx, data.LevelLan, k.Lan); err == nil && l.Name != "" {
			rk.LanName = l.Name
		}
		r.Kommuner = append(r.Kommuner, rk)
		names = append(names, k.Name)
	}
	r.LanCode, r.LanName = r.Kommuner[0].Lan, r.Kommuner[0].LanName
	r.Name = b.regionName(ctx, names)
	r.Title = b.t("title") + ": " + r.Name
	if r.DataVersion, err = s.store.DataVersion(ctx); err != nil {
		return nil, err
	}
	if err := b.loadAreas(ctx); err != nil {
		return nil, err
	}
	steps := []struct {
		name string
		fn   func(context.Context) error
	}{
		{"population", b.population},
		{"omradestyper", b.omradestyper},
		{"inequality", b.inequality},
		{"indicators", b.indicators},
		{"lisa", func(ctx context.Context) error { return b.lisa(ctx, lisaInd) }},
		{"correlation", b.correlation},
		{"change", b.change},
		{"notes", b.notes},
	}
	for _, st := range steps {
		if err := st.fn(ctx); err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			// A part without data is reported, not fatal: the rest of the
			// picture is still worth having.
			b.skip(st.name, err)
		}
	}
	r.Sources = b.sources(ctx)
	return r, nil
}

func (b *reportBuilder) loadAreas(ctx context.Context) error {
	var err error
	b.deso, err = b.s.store.Areas(ctx, data.LevelDeSO, data.AreasOptions{Kommuner: b.q.Kommuner})
	if err != nil {
		return err
	}
	regs, err := b.s.store.Areas(ctx, data.LevelRegSO, data.AreasOptions{Kommuner: b.q.Kommuner})
	if err != nil {
		return err
	}
	b.regso = map[string]data.Area{}
	for _, a := range regs {
		b.regso[a.Code] = a
	}
	b.r.DeSOCount, b.r.RegSOCount = len(b.deso), len(regs)
	if len(b.deso) == 0 && len(regs) == 0 {
		return notFound("the store has no DeSO or RegSO in kommun %s", strings.Join(b.q.Kommuner, ","))
	}
	if len(b.q.Kommuner) > 1 {
		// The kommun outlines of a group: only the group's kommuner are loaded.
		ks, err := b.s.store.Areas(ctx, data.LevelKommun, data.AreasOptions{WithGeometry: true, Kommuner: b.q.Kommuner})
		if err != nil {
			return err
		}
		for _, k := range ks {
			if k.Geometry != nil {
				b.outline = append(b.outline, render.Feature{Geometry: k.Geometry})
			}
		}
	}
	return nil
}

// geometries returns the region's areas of a level that have a boundary.
func (b *reportBuilder) geometries(ctx context.Context, level string) ([]data.Area, error) {
	if g, ok := b.geoms[level]; ok {
		return g, nil
	}
	as, err := b.s.store.Areas(ctx, level, data.AreasOptions{WithGeometry: true, Kommuner: b.q.Kommuner})
	if err != nil {
		return nil, err
	}
	var out []data.Area
	for _, a := range as {
		if a.Geometry != nil {
			out = append(out, a)
		}
	}
	b.geoms[level] = out
	return out, nil
}

// mapSVG draws the region's areas of a level filled by fill (code ->
// colour; areas not in fill are light grey).
func (b *reportBuilder) mapSVG(ctx context.Context, level string, fill map[string]string, title, subtitle, legendTitle string, legend []render.LegendItem, year int) (template.HTML, error) {
	areas, err := b.geometries(ctx, level)
	if err != nil {
		return "", err
	}
	if len(areas) == 0 {
		// Statistics without boundaries (e.g. the demo outside Stockholms
		// län): the tables and charts are still complete.
		if !b.noMaps {
			b.noMaps = true
			err := notFound("the store has no %s boundaries in %s; the maps are left out", level, strings.Join(b.q.Kommuner, ","))
			b.skip("maps", skipBecause(err, "skip_no_boundaries", levelLabel(level), b.r.Name))
		}
		return "", nil
	}
	m := render.Map{Title: title, Subtitle: subtitle, LegendTitle: legendTitle, Legend: legend, Lang: b.q.Lang, Outlines: b.outline}
	if year > 0 {
		m.Source = fmt.Sprintf("%s: SCB, %d", b.t("source"), year)
	}
	for _, a := range areas {
		c, ok := fill[a.Code]
		if !ok {
			c = NoDataColor
		}
		m.Features = append(m.Features, render.Feature{Geometry: a.Geometry, Fill: c, Label: a.Code + " " + a.Name})
	}
	var buf bytes.Buffer
	if err := render.SVG(&buf, m, render.Options{Width: 900, Height: 640, Fragment: true, Padding: 8}); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil
}

func (b *reportBuilder) regionValue(ind data.Indicator, vals []data.Value) Num {
	var sel []data.Value
	for _, v := range vals {
		if slices.Contains(b.q.Kommuner, v.Code) {
			sel = append(sel, v)
		}
	}
	if len(sel) != len(b.q.Kommuner) {
		return Num(nan)
	}
	return aggregateValues(ind, sel)
}

// aggregateValues combines areas' values as the indicator aggregates:
// ratio Σnumerator/Σdenominator×scale, sum Σvalue, weighted mean
// Σ(value×denominator)/Σdenominator; NaN for "none" (medians), when any
// value is missing or suppressed, or when nothing is given.
func aggregateValues(ind data.Indicator, vals []data.Value) Num {
	if len(vals) == 0 {
		return Num(nan)
	}
	if len(vals) == 1 {
		if vals[0].Suppressed {
			return Num(nan)
		}
		return Num(vals[0].Value)
	}
	var num, den, sum float64
	for _, v := range vals {
		if v.Suppressed || !finite(v.Value) {
			return Num(nan)
		}
		switch ind.Aggregation {
		case data.AggRatio:
			n := count(v, ind.Scale)
			if !finite(n) || !finite(v.Denominator) {
				return Num(nan)
			}
			num += n
			den += v.Denominator
		case data.AggSum:
			sum += v.Value
		case data.AggWeightedMean:
			if !finite(v.Denominator) {
				return Num(nan)
			}
			num += v.Value * v.Denominator
			den += v.Denominator
		default:
			return Num(nan)
		}
	}
	switch ind.Aggregation {
	case data.AggRatio:
		scale := ind.Scale
		if scale == 0 {
			scale = 1
		}
		if den <= 0 {
			return Num(nan)
		}
		return Num(num / den * scale)
	case data.AggSum:
		return Num(sum)
	default:
		if den <= 0 {
			return Num(nan)
		}
		return Num(num / den)
	}
}

func (b *reportBuilder) population(ctx context.Context) error {
	ind, err := b.s.indicator(ctx, b.s.opts.PopulationIndicator)
	if err != nil {
		return err
	}
	b.r.PopulationYear = latestYear(ind)
	vals, err := b.s.store.Values(ctx, data.ValuesQuery{Level: data.LevelKommun, Indicator: ind.ID, Year: b.r.PopulationYear})
	if err != nil {
		return err
	}
	b.r.Population = b.regionValue(ind, vals)
	return nil
}

func (b *reportBuilder) notes(ctx context.Context) error {
	notes, err := b.s.store.Notes(ctx, data.NotesQuery{Kommuner: b.q.Kommuner})
	if err != nil {
		return err
	}
	komName := map[string]string{}
	for _, k := range b.r.Kommuner {
		komName[k.Code] = k.Name
	}
	for _, n := range notes {
		rn := ReportNote{Note: n}
		switch n.Level {
		case data.LevelRegSO:
			rn.AreaName = b.regso[n.Code].Name
		case data.LevelDeSO:
			for _, d := range b.deso {
				if d.Code == n.Code {
					rn.AreaName = b.regso[d.RegSO].Name
				}
			}
		case data.LevelKommun:
			rn.AreaName = komName[n.Code]
		}
		b.r.Notes = append(b.r.Notes, rn)
	}
	return nil
}

func (b *reportBuilder) sources(ctx context.Context) []string {
	seen := map[string]bool{}
	var out []string
	add := func(ind data.Indicator) {
		if ind.Source == "" || seen[ind.Source] {
			return
		}
		seen[ind.Source] = true
		out = append(out, fmt.Sprintf("%s: %s", b.indName(ind), ind.Source))
	}
	for _, ki := range b.r.Indicators {
		add(ki.Indicator)
	}
	for _, id := range []string{b.s.opts.OmradestypIndicator, b.s.opts.PopulationIndicator} {
		if ind, err := b.s.store.Indicator(ctx, id); err == nil {
			add(ind)
		}
	}
	if b.r.Change != nil {
		add(b.r.Change.Change.Indicator)
	}
	return out
}

// indName is the indicator's name in the report's language.
func (b *reportBuilder) indName(ind data.Indicator) string {
	if b.en && ind.NameEN != "" {
		return ind.NameEN
	}
	return ind.NameSV
}

// indLabel is the name with the unit, for axes.
func (b *reportBuilder) indLabel(ind data.Indicator) string {
	if ind.Unit != "" {
		return b.indName(ind) + " (" + ind.Unit + ")"
	}
	return b.indName(ind)
}

// regionName names the region: the kommun names ("A, B och C"); a whole
// län by its name; more than five kommuner by their number.
func (b *reportBuilder) regionName(ctx context.Context, names []string) string {
	r := b.r
	sameLan := true
	for _, k := range r.Kommuner {
		sameLan = sameLan && k.Lan == r.LanCode
	}
	if sameLan && len(r.Kommuner) > 1 {
		if all, err := b.s.store.Areas(ctx, data.LevelKommun, data.AreasOptions{}); err == nil {
			n := 0
			for _, a := range all {
				if a.Lan == r.LanCode {
					n++
				}
			}
			if n == len(r.Kommuner) && r.LanName != "" {
				return r.LanName
			}
		}
	}
	if len(names) <= 5 {
		return joinNames(names, b.en)
	}
	switch {
	case sameLan && b.en:
		return fmt.Sprintf("%d municipalities in %s", len(names), r.LanName)
	case sameLan:
		return fmt.Sprintf("%d kommuner i %s", len(names), r.LanName)
	case b.en:
		return fmt.Sprintf("%d municipalities", len(names))
	}
	return fmt.Sprintf("%d kommuner", len(names))
}
