package report

import (
	"context"
	"slices"
	"sort"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/service"
)

// Nulägesbild: the key-indicator part (region, län, riket, per områdestyp, highest and lowest RegSO).

// RankedArea is an area in a highest/lowest list.
type RankedArea struct {
	Code   string      `json:"code"`
	Name   string      `json:"name"`
	Kommun string      `json:"kommun"`
	Value  service.Num `json:"value"`
}

// KeyIndicator is one indicator in the region, its län, the country and per
// områdestyp, with the RegSO that have the highest and lowest values.
type KeyIndicator struct {
	Indicator data.Indicator `json:"indicator"`
	Year      int            `json:"year"`
	Region    service.Num    `json:"region"`
	Lan       service.Num    `json:"lan"`
	Riket     service.Num    `json:"riket"`
	// ByType is the value over all RegSO of each områdestyp 1..5 (index 0 =
	// type 1), aggregated as the indicator aggregates (NaN for medians).
	ByType  [5]service.Num `json:"by_type"`
	Level   string         `json:"level"` // of Highest and Lowest
	Highest []RankedArea   `json:"highest"`
	Lowest  []RankedArea   `json:"lowest"`
	// Areas, Suppressed and Missing count the region's DeSO for this
	// indicator and year.
	Areas      int `json:"deso_count"`
	Suppressed int `json:"deso_suppressed"`
	Missing    int `json:"deso_missing"`
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

func (b *builder) indicators(ctx context.Context) error {
	inds, err := b.store.Indicators(ctx)
	if err != nil {
		return err
	}
	for _, ind := range inds {
		if !keyIndicator(ind, b.opts.OmradestypIndicator) || len(ind.Years) == 0 {
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

func (b *builder) keyIndicator(ctx context.Context, ind data.Indicator, year int) (KeyIndicator, bool, error) {
	ki := KeyIndicator{Indicator: ind, Year: year, Region: service.Num(nan), Lan: service.Num(nan), Riket: service.Num(nan), Level: data.LevelRegSO,
		Highest: []RankedArea{}, Lowest: []RankedArea{}}
	for i := range ki.ByType {
		ki.ByType[i] = service.Num(nan)
	}
	kv, err := b.store.Values(ctx, data.ValuesQuery{Level: data.LevelKommun, Indicator: ind.ID, Year: year})
	if err != nil {
		return ki, false, err
	}
	ki.Region = b.regionValue(ind, kv)
	if lv, err := b.store.Values(ctx, data.ValuesQuery{Level: data.LevelLan, Indicator: ind.ID, Year: year}); err == nil {
		for _, v := range lv {
			if v.Code == b.r.LanCode && !v.Suppressed {
				ki.Lan = service.Num(v.Value)
			}
		}
	}
	if rv, err := b.store.Values(ctx, data.ValuesQuery{Level: data.LevelRiket, Indicator: ind.ID, Year: year}); err == nil && len(rv) == 1 && !rv[0].Suppressed {
		ki.Riket = service.Num(rv[0].Value)
	}
	// RegSO: per type and highest/lowest (through the service, so the
	// disclosure rule applies as in /api/values).
	rv, err := b.svc.Values(ctx, service.ValuesQuery{Level: data.LevelRegSO, Indicator: ind.ID, Year: year, Kommuner: b.q.Kommuner})
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
	dv, err := b.svc.Values(ctx, service.ValuesQuery{Level: data.LevelDeSO, Indicator: ind.ID, Year: year, Kommuner: b.q.Kommuner})
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
