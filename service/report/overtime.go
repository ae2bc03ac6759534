package report

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"slices"
	"sort"
	"strings"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/internal/fault"
	"github.com/segmap/segmap/render"
	"github.com/segmap/segmap/service"
)

// Nulägesbild: the chapter "Utveckling över tid" — how the region has
// developed over the years: the key indicators with several years beside
// the län and riket, the segregation indices per year, the områdestyper
// transition, the areas with the largest changes, and the area notes on
// the time axis (numbered markers on every chart). Kept in its own file
// and template part (tmpl/overtime.html.tmpl).

// overtimeText holds the chapter's words, Swedish first (trText reads it
// after reportText).
var overtimeText = map[string][2]string{
	"sumOverTime":              {"Utveckling över tid", "Development over time"},
	"otTrends":                 {"Nyckeltal över tid", "Key indicators over time"},
	"otSegregation":            {"Segregationsindex över tid", "Segregation indices over time"},
	"otTransition":             {"Områdestyper: övergångar", "Area types: transitions"},
	"otLargest":                {"Största förändringar", "Largest changes"},
	"otNotes":                  {"Lokal kunskap på tidsaxeln", "Local knowledge on the time axis"},
	"otIso":                    {"Isolering", "Isolation"},
	"otExp":                    {"Exponering", "Exposure"},
	"otMaps":                   {"Kartor per år", "Maps by year"},
	"otMapsNote":               {"En karta per år över områdets RegSO, med samma klassgränser alla år (beräknade över alla åren).", "One map per year of the region's RegSO, with the same class breaks every year (computed over all the years)."},
	"otLevel":                  {"Nivå", "Level"},
	"otAreas":                  {"Områden", "Areas"},
	"otMoves":                  {"RegSO som bytt typ", "RegSO that changed type"},
	"otMarker":                 {"Markering", "Marker"},
	"otFirstToLast":            {"Förändring", "Change"},
	"otNoNotes":                {"Inga anteckningar med år finns för områdena.", "There are no notes with a year on these areas."},
	"otNoTransition":           {"Områdestyper finns inte för två år.", "Area types do not exist for two years."},
	"otNoSegregation":          {"Segregationsindex kunde inte beräknas för flera år.", "The segregation indices could not be computed for several years."},
	"otNoLargest":              {"Ingen indikator med riktning (högre eller lägre är bättre) har värden för två år per RegSO.", "No indicator with a direction (higher or lower is better) has values for two years per RegSO."},
	"side_better":              {"förbättring", "improvement"},
	"side_worse":               {"försämring", "deterioration"},
	"side_increase":            {"ökning", "increase"},
	"side_decrease":            {"minskning", "decrease"},
	"largest_better":           {"Störst förbättring", "Largest improvement"},
	"largest_worse":            {"Störst försämring", "Largest deterioration"},
	"largest_increase":         {"Störst ökning", "Largest increase"},
	"largest_decrease":         {"Störst minskning", "Largest decrease"},
	"better":                   {"bättre", "better"},
	"worse":                    {"sämre", "worse"},
	"meaning_higher_is_better": {"högre värde är bättre", "a higher value is better"},
	"meaning_lower_is_better":  {"lägre värde är bättre", "a lower value is better"},
	"meaning_neutral":          {"indikatorn har ingen bättre eller sämre riktning", "the indicator has no better or worse direction"},
	"part_overtime":            {"Utveckling över tid", "Development over time"},
	"skip_few_years":           {"ingen indikator har värden för flera år i området", "no indicator has values for several years in the region"},
	"import_overtime":          {"Importera indikatorer för flera år (t.ex. RegSO-panelen 2020–2023 i data/national) med segmap import indicators för att få det här avsnittet.", "Import indicators for several years (e.g. the RegSO panel 2020–2023 in data/national) with segmap import indicators to get this chapter."},
}

// OverTime is the chapter "Utveckling över tid".
type OverTime struct {
	// Years are the years of the trends (each trend's values align with them).
	Years  []int            `json:"years"`
	Trends []IndicatorTrend `json:"trends"`
	// Segregation is each kommun's indices per year beside its län and
	// riket (service.SegregationTrend); nil when they cannot be computed.
	Segregation *service.SegregationTrend `json:"segregation,omitempty"`
	SegChart    template.HTML             `json:"-"`
	// Transition is the områdestyper table between the first and last
	// year with types; nil without two years of types.
	Transition *service.Transition `json:"transition,omitempty"`
	// Moves are the first moves of Transition shown in the report.
	Moves []service.TransitionMove `json:"-"`
	// Largest is the RegSO with the largest changes of one indicator with
	// a direction, between its first and last year.
	Largest *service.LargestChanges `json:"largest,omitempty"`
	// LargestSides are Largest's two lists as the report shows them, and
	// LargestUnit the unit of their changes.
	LargestSides []LargestSide `json:"-"`
	LargestUnit  string        `json:"-"`
	// Maps is one map per year of MapsIndicator over the region's RegSO,
	// every year with the same class breaks ("" without RegSO boundaries).
	MapsIndicator *data.Indicator `json:"maps_indicator,omitempty"`
	MapsYears     []int           `json:"maps_years,omitempty"`
	Maps          template.HTML   `json:"-"`
	// Notes are the region's notes on the time axis, numbered as the
	// markers of the charts.
	Notes []TimeNote `json:"notes"`
}

// IndicatorTrend is one indicator's values per year for the region, its
// län and riket, with the chart.
type IndicatorTrend struct {
	Indicator data.Indicator `json:"indicator"`
	Years     []int          `json:"years"`
	Region    []service.Num  `json:"region"`
	Lan       []service.Num  `json:"lan"`
	Riket     []service.Num  `json:"riket"`
	// Change is the region's last minus first value (percentage points
	// for percentages).
	Change service.Num   `json:"change"`
	Chart  template.HTML `json:"-"`
}

// TimeNote is an area note placed on the time axis.
type TimeNote struct {
	Number   int    `json:"number"` // the marker label on the charts
	Year     int    `json:"year"`
	Level    string `json:"level"`
	Code     string `json:"code"`
	AreaName string `json:"area_name"`
	Text     string `json:"text"`
}

// LargestSide is one list of the largest changes.
type LargestSide struct {
	Title string
	Side  string
	Areas []service.ChangeArea
}

// sideSuffix is " (förbättring)" etc. for class i of a change map's
// classes ("" for the middle class).
func (b *builder) sideSuffix(cc service.ChangeClasses, i int) string {
	if i >= len(cc.Sides) || cc.Sides[i] == "small" || cc.Sides[i] == "" {
		return ""
	}
	return " (" + b.t("side_"+cc.Sides[i]) + ")"
}

// trendColors are the region's, the län's and riket's lines (as the
// inequality chart).
var trendLines = []render.Series{
	{Color: "#c2185b", Width: 2.6},
	{Color: "#1f5f8b", Dash: "6 4"},
	{Color: "#4d4d4d", Dash: "2 3"},
}

// overTime builds the chapter.
func (b *builder) overTime(ctx context.Context) error {
	ot := &OverTime{Trends: []IndicatorTrend{}, Notes: b.timeNotes()}
	inds, err := b.store.Indicators(ctx)
	if err != nil {
		return err
	}
	// Every trend runs over the same years (the union of the indicators'
	// kommun years), so one table holds them all.
	var chosen []data.Indicator
	for _, ind := range inds {
		if keyIndicator(ind, b.opts.OmradestypIndicator) && len(service.LevelYears(ind, data.LevelKommun)) >= 2 {
			chosen = append(chosen, ind)
			ot.Years = append(ot.Years, service.LevelYears(ind, data.LevelKommun)...)
		}
	}
	slices.Sort(ot.Years)
	ot.Years = slices.Compact(ot.Years)
	for _, ind := range chosen {
		it, err := b.indicatorTrend(ctx, ind, ot.Years)
		if err != nil {
			return err
		}
		if it != nil {
			ot.Trends = append(ot.Trends, *it)
		}
	}
	if len(ot.Trends) == 0 {
		return skipBecause(fault.New(fault.NotFound, "no key indicator has values for two years at kommun level"), "skip_few_years")
	}
	// The parts below are each left out alone when their data are missing
	// (the template says so); a canceled request stops the report.
	if err := b.segregationOverTime(ctx, ot); err != nil && ctx.Err() != nil {
		return ctx.Err()
	}
	if tr, err := b.svc.OmradestypTransition(ctx, service.TransitionQuery{Kommuner: b.q.Kommuner}); err == nil {
		ot.Transition = tr
		ot.Moves = tr.Moves[:min(20, len(tr.Moves))]
	} else if ctx.Err() != nil {
		return ctx.Err()
	}
	if err := b.largestOverTime(ctx, ot, inds); err != nil && ctx.Err() != nil {
		return ctx.Err()
	}
	if err := b.mapsOverTime(ctx, ot); err != nil && ctx.Err() != nil {
		return ctx.Err()
	}
	b.r.OverTime = ot
	return nil
}

// indicatorTrend is an indicator's series for the region (its kommuner's
// values combined as the indicator aggregates), the län and riket; nil
// when the region has fewer than two years with values.
func (b *builder) indicatorTrend(ctx context.Context, ind data.Indicator, years []int) (*IndicatorTrend, error) {
	it := &IndicatorTrend{Indicator: ind, Years: years, Change: service.Num(nan)}
	valid := 0
	for _, y := range years {
		kv, err := b.store.Values(ctx, data.ValuesQuery{Level: data.LevelKommun, Indicator: ind.ID, Year: y})
		if err != nil {
			return nil, err
		}
		reg := b.regionValue(ind, kv)
		if reg.Valid() {
			valid++
		}
		it.Region = append(it.Region, reg)
		it.Lan = append(it.Lan, b.oneValue(ctx, ind, data.LevelLan, b.r.LanCode, y))
		it.Riket = append(it.Riket, b.oneValue(ctx, ind, data.LevelRiket, data.RiketCode, y))
	}
	if valid < 2 {
		return nil, nil
	}
	first, last := service.Num(nan), service.Num(nan)
	for i := range it.Region {
		if v := it.Region[i]; v.Valid() {
			if !first.Valid() {
				first = v
			}
			last = v
		}
	}
	it.Change = last - first
	var series []render.Series
	for i, vals := range [][]service.Num{it.Region, it.Lan, it.Riket} {
		s := trendLines[i]
		s.Label = []string{b.r.Name, b.r.LanName, b.t("riket")}[i]
		for j, y := range years {
			s.Points = append(s.Points, render.XY{X: float64(y), Y: float64(vals[j])})
		}
		series = append(series, s)
	}
	var err error
	it.Chart, err = b.timeChart(b.indName(ind), series, ind.Decimals, ind.Unit, years, 420)
	return it, err
}

// oneValue is the value of one area of a level in a year (NaN when
// missing or withheld).
func (b *builder) oneValue(ctx context.Context, ind data.Indicator, level, code string, year int) service.Num {
	vals, err := b.store.Values(ctx, data.ValuesQuery{Level: level, Indicator: ind.ID, Year: year})
	if err != nil {
		return service.Num(nan)
	}
	for _, v := range vals {
		if v.Code == code && !v.Suppressed {
			return service.Num(v.Value)
		}
	}
	return service.Num(nan)
}

// timeChart draws a line chart over years with the notes of those years
// as numbered markers.
func (b *builder) timeChart(title string, series []render.Series, decimals int, unit string, years []int, width int) (template.HTML, error) {
	var buf bytes.Buffer
	err := render.WriteLineChart(&buf, render.LineChart{Title: title, Series: series, Markers: b.noteMarkers(years),
		Decimals: decimals, Unit: unit, Lang: b.q.Lang, Width: width, Height: 250})
	return template.HTML(buf.String()), err
}

// timeNotes are the region's notes, oldest first, numbered.
func (b *builder) timeNotes() []TimeNote {
	name := b.noteAreaNames()
	notes := slices.Clone(b.notes)
	sort.SliceStable(notes, func(i, j int) bool { return notes[i].Year < notes[j].Year })
	out := []TimeNote{}
	for _, n := range notes {
		if n.Year == 0 {
			continue
		}
		out = append(out, TimeNote{Number: len(out) + 1, Year: n.Year, Level: n.Level, Code: n.Code, Text: n.Text, AreaName: name(n.Level, n.Code)})
	}
	return out
}

// noteMarkers are the notes within the years as chart markers: one per
// year, labelled with its first note's number, every note of the year in
// its tooltip.
func (b *builder) noteMarkers(years []int) []render.Marker {
	if len(years) == 0 {
		return nil
	}
	lo, hi := slices.Min(years), slices.Max(years)
	byYear := map[int][]TimeNote{}
	var order []int
	for _, n := range b.timeNotes() {
		if n.Year < lo || n.Year > hi {
			continue
		}
		if byYear[n.Year] == nil {
			order = append(order, n.Year)
		}
		byYear[n.Year] = append(byYear[n.Year], n)
	}
	var out []render.Marker
	for _, y := range order {
		ns := byYear[y]
		var texts []string
		for _, n := range ns {
			texts = append(texts, fmt.Sprintf("%d. %s %s: %s", n.Number, n.Code, n.AreaName, n.Text))
		}
		out = append(out, render.Marker{X: float64(y), Label: fmt.Sprint(ns[0].Number), Title: fmt.Sprintf("%d – %s", y, strings.Join(texts, "; "))})
	}
	return out
}

// segregationOverTime adds the segregation indices per year and the
// chart of D for each kommun, its län and riket.
func (b *builder) segregationOverTime(ctx context.Context, ot *OverTime) error {
	st, err := b.svc.SegregationTrend(ctx, b.q.Kommuner)
	if err != nil {
		return err
	}
	if len(st.Years) < 2 {
		return fault.New(fault.NotFound, "segregation indices for %v only", st.Years)
	}
	ot.Segregation = st
	colors := []string{"#c2185b", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f"}
	var series []render.Series
	ki := 0
	for _, s := range st.Series {
		line := render.Series{Label: s.Name}
		switch s.Kind {
		case data.LevelKommun:
			line.Color, line.Width = colors[ki%len(colors)], 2.6
			ki++
		case data.LevelLan:
			line.Color, line.Dash = "#1f5f8b", "6 4"
		default:
			line.Color, line.Dash, line.Label = "#4d4d4d", "2 3", b.t("riket")
		}
		for _, y := range s.Years {
			line.Points = append(line.Points, render.XY{X: float64(y.Year), Y: float64(y.Indices.Dissimilarity)})
		}
		series = append(series, line)
	}
	ot.SegChart, err = b.timeChart(b.t("dissimilarity"), series, 2, "", st.Years, 640)
	return err
}

// largestOverTime picks the indicator of the largest changes: the first
// key indicator with a direction (higher or lower is better) and two
// years of RegSO values in the region, then lists its RegSO with the
// largest improvements and deteriorations from its first to last year.
func (b *builder) largestOverTime(ctx context.Context, ot *OverTime, inds []data.Indicator) error {
	for _, ind := range inds {
		if ind.HigherIsBetter == nil || !keyIndicator(ind, b.opts.OmradestypIndicator) || len(service.LevelYears(ind, data.LevelRegSO)) < 2 {
			continue
		}
		l, err := b.svc.LargestChanges(ctx, service.LargestQuery{ChangeQuery: service.ChangeQuery{Level: data.LevelRegSO, Indicator: ind.ID, Kommuner: b.q.Kommuner}, N: 5})
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			continue
		}
		if l.Summary.N < 2 {
			continue
		}
		ot.Largest = l
		ot.LargestUnit = l.Unit
		if l.Kind == service.ChangePercentagePoints {
			ot.LargestUnit = b.t("pp")
		}
		ot.LargestSides = []LargestSide{{Title: b.t("largest_better"), Side: service.DirectionBetter, Areas: l.Better},
			{Title: b.t("largest_worse"), Side: service.DirectionWorse, Areas: l.Worse}}
		return nil
	}
	return fault.New(fault.NotFound, "no indicator with a direction has two years of RegSO values in the region")
}

// mapsOverTime draws the first trend indicator with two years of RegSO
// values as one map per year (small multiples, pooled breaks) over the
// region's RegSO, when the store has their boundaries.
func (b *builder) mapsOverTime(ctx context.Context, ot *OverTime) error {
	if g, err := b.geometries(ctx, data.LevelRegSO); err != nil || len(g) == 0 {
		return err
	}
	for _, tr := range ot.Trends {
		years := service.LevelYears(tr.Indicator, data.LevelRegSO)
		if len(years) < 2 {
			continue
		}
		q := service.MultiplesQuery{ClassifyQuery: service.ClassifyQuery{ValuesQuery: service.ValuesQuery{Level: data.LevelRegSO, Indicator: tr.Indicator.ID,
			Kommuner: b.q.Kommuner}, Lang: b.q.Lang}, Width: 900, Fragment: true}
		svg, err := b.svc.SmallMultiplesSVG(ctx, q)
		if err != nil {
			return err
		}
		ind := tr.Indicator
		ot.MapsIndicator, ot.Maps = &ind, template.HTML(svg)
		ot.MapsYears = slices.Sorted(slices.Values(years))
		return nil
	}
	return nil
}
