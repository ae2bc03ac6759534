package service

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/segmap/segmap/internal/locale"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/spatial/classify"
	"github.com/segmap/segmap/spatial/palette"
)

// ClassifyQuery is a values query plus how to classify it.
type ClassifyQuery struct {
	ValuesQuery
	Method string    // classify.Method; "": quantile
	K      int       // 0: 5
	Manual []float64 // breaks for method "manual"
	SDStep float64   // for method "sd"
	Scheme string    // palette name; "": palette.Default
	// Pooled lists the years whose values together decide the breaks, so maps
	// of different years share one legend. Empty: the query's year only.
	Pooled []int
	Lang   string // "sv" (default) or "en"
}

// ClassifiedArea is one area with its class and colour.
type ClassifiedArea struct {
	ID         int64  `json:"id"`
	Code       string `json:"code"`
	Name       string `json:"name"`
	Kommun     string `json:"kommun,omitempty"`
	Value      Num    `json:"value"`
	Class      int    `json:"class"` // 0..k-1, -1 no data, -2 suppressed
	Color      string `json:"color"`
	Suppressed bool   `json:"suppressed"`
}

// LegendEntry is one row of the legend.
type LegendEntry struct {
	Label string `json:"label"`
	Color string `json:"color"`
	Count int    `json:"count"`
	Min   Num    `json:"min"`
	Max   Num    `json:"max"`
	Kind  string `json:"kind"` // class, nodata, suppressed
}

// Classification is the answer to a ClassifyQuery.
type Classification struct {
	Indicator data.Indicator   `json:"indicator"`
	Level     string           `json:"level"`
	Year      int              `json:"year"`
	Breakdown string           `json:"breakdown"`
	Pooled    []int            `json:"pooled"`
	Method    string           `json:"method"`
	K         int              `json:"k"`
	Scheme    string           `json:"scheme"`
	Breaks    []float64        `json:"breaks"`
	Closure   string           `json:"closure"`
	Legend    []LegendEntry    `json:"legend"`
	Areas     []ClassifiedArea `json:"areas"`
	Note      string           `json:"note"`            // the notes as text in the request's language, "; " between
	Notes     []classify.Note  `json:"notes,omitempty"` // the same, typed
	// Values is the values answer the classes were assigned to (for exports).
	Values *Values `json:"-"`
	// SeriesGeography is the values' (where the series changes geography version).
	SeriesGeography *Geographies `json:"series_geography,omitempty"`
}

// NoDataColor and SuppressedColor are used when the legend gives none.
const (
	NoDataColor     = "#d9d9d9"
	SuppressedColor = "#969696"
)

// Classify classifies the values of q. Breaks come from the pooled years'
// values (all areas of the selection, suppressed values left out); classes
// are then assigned to the query year's values. The answer is cached per
// data version and shared: callers must not modify it.
func (s *Service) Classify(ctx context.Context, q ClassifyQuery) (*Classification, error) {
	if q.Method == "" {
		q.Method = string(classify.MethodQuantile)
	}
	if q.K == 0 {
		q.K = 5
	}
	if q.Scheme == "" {
		q.Scheme = palette.Default
	}
	if q.Lang == "" {
		q.Lang = "sv"
	}
	if q.Lang != "sv" && q.Lang != "en" {
		return nil, badRequest("lang must be sv or en, got %q", q.Lang).Sv("lang måste vara sv eller en, inte %q", q.Lang)
	}
	q.ValuesQuery = sortedKommuner(q.ValuesQuery)
	return cached(ctx, s, "classify\x00"+queryKey(q), func(c *Classification) int64 { return int64(len(c.Areas))*areaBytes + 1024 },
		func(ctx context.Context) (*Classification, error) { return s.buildClassification(ctx, q) })
}

// buildClassification classifies q (defaults filled in).
func (s *Service) buildClassification(ctx context.Context, q ClassifyQuery) (*Classification, error) {
	vals, err := s.Values(ctx, q.ValuesQuery)
	if err != nil {
		return nil, err
	}
	q.Year = vals.Year
	pooled := slices.Clone(q.Pooled)
	if !slices.Contains(pooled, q.Year) {
		pooled = append(pooled, q.Year)
	}
	slices.Sort(pooled)
	pooled = slices.Compact(pooled)
	groups := make([][]float64, len(pooled))
	sups := make([][]bool, len(pooled))
	at := 0
	for i, y := range pooled {
		v := vals
		if y != q.Year {
			vq := q.ValuesQuery
			vq.Year = y
			if v, err = s.Values(ctx, vq); err != nil {
				return nil, err
			}
		} else {
			at = i
		}
		groups[i], sups[i] = v.floats()
	}
	copts := classify.Options{Method: classify.Method(q.Method), K: q.K, Manual: q.Manual, SDStep: q.SDStep}
	results, err := classify.Pooled(groups, sups, copts)
	var res classify.Result
	switch {
	case errors.Is(err, classify.ErrEmpty):
		// Nothing to classify (a year without values at this level, or only
		// suppressed ones): every area is "no data"/"suppressed", which the
		// map and legend show, rather than an error.
		res = emptyResult(classify.Method(q.Method), groups[at], sups[at])
	case err != nil:
		return nil, classifyFailed(err)
	default:
		res = results[at]
	}
	nClasses := max(len(res.Breaks)-1, 1)
	colors, err := palette.ForClasses(q.Scheme, nClasses)
	if err != nil {
		return nil, paletteFailed(err, q.Scheme, nClasses)
	}
	leg := classify.Legend(res, classify.LegendOptions{Lang: q.Lang, Decimals: vals.Indicator.Decimals, Unit: vals.Indicator.Unit, Colors: colors})
	out := &Classification{Indicator: vals.Indicator, Level: vals.Level, Year: vals.Year, Breakdown: vals.Breakdown,
		Pooled: pooled, Method: q.Method, K: res.K(), Scheme: q.Scheme, Breaks: res.Breaks, Closure: res.Closure,
		Note: notesText(res.Notes, locale.Of(q.Lang)), Notes: res.Notes, Values: vals, Legend: make([]LegendEntry, 0, len(leg)), Areas: make([]ClassifiedArea, 0, len(vals.Areas)),
		SeriesGeography: vals.SeriesGeography}
	if out.Breaks == nil {
		out.Breaks = []float64{}
	}
	noData, supColor := NoDataColor, SuppressedColor
	for _, e := range leg {
		le := LegendEntry{Label: e.Label, Color: e.Color, Count: e.Count, Min: Num(e.Min), Max: Num(e.Max), Kind: e.Kind}
		switch e.Kind {
		case "nodata":
			if e.Color != "" {
				noData = e.Color
			} else {
				le.Color = noData
			}
		case "suppressed":
			if e.Color != "" {
				supColor = e.Color
			} else {
				le.Color = supColor
			}
		}
		out.Legend = append(out.Legend, le)
	}
	for i, a := range vals.Areas {
		c := res.Classes[i]
		ca := ClassifiedArea{ID: a.ID, Code: a.Code, Name: a.Name, Kommun: a.Kommun, Value: a.Value, Class: c, Suppressed: a.Suppressed}
		switch {
		case c >= 0 && c < len(colors):
			ca.Color = colors[c]
		case c == -2:
			ca.Color = supColor
		default:
			ca.Color = noData
		}
		out.Areas = append(out.Areas, ca)
	}
	return out, nil
}

// emptyResult is the classification of values none of which is finite and
// unsuppressed: no classes, every area no data or suppressed.
func emptyResult(m classify.Method, vals []float64, sup []bool) classify.Result {
	r := classify.Result{Method: m, Closure: classify.ClosureLeft, Classes: make([]int, len(vals)), Counts: []int{}}
	for i := range vals {
		switch {
		case i < len(sup) && sup[i]:
			r.Classes[i] = classify.SuppressedClass
			r.Suppressed++
		default: // NaN or ±Inf: ErrEmpty means no value is finite
			r.Classes[i] = classify.NoData
			r.NoData++
		}
	}
	r.Notes = []classify.Note{{Kind: classify.NoteNoValues}}
	return r
}

// classifyFailed words classify's option errors for people; the cause
// stays for the log.
func classifyFailed(err error) error {
	var oe *classify.OptionError
	if !errors.As(err, &oe) {
		return invalidBecause(err, "the values cannot be classified with these options", "värdena kan inte klassindelas med de här inställningarna")
	}
	switch {
	case errors.Is(oe.Err, classify.ErrMethod):
		return invalidBecause(err, fmt.Sprintf("unknown method %q; methods are %s", oe.Method, methodList),
			fmt.Sprintf("okänd metod %q; metoderna är %s", oe.Method, methodList))
	case errors.Is(oe.Err, classify.ErrK):
		return invalidBecause(err, fmt.Sprintf("k must be at least 2, got %g", oe.Got), fmt.Sprintf("k måste vara minst 2, inte %g", oe.Got))
	case errors.Is(oe.Err, classify.ErrManual):
		return invalidBecause(err, fmt.Sprintf("method=manual needs at least 2 numbers in breaks (e.g. breaks=0,10,20), got %g", oe.Got),
			fmt.Sprintf("method=manual kräver minst 2 tal i breaks (t.ex. breaks=0,10,20), fick %g", oe.Got))
	case errors.Is(oe.Err, classify.ErrSDStep):
		return invalidBecause(err, fmt.Sprintf("sd_step must be a number above 0 (1 or 0.5), got %g", oe.Got),
			fmt.Sprintf("sd_step måste vara ett tal över 0 (1 eller 0.5), inte %g", oe.Got))
	}
	return invalidBecause(err, "the values cannot be classified with these options", "värdena kan inte klassindelas med de här inställningarna")
}

// methodList names the classification methods in messages.
const methodList = "quantile, equal, fisher, jenks, sd, pretty, headtails, manual"

// paletteFailed words a colour scheme that cannot colour k classes.
func paletteFailed(err error, scheme string, k int) error {
	if errors.Is(err, palette.ErrUnknownScheme) {
		return invalidBecause(err, fmt.Sprintf("unknown colour scheme %q; use a ColorBrewer name such as YlOrRd, Blues or RdBu", scheme),
			fmt.Sprintf("okänt färgschema %q; använd ett ColorBrewer-namn som YlOrRd, Blues eller RdBu", scheme))
	}
	return invalidBecause(err, fmt.Sprintf("the colour scheme %q has no colours for %d classes; choose fewer classes or another scheme", scheme, k),
		fmt.Sprintf("färgschemat %q har inga färger för %d klasser; välj färre klasser eller ett annat schema", scheme, k))
}
