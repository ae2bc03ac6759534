package service

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/segmap/segmap/data"
)

// ChangeQuery asks for the change of one indicator per area between two years.
type ChangeQuery struct {
	Level     string
	Indicator string
	From, To  int // 0: From = the earliest year, To = the latest
	Breakdown string
	Kommuner  []string
	// K is the number of classes of the change map (made odd; outside
	// 1..9, 5).
	K int
}

// Change kinds: the unit of ChangeArea.Change.
const (
	// ChangePercentagePoints: the indicator is a percentage, so the
	// difference of two values is in percentage points (procentenheter).
	ChangePercentagePoints = "percentage_points"
	// ChangeAbsolute: the difference is in the indicator's unit; the
	// relative change (percent of the From value) is given too.
	ChangeAbsolute = "absolute"
)

// ChangeArea is one area's values in both years and their difference.
type ChangeArea struct {
	ID     int64  `json:"id"`
	Code   string `json:"code"`
	Name   string `json:"name"`
	Kommun string `json:"kommun,omitempty"`
	From   Num    `json:"from"`
	To     Num    `json:"to"`
	// Change is To − From (percentage points for percentages).
	Change Num `json:"change"`
	// RelativePct is 100 × (To − From) / From, for indicators that are not
	// percentages and a positive From value; null otherwise.
	RelativePct Num  `json:"relative_pct"`
	Suppressed  bool `json:"suppressed"`
	Estimated   bool `json:"estimated"`
	Class       int  `json:"class"` // index into Change.Classes; −1: no change to classify
	// Direction is what the change means: better, worse or unchanged for
	// an indicator with higher_is_better; increase, decrease or unchanged
	// for one without; "" when there is no change to tell.
	Direction string `json:"direction,omitempty"`
}

// Meanings of a change: which way is an improvement (Change.Meaning).
const (
	MeaningHigherIsBetter = "higher_is_better"
	MeaningLowerIsBetter  = "lower_is_better"
	MeaningNeutral        = "neutral" // the indicator has no better or worse direction
)

// Directions of one area's change (ChangeArea.Direction).
const (
	DirectionBetter    = "better"
	DirectionWorse     = "worse"
	DirectionIncrease  = "increase"
	DirectionDecrease  = "decrease"
	DirectionUnchanged = "unchanged"
)

// meaningOf is which way the indicator improves.
func meaningOf(ind data.Indicator) string {
	switch {
	case ind.HigherIsBetter == nil:
		return MeaningNeutral
	case *ind.HigherIsBetter:
		return MeaningHigherIsBetter
	}
	return MeaningLowerIsBetter
}

// direction names a change d under a meaning.
func direction(meaning string, d float64) string {
	switch {
	case !finite(d):
		return ""
	case d == 0:
		return DirectionUnchanged
	case meaning == MeaningNeutral && d > 0:
		return DirectionIncrease
	case meaning == MeaningNeutral:
		return DirectionDecrease
	case (d > 0) == (meaning == MeaningHigherIsBetter):
		return DirectionBetter
	}
	return DirectionWorse
}

// ChangeSummary describes the changes of the areas that have both years.
type ChangeSummary struct {
	N         int `json:"n"`
	Increased int `json:"increased"`
	Decreased int `json:"decreased"`
	Unchanged int `json:"unchanged"`
	// Better and Worse count the improvements and deteriorations (both 0
	// for an indicator without a better direction).
	Better int `json:"better"`
	Worse  int `json:"worse"`
	Mean   Num `json:"mean"`
	Min    Num `json:"min"`
	Max    Num `json:"max"`
}

// Change is the answer to a ChangeQuery.
type Change struct {
	Indicator data.Indicator `json:"indicator"`
	Level     string         `json:"level"`
	From      int            `json:"from"`
	To        int            `json:"to"`
	Breakdown string         `json:"breakdown"`
	Kind      string         `json:"kind"`
	Unit      string         `json:"unit"` // unit of Change: "procentenheter" or the indicator's unit
	// Meaning says which way is an improvement (MeaningHigherIsBetter,
	// MeaningLowerIsBetter, or MeaningNeutral for an indicator without
	// higher_is_better); the classes are coloured by it.
	Meaning string        `json:"meaning"`
	Summary ChangeSummary `json:"summary"`
	Areas   []ChangeArea  `json:"areas"`
	// SeriesGeography is set when From and To are on different geography
	// versions: whether the change is comparable, in words.
	SeriesGeography *Geographies `json:"series_geography,omitempty"`
	// Classes are the map's classes and colours (ChangeArea.Class indexes
	// them), so clients draw what the report draws.
	Classes ChangeClasses `json:"classes"`
}

// isPercent reports whether an indicator's values are percentages.
func isPercent(ind data.Indicator) bool { return ind.Unit == "%" }

// LevelYears returns the years an indicator has values at a level: its
// YearsByLevel entry, or Years when the store did not say per level.
func LevelYears(ind data.Indicator, level string) []int {
	if ind.YearsByLevel == nil {
		return ind.Years
	}
	return ind.YearsByLevel[level]
}

// changeYears checks and defaults the years of a change at a level: from
// the earliest to the latest year the level has values for. Years the
// indicator does not have are not found (404); a level with fewer than two
// years, years of other levels only, or from not before to are bad
// requests (400): a change always runs forward in time, from < to.
func changeYears(ind data.Indicator, level string, from, to int) (int, int, error) {
	years := LevelYears(ind, level)
	for _, y := range []int{from, to} {
		if y != 0 && !slices.Contains(ind.Years, y) {
			return 0, 0, notFound("indicator %q has no values for year %d; years: %v", ind.ID, y, ind.Years).
				Sv("indikatorn %q har inga värden för år %d; år: %v", ind.ID, y, ind.Years)
		}
	}
	switch len(years) {
	case 0:
		return 0, 0, badRequest("%s has no values of indicator %q; change between years needs two years", level, ind.ID).
			Sv("%s har inga värden för indikatorn %q; förändring mellan år kräver två år", level, ind.ID)
	case 1:
		return 0, 0, badRequest("%s has values only for %d (indicator %q); change between years needs two years", level, years[0], ind.ID).
			Sv("%s har värden bara för %d (indikatorn %q); förändring mellan år kräver två år", level, years[0], ind.ID)
	}
	for _, y := range []int{from, to} {
		if y != 0 && !slices.Contains(years, y) {
			return 0, 0, badRequest("%s has no values of indicator %q for %d; years at %s: %v", level, ind.ID, y, level, years).
				Sv("%s har inga värden för indikatorn %q år %d; år på nivån %s: %v", level, ind.ID, y, level, years)
		}
	}
	if to == 0 {
		to = slices.Max(years)
	}
	if from == 0 {
		from = slices.Min(years)
	}
	if from >= to {
		return 0, 0, badRequest("from (%d) must be an earlier year than to (%d); years at %s: %v", from, to, level, years).
			Sv("from (%d) måste vara ett tidigare år än to (%d); år på nivån %s: %v", from, to, level, years)
	}
	return from, to, nil
}

// Change computes To − From per area for an indicator with two or more
// years. Suppressed or missing values on either side give a null change.
func (s *Service) Change(ctx context.Context, q ChangeQuery) (*Change, error) {
	ind, err := s.indicator(ctx, q.Indicator)
	if err != nil {
		return nil, err
	}
	if err := s.checkLevel(ctx, q.Level); err != nil {
		return nil, err
	}
	if q.From, q.To, err = changeYears(ind, q.Level, q.From, q.To); err != nil {
		return nil, err
	}
	from, err := s.Values(ctx, ValuesQuery{Level: q.Level, Indicator: ind.ID, Year: q.From, Breakdown: q.Breakdown, Kommuner: q.Kommuner})
	if err != nil {
		return nil, err
	}
	to, err := s.Values(ctx, ValuesQuery{Level: q.Level, Indicator: ind.ID, Year: q.To, Breakdown: q.Breakdown, Kommuner: q.Kommuner})
	if err != nil {
		return nil, err
	}
	out := &Change{Indicator: from.Indicator, Level: from.Level, From: q.From, To: q.To, Breakdown: from.Breakdown,
		Kind: ChangeAbsolute, Unit: ind.Unit, Meaning: meaningOf(ind), Areas: make([]ChangeArea, 0, len(to.Areas))}
	if isPercent(ind) {
		out.Kind, out.Unit = ChangePercentagePoints, "procentenheter"
	}
	base := make(map[string]AreaValue, len(from.Areas))
	for _, a := range from.Areas {
		base[a.Code] = a
	}
	sum := 0.0
	out.Summary.Min, out.Summary.Max = Num(nan), Num(nan)
	for _, b := range to.Areas {
		a := base[b.Code]
		ca := ChangeArea{ID: b.ID, Code: b.Code, Name: b.Name, Kommun: b.Kommun, From: a.Value, To: b.Value,
			Change: Num(nan), RelativePct: Num(nan), Suppressed: a.Suppressed || b.Suppressed, Estimated: a.Estimated || b.Estimated}
		if _, ok := base[b.Code]; !ok {
			ca.From = Num(nan)
		}
		if ca.From.Valid() && ca.To.Valid() {
			d := float64(ca.To) - float64(ca.From)
			ca.Change = Num(d)
			if out.Kind == ChangeAbsolute && ca.From > 0 {
				ca.RelativePct = Num(100 * d / float64(ca.From))
			}
			sm := &out.Summary
			sm.N++
			sum += d
			ca.Direction = direction(out.Meaning, d)
			switch ca.Direction {
			case DirectionBetter:
				sm.Better++
			case DirectionWorse:
				sm.Worse++
			}
			switch {
			case d > 0:
				sm.Increased++
			case d < 0:
				sm.Decreased++
			default:
				sm.Unchanged++
			}
			if !sm.Min.Valid() || d < float64(sm.Min) {
				sm.Min = Num(d)
			}
			if !sm.Max.Valid() || d > float64(sm.Max) {
				sm.Max = Num(d)
			}
		}
		out.Areas = append(out.Areas, ca)
	}
	out.Summary.Mean = Num(nan)
	if out.Summary.N > 0 {
		out.Summary.Mean = Num(sum / float64(out.Summary.N))
	}
	if out.SeriesGeography, err = s.seriesGeographies(ctx, ind, q.Level, []int{q.From, q.To}); err != nil {
		return nil, err
	}
	classifyChanges(out, q.K)
	return out, nil
}

// classifyChanges sets the classes of the change map (k classes, 5 when k
// is outside 1..9) and each area's class in them.
func classifyChanges(c *Change, k int) {
	if k < 1 || k > 9 {
		k = 5
	}
	changes := make([]float64, len(c.Areas))
	for i, a := range c.Areas {
		changes[i] = float64(a.Change)
	}
	c.Classes = changeClassesBy(changes, k, c.Meaning)
	for i := range c.Areas {
		c.Areas[i].Class = c.Classes.class(changes[i])
	}
}

// ChangeClasses are k symmetric classes around zero for a change map:
// breaks from −m to +m where m is the 95th percentile of the absolute
// changes (so a few outliers do not squeeze every other area into the
// middle class; the outer classes are open-ended), k odd so the middle
// class holds the small changes.
//
// Colours follow the meaning of the change: for an indicator with
// higher_is_better an improvement is green and a deterioration purple
// whatever the sign (ColorBrewer PRGn: a rising unemployment rate is
// purple, a rising income green); for one without, a neutral diverging
// blue (decrease) – light grey – red (increase) (RdBu), and the legend
// says the indicator has no better direction.
type ChangeClasses struct {
	Breaks []float64 `json:"breaks"` // k+1 values
	Colors []string  `json:"colors"` // k colours
	// Meaning is the change's meaning (MeaningNeutral when unknown).
	Meaning string `json:"meaning"`
	// Sides says per class what it holds: better or worse (an indicator
	// with a direction), increase or decrease (neutral), small for the
	// middle class.
	Sides []string `json:"sides"`
}

// changeClassesBy is changeClasses coloured by meaning.
func changeClassesBy(changes []float64, k int, meaning string) ChangeClasses {
	cc := changeClasses(changes, k)
	if meaning == "" {
		meaning = MeaningNeutral
	}
	cc.Meaning = meaning
	n := len(cc.Colors)
	if meaning != MeaningNeutral {
		// PRGn from worse (purple) to better (green), laid on the classes
		// from decrease to increase: reversed when lower is better.
		cols := rampColors(n, [3]float64{0x76, 0x2a, 0x83}, [3]float64{0xf7, 0xf7, 0xf7}, [3]float64{0x1b, 0x78, 0x37})
		if meaning == MeaningLowerIsBetter {
			slices.Reverse(cols)
		}
		cc.Colors = cols
	}
	for i := range cc.Sides {
		mid := (cc.Breaks[i] + cc.Breaks[i+1]) / 2
		switch {
		case i == n/2:
			cc.Sides[i] = "small"
		default:
			cc.Sides[i] = direction(meaning, mid)
		}
	}
	return cc
}

// changeClasses builds the classes for the changes (NaN ignored).
func changeClasses(changes []float64, k int) ChangeClasses {
	if k%2 == 0 {
		k++
	}
	var abs []float64
	for _, c := range changes {
		if finite(c) {
			abs = append(abs, math.Abs(c))
		}
	}
	m := 0.0
	if len(abs) > 0 {
		sort.Float64s(abs)
		m = abs[int(math.Ceil(0.95*float64(len(abs))))-1]
	}
	if m == 0 {
		m = 1
	}
	cc := ChangeClasses{Breaks: make([]float64, k+1), Colors: divergingColors(k), Meaning: MeaningNeutral, Sides: make([]string, k)}
	for i := range cc.Breaks {
		cc.Breaks[i] = -m + 2*m*float64(i)/float64(k)
	}
	for i := range cc.Sides {
		switch {
		case i == k/2:
			cc.Sides[i] = "small"
		case i < k/2:
			cc.Sides[i] = DirectionDecrease
		default:
			cc.Sides[i] = DirectionIncrease
		}
	}
	return cc
}

// class is the class index of v (−1 for NaN).
func (cc ChangeClasses) class(v float64) int {
	if !finite(v) {
		return -1
	}
	k := len(cc.Colors)
	step := (cc.Breaks[k] - cc.Breaks[0]) / float64(k)
	c := int(math.Floor((v - cc.Breaks[0]) / step))
	return max(0, min(k-1, c))
}

// divergingColors interpolates #2166ac – #f7f7f7 – #b2182b in k steps (the
// web client draws its change mode with them: GET /api/change classes).
func divergingColors(k int) []string {
	return rampColors(k, [3]float64{0x21, 0x66, 0xac}, [3]float64{0xf7, 0xf7, 0xf7}, [3]float64{0xb2, 0x18, 0x2b})
}

// rampColors interpolates lo – mid – hi in k steps.
func rampColors(k int, lo, mid, hi [3]float64) []string {
	lerp := func(a, b [3]float64, f float64) string {
		return fmt.Sprintf("#%02x%02x%02x", int(math.Round(a[0]+(b[0]-a[0])*f)), int(math.Round(a[1]+(b[1]-a[1])*f)), int(math.Round(a[2]+(b[2]-a[2])*f)))
	}
	out := make([]string, k)
	for i := range out {
		f := 0.5
		if k > 1 {
			f = float64(i) / float64(k-1)
		}
		if f < 0.5 {
			out[i] = lerp(lo, mid, f*2)
		} else {
			out[i] = lerp(mid, hi, (f-0.5)*2)
		}
	}
	return out
}

// sortedChanges returns the areas with a change, largest increase first.
func sortedChanges(c *Change) []ChangeArea {
	var out []ChangeArea
	for _, a := range c.Areas {
		if a.Change.Valid() {
			out = append(out, a)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Change > out[j].Change })
	return out
}
