package service

import (
	"context"
	"math"
	"slices"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/internal/fault"
	"github.com/segmap/segmap/spatial/inequality"
)

// SegregationYear is the indices of one region and year, computed across
// the areas of Level (DeSO when DeSO has the year, otherwise RegSO).
type SegregationYear struct {
	Year    int                `json:"year"`
	Level   string             `json:"level"`
	Areas   int                `json:"areas"`
	Indices SegregationIndices `json:"indices"`
}

// SegregationSeries is one region's indices over the years.
type SegregationSeries struct {
	Code  string            `json:"code"` // kommun codes joined by commas, län code, or riket
	Name  string            `json:"name"`
	Kind  string            `json:"kind"` // kommun, lan or riket
	Years []SegregationYear `json:"years"`
}

// SegregationTrend is the answer to a segregation trend query: each kommun,
// then each of their län, then riket, over the same years.
type SegregationTrend struct {
	Years  []int               `json:"years"`
	Levels map[int]string      `json:"levels"` // year -> level the indices are computed on
	Series []SegregationSeries `json:"series"`
	Groups string              `json:"groups"` // in Swedish until Localise
	Note   string              `json:"note"`

	groups, note [2]string // English, Swedish
}

// Localise says the groups and the note in lang ("sv", the default, or "en").
func (t *SegregationTrend) Localise(lang string) {
	i := 1
	if lang == "en" {
		i = 0
	}
	t.Groups, t.Note = t.groups[i], t.note[i]
}

// segYearLevel is the level the indices of a year are computed on: DeSO
// when DeSO has foreign-born counts that year, otherwise RegSO.
func segYearLevel(ind data.Indicator, year int) string {
	if slices.Contains(LevelYears(ind, data.LevelDeSO), year) {
		return data.LevelDeSO
	}
	if slices.Contains(LevelYears(ind, data.LevelRegSO), year) {
		return data.LevelRegSO
	}
	return ""
}

// SegregationTrend computes the segregation indices between foreign-born
// and Sweden-born residents (as Segregation) of each kommun for every year
// the foreign-born counts exist, beside its län and riket, with the same
// level per year for all (DeSO where DeSO has the year, RegSO where it does
// not). Morrill's D is left out (null): it needs boundaries of each year's
// level.
func (s *Service) SegregationTrend(ctx context.Context, kommuner []string) (*SegregationTrend, error) {
	if len(kommuner) == 0 {
		return nil, fault.New(fault.Invalid, "kommun is required (4-digit kommun code, e.g. 0180; several comma separated)").
			Sv("kommun krävs (fyrsiffrig kommunkod, t.ex. 0180; flera kommaseparerade)")
	}
	ind, err := s.indicator(ctx, s.opts.ForeignBornIndicator)
	if err != nil {
		return nil, err
	}
	out := &SegregationTrend{Levels: map[int]string{},
		groups: [2]string{"a = foreign-born (numerator of " + ind.ID + "), b = Sweden-born (denominator − numerator), total = population (denominator)",
			"a = utrikes födda (täljaren i " + ind.ID + "), b = inrikes födda (nämnaren − täljaren), totalt = befolkningen (nämnaren)"},
		note: [2]string{"indices across DeSO where DeSO has the year, across RegSO otherwise; values of different levels are not comparable (fewer, larger areas give lower indices)",
			"indexen räknas över DeSO de år DeSO finns, annars över RegSO; värden på olika nivåer är inte jämförbara (färre och större områden ger lägre index)"}}
	out.Localise("sv")
	for _, y := range ind.Years {
		if lv := segYearLevel(ind, y); lv != "" {
			out.Years = append(out.Years, y)
			out.Levels[y] = lv
		}
	}
	slices.Sort(out.Years)
	known, err := s.knownKommuner(ctx, kommuner)
	if err != nil {
		return nil, err
	}
	lanAreas, err := s.areasByCode(ctx, data.LevelLan)
	if err != nil {
		return nil, err
	}
	var lans []string
	for _, k := range kommuner {
		a := known[k]
		out.Series = append(out.Series, SegregationSeries{Code: k, Name: a.Name, Kind: data.LevelKommun})
		lan := a.Lan
		if lan == "" && len(k) >= 2 {
			lan = k[:2]
		}
		if lan != "" && !slices.Contains(lans, lan) {
			lans = append(lans, lan)
		}
	}
	slices.Sort(lans)
	for _, l := range lans {
		name := l
		if a, ok := lanAreas[l]; ok {
			name = a.Name
		}
		out.Series = append(out.Series, SegregationSeries{Code: l, Name: name, Kind: data.LevelLan})
	}
	out.Series = append(out.Series, SegregationSeries{Code: data.RiketCode, Name: "Riket", Kind: data.LevelRiket})
	areaCache := map[string][]data.Area{}
	for _, y := range out.Years {
		lv := out.Levels[y]
		areas, ok := areaCache[lv]
		if !ok {
			if areas, err = s.store.Areas(ctx, lv, data.AreasOptions{}); err != nil {
				return nil, err
			}
			areaCache[lv] = areas
		}
		vals, err := s.store.Values(ctx, data.ValuesQuery{Level: lv, Indicator: ind.ID, Year: y})
		if err != nil {
			return nil, err
		}
		groups := segGroups(areas, vals, ind.Scale)
		for i := range out.Series {
			var g segGroup
			if p := groups[out.Series[i].Kind+":"+out.Series[i].Code]; p != nil {
				g = *p
			}
			sy := SegregationYear{Year: y, Level: lv, Areas: len(g.a), Indices: g.indices()}
			out.Series[i].Years = append(out.Series[i].Years, sy)
		}
	}
	return out, nil
}

// segGroup holds the counts of the areas of one region.
type segGroup struct{ a, b, total []float64 }

func (g *segGroup) add(fb, den float64) {
	g.a = append(g.a, fb)
	g.b = append(g.b, den-fb)
	g.total = append(g.total, den)
}

// indices computes the indices of the group; with fewer than two areas
// every index is null.
func (g segGroup) indices() SegregationIndices {
	val := func(f float64, err error) Num {
		if err != nil {
			return Num(math.NaN())
		}
		return Num(f)
	}
	n := Num(math.NaN())
	out := SegregationIndices{Dissimilarity: n, Isolation: n, Exposure: n, Theil: n, Gini: n, MorrillD: n}
	if len(g.a) < 2 {
		return out
	}
	out.Dissimilarity = val(inequality.Dissimilarity(g.a, g.b))
	out.Isolation = val(inequality.Isolation(g.a, g.total))
	out.Exposure = val(inequality.Exposure(g.a, g.b, g.total))
	out.Theil = val(inequality.Theil([][]float64{g.a, g.b}))
	out.Gini = val(inequality.SegregationGini(g.a, g.total))
	return out
}

// segGroups groups the foreign-born counts of the areas by kommun
// ("kommun:0180"), län ("lan:01") and riket ("riket:<code>").
func segGroups(areas []data.Area, vals []data.Value, scale float64) map[string]*segGroup {
	parent := make(map[string]data.Area, len(areas))
	for _, a := range areas {
		parent[a.Code] = a
	}
	groups := map[string]*segGroup{}
	add := func(key string, fb, den float64) {
		g := groups[key]
		if g == nil {
			g = &segGroup{}
			groups[key] = g
		}
		g.add(fb, den)
	}
	for _, v := range vals {
		fb := count(v, scale)
		if v.Suppressed || !finite(fb) || !finite(v.Denominator) || v.Denominator <= 0 {
			continue
		}
		a := parent[v.Code]
		if a.Kommun != "" {
			add(data.LevelKommun+":"+a.Kommun, fb, v.Denominator)
		}
		lan := a.Lan
		if lan == "" && len(a.Kommun) >= 2 {
			lan = a.Kommun[:2]
		}
		if lan != "" {
			add(data.LevelLan+":"+lan, fb, v.Denominator)
		}
		add(data.LevelRiket+":"+data.RiketCode, fb, v.Denominator)
	}
	return groups
}
