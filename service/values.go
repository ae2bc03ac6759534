package service

import (
	"context"
	"fmt"
	"slices"

	"github.com/segmap/segmap/data"
)

// ValuesQuery selects one indicator's values for one level and year.
type ValuesQuery struct {
	Level     string
	Indicator string
	Year      int    // 0: the indicator's latest year
	Breakdown string // "": total
	Kommuner  []string
}

// AreaValue is one area's value. Areas without a value are listed with
// null numbers, so a choropleth can show them as "no data".
type AreaValue struct {
	ID          int64  `json:"id"`
	Code        string `json:"code"`
	Name        string `json:"name"`
	Kommun      string `json:"kommun,omitempty"`
	Lan         string `json:"lan,omitempty"`
	Value       Num    `json:"value"`
	Numerator   Num    `json:"numerator"`
	Denominator Num    `json:"denominator"`
	Suppressed  bool   `json:"suppressed"`
	Estimated   bool   `json:"estimated"`
	// Geography is set where the area's series breaks (a DeSO 2025 split).
	Geography *Geography `json:"geography,omitempty"`
}

// Values is the answer to a ValuesQuery.
type Values struct {
	Indicator data.Indicator `json:"indicator"`
	Level     string         `json:"level"`
	Year      int            `json:"year"`
	Breakdown string         `json:"breakdown"`
	Areas     []AreaValue    `json:"areas"`
	// TypeSource is set for the områdestyp indicator: the store's values
	// are SCB's official types of the year.
	TypeSource *TypeSource `json:"type_source,omitempty"`
	// SeriesGeography says where the indicator's series on this level
	// changes geography version (absent: it does not).
	SeriesGeography *Geographies `json:"series_geography,omitempty"`
}

// Values returns the values of every area of the level (in the kommuner, if
// given), sorted by code, with the disclosure rule applied when configured.
// The answer is cached per data version and shared: callers must not
// modify it.
func (s *Service) Values(ctx context.Context, q ValuesQuery) (*Values, error) {
	q, ind, err := s.normalise(ctx, q)
	if err != nil {
		return nil, err
	}
	size := func(v *Values) int64 { return int64(len(v.Areas))*areaBytes + 512 }
	if len(q.Kommuner) > 0 {
		// Some kommuner's values are those of the whole level (built once
		// and shared by every selection) narrowed to their areas.
		return cached(ctx, s, "values\x00"+queryKey(q), size, func(ctx context.Context) (*Values, error) {
			all := q
			all.Kommuner = nil
			full, err := s.Values(ctx, all)
			if err != nil {
				return nil, err
			}
			return full.inKommuner(q.Kommuner), nil
		})
	}
	return cached(ctx, s, "values\x00"+queryKey(q), size,
		func(ctx context.Context) (*Values, error) { return s.buildValues(ctx, q, ind) })
}

// inKommuner is v with only the areas in the kommuner (as the store's
// AreasOptions.Kommuner selects them: by the area's kommun).
func (v *Values) inKommuner(kommuner []string) *Values {
	out := *v
	out.Areas = make([]AreaValue, 0, len(v.Areas)/8)
	for _, a := range v.Areas {
		if slices.Contains(kommuner, a.Kommun) {
			out.Areas = append(out.Areas, a)
		}
	}
	return &out
}

// buildValues answers a normalised query from the store.
func (s *Service) buildValues(ctx context.Context, q ValuesQuery, ind data.Indicator) (*Values, error) {
	areas, err := s.levelAreas(ctx, q.Level, q.Kommuner)
	if err != nil {
		return nil, err
	}
	vals, err := s.store.Values(ctx, data.ValuesQuery{Level: q.Level, Indicator: q.Indicator, Year: q.Year,
		Breakdown: q.Breakdown, Kommuner: q.Kommuner})
	if err != nil {
		return nil, err
	}
	byCode := make(map[string]data.Value, len(vals))
	for _, v := range vals {
		byCode[v.Code] = v
	}
	out := &Values{Indicator: ind, Level: q.Level, Year: q.Year, Breakdown: q.Breakdown, Areas: make([]AreaValue, 0, len(areas))}
	if out.SeriesGeography, err = s.seriesGeographies(ctx, ind, q.Level, LevelYears(ind, q.Level)); err != nil {
		return nil, err
	}
	if ind.ID == s.opts.OmradestypIndicator {
		ts := typeSource(SourceOfficial, q.Year, false)
		out.TypeSource = &ts
	}
	for _, a := range areas {
		av := AreaValue{ID: a.ID, Code: a.Code, Name: a.Name, Kommun: a.Kommun, Lan: a.Lan, Value: Num(nan), Numerator: Num(nan), Denominator: Num(nan),
			Geography: geographyOf(q.Level, a.Code)}
		if v, ok := byCode[a.Code]; ok {
			av.Value, av.Numerator, av.Denominator = Num(v.Value), Num(v.Numerator), Num(v.Denominator)
			av.Suppressed, av.Estimated = v.Suppressed, v.Estimated
			s.disclose(ind, &av)
		}
		out.Areas = append(out.Areas, av)
	}
	return out, nil
}

// disclose applies the disclosure rule: a ratio whose group is too small is
// withheld (value and numerator hidden; the denominator stays).
func (s *Service) disclose(ind data.Indicator, av *AreaValue) {
	if av.Suppressed {
		av.Value, av.Numerator = Num(nan), Num(nan)
		return
	}
	if s.opts.Disclosure == nil || ind.Aggregation != data.AggRatio || !av.Numerator.Valid() || !av.Denominator.Valid() {
		return
	}
	if s.opts.Disclosure.Suppress(float64(av.Numerator), float64(av.Denominator)) {
		av.Suppressed = true
		av.Value, av.Numerator = Num(nan), Num(nan)
	}
}

// queryKey identifies a query without ambiguity (Go syntax quotes every
// string, and a field added to the query is in the key without being
// listed here); the kommuner are sorted, as the answer does not depend on
// their order.
func queryKey(q any) string {
	return fmt.Sprintf("%#v", q)
}

func sortedKommuner(q ValuesQuery) ValuesQuery {
	if !slices.IsSorted(q.Kommuner) {
		q.Kommuner = slices.Clone(q.Kommuner)
		slices.Sort(q.Kommuner)
	}
	return q
}

func (s *Service) normalise(ctx context.Context, q ValuesQuery) (ValuesQuery, data.Indicator, error) {
	if err := s.checkLevel(ctx, q.Level); err != nil {
		return q, data.Indicator{}, err
	}
	ind, err := s.indicator(ctx, q.Indicator)
	if err != nil {
		return q, ind, err
	}
	if q.Breakdown == "" {
		q.Breakdown = data.BreakdownTotal
	}
	if q.Year == 0 {
		q.Year = latestYearAt(ind, q.Level)
	}
	if len(ind.Years) > 0 && !slices.Contains(ind.Years, q.Year) {
		return q, ind, notFound("indicator %q has no values for year %d; years: %v", ind.ID, q.Year, ind.Years).
			Sv("indikatorn %q har inga värden för år %d; år: %v", ind.ID, q.Year, ind.Years)
	}
	if len(ind.Breakdowns) > 0 && !slices.Contains(ind.Breakdowns, q.Breakdown) {
		return q, ind, notFound("indicator %q has no breakdown %q; breakdowns: %v", ind.ID, q.Breakdown, ind.Breakdowns).
			Sv("indikatorn %q har ingen uppdelning %q; uppdelningar: %v", ind.ID, q.Breakdown, ind.Breakdowns)
	}
	return sortedKommuner(q), ind, nil
}

// floats returns the values (NaN when missing or suppressed) and the
// suppressed flags of a Values answer.
func (v *Values) floats() ([]float64, []bool) {
	x := make([]float64, len(v.Areas))
	sup := make([]bool, len(v.Areas))
	for i, a := range v.Areas {
		x[i] = float64(a.Value)
		sup[i] = a.Suppressed
	}
	return x, sup
}

// levelAreas is the store's areas of level (in the kommuner, if given);
// the whole level's list is read once per data version and shared by the
// values of every indicator, year and breakdown (read only).
func (s *Service) levelAreas(ctx context.Context, level string, kommuner []string) ([]data.Area, error) {
	if len(kommuner) > 0 {
		return s.store.Areas(ctx, level, data.AreasOptions{Kommuner: kommuner})
	}
	return cached(ctx, s, "areas\x00"+level, func(as []data.Area) int64 { return int64(len(as))*areaBytes + 256 },
		func(ctx context.Context) ([]data.Area, error) { return s.store.Areas(ctx, level, data.AreasOptions{}) })
}
