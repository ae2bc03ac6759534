package service

import (
	"context"
	"errors"

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

// areaTypes returns the year, the type of every RegSO and the source used:
// the official types when source allows and the store has them, else
// types computed for the latest year the three shares exist on RegSO.
func (s *Service) areaTypes(ctx context.Context, source string) (int, map[string]int, string, error) {
	switch source {
	case "", SourceOfficial, SourceComputed:
	default:
		return 0, nil, "", fault.New(fault.Invalid, "source must be official or computed, got %q", source).
			Sv("source måste vara official eller computed, inte %q", source)
	}
	if source != SourceComputed {
		ind, err := s.indicator(ctx, s.opts.OmradestypIndicator)
		switch {
		case err == nil && latestYearAt(ind, data.LevelRegSO) > 0:
			year := latestYearAt(ind, data.LevelRegSO)
			vals, err := s.store.Values(ctx, data.ValuesQuery{Level: data.LevelRegSO, Indicator: ind.ID, Year: year})
			if err != nil {
				return 0, nil, "", err
			}
			typeOf := map[string]int{}
			for _, v := range vals {
				if finite(v.Value) {
					typeOf[v.Code] = int(v.Value)
				}
			}
			return year, typeOf, SourceOfficial, nil
		case err != nil && !errors.Is(err, data.ErrNotFound):
			return 0, nil, "", err
		case source == SourceOfficial:
			return 0, nil, "", fault.New(fault.NotFound, "the store has no official områdestyper; import them, or ask for source=computed").
				Sv("databasen har inga officiella områdestyper; importera dem, eller be om source=computed")
		}
	}
	return s.computedTypes(ctx)
}

// computedTypes classifies every RegSO of the country (SCB's rule: mean and
// σ over all RegSO) for the latest year the low-economic-standard share has
// on RegSO.
func (s *Service) computedTypes(ctx context.Context) (int, map[string]int, string, error) {
	low, err := s.indicator(ctx, s.opts.LowEconIndicator)
	if err != nil {
		return 0, nil, "", err
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
			return 0, nil, "", err
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
		return 0, nil, "", fault.Wrap(fault.NotFound, err, "områdestyper cannot be computed for %d: the store lacks the RegSO shares of low economic standard, low education and unemployment", year).
			Sv("områdestyper kan inte beräknas för %d: databasen saknar RegSO-andelarna för låg ekonomisk standard, låg utbildning och arbetslöshet", year)
	}
	typeOf := make(map[string]int, len(res))
	for _, r := range res {
		if r.Type > 0 {
			typeOf[r.Code] = r.Type
		}
	}
	return year, typeOf, SourceComputed, nil
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
