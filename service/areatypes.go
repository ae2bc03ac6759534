package service

import (
	"context"
	"errors"
	"fmt"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/internal/fault"
	"github.com/segmap/segmap/spatial/areatype"
)

// Where the områdestyper come from.
const (
	// SourceOfficial: SCB's published types (the områdestyp indicator).
	SourceOfficial = "official"
	// SourceComputed: computed by segmap with SCB's rule (spatial/areatype)
	// from the three shares of every RegSO in the country.
	SourceComputed = "computed"
)

// The indicators the computed types are made from (the national reference
// data's ids): the low-economic-standard count, the pre-upper-secondary
// education count, and unemployed over all persons 16–64 (the
// unemployment numerator over the employment rate's denominator), the
// variant that reproduces SCB's 2022 types best (spatial/areatype).
const (
	eduLowIndicator     = "edu_25_64_pre_upper_secondary_pct"
	unemploymentIndicat = "unemployment_rate_16_64_pct"
	employmentIndicator = "employment_rate_16_64_pct"
)

// TypeSource says which områdestyper an answer used: SCB's official types
// of a year, or types computed by segmap with SCB's rule from one year's
// shares, with a sentence for people in Swedish and English.
type TypeSource struct {
	Source string `json:"source"` // SourceOfficial or SourceComputed
	// Year is the official types' year, or the year of the shares the
	// computed types were made from.
	Year   int    `json:"year"`
	NoteSV string `json:"note_sv"`
	NoteEN string `json:"note_en"`
}

// Note is the sentence in lang ("en" or Swedish).
func (t TypeSource) Note(lang string) string {
	if lang == "en" {
		return t.NoteEN
	}
	return t.NoteSV
}

// typeSource describes source for year; fallback says the official types
// were wanted but the store has none.
func typeSource(source string, year int, fallback bool) TypeSource {
	if source == SourceOfficial {
		return TypeSource{Source: source, Year: year,
			NoteSV: fmt.Sprintf("Områdestyperna är SCB:s officiella för %d.", year),
			NoteEN: fmt.Sprintf("The area types are SCB's official types for %d.", year)}
	}
	t := TypeSource{Source: source, Year: year,
		NoteSV: fmt.Sprintf("Områdestyperna är beräknade av segmap med SCB:s regel (medelvärdet av andelarna med låg ekonomisk standard, förgymnasial utbildning och arbetslöshet; typ efter medelvärde och standardavvikelse över alla RegSO i riket) från %d års andelar.", year),
		NoteEN: fmt.Sprintf("The area types are computed by segmap with SCB's rule (the mean of the shares of low economic standard, pre-upper-secondary education and unemployment; types by mean and standard deviation over all RegSO in the country) from the shares of %d.", year)}
	if fallback {
		t.NoteSV += " Databasen har inga officiella områdestyper."
		t.NoteEN += " The store has no official area types."
	}
	return t
}

// AreaTypes returns the type (1..5) of every RegSO with a type and where
// the types come from: the official types when source allows and the store
// has them, else types computed for the latest year the three shares exist
// on RegSO (source: SourceOfficial, SourceComputed or "").
func (s *Service) AreaTypes(ctx context.Context, source string) (TypeSource, map[string]int, error) {
	return s.areaTypes(ctx, source)
}

func (s *Service) areaTypes(ctx context.Context, source string) (TypeSource, map[string]int, error) {
	switch source {
	case "", SourceOfficial, SourceComputed:
	default:
		return TypeSource{}, nil, fault.New(fault.Invalid, "source must be official or computed, got %q", source).
			Sv("source måste vara official eller computed, inte %q", source)
	}
	if source != SourceComputed {
		ind, err := s.indicator(ctx, s.opts.OmradestypIndicator)
		switch {
		case err == nil && latestYearAt(ind, data.LevelRegSO) > 0:
			year := latestYearAt(ind, data.LevelRegSO)
			vals, err := s.store.Values(ctx, data.ValuesQuery{Level: data.LevelRegSO, Indicator: ind.ID, Year: year})
			if err != nil {
				return TypeSource{}, nil, err
			}
			typeOf := map[string]int{}
			for _, v := range vals {
				if finite(v.Value) {
					typeOf[v.Code] = int(v.Value)
				}
			}
			return typeSource(SourceOfficial, year, false), typeOf, nil
		case err != nil && !errors.Is(err, data.ErrNotFound):
			return TypeSource{}, nil, err
		case source == SourceOfficial:
			return TypeSource{}, nil, fault.New(fault.NotFound, "the store has no official områdestyper; import them, or ask for source=computed").
				Sv("databasen har inga officiella områdestyper; importera dem, eller be om source=computed")
		}
	}
	year, typeOf, err := s.computedTypes(ctx)
	if err != nil {
		return TypeSource{}, nil, err
	}
	return typeSource(SourceComputed, year, source == ""), typeOf, nil
}

// computedTypes classifies every RegSO of the country (SCB's rule: mean and
// σ over all RegSO) for the latest year the low-economic-standard share has
// on RegSO.
func (s *Service) computedTypes(ctx context.Context) (int, map[string]int, error) {
	low, err := s.indicator(ctx, s.opts.LowEconIndicator)
	if err != nil {
		return 0, nil, err
	}
	year := latestYearAt(low, data.LevelRegSO)
	get := func(id string) (map[string]data.Value, error) {
		vs, err := s.store.Values(ctx, data.ValuesQuery{Level: data.LevelRegSO, Indicator: id, Year: year})
		if err != nil {
			return nil, err
		}
		m := make(map[string]data.Value, len(vs))
		for _, v := range vs {
			m[v.Code] = v
		}
		return m, nil
	}
	ids := []string{low.ID, eduLowIndicator, unemploymentIndicat, employmentIndicator}
	sets := make([]map[string]data.Value, len(ids))
	for i, id := range ids {
		if sets[i], err = get(id); err != nil {
			return 0, nil, err
		}
	}
	in := make([]areatype.Input, 0, len(sets[0]))
	for code, l := range sets[0] {
		e, u, m := sets[1][code], sets[2][code], sets[3][code]
		a := areatype.Input{Code: code,
			LowEcon: l.Numerator, LowEconDen: l.Denominator,
			LowEdu: e.Numerator, LowEduDen: e.Denominator,
			Unemp: u.Numerator, UnempDen: m.Denominator}
		if complete(a) {
			in = append(in, a) // an area without all counts gets no type
		}
	}
	res, _, err := areatype.Classify(in, areatype.Options{})
	if err != nil {
		return 0, nil, fault.Wrap(fault.NotFound, err, "områdestyper cannot be computed for %d: the store lacks the RegSO shares of low economic standard, low education and unemployment", year).
			Sv("områdestyper kan inte beräknas för %d: databasen saknar RegSO-andelarna för låg ekonomisk standard, låg utbildning och arbetslöshet", year)
	}
	typeOf := make(map[string]int, len(res))
	for _, r := range res {
		if r.Type > 0 {
			typeOf[r.Code] = r.Type
		}
	}
	return year, typeOf, nil
}

// complete reports whether every count of a is a number and no share is
// over 100 %.
func complete(a areatype.Input) bool {
	for _, v := range []float64{a.LowEcon, a.LowEconDen, a.LowEdu, a.LowEduDen, a.Unemp, a.UnempDen} {
		if !finite(v) || v < 0 {
			return false
		}
	}
	return a.LowEcon <= a.LowEconDen && a.LowEdu <= a.LowEduDen && a.Unemp <= a.UnempDen
}
