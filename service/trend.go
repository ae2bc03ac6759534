package service

import (
	"context"
	"slices"
	"sort"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/internal/fault"
)

// maxTrendCodes bounds the areas of one trend query given by code.
const maxTrendCodes = 10000

// TrendQuery asks for the series of one indicator over all years for some
// areas of one level, beside their kommun, län and riket.
type TrendQuery struct {
	Indicator string
	Level     string   // "": regso
	Breakdown string   // "": total
	Codes     []string // the areas; with Kommuner empty, at least one
	// Kommuner adds every area of the level in these kommuner.
	Kommuner []string
}

// TrendSeries is one area's values, aligned with Trend.Years (null where
// the year has no value or it is withheld).
type TrendSeries struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Level  string `json:"level"`
	Kommun string `json:"kommun,omitempty"` // parent codes (areas below kommun)
	Lan    string `json:"lan,omitempty"`
	Values []Num  `json:"values"`
	// Numerators and Denominators are the counts of a ratio (null otherwise).
	Numerators   []Num `json:"numerators"`
	Denominators []Num `json:"denominators"`
}

// Trend is the answer to a TrendQuery: the asked areas, then their
// parents (each kommun and län once, and riket), all over the same years.
type Trend struct {
	Indicator data.Indicator `json:"indicator"`
	Level     string         `json:"level"`
	Breakdown string         `json:"breakdown"`
	Years     []int          `json:"years"`
	Areas     []TrendSeries  `json:"areas"`
	Parents   []TrendSeries  `json:"parents"`
	// SeriesGeography says where the areas' series changes geography
	// version (DeSO 2018 to DeSO 2025) and whether the years compare;
	// absent when it does not (kommun, län and riket never do).
	SeriesGeography *Geographies `json:"series_geography,omitempty"`
}

// Trend returns the series of an indicator over every year the level has
// values, for each asked area and for its kommun, län and riket. Parent
// codes come from the area hierarchy.
func (s *Service) Trend(ctx context.Context, q TrendQuery) (*Trend, error) {
	if q.Level == "" {
		q.Level = data.LevelRegSO
	}
	if q.Breakdown == "" {
		q.Breakdown = data.BreakdownTotal
	}
	if len(q.Codes) == 0 && len(q.Kommuner) == 0 {
		return nil, fault.New(fault.Invalid, "codes or kommun is required (area codes, comma separated)").
			Sv("codes eller kommun krävs (områdeskoder, kommaseparerade)")
	}
	if len(q.Codes) > maxTrendCodes {
		return nil, fault.New(fault.Invalid, "at most %d codes, got %d", maxTrendCodes, len(q.Codes)).
			Sv("högst %d koder, fick %d", maxTrendCodes, len(q.Codes))
	}
	if err := s.checkLevel(ctx, q.Level); err != nil {
		return nil, err
	}
	ind, err := s.indicator(ctx, q.Indicator)
	if err != nil {
		return nil, err
	}
	if len(ind.Breakdowns) > 0 && !slices.Contains(ind.Breakdowns, q.Breakdown) {
		return nil, fault.New(fault.NotFound, "indicator %q has no breakdown %q; breakdowns: %v", ind.ID, q.Breakdown, ind.Breakdowns).
			Sv("indikatorn %q har ingen uppdelning %q; uppdelningar: %v", ind.ID, q.Breakdown, ind.Breakdowns)
	}
	years := slices.Clone(LevelYears(ind, q.Level))
	slices.Sort(years)
	if len(years) == 0 {
		return nil, fault.New(fault.NotFound, "indicator %q has no values at level %s", ind.ID, q.Level).
			Sv("indikatorn %q saknar värden på nivån %s", ind.ID, q.Level)
	}
	areas, err := s.trendAreas(ctx, q)
	if err != nil {
		return nil, err
	}
	out := &Trend{Indicator: ind, Level: q.Level, Breakdown: q.Breakdown, Years: years,
		Areas: make([]TrendSeries, len(areas))}
	index := make(map[string]int, len(areas))
	kommuner, lan := map[string]bool{}, map[string]bool{}
	for i, a := range areas {
		out.Areas[i] = newTrendSeries(a, q.Level, len(years))
		index[a.Code] = i
		if a.Kommun != "" && q.Level != data.LevelKommun {
			kommuner[a.Kommun] = true
		}
		if a.Lan != "" && q.Level != data.LevelLan {
			lan[a.Lan] = true
		}
	}
	if err := s.fillTrend(ctx, ind, q, years, q.Level, out.Areas, index); err != nil {
		return nil, err
	}
	if out.SeriesGeography, err = s.seriesGeographies(ctx, ind, q.Level, years); err != nil {
		return nil, err
	}
	for _, p := range []struct {
		level string
		codes map[string]bool
	}{{data.LevelKommun, kommuner}, {data.LevelLan, lan}, {data.LevelRiket, map[string]bool{data.RiketCode: q.Level != data.LevelRiket}}} {
		ps, err := s.trendParents(ctx, ind, q, years, p.level, p.codes)
		if err != nil {
			return nil, err
		}
		out.Parents = append(out.Parents, ps...)
	}
	return out, nil
}

func newTrendSeries(a data.Area, level string, n int) TrendSeries {
	ts := TrendSeries{Code: a.Code, Name: a.Name, Level: level, Kommun: a.Kommun, Lan: a.Lan,
		Values: make([]Num, n), Numerators: make([]Num, n), Denominators: make([]Num, n)}
	if level == data.LevelKommun {
		ts.Kommun = ""
	}
	if level == data.LevelLan || level == data.LevelRiket {
		ts.Kommun, ts.Lan = "", ""
	}
	for i := range n {
		ts.Values[i], ts.Numerators[i], ts.Denominators[i] = Num(nan), Num(nan), Num(nan)
	}
	return ts
}

// trendAreas resolves the asked codes (in the asked order) and the areas
// of the asked kommuner (by code) of the level.
func (s *Service) trendAreas(ctx context.Context, q TrendQuery) ([]data.Area, error) {
	var out []data.Area
	seen := map[string]bool{}
	if len(q.Codes) > 0 {
		byCode, err := s.areasByCode(ctx, q.Level)
		if err != nil {
			return nil, err
		}
		for _, c := range q.Codes {
			a, ok := byCode[c]
			if !ok {
				return nil, fault.New(fault.NotFound, "no %s with code %q", q.Level, c).Sv("inget %s med koden %q", q.Level, c)
			}
			if !seen[c] {
				seen[c] = true
				out = append(out, a)
			}
		}
	}
	if len(q.Kommuner) > 0 {
		if _, err := s.knownKommuner(ctx, q.Kommuner); err != nil {
			return nil, err
		}
		as, err := s.store.Areas(ctx, q.Level, data.AreasOptions{Kommuner: q.Kommuner})
		if err != nil {
			return nil, err
		}
		sort.Slice(as, func(i, j int) bool { return as[i].Code < as[j].Code })
		for _, a := range as {
			if !seen[a.Code] {
				seen[a.Code] = true
				out = append(out, a)
			}
		}
	}
	return out, nil
}

// fillTrend reads each year's values of the level and fills the series of
// the areas in index, with the disclosure rule applied.
func (s *Service) fillTrend(ctx context.Context, ind data.Indicator, q TrendQuery, years []int, level string, series []TrendSeries, index map[string]int) error {
	for yi, y := range years {
		vals, err := s.store.Values(ctx, data.ValuesQuery{Level: level, Indicator: ind.ID, Year: y, Breakdown: q.Breakdown})
		if err != nil {
			return err
		}
		for _, v := range vals {
			i, ok := index[v.Code]
			if !ok {
				continue
			}
			av := AreaValue{Value: Num(v.Value), Numerator: Num(v.Numerator), Denominator: Num(v.Denominator), Suppressed: v.Suppressed}
			s.disclose(ind, &av)
			series[i].Values[yi], series[i].Numerators[yi], series[i].Denominators[yi] = av.Value, av.Numerator, av.Denominator
		}
	}
	return nil
}

// trendParents is the series of the parent areas with codes at level, by code.
func (s *Service) trendParents(ctx context.Context, ind data.Indicator, q TrendQuery, years []int, level string, codes map[string]bool) ([]TrendSeries, error) {
	var want []string
	for c, ok := range codes {
		if ok {
			want = append(want, c)
		}
	}
	if len(want) == 0 {
		return nil, nil
	}
	slices.Sort(want)
	all, err := s.store.Areas(ctx, level, data.AreasOptions{})
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(all))
	for _, a := range all {
		names[a.Code] = a.Name
	}
	out := make([]TrendSeries, len(want))
	index := make(map[string]int, len(want))
	for i, c := range want {
		out[i] = newTrendSeries(data.Area{Code: c, Name: names[c]}, level, len(years))
		index[c] = i
	}
	if err := s.fillTrend(ctx, ind, q, years, level, out, index); err != nil {
		return nil, err
	}
	return out, nil
}

// areasByCode is every area of a level by code, without boundaries (the
// store's Area loads the boundary, which a kommun or län check does not need).
func (s *Service) areasByCode(ctx context.Context, level string) (map[string]data.Area, error) {
	as, err := s.store.Areas(ctx, level, data.AreasOptions{})
	if err != nil {
		return nil, err
	}
	out := make(map[string]data.Area, len(as))
	for _, a := range as {
		out[a.Code] = a
	}
	return out, nil
}

// knownKommuner checks that every code is a kommun and returns them by code.
func (s *Service) knownKommuner(ctx context.Context, codes []string) (map[string]data.Area, error) {
	ks, err := s.areasByCode(ctx, data.LevelKommun)
	if err != nil {
		return nil, err
	}
	for _, k := range codes {
		if _, ok := ks[k]; !ok {
			return nil, fault.New(fault.NotFound, "no kommun with code %q", k).Sv("ingen kommun med koden %q", k)
		}
	}
	return ks, nil
}
