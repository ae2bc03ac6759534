package service

import (
	"context"
	"math"
	"slices"
	"sort"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/spatial/palette"
)

// ProfileArea describes the profiled area and its parents.
type ProfileArea struct {
	ID         int64  `json:"id"`
	Code       string `json:"code"`
	Name       string `json:"name"`
	Level      string `json:"level"`
	Kommun     string `json:"kommun,omitempty"`
	KommunName string `json:"kommun_name,omitempty"`
	Lan        string `json:"lan,omitempty"`
	LanName    string `json:"lan_name,omitempty"`
	RegSO      string `json:"regso,omitempty"`
	// Omradestyp is the area type 1..5 of the area's RegSO (0: unknown).
	Omradestyp int `json:"omradestyp,omitempty"`
	// Geography is set where the area's series breaks (a DeSO 2025 split).
	Geography *Geography `json:"geography,omitempty"`
}

// SeriesPoint is one year/breakdown of an indicator for the area and, for
// comparison, its kommun, its län and the whole country.
type SeriesPoint struct {
	Year       int    `json:"year"`
	Breakdown  string `json:"breakdown"`
	Value      Num    `json:"value"`
	Kommun     Num    `json:"kommun"`
	Lan        Num    `json:"lan"`
	Riket      Num    `json:"riket"`
	Suppressed bool   `json:"suppressed"`
	Estimated  bool   `json:"estimated"`
}

// IndicatorSeries is one indicator's series in a profile.
type IndicatorSeries struct {
	Indicator data.Indicator `json:"indicator"`
	Series    []SeriesPoint  `json:"series"`
}

// Profile is an area's profile.
type Profile struct {
	Area       ProfileArea       `json:"area"`
	Indicators []IndicatorSeries `json:"indicators"`
}

type seriesKey struct {
	ind, breakdown string
	year           int
}

// Profile returns every indicator over all years for one area beside its
// kommun, län and riket.
func (s *Service) Profile(ctx context.Context, level, code string) (*Profile, error) {
	if err := s.checkLevel(ctx, level); err != nil {
		return nil, err
	}
	a, err := s.store.Area(ctx, level, code)
	if err != nil {
		return nil, err
	}
	p := &Profile{Area: ProfileArea{ID: a.ID, Code: a.Code, Name: a.Name, Level: a.Level, Kommun: a.Kommun, Lan: a.Lan, RegSO: a.RegSO,
		Geography: geographyOf(a.Level, a.Code)}}
	if p.Area.Level == "" {
		p.Area.Level = level
	}
	if level == data.LevelKommun && p.Area.Kommun == "" {
		p.Area.Kommun = a.Code
	}
	if level == data.LevelLan && p.Area.Lan == "" {
		p.Area.Lan = a.Code
	}
	if level == data.LevelRegSO && p.Area.RegSO == "" {
		p.Area.RegSO = a.Code
	}
	if p.Area.Kommun != "" {
		if k, err := s.store.Area(ctx, data.LevelKommun, p.Area.Kommun); err == nil {
			p.Area.KommunName = k.Name
		}
	}
	if p.Area.Lan != "" {
		if l, err := s.store.Area(ctx, data.LevelLan, p.Area.Lan); err == nil {
			p.Area.LanName = l.Name
		}
	}
	own, err := s.store.AreaValues(ctx, level, code)
	if err != nil {
		return nil, err
	}
	parent := func(lv, c string) (map[seriesKey]data.Value, error) {
		m := map[seriesKey]data.Value{}
		if c == "" {
			return m, nil
		}
		// A parent's values are shared by the profiles of all its areas:
		// read once per data version (read only from here on).
		return cachedIn(ctx, s, s.profiles, "parent\x00"+lv+"\x00"+c, func(m map[seriesKey]data.Value) int64 { return int64(len(m))*96 + 256 },
			func(ctx context.Context) (map[seriesKey]data.Value, error) {
				vs, err := s.store.AreaValues(ctx, lv, c)
				if err != nil {
					return nil, err
				}
				for _, v := range vs {
					m[seriesKey{v.Indicator, v.Breakdown, v.Year}] = v
				}
				return m, nil
			})
	}
	kom, err := parent(data.LevelKommun, p.Area.Kommun)
	if err != nil {
		return nil, err
	}
	lan, err := parent(data.LevelLan, p.Area.Lan)
	if err != nil {
		return nil, err
	}
	riket, err := parent(data.LevelRiket, data.RiketCode)
	if err != nil {
		return nil, err
	}
	if p.Area.RegSO != "" {
		if t := s.omradestyp(ctx, p.Area.RegSO); t > 0 {
			p.Area.Omradestyp = t
		}
	}
	// The indicators of the Meta built once per data version (the store
	// would scan every value for their years on each call). Shared: the
	// profile only reads them.
	meta, err := s.Meta(ctx)
	if err != nil {
		return nil, err
	}
	inds := meta.Indicators
	byInd := map[string][]data.Value{}
	for _, v := range own {
		byInd[v.Indicator] = append(byInd[v.Indicator], v)
	}
	pick := func(m map[seriesKey]data.Value, k seriesKey) Num {
		if v, ok := m[k]; ok && !v.Suppressed {
			return Num(v.Value)
		}
		return Num(math.NaN())
	}
	p.Indicators = []IndicatorSeries{}
	for _, ind := range inds {
		vs := byInd[ind.ID]
		if len(vs) == 0 {
			continue
		}
		sort.Slice(vs, func(i, j int) bool {
			if vs[i].Year != vs[j].Year {
				return vs[i].Year < vs[j].Year
			}
			return vs[i].Breakdown < vs[j].Breakdown
		})
		is := IndicatorSeries{Indicator: ind}
		for _, v := range vs {
			k := seriesKey{v.Indicator, v.Breakdown, v.Year}
			av := AreaValue{Value: Num(v.Value), Numerator: Num(v.Numerator), Denominator: Num(v.Denominator), Suppressed: v.Suppressed, Estimated: v.Estimated}
			s.disclose(ind, &av)
			is.Series = append(is.Series, SeriesPoint{Year: v.Year, Breakdown: v.Breakdown, Value: av.Value,
				Kommun: pick(kom, k), Lan: pick(lan, k), Riket: pick(riket, k), Suppressed: av.Suppressed, Estimated: v.Estimated})
		}
		p.Indicators = append(p.Indicators, is)
	}
	return p, nil
}

// omradestyp is the latest area type of a RegSO, 0 when unknown.
func (s *Service) omradestyp(ctx context.Context, regso string) int {
	types, err := s.latestOmradestyp(ctx)
	if err != nil {
		return 0
	}
	return types[regso]
}

// latestOmradestyp is every RegSO's area type of the latest year it has
// one (total breakdown), built once per data version; empty when the
// store has no area types.
func (s *Service) latestOmradestyp(ctx context.Context) (map[string]int, error) {
	return cached(ctx, s, "omradestyp\x00latest", func(m map[string]int) int64 { return int64(len(m))*32 + 256 },
		func(ctx context.Context) (map[string]int, error) {
			out := map[string]int{}
			m, err := s.Meta(ctx)
			if err != nil {
				return nil, err
			}
			var years []int
			for _, ind := range m.Indicators {
				if ind.ID == s.opts.OmradestypIndicator {
					years = slices.Sorted(slices.Values(ind.Years))
				}
			}
			for _, y := range years { // ascending: a later year's type wins
				vs, err := s.store.Values(ctx, data.ValuesQuery{Level: data.LevelRegSO, Indicator: s.opts.OmradestypIndicator, Year: y, Breakdown: data.BreakdownTotal})
				if err != nil {
					return nil, err
				}
				for _, v := range vs {
					if finite(v.Value) {
						out[v.Code] = int(v.Value)
					}
				}
			}
			return out, nil
		})
}

// OmradestypInfo is one of the five socio-economic area types.
type OmradestypInfo struct {
	Type            int    `json:"type"`
	LabelSV         string `json:"label_sv"`
	LabelEN         string `json:"label_en"`
	Color           string `json:"color"`
	RegSOCount      int    `json:"regso_count"`
	Population      Num    `json:"population"`
	PopulationShare Num    `json:"population_share"` // 0..1 of the population in typed RegSO
}

// OmradestypArea is one RegSO with its type.
type OmradestypArea struct {
	ID         int64  `json:"id"`
	Code       string `json:"code"`
	Name       string `json:"name"`
	Kommun     string `json:"kommun"`
	Type       int    `json:"type"` // 0: no type
	Population Num    `json:"population"`
}

// Omradestyper is the area-type summary.
type Omradestyper struct {
	Year int `json:"year"`
	// Source says where the types come from: SourceOfficial or SourceComputed.
	Source string `json:"source"`
	// TypeSource says the same with the year and a sentence for people.
	TypeSource TypeSource       `json:"type_source"`
	Types      []OmradestypInfo `json:"types"`
	Areas      []OmradestypArea `json:"areas"`
}

// omradestypLabels are SCB's names of the five types (index 0 = type 1), sv and en.
func omradestypLabels() [5][2]string {
	return [5][2]string{
		{"Stora socioekonomiska utmaningar", "Major socio-economic challenges"},
		{"Socioekonomiska utmaningar", "Socio-economic challenges"},
		{"Socioekonomiskt blandade områden", "Socio-economically mixed areas"},
		{"Goda socioekonomiska förutsättningar", "Good socio-economic conditions"},
		{"Mycket goda socioekonomiska förutsättningar", "Very good socio-economic conditions"},
	}
}

// OmradestypLabel is SCB's name of områdestyp t (1..5) in lang ("sv"
// unless "en"); "" for any other t.
func OmradestypLabel(t int, lang string) string {
	if t < 1 || t > 5 {
		return ""
	}
	if lang == "en" {
		return omradestypLabels()[t-1][1]
	}
	return omradestypLabels()[t-1][0]
}

// Omradestyper counts RegSO and population per area type, in the given
// kommuner (none = all). Population is the population indicator's latest
// year at or before the type's year (or its latest year when none is earlier).
func (s *Service) Omradestyper(ctx context.Context, kommuner []string) (*Omradestyper, error) {
	return s.OmradestyperOf(ctx, OmradestypQuery{Kommuner: kommuner})
}

// OmradestypQuery asks for the area types of some kommuner (none = all).
type OmradestypQuery struct {
	Kommuner []string
	// Source: SourceOfficial, SourceComputed, or "" for the official types
	// when the store has them, else computed ones.
	Source string
}

// OmradestyperOf is Omradestyper with the source of the types chosen.
func (s *Service) OmradestyperOf(ctx context.Context, q OmradestypQuery) (*Omradestyper, error) {
	for _, k := range q.Kommuner {
		if _, err := s.store.Area(ctx, data.LevelKommun, k); err != nil {
			return nil, err
		}
	}
	kf := q.Kommuner
	ts, typeOf, err := s.areaTypes(ctx, q.Source)
	if err != nil {
		return nil, err
	}
	year := ts.Year
	areas, err := s.store.Areas(ctx, data.LevelRegSO, data.AreasOptions{Kommuner: kf})
	if err != nil {
		return nil, err
	}
	popOf := map[string]float64{}
	if pind, err := s.store.Indicator(ctx, s.opts.PopulationIndicator); err == nil && len(pind.Years) > 0 {
		py := 0
		for _, y := range pind.Years {
			if y <= year && y > py {
				py = y
			}
		}
		if py == 0 {
			py = latestYearAt(pind, data.LevelRegSO)
		}
		pops, err := s.store.Values(ctx, data.ValuesQuery{Level: data.LevelRegSO, Indicator: pind.ID, Year: py, Kommuner: kf})
		if err != nil {
			return nil, err
		}
		for _, v := range pops {
			if finite(v.Value) {
				popOf[v.Code] = v.Value
			}
		}
	}
	colors := palette.Omradestyper()
	labels := omradestypLabels()
	out := &Omradestyper{Year: year, Source: ts.Source, TypeSource: ts, Areas: make([]OmradestypArea, 0, len(areas))}
	var count [5]int
	var pop [5]float64
	total := 0.0
	for _, a := range areas {
		t := typeOf[a.Code]
		p, ok := popOf[a.Code]
		oa := OmradestypArea{ID: a.ID, Code: a.Code, Name: a.Name, Kommun: a.Kommun, Type: t, Population: Num(nan)}
		if ok {
			oa.Population = Num(p)
		}
		if t >= 1 && t <= 5 {
			count[t-1]++
			if ok {
				pop[t-1] += p
				total += p
			}
		}
		out.Areas = append(out.Areas, oa)
	}
	for i := range 5 {
		ti := OmradestypInfo{Type: i + 1, LabelSV: labels[i][0], LabelEN: labels[i][1],
			RegSOCount: count[i], Population: Num(nan), PopulationShare: Num(nan)}
		if i < len(colors) {
			ti.Color = colors[i]
		}
		if len(popOf) > 0 {
			ti.Population = Num(pop[i])
			if total > 0 {
				ti.PopulationShare = Num(pop[i] / total)
			}
		}
		out.Types = append(out.Types, ti)
	}
	return out, nil
}
