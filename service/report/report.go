package report

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/internal/fault"
	"github.com/segmap/segmap/internal/locale"
	"github.com/segmap/segmap/render"
	"github.com/segmap/segmap/service"
	"github.com/segmap/segmap/service/notes"
)

// The Nulägesbild: a one-click segregation analysis of one kommun or of
// several kommuner taken as one region, as the kommuner that made
// segregationsanalyser recommend starting: områdestyper and the
// ojämlikhetsindex first, then key indicators, clusters, correlations and
// change. Report builds the numbers (a Report, every figure in it); WriteHTML
// renders them as one self-contained HTML page.

// DefaultIndicators are the "main indicators" of the correlation
// table, in this order; those the store lacks are left out.
var defaultIndicators = []string{
	"low_econ_standard_pct", "high_econ_standard_pct", "net_income_mean_tkr", "foreign_born_pct",
	"edu_25_64_post_sec_ge3y_pct", "employment_rate_16_64_pct", "unemployment_rate_16_64_pct", "dwellings_rental_pct",
}

// DefaultIndicators returns the default main indicators of a report.
func DefaultIndicators() []string { return slices.Clone(defaultIndicators) }

// Query selects what a report covers. Zero values take the defaults
// in brackets.
type Query struct {
	Kommuner []string // one or more kommun codes, analysed as one region (required)
	Lang     string   // "sv" [sv] or "en"
	// Indicator is mapped as LISA clusters [the low economic standard indicator].
	Indicator string
	// ChangeIndicator is mapped as change between years [Indicator when it
	// has two years with values in the region, else the first indicator
	// that does]; ChangeFrom/ChangeTo pick the years [earliest, latest].
	ChangeIndicator      string
	ChangeFrom, ChangeTo int
	// Main are the indicators of the correlation table [DefaultIndicators].
	Main []string
	// Permutations and Seed of the LISA permutation test [999, 1 — as the
	// API's /api/lisa defaults, so the report and the map agree].
	Permutations int
	Seed         uint64
	Alpha        float64 // LISA significance level [0.05]
	Now          time.Time
	// WithNotes lets the report carry the area notes (kommun-made data:
	// text, author, times). false: no note is read, and the report says in
	// one sentence that the notes need the API token.
	WithNotes bool
}

// Kommun is one kommun of the region.
type Kommun struct {
	Code    string `json:"code"`
	Name    string `json:"name"`
	Lan     string `json:"lan"`
	LanName string `json:"lan_name"`
}

// Note is an area note with the area's display name.
type Note struct {
	data.Note
	AreaName string `json:"area_name"`
}

// Report is every number of a Nulägesbild.
type Report struct {
	Lang        string   `json:"lang"`
	Title       string   `json:"title"`
	Name        string   `json:"name"` // "Stockholm", "Huddinge, Botkyrka och Salem"
	Codes       []string `json:"codes"`
	Kommuner    []Kommun `json:"kommuner"`
	Generated   string   `json:"generated"` // YYYY-MM-DD
	DataVersion int64    `json:"data_version"`

	Population     service.Num `json:"population"`
	PopulationYear int         `json:"population_year"`
	DeSOCount      int         `json:"deso_count"`
	RegSOCount     int         `json:"regso_count"`

	Types    *service.Omradestyper `json:"omradestyper"`
	TypesMap template.HTML         `json:"-"`
	TypesBar template.HTML         `json:"-"`
	// TypesViaDeSO is set when the map colours DeSO by their RegSO's type
	// (the store has no RegSO boundaries).
	TypesViaDeSO bool `json:"types_via_deso"`

	LanCode         string                  `json:"lan_code"`
	LanName         string                  `json:"lan_name"`
	Inequality      []InequalityPoint       `json:"inequality"`
	InequalityByKom []service.InequalityRow `json:"inequality_by_kommun,omitempty"`
	InequalityChart template.HTML           `json:"-"`
	Segregation     *service.Segregation    `json:"segregation,omitempty"`

	Indicators  []KeyIndicator `json:"indicators"`
	LISA        *LISA          `json:"lisa,omitempty"`
	Correlation *Correlation   `json:"correlation,omitempty"`
	Change      *Change        `json:"change,omitempty"`
	OverTime    *OverTime      `json:"over_time,omitempty"` // the chapter "Utveckling över tid" (overtime.go)
	Notes       []Note         `json:"notes"`
	// NotesHidden says, in the report's language, that the notes were left
	// out (Query.WithNotes false: the reader has no right to them); "" when
	// they are shown.
	NotesHidden string   `json:"notes_hidden,omitempty"`
	Sources     []string `json:"sources"`
	// Warnings name the parts that could not be computed and why, in the
	// report's language (Skipped[i].Text); the raw errors go to the log.
	Warnings []string      `json:"warnings"`
	Skipped  []SkippedPart `json:"skipped"`

	page struct { // the HTML page, rendered once (HTML)
		once sync.Once
		b    []byte
		err  error
	}
}

// builder caches what several parts of a report need.
type builder struct {
	svc     *service.Service
	store   *data.Store
	opts    service.Options
	q       Query
	r       *Report
	en      bool
	geoms   map[string][]data.Area // level -> areas with geometry in the region
	outline []render.Feature
	regso   map[string]data.Area // RegSO code -> area
	noMaps  bool                 // a map was left out for want of boundaries
	types   map[string]int       // RegSO code -> områdestyp
	deso    []data.Area
	notes   []data.Note // the region's notes; nil when q.WithNotes is false
}

// normalize checks q and fills in its defaults.
func normalize(q Query, opts service.Options) (Query, error) {
	if len(q.Kommuner) == 0 {
		return q, fault.New(fault.Invalid, "kommun is required: one or more 4-digit kommun codes, e.g. 0180 or 0126,0127,0128").
			Sv("kommun saknas: ange en eller flera fyrsiffriga kommunkoder, t.ex. 0180 eller 0126,0127,0128")
	}
	if q.Lang == "" {
		q.Lang = "sv"
	}
	if q.Lang != "sv" && q.Lang != "en" {
		return q, fault.New(fault.Invalid, "lang must be sv or en, got %q", q.Lang).Sv("lang måste vara sv eller en, inte %q", q.Lang)
	}
	if q.Indicator == "" {
		q.Indicator = opts.LowEconIndicator
	}
	if len(q.Main) == 0 {
		q.Main = DefaultIndicators()
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
	return q, nil
}

// build builds the Nulägesbild of the kommuner in q (normalized) from
// the data of version dataVersion.
func build(ctx context.Context, svc *service.Service, q Query, dataVersion int64) (*Report, error) {
	opts := svc.Options()
	lisaInd, err := svc.Indicator(ctx, q.Indicator)
	if err != nil {
		return nil, err
	}
	if lisaInd.ID == opts.OmradestypIndicator {
		return nil, fault.New(fault.Invalid, "indicator %q is a classification, not a measure; choose another indicator for the cluster map", lisaInd.ID).
			Sv("indikatorn %q är en klassindelning, inte ett mått; välj en annan indikator för klusterkartan", lisaInd.ID)
	}
	b := &builder{svc: svc, store: svc.Store(), opts: opts, q: q, en: q.Lang == "en", geoms: map[string][]data.Area{},
		r: &Report{Lang: q.Lang, Codes: q.Kommuner, Generated: q.Now.Format("2006-01-02"), DataVersion: dataVersion,
			Notes: []Note{}, Warnings: []string{}, Skipped: []SkippedPart{}, Indicators: []KeyIndicator{}}}
	r := b.r
	var names []string
	for _, code := range q.Kommuner {
		k, err := b.store.Area(ctx, data.LevelKommun, code)
		if err != nil {
			return nil, err
		}
		rk := Kommun{Code: k.Code, Name: k.Name, Lan: k.Lan, LanName: data.LanName(k.Lan)}
		if l, err := b.store.Area(ctx, data.LevelLan, k.Lan); err == nil && l.Name != "" {
			rk.LanName = l.Name
		}
		r.Kommuner = append(r.Kommuner, rk)
		names = append(names, k.Name)
	}
	r.LanCode, r.LanName = r.Kommuner[0].Lan, r.Kommuner[0].LanName
	r.Name = b.regionName(ctx, names)
	r.Title = b.t("title") + ": " + r.Name
	if err := b.loadAreas(ctx); err != nil {
		return nil, err
	}
	if err := b.loadNotes(ctx); err != nil {
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
		{"overtime", b.overTime},
		{"notes", b.notesPart},
	}
	for _, st := range steps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
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

func (b *builder) loadAreas(ctx context.Context) error {
	var err error
	b.deso, err = b.store.Areas(ctx, data.LevelDeSO, data.AreasOptions{Kommuner: b.q.Kommuner})
	if err != nil {
		return err
	}
	regs, err := b.store.Areas(ctx, data.LevelRegSO, data.AreasOptions{Kommuner: b.q.Kommuner})
	if err != nil {
		return err
	}
	b.regso = map[string]data.Area{}
	for _, a := range regs {
		b.regso[a.Code] = a
	}
	b.r.DeSOCount, b.r.RegSOCount = len(b.deso), len(regs)
	if len(b.deso) == 0 && len(regs) == 0 {
		return fault.New(fault.NotFound, "the store has no DeSO or RegSO in kommun %s", strings.Join(b.q.Kommuner, ",")).
			Sv("databasen har inga DeSO- eller RegSO-områden i kommun %s; importera kommunens områden först", strings.Join(b.q.Kommuner, ","))
	}
	if len(b.q.Kommuner) > 1 {
		// The kommun outlines of a group: only the group's kommuner are loaded.
		ks, err := b.store.Areas(ctx, data.LevelKommun, data.AreasOptions{WithGeometry: true, Kommuner: b.q.Kommuner})
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
func (b *builder) geometries(ctx context.Context, level string) ([]data.Area, error) {
	if g, ok := b.geoms[level]; ok {
		return g, nil
	}
	as, err := b.store.Areas(ctx, level, data.AreasOptions{WithGeometry: true, Kommuner: b.q.Kommuner})
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
func (b *builder) mapSVG(ctx context.Context, level string, fill map[string]string, title, subtitle, legendTitle string, legend []render.LegendItem, year int) (template.HTML, error) {
	areas, err := b.geometries(ctx, level)
	if err != nil {
		return "", err
	}
	if len(areas) == 0 {
		// Statistics without boundaries (e.g. the demo outside Stockholms
		// län): the tables and charts are still complete.
		if !b.noMaps {
			b.noMaps = true
			err := fault.New(fault.NotFound, "the store has no %s boundaries in %s; the maps are left out", level, strings.Join(b.q.Kommuner, ","))
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
			c = service.NoDataColor
		}
		m.Features = append(m.Features, render.Feature{Geometry: a.Geometry, Fill: c, Label: a.Code + " " + a.Name})
	}
	var buf bytes.Buffer
	if err := render.SVG(&buf, m, render.Options{Width: 900, Height: 640, Fragment: true, Padding: 8}); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil
}

func (b *builder) regionValue(ind data.Indicator, vals []data.Value) service.Num {
	var sel []data.Value
	for _, v := range vals {
		if slices.Contains(b.q.Kommuner, v.Code) {
			sel = append(sel, v)
		}
	}
	if len(sel) != len(b.q.Kommuner) {
		return service.Num(nan)
	}
	return aggregateValues(ind, sel)
}

// aggregateValues combines areas' values as the indicator aggregates:
// ratio Σnumerator/Σdenominator×scale, sum Σvalue, weighted mean
// Σ(value×denominator)/Σdenominator; NaN for "none" (medians), when any
// value is missing or suppressed, or when nothing is given.
func aggregateValues(ind data.Indicator, vals []data.Value) service.Num {
	if len(vals) == 0 {
		return service.Num(nan)
	}
	if len(vals) == 1 {
		if vals[0].Suppressed {
			return service.Num(nan)
		}
		return service.Num(vals[0].Value)
	}
	var num, den, sum float64
	for _, v := range vals {
		if v.Suppressed || !finite(v.Value) {
			return service.Num(nan)
		}
		switch ind.Aggregation {
		case data.AggRatio:
			n := service.Count(v, ind.Scale)
			if !finite(n) || !finite(v.Denominator) {
				return service.Num(nan)
			}
			num += n
			den += v.Denominator
		case data.AggSum:
			sum += v.Value
		case data.AggWeightedMean:
			if !finite(v.Denominator) {
				return service.Num(nan)
			}
			num += v.Value * v.Denominator
			den += v.Denominator
		default:
			return service.Num(nan)
		}
	}
	switch ind.Aggregation {
	case data.AggRatio:
		scale := ind.Scale
		if scale == 0 {
			scale = 1
		}
		if den <= 0 {
			return service.Num(nan)
		}
		return service.Num(num / den * scale)
	case data.AggSum:
		return service.Num(sum)
	default:
		if den <= 0 {
			return service.Num(nan)
		}
		return service.Num(num / den)
	}
}

func (b *builder) population(ctx context.Context) error {
	ind, err := b.svc.Indicator(ctx, b.opts.PopulationIndicator)
	if err != nil {
		return err
	}
	b.r.PopulationYear = service.LatestYear(ind)
	vals, err := b.store.Values(ctx, data.ValuesQuery{Level: data.LevelKommun, Indicator: ind.ID, Year: b.r.PopulationYear})
	if err != nil {
		return err
	}
	b.r.Population = b.regionValue(ind, vals)
	return nil
}

// loadNotes reads the region's notes once for every part that shows
// them, when the report may carry them.
func (b *builder) loadNotes(ctx context.Context) error {
	if !b.q.WithNotes {
		b.r.NotesHidden = b.t("notesHidden")
		return nil
	}
	notes, err := notes.New(b.svc).In(ctx, b.q.Kommuner)
	if err != nil {
		return err
	}
	b.notes = notes
	return nil
}

// notesOf returns the region's notes on areas of a level.
func (b *builder) notesOf(level string) []data.Note {
	var out []data.Note
	for _, n := range b.notes {
		if n.Level == level {
			out = append(out, n)
		}
	}
	return out
}

func (b *builder) notesPart(context.Context) error {
	name := b.noteAreaNames()
	for _, n := range b.notes {
		b.r.Notes = append(b.r.Notes, Note{Note: n, AreaName: name(n.Level, n.Code)})
	}
	return nil
}

// noteAreaNames returns a function naming a note's place: the RegSO of a
// RegSO or DeSO note, the kommun of a kommun note, "" otherwise.
func (b *builder) noteAreaNames() func(level, code string) string {
	komName := map[string]string{}
	for _, k := range b.r.Kommuner {
		komName[k.Code] = k.Name
	}
	regOf := map[string]string{}
	for _, d := range b.deso {
		regOf[d.Code] = d.RegSO
	}
	return func(level, code string) string {
		switch level {
		case data.LevelRegSO:
			return b.regso[code].Name
		case data.LevelDeSO:
			return b.regso[regOf[code]].Name
		case data.LevelKommun:
			return komName[code]
		}
		return ""
	}
}

func (b *builder) sources(ctx context.Context) []string {
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
	for _, id := range []string{b.opts.OmradestypIndicator, b.opts.PopulationIndicator} {
		if ind, err := b.store.Indicator(ctx, id); err == nil {
			add(ind)
		}
	}
	if b.r.Change != nil {
		add(b.r.Change.Change.Indicator)
	}
	return out
}

// indName is the indicator's name in the report's language.
func (b *builder) indName(ind data.Indicator) string {
	if b.en && ind.NameEN != "" {
		return ind.NameEN
	}
	return ind.NameSV
}

// indLabel is the name with the unit, for axes.
func (b *builder) indLabel(ind data.Indicator) string {
	if ind.Unit != "" {
		return b.indName(ind) + " (" + ind.Unit + ")"
	}
	return b.indName(ind)
}

// regionName names the region: the kommun names ("A, B och C"); a whole
// län by its name; more than five kommuner by their number.
func (b *builder) regionName(ctx context.Context, names []string) string {
	r := b.r
	sameLan := true
	for _, k := range r.Kommuner {
		sameLan = sameLan && k.Lan == r.LanCode
	}
	if sameLan && len(r.Kommuner) > 1 {
		if all, err := b.store.Areas(ctx, data.LevelKommun, data.AreasOptions{}); err == nil {
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
		return locale.JoinNames(names, locale.Of(b.q.Lang))
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
