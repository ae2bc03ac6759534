package service

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/render"
)

// Small multiples: one map per year of an indicator, every year classified
// with the same breaks (pooled over the years), so a colour means the same
// value on every map. For the screen (the client shows the panels) and
// print (one SVG with every year and one legend).

// MaxMultiplesYears bounds the maps of one small-multiples picture.
const MaxMultiplesYears = 12

// MultiplesQuery asks for small multiples: the classify query (its Year
// and Pooled are set per map) over Years.
type MultiplesQuery struct {
	ClassifyQuery
	// Years are the years, one map each; empty: every year the level has
	// values for.
	Years []int
	// Columns of the SVG grid (0: 2 for up to four years, else 3) and its
	// Width in CSS px (0: 1000).
	Columns int
	Width   int
	// Fragment makes the SVG an element to inline in HTML (the report).
	Fragment bool
}

// MultiplesYear is one map of the small multiples.
type MultiplesYear struct {
	Year int `json:"year"`
	// Legend is the shared classes with this year's counts.
	Legend []LegendEntry `json:"legend"`
	// Areas are this year's areas with their class and colour.
	Areas []ClassifiedArea `json:"areas"`
}

// Multiples is the answer to a MultiplesQuery.
type Multiples struct {
	Indicator data.Indicator  `json:"indicator"`
	Level     string          `json:"level"`
	Breakdown string          `json:"breakdown"`
	Years     []int           `json:"years"`
	Method    string          `json:"method"`
	K         int             `json:"k"`
	Scheme    string          `json:"scheme"`
	Breaks    []float64       `json:"breaks"` // the same for every year
	Maps      []MultiplesYear `json:"maps"`
	Note      string          `json:"note"`
}

// multiplesYears checks and defaults the years of q.
func (s *Service) multiplesYears(ctx context.Context, q MultiplesQuery) ([]int, error) {
	if q.Level == "" {
		q.Level = data.LevelDeSO
	}
	if err := s.checkLevel(ctx, q.Level); err != nil {
		return nil, err
	}
	ind, err := s.indicator(ctx, q.Indicator)
	if err != nil {
		return nil, err
	}
	have := slices.Clone(LevelYears(ind, q.Level))
	slices.Sort(have)
	if len(have) == 0 {
		return nil, notFound("indicator %q has no values at level %s", ind.ID, q.Level).
			Sv("indikatorn %q saknar värden på nivån %s", ind.ID, q.Level)
	}
	years := slices.Clone(q.Years)
	if len(years) == 0 {
		years = have
	}
	slices.Sort(years)
	years = slices.Compact(years)
	if len(years) > MaxMultiplesYears {
		return nil, badRequest("at most %d years of maps, got %d", MaxMultiplesYears, len(years)).
			Sv("högst %d år med kartor, fick %d", MaxMultiplesYears, len(years))
	}
	for _, y := range years {
		if !slices.Contains(have, y) {
			return nil, badRequest("%s has no values of indicator %q for %d; years at %s: %v", q.Level, ind.ID, y, q.Level, have).
				Sv("%s har inga värden för indikatorn %q år %d; år på nivån %s: %v", q.Level, ind.ID, y, q.Level, have)
		}
	}
	return years, nil
}

// multiples classifies every year with breaks pooled over all of them.
// With maps set it builds each year's picture too.
func (s *Service) multiples(ctx context.Context, q MultiplesQuery, maps bool) (*Multiples, []render.Map, error) {
	if q.Level == "" {
		q.Level = data.LevelDeSO
	}
	years, err := s.multiplesYears(ctx, q)
	if err != nil {
		return nil, nil, err
	}
	out := &Multiples{Years: years}
	var pics []render.Map
	for _, y := range years {
		cq := q.ClassifyQuery
		cq.Year, cq.Pooled = y, years
		var cl *Classification
		if maps {
			var m render.Map
			if m, cl, err = s.PictureMap(ctx, cq); err != nil {
				return nil, nil, err
			}
			pics = append(pics, m)
		} else if cl, err = s.Classify(ctx, cq); err != nil {
			return nil, nil, err
		}
		if out.Maps == nil {
			out.Indicator, out.Level, out.Breakdown = cl.Indicator, cl.Level, cl.Breakdown
			out.Method, out.K, out.Scheme, out.Breaks, out.Note = cl.Method, cl.K, cl.Scheme, cl.Breaks, cl.Note
		}
		out.Maps = append(out.Maps, MultiplesYear{Year: y, Legend: cl.Legend, Areas: cl.Areas})
	}
	return out, pics, nil
}

// SmallMultiples classifies the indicator for every year of q with the
// same breaks (pooled over the years).
func (s *Service) SmallMultiples(ctx context.Context, q MultiplesQuery) (*Multiples, error) {
	m, _, err := s.multiples(ctx, q, false)
	return m, err
}

// SmallMultiplesSVG draws the small multiples of q as one SVG: a map per
// year under one title, one shared legend and the source.
func (s *Service) SmallMultiplesSVG(ctx context.Context, q MultiplesQuery) ([]byte, error) {
	m, pics, err := s.multiples(ctx, q, true)
	if err != nil {
		return nil, err
	}
	en := q.Lang == "en"
	name := m.Indicator.NameSV
	if en && m.Indicator.NameEN != "" {
		name = m.Indicator.NameEN
	}
	first, last := m.Years[0], m.Years[len(m.Years)-1]
	sm := render.SmallMultiples{Title: fmt.Sprintf("%s %d–%d", name, first, last), Lang: "sv", Columns: q.Columns, LegendTitle: m.Indicator.Unit}
	if first == last {
		sm.Title = fmt.Sprintf("%s %d", name, first)
	}
	if en {
		sm.Lang = "en"
		sm.Source = fmt.Sprintf("Source: SCB, %s. Same class breaks for every year.", yearSpan(first, last))
	} else {
		sm.Source = fmt.Sprintf("Källa: SCB, %s. Samma klassgränser alla år.", yearSpan(first, last))
	}
	for i, p := range pics {
		if i == 0 {
			sm.Subtitle = p.Subtitle
		}
		sm.Panels = append(sm.Panels, render.Map{Title: fmt.Sprint(m.Years[i]), Features: p.Features, Outlines: p.Outlines})
	}
	// The shared classes (no counts: they differ per year), then no data
	// or suppressed when any year has such areas.
	other := map[string]LegendEntry{}
	for _, y := range m.Maps {
		for _, e := range y.Legend {
			if e.Kind != "class" && e.Count > 0 {
				other[e.Kind] = e
			}
		}
	}
	for _, e := range m.Maps[len(m.Maps)-1].Legend {
		if e.Kind == "class" {
			sm.Legend = append(sm.Legend, render.LegendItem{Label: e.Label, Color: e.Color})
		}
	}
	for _, k := range []string{"nodata", "suppressed"} {
		if e, ok := other[k]; ok {
			sm.Legend = append(sm.Legend, render.LegendItem{Label: e.Label, Color: e.Color})
		}
	}
	width := q.Width
	if width == 0 {
		width = 1000
	}
	if width < PictureMinSize || width > PictureMaxSize {
		return nil, badRequest("width must be between %d and %d, got %d", PictureMinSize, PictureMaxSize, width).
			Sv("width måste vara mellan %d och %d, inte %d", PictureMinSize, PictureMaxSize, width)
	}
	var buf bytes.Buffer
	err = render.SmallMultiplesSVG(&buf, sm, render.Options{Width: width, Fragment: q.Fragment})
	if errors.Is(err, render.ErrBadOptions) {
		return nil, invalidBecause(err, "the maps cannot be drawn with these options (fewer columns or a larger width)", "kartorna kan inte ritas med de här inställningarna (färre kolumner eller större bredd)")
	}
	if err != nil {
		return nil, fmt.Errorf("service: small multiples: %w", err)
	}
	return buf.Bytes(), nil
}

func yearSpan(a, b int) string {
	if a == b {
		return fmt.Sprint(a)
	}
	return fmt.Sprintf("%d–%d", a, b)
}
