package service

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/render"
	"github.com/segmap/segmap/spatial/correlate"
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

// InequalityPoint is the ojämlikhetsindex of the region, its län and the
// country in one year.
type InequalityPoint struct {
	Year   int `json:"year"`
	Region Num `json:"region"`
	Lan    Num `json:"lan"`
	Riket  Num `json:"riket"`
	DeSO   int `json:"deso_count"`
}

// RankedArea is an area in a highest/lowest list.
type RankedArea struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Kommun string `json:"kommun"`
	Value  Num    `json:"value"`
}

// KeyIndicator is one indicator in the region, its län, the country and per
// områdestyp, with the RegSO that have the highest and lowest values.
type KeyIndicator struct {
	Indicator data.Indicator `json:"indicator"`
	Year      int            `json:"year"`
	Region    Num            `json:"region"`
	Lan       Num            `json:"lan"`
	Riket     Num            `json:"riket"`
	// ByType is the value over all RegSO of each områdestyp 1..5 (index 0 =
	// type 1), aggregated as the indicator aggregates (NaN for medians).
	ByType  [5]Num       `json:"by_type"`
	Level   string       `json:"level"` // of Highest and Lowest
	Highest []RankedArea `json:"highest"`
	Lowest  []RankedArea `json:"lowest"`
	// Areas, Suppressed and Missing count the region's DeSO for this
	// indicator and year.
	Areas      int `json:"deso_count"`
	Suppressed int `json:"deso_suppressed"`
	Missing    int `json:"deso_missing"`
}

// ReportLISA is the cluster analysis of one indicator.
type ReportLISA struct {
	Indicator    data.Indicator `json:"indicator"`
	Year         int            `json:"year"`
	Level        string         `json:"level"`
	Moran        MoranSummary   `json:"moran"`
	Permutations int            `json:"permutations"`
	Alpha        float64        `json:"alpha"`
	Seed         uint64         `json:"seed"`
	Counts       map[string]int `json:"counts"` // HH, LL, HL, LH, ns, island, nodata
	Analysed     int            `json:"analysed"`
	// HHPlaces and LLPlaces name the RegSO with most DeSO in each cluster
	// kind, most first (at most 5).
	HHPlaces []string      `json:"hh_places"`
	LLPlaces []string      `json:"ll_places"`
	Text     string        `json:"text"`
	Map      template.HTML `json:"-"`
	Areas    []LISAArea    `json:"-"`
}

// CorrelationPair is one pair of main indicators and its scatter plot.
type CorrelationPair struct {
	X     data.Indicator `json:"x"`
	Y     data.Indicator `json:"y"`
	R     Num            `json:"r"`
	N     int            `json:"n"`
	Chart template.HTML  `json:"-"`
}

// ReportCorrelation is the correlation table of the main indicators.
type ReportCorrelation struct {
	Year       int               `json:"year"`
	Level      string            `json:"level"`
	Method     string            `json:"method"`
	Indicators []data.Indicator  `json:"indicators"`
	R          [][]Num           `json:"r"` // R[i][j], Pearson over areas with both values
	N          [][]int           `json:"n"`
	Strongest  []CorrelationPair `json:"strongest"`
}

// ReportChange is the change of one indicator between two years.
type ReportChange struct {
	Change    *Change           `json:"change"`
	Increases []ChangeArea      `json:"increases"` // largest first (at most 5)
	Decreases []ChangeArea      `json:"decreases"` // largest decrease first
	RegSOName map[string]string `json:"-"`
	// NoteOf is the text of the notes on an area (DeSO code) in the change's years.
	NoteOf map[string]string   `json:"-"`
	Legend []render.LegendItem `json:"-"`
	Map    template.HTML       `json:"-"`
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
		ks, err := b.s.store.Areas(ctx, data.LevelKommun, data.AreasOptions{WithGeometry: true})
		if err != nil {
			return err
		}
		for _, k := range ks {
			if slices.Contains(b.q.Kommuner, k.Code) && k.Geometry != nil {
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

func (b *reportBuilder) omradestyper(ctx context.Context) error {
	ot, err := b.s.Omradestyper(ctx, b.q.Kommuner)
	if err != nil {
		return err
	}
	b.r.Types = ot
	b.types = map[string]int{}
	for _, a := range ot.Areas {
		b.types[a.Code] = a.Type
	}
	colors := map[int]string{}
	var legend []render.LegendItem
	var bars []render.Bar
	for _, ti := range ot.Types {
		colors[ti.Type] = ti.Color
		label := ti.LabelSV
		if b.en {
			label = ti.LabelEN
		}
		legend = append(legend, render.LegendItem{Label: fmt.Sprintf("%d %s", ti.Type, label), Color: ti.Color, Count: ti.RegSOCount})
		share := float64(ti.PopulationShare) * 100
		bars = append(bars, render.Bar{Label: fmt.Sprintf("%d %s", ti.Type, label), Value: share, Color: ti.Color,
			Text: b.num(share, 1) + " %"})
	}
	var buf bytes.Buffer
	if err := render.WriteBarChart(&buf, render.BarChart{Title: b.t("typesBarTitle"), Bars: bars, Lang: b.q.Lang, Width: 640}); err != nil {
		return err
	}
	b.r.TypesBar = template.HTML(buf.String())
	level := data.LevelRegSO
	fill := map[string]string{}
	if g, err := b.geometries(ctx, data.LevelRegSO); err != nil || len(g) == 0 {
		// No RegSO boundaries: colour each DeSO by its RegSO's type.
		level = data.LevelDeSO
		b.r.TypesViaDeSO = true
		for _, d := range b.deso {
			if c, ok := colors[b.types[d.RegSO]]; ok {
				fill[d.Code] = c
			}
		}
	} else {
		for code, t := range b.types {
			if c, ok := colors[t]; ok {
				fill[code] = c
			}
		}
	}
	b.r.TypesMap, err = b.mapSVG(ctx, level, fill, b.t("typesMapTitle"), fmt.Sprintf("RegSO · %s · %d", b.r.Name, ot.Year), b.t("omradestyp"), legend, ot.Year)
	return err
}

func (b *reportBuilder) inequality(ctx context.Context) error {
	reg, err := b.s.InequalityRegion(ctx, b.q.Kommuner)
	if err != nil {
		return err
	}
	nat, err := b.s.InequalityRegion(ctx, nil)
	if err != nil {
		return err
	}
	lan, err := b.s.Inequality(ctx, data.LevelLan)
	if err != nil {
		return err
	}
	byYear := map[int]*InequalityPoint{}
	point := func(y int) *InequalityPoint {
		if p, ok := byYear[y]; ok {
			return p
		}
		p := &InequalityPoint{Year: y, Region: Num(nan), Lan: Num(nan), Riket: Num(nan)}
		byYear[y] = p
		return p
	}
	for _, row := range reg.Rows {
		p := point(row.Year)
		p.Region, p.DeSO = row.Index, row.DeSO
	}
	for _, row := range nat.Rows {
		point(row.Year).Riket = row.Index
	}
	for _, row := range lan.Rows {
		if row.Code == b.r.LanCode {
			point(row.Year).Lan = row.Index
		}
	}
	for _, p := range byYear {
		b.r.Inequality = append(b.r.Inequality, *p)
	}
	sort.Slice(b.r.Inequality, func(i, j int) bool { return b.r.Inequality[i].Year < b.r.Inequality[j].Year })
	if len(b.q.Kommuner) > 1 {
		kom, err := b.s.Inequality(ctx, data.LevelKommun)
		if err != nil {
			return err
		}
		for _, row := range kom.Rows {
			if slices.Contains(b.q.Kommuner, row.Code) {
				b.r.InequalityByKom = append(b.r.InequalityByKom, row)
			}
		}
	}
	series := []render.Series{
		{Label: b.r.Name, Color: "#c2185b", Width: 2.6},
		{Label: b.r.LanName, Color: "#1f5f8b", Dash: "6 4"},
		{Label: b.t("riket"), Color: "#4d4d4d", Dash: "2 3"},
	}
	for _, p := range b.r.Inequality {
		y := float64(p.Year)
		series[0].Points = append(series[0].Points, render.XY{X: y, Y: float64(p.Region)})
		series[1].Points = append(series[1].Points, render.XY{X: y, Y: float64(p.Lan)})
		series[2].Points = append(series[2].Points, render.XY{X: y, Y: float64(p.Riket)})
	}
	// Notes on the kommuner themselves are marked on the chart.
	var markers []render.Marker
	notes, err := b.s.store.Notes(ctx, data.NotesQuery{Level: data.LevelKommun, Kommuner: b.q.Kommuner})
	if err == nil {
		for i, n := range notes {
			markers = append(markers, render.Marker{X: float64(n.Year), Label: fmt.Sprint(i + 1), Title: fmt.Sprintf("%d: %s", n.Year, n.Text)})
		}
	}
	var buf bytes.Buffer
	if err := render.WriteLineChart(&buf, render.LineChart{Title: b.t("ineqTitle"), Series: series, Markers: markers, Decimals: 1, Lang: b.q.Lang}); err != nil {
		return err
	}
	b.r.InequalityChart = template.HTML(buf.String())
	seg, err := b.s.SegregationRegion(ctx, b.q.Kommuner, 0)
	if err != nil {
		return err
	}
	b.r.Segregation = seg
	return nil
}

// keyIndicator reports whether an indicator belongs in the key indicator
// table: a percentage or a weighted mean (not counts, classifications or
// medians, which cannot be combined over areas).
func keyIndicator(ind data.Indicator, omradestyp string) bool {
	if ind.ID == omradestyp || (len(ind.Breakdowns) > 0 && !slices.Contains(ind.Breakdowns, data.BreakdownTotal)) {
		return false
	}
	return ind.Unit == "%" && ind.Aggregation == data.AggRatio || ind.Aggregation == data.AggWeightedMean
}

func (b *reportBuilder) indicators(ctx context.Context) error {
	inds, err := b.s.store.Indicators(ctx)
	if err != nil {
		return err
	}
	for _, ind := range inds {
		if !keyIndicator(ind, b.s.opts.OmradestypIndicator) || len(ind.Years) == 0 {
			continue
		}
		// The latest year with values in the region's kommuner.
		years := slices.Clone(ind.Years)
		slices.Sort(years)
		slices.Reverse(years)
		for _, y := range years {
			ki, ok, err := b.keyIndicator(ctx, ind, y)
			if err != nil {
				return err
			}
			if ok {
				b.r.Indicators = append(b.r.Indicators, ki)
				break
			}
		}
	}
	return nil
}

func (b *reportBuilder) keyIndicator(ctx context.Context, ind data.Indicator, year int) (KeyIndicator, bool, error) {
	ki := KeyIndicator{Indicator: ind, Year: year, Region: Num(nan), Lan: Num(nan), Riket: Num(nan), Level: data.LevelRegSO,
		Highest: []RankedArea{}, Lowest: []RankedArea{}}
	for i := range ki.ByType {
		ki.ByType[i] = Num(nan)
	}
	kv, err := b.s.store.Values(ctx, data.ValuesQuery{Level: data.LevelKommun, Indicator: ind.ID, Year: year})
	if err != nil {
		return ki, false, err
	}
	ki.Region = b.regionValue(ind, kv)
	if lv, err := b.s.store.Values(ctx, data.ValuesQuery{Level: data.LevelLan, Indicator: ind.ID, Year: year}); err == nil {
		for _, v := range lv {
			if v.Code == b.r.LanCode && !v.Suppressed {
				ki.Lan = Num(v.Value)
			}
		}
	}
	if rv, err := b.s.store.Values(ctx, data.ValuesQuery{Level: data.LevelRiket, Indicator: ind.ID, Year: year}); err == nil && len(rv) == 1 && !rv[0].Suppressed {
		ki.Riket = Num(rv[0].Value)
	}
	// RegSO: per type and highest/lowest (through the service, so the
	// disclosure rule applies as in /api/values).
	rv, err := b.s.Values(ctx, ValuesQuery{Level: data.LevelRegSO, Indicator: ind.ID, Year: year, Kommuner: b.q.Kommuner})
	if err != nil {
		return ki, false, err
	}
	var byType [5][]data.Value
	var ranked []RankedArea
	for _, a := range rv.Areas {
		if !a.Value.Valid() {
			continue
		}
		ranked = append(ranked, RankedArea{Code: a.Code, Name: a.Name, Kommun: a.Kommun, Value: a.Value})
		if t := b.types[a.Code]; t >= 1 && t <= 5 {
			byType[t-1] = append(byType[t-1], data.Value{Code: a.Code, Value: float64(a.Value), Numerator: float64(a.Numerator), Denominator: float64(a.Denominator)})
		}
	}
	for i := range byType {
		ki.ByType[i] = aggregateValues(ind, byType[i])
	}
	sort.SliceStable(ranked, func(i, j int) bool {
		if ranked[i].Value != ranked[j].Value {
			return ranked[i].Value > ranked[j].Value
		}
		return ranked[i].Code < ranked[j].Code
	})
	n := min(3, len(ranked)/2)
	ki.Highest = append(ki.Highest, ranked[:n]...)
	for i := len(ranked) - 1; i >= len(ranked)-n; i-- {
		ki.Lowest = append(ki.Lowest, ranked[i])
	}
	dv, err := b.s.Values(ctx, ValuesQuery{Level: data.LevelDeSO, Indicator: ind.ID, Year: year, Kommuner: b.q.Kommuner})
	if err != nil {
		return ki, false, err
	}
	for _, a := range dv.Areas {
		ki.Areas++
		switch {
		case a.Suppressed:
			ki.Suppressed++
		case !a.Value.Valid():
			ki.Missing++
		}
	}
	ok := ki.Region.Valid() || len(ranked) > 0
	return ki, ok, nil
}

// LISAColors are the cluster colours (as the web client's LISA mode).
var lisaColors = map[string]string{"HH": "#d7191c", "LL": "#2c7bb6", "HL": "#f4a582", "LH": "#92c5de", "ns": "#e3e3e3", "island": "#9e9e9e", "nodata": "#ffffff"}

func (b *reportBuilder) lisa(ctx context.Context, ind data.Indicator) error {
	if noTotal(ind) {
		err := notFound("indicator %q has no breakdown %q; breakdowns: %v", ind.ID, data.BreakdownTotal, ind.Breakdowns)
		return skipBecause(err, "skip_no_total", b.indName(ind), strings.Join(ind.Breakdowns, ", "))
	}
	res, err := b.s.LISA(ctx, LISAQuery{ValuesQuery: ValuesQuery{Level: data.LevelDeSO, Indicator: ind.ID, Kommuner: b.q.Kommuner},
		Alpha: b.q.Alpha, Permutations: b.q.Permutations, Seed: b.q.Seed})
	if err != nil {
		if g, gerr := b.geometries(ctx, data.LevelDeSO); gerr == nil && len(g) == 0 {
			return skipBecause(err, "skip_no_polygons", levelLabel(data.LevelDeSO), b.r.Name)
		}
		return err
	}
	rl := &ReportLISA{Indicator: ind, Year: res.Year, Level: res.Level, Moran: res.Moran, Permutations: b.q.Permutations,
		Alpha: b.q.Alpha, Seed: b.q.Seed, Counts: map[string]int{}, Areas: res.Areas, HHPlaces: []string{}, LLPlaces: []string{}}
	regOf := map[string]string{}
	for _, d := range b.deso {
		regOf[d.Code] = d.RegSO
	}
	hh, ll := map[string]int{}, map[string]int{}
	fill := map[string]string{}
	for _, a := range res.Areas {
		rl.Counts[a.Cluster]++
		if a.Cluster != "nodata" {
			rl.Analysed++
		}
		fill[a.Code] = lisaColors[a.Cluster]
		name := b.regso[regOf[a.Code]].Name
		if name == "" {
			continue
		}
		switch a.Cluster {
		case "HH":
			hh[name]++
		case "LL":
			ll[name]++
		}
	}
	rl.HHPlaces, rl.LLPlaces = topPlaces(hh, 5), topPlaces(ll, 5)
	var legend []render.LegendItem
	for _, c := range []string{"HH", "LL", "HL", "LH", "ns", "island", "nodata"} {
		if rl.Counts[c] == 0 && (c == "island" || c == "nodata") {
			continue
		}
		legend = append(legend, render.LegendItem{Label: b.t("cl_" + c), Color: lisaColors[c], Count: rl.Counts[c]})
	}
	rl.Text = b.lisaText(rl)
	rl.Map, err = b.mapSVG(ctx, data.LevelDeSO, fill, fmt.Sprintf("LISA – %s %d", b.indName(ind), res.Year),
		fmt.Sprintf("DeSO · %s · p < %s", b.r.Name, b.num(b.q.Alpha, -1)), b.t("cluster"), legend, res.Year)
	b.r.LISA = rl
	return err
}

// topPlaces returns up to n names by count (most first, then by name).
func topPlaces(m map[string]int, n int) []string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Slice(names, func(i, j int) bool {
		if m[names[i]] != m[names[j]] {
			return m[names[i]] > m[names[j]]
		}
		return names[i] < names[j]
	})
	if len(names) > n {
		names = names[:n]
	}
	return names
}

func (b *reportBuilder) correlation(ctx context.Context) error {
	var inds []data.Indicator
	year := 0
	vals := map[string]map[string]float64{}
	for _, id := range b.q.Main {
		ind, err := b.s.store.Indicator(ctx, id)
		if err != nil {
			continue // not in this store
		}
		if year == 0 {
			year = latestYear(ind)
		}
		if !slices.Contains(ind.Years, year) {
			continue
		}
		v, err := b.s.Values(ctx, ValuesQuery{Level: data.LevelDeSO, Indicator: ind.ID, Year: year, Kommuner: b.q.Kommuner})
		if err != nil {
			return err
		}
		m := map[string]float64{}
		for _, a := range v.Areas {
			if a.Value.Valid() {
				m[a.Code] = float64(a.Value)
			}
		}
		if len(m) < 3 {
			continue
		}
		inds = append(inds, ind)
		vals[ind.ID] = m
	}
	if len(inds) < 2 {
		return skipBecause(notFound("fewer than two main indicators have values in %d", year), "skip_few_indicators", year)
	}
	rc := &ReportCorrelation{Year: year, Level: data.LevelDeSO, Method: "pearson", Indicators: inds}
	type pair struct {
		i, j int
		r    float64
		pts  []render.ScatterPoint
	}
	var pairs []pair
	rc.R = make([][]Num, len(inds))
	rc.N = make([][]int, len(inds))
	for i := range inds {
		rc.R[i] = make([]Num, len(inds))
		rc.N[i] = make([]int, len(inds))
	}
	for i := range inds {
		for j := i; j < len(inds); j++ {
			var x, y []float64
			var pts []render.ScatterPoint
			for _, d := range b.deso {
				xv, ok1 := vals[inds[i].ID][d.Code]
				yv, ok2 := vals[inds[j].ID][d.Code]
				if ok1 && ok2 {
					x, y = append(x, xv), append(y, yv)
					pts = append(pts, render.ScatterPoint{X: xv, Y: yv, Label: d.Code + " " + b.regso[d.RegSO].Name})
				}
			}
			r := nan
			if len(x) >= 3 {
				if v, err := correlate.Pearson(x, y, nil); err == nil {
					r = v
				}
			}
			rc.R[i][j], rc.R[j][i] = Num(r), Num(r)
			rc.N[i][j], rc.N[j][i] = len(x), len(x)
			if i != j && finite(r) {
				pairs = append(pairs, pair{i, j, r, pts})
			}
		}
	}
	sort.SliceStable(pairs, func(a, c int) bool { return math.Abs(pairs[a].r) > math.Abs(pairs[c].r) })
	for _, p := range pairs[:min(3, len(pairs))] {
		cp := CorrelationPair{X: inds[p.i], Y: inds[p.j], R: Num(p.r), N: len(p.pts)}
		var buf bytes.Buffer
		err := render.WriteScatter(&buf, render.ScatterChart{
			Title:  fmt.Sprintf("%s – %s (r = %s)", b.indName(cp.X), b.indName(cp.Y), b.num(p.r, 2)),
			XLabel: b.indLabel(cp.X), YLabel: b.indLabel(cp.Y), Points: p.pts, Trend: true,
			XDecimals: cp.X.Decimals, YDecimals: cp.Y.Decimals, Lang: b.q.Lang,
		})
		if err != nil {
			return err
		}
		cp.Chart = template.HTML(buf.String())
		rc.Strongest = append(rc.Strongest, cp)
	}
	b.r.Correlation = rc
	return nil
}

func (b *reportBuilder) change(ctx context.Context) error {
	var candidates []string
	if b.q.ChangeIndicator != "" {
		candidates = []string{b.q.ChangeIndicator}
	} else {
		candidates = append(candidates, b.q.Indicator)
		inds, err := b.s.store.Indicators(ctx)
		if err != nil {
			return err
		}
		for _, ind := range inds {
			if ind.ID != b.s.opts.OmradestypIndicator && len(LevelYears(ind, data.LevelDeSO)) > 1 && ind.ID != b.q.Indicator {
				candidates = append(candidates, ind.ID)
			}
		}
	}
	explicit := b.q.ChangeIndicator != ""
	var ch *Change
	for _, id := range candidates {
		ind, err := b.s.indicator(ctx, id)
		if err != nil {
			return err
		}
		// The change map is of DeSO: the years are those DeSO have values for.
		years := LevelYears(ind, data.LevelDeSO)
		switch {
		case noTotal(ind):
			if explicit {
				err := notFound("change indicator %q has no breakdown %q; breakdowns: %v", id, data.BreakdownTotal, ind.Breakdowns)
				return skipBecause(err, "skip_no_total", b.indName(ind), strings.Join(ind.Breakdowns, ", "))
			}
			continue
		case len(years) < 2:
			if explicit {
				err := badRequest("change indicator %q has values at %s only for the year(s) %v", id, data.LevelDeSO, years)
				return skipBecause(err, "skip_one_year", b.indName(ind), yearList(years, b.en))
			}
			continue
		}
		c, err := b.s.Change(ctx, ChangeQuery{Level: data.LevelDeSO, Indicator: id, From: b.q.ChangeFrom, To: b.q.ChangeTo, Kommuner: b.q.Kommuner})
		if err != nil {
			if ctx.Err() != nil {
				return err
			}
			if explicit || b.q.ChangeFrom != 0 || b.q.ChangeTo != 0 {
				if errors.Is(err, ErrBadRequest) || errors.Is(err, ErrNotFound) {
					return skipBecause(err, "skip_change_years", b.q.ChangeFrom, b.q.ChangeTo, b.indName(ind), yearList(years, b.en))
				}
				return err
			}
			continue // automatic choice: try the next indicator
		}
		if c.Summary.N >= 3 || explicit {
			ch = c
			break
		}
	}
	if ch == nil {
		return skipBecause(notFound("no indicator has values for two years in the region"), "skip_no_two_years")
	}
	rc := &ReportChange{Change: ch, RegSOName: map[string]string{}, NoteOf: map[string]string{}}
	if notes, err := b.s.store.Notes(ctx, data.NotesQuery{Level: data.LevelDeSO, Kommuner: b.q.Kommuner}); err == nil {
		for _, n := range notes {
			if n.Year >= ch.From && n.Year <= ch.To {
				txt := fmt.Sprintf("%d: %s", n.Year, n.Text)
				if prev := rc.NoteOf[n.Code]; prev != "" {
					txt = prev + "; " + txt
				}
				rc.NoteOf[n.Code] = txt
			}
		}
	}
	regOf := map[string]string{}
	for _, d := range b.deso {
		regOf[d.Code] = d.RegSO
		rc.RegSOName[d.Code] = b.regso[d.RegSO].Name
	}
	sorted := sortedChanges(ch)
	n := min(5, len(sorted)/2)
	for _, a := range sorted[:n] {
		if a.Change > 0 {
			a.Name = rc.RegSOName[a.Code]
			rc.Increases = append(rc.Increases, a)
		}
	}
	for i := len(sorted) - 1; i >= len(sorted)-n; i-- {
		if a := sorted[i]; a.Change < 0 {
			a.Name = rc.RegSOName[a.Code]
			rc.Decreases = append(rc.Decreases, a)
		}
	}
	var changes []float64
	for _, a := range ch.Areas {
		changes = append(changes, float64(a.Change))
	}
	cc := changeClasses(changes, 5)
	counts := make([]int, len(cc.Colors))
	fill := map[string]string{}
	noData := 0
	for _, a := range ch.Areas {
		k := cc.class(float64(a.Change))
		if k < 0 {
			noData++
			continue
		}
		counts[k]++
		fill[a.Code] = cc.Colors[k]
	}
	dec := ch.Indicator.Decimals
	for i, c := range cc.Colors {
		label := b.signed(cc.Breaks[i], dec) + " – " + b.signed(cc.Breaks[i+1], dec)
		switch i {
		case 0:
			label = "< " + b.signed(cc.Breaks[1], dec)
		case len(cc.Colors) - 1:
			label = "> " + b.signed(cc.Breaks[i], dec)
		}
		rc.Legend = append(rc.Legend, render.LegendItem{Label: label, Color: c, Count: counts[i]})
	}
	if noData > 0 {
		rc.Legend = append(rc.Legend, render.LegendItem{Label: b.t("noData"), Color: NoDataColor, Count: noData})
	}
	unit := ch.Unit
	if ch.Kind == ChangePercentagePoints && b.en {
		unit = "percentage points"
	}
	var err error
	rc.Map, err = b.mapSVG(ctx, data.LevelDeSO, fill, fmt.Sprintf("%s %d–%d", b.indName(ch.Indicator), ch.From, ch.To),
		fmt.Sprintf("DeSO · %s · %s", b.r.Name, b.t("changeIn")+" "+unit), unit, rc.Legend, ch.To)
	b.r.Change = rc
	return err
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
