package service

import (
	"context"
	"errors"
	"slices"
	"sort"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/internal/fault"
	"github.com/segmap/segmap/spatial/palette"
)

// TransitionQuery asks how the områdestyper of RegSO changed between two years.
type TransitionQuery struct {
	From, To int      // 0: the earliest and latest year with types
	Kommuner []string // none: the whole country
}

// TransitionMove is one RegSO whose type changed.
type TransitionMove struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	Kommun     string `json:"kommun"`
	From       int    `json:"from"`
	To         int    `json:"to"`
	Direction  string `json:"direction"` // better (higher type) or worse
	Population Num    `json:"population"`
}

// Transition is the 5×5 table of RegSO by type in From (row) and To
// (column), in areas and in population (of the To year, or the latest
// population year before it), and the areas that changed type.
type Transition struct {
	From           int              `json:"from"`
	To             int              `json:"to"`
	PopulationYear int              `json:"population_year"` // 0: no population
	Kommuner       []string         `json:"kommuner"`
	Types          []OmradestypInfo `json:"types"` // labels and colours, counts of To
	Areas          [5][5]int        `json:"areas"`
	Population     [5][5]Num        `json:"population"`
	Typed          int              `json:"typed"`     // RegSO with a type both years
	Unchanged      int              `json:"unchanged"` // of those, same type
	Better         int              `json:"better"`
	Worse          int              `json:"worse"`
	Untyped        int              `json:"untyped"` // RegSO with a type in one year only or none
	Moves          []TransitionMove `json:"moves"`   // better first, then worse; by kommun, code
}

// OmradestypTransition compares the områdestyp of every RegSO (in the
// kommuner, or the country) between two years.
func (s *Service) OmradestypTransition(ctx context.Context, q TransitionQuery) (*Transition, error) {
	ind, err := s.indicator(ctx, s.opts.OmradestypIndicator)
	if err != nil {
		return nil, err
	}
	years := slices.Clone(LevelYears(ind, data.LevelRegSO))
	slices.Sort(years)
	if len(years) < 2 {
		return nil, fault.New(fault.NotFound, "områdestyper exist for %v only; a transition needs two years", years).
			Sv("områdestyper finns bara för %v; en övergång kräver två år", years)
	}
	if q.From == 0 {
		q.From = years[0]
	}
	if q.To == 0 {
		q.To = years[len(years)-1]
	}
	for _, y := range []int{q.From, q.To} {
		if !slices.Contains(years, y) {
			return nil, fault.New(fault.NotFound, "no områdestyper for %d; years: %v", y, years).
				Sv("inga områdestyper för %d; år: %v", y, years)
		}
	}
	if q.From >= q.To {
		return nil, fault.New(fault.Invalid, "from (%d) must be before to (%d)", q.From, q.To).
			Sv("from (%d) måste vara före to (%d)", q.From, q.To)
	}
	if _, err := s.knownKommuner(ctx, q.Kommuner); err != nil {
		return nil, err
	}
	areas, err := s.store.Areas(ctx, data.LevelRegSO, data.AreasOptions{Kommuner: q.Kommuner})
	if err != nil {
		return nil, err
	}
	from, err := s.regsoTypes(ctx, ind.ID, q.From, q.Kommuner)
	if err != nil {
		return nil, err
	}
	to, err := s.regsoTypes(ctx, ind.ID, q.To, q.Kommuner)
	if err != nil {
		return nil, err
	}
	pop, popYear, err := s.regsoPopulation(ctx, q.To, q.Kommuner)
	if err != nil {
		return nil, err
	}
	out := &Transition{From: q.From, To: q.To, PopulationYear: popYear, Kommuner: q.Kommuner, Moves: []TransitionMove{}}
	if out.Kommuner == nil {
		out.Kommuner = []string{}
	}
	var popSum [5][5]float64
	var toCount [5]int
	var toPop [5]float64
	for _, a := range areas {
		f, t := from[a.Code], to[a.Code]
		if t >= 1 && t <= 5 {
			toCount[t-1]++
			toPop[t-1] += pop[a.Code]
		}
		if f < 1 || f > 5 || t < 1 || t > 5 {
			out.Untyped++
			continue
		}
		out.Typed++
		out.Areas[f-1][t-1]++
		popSum[f-1][t-1] += pop[a.Code]
		if f == t {
			out.Unchanged++
			continue
		}
		m := TransitionMove{Code: a.Code, Name: a.Name, Kommun: a.Kommun, From: f, To: t, Direction: "better", Population: Num(nan)}
		if p, ok := pop[a.Code]; ok {
			m.Population = Num(p)
		}
		if t < f {
			m.Direction = "worse"
			out.Worse++
		} else {
			out.Better++
		}
		out.Moves = append(out.Moves, m)
	}
	for i := range 5 {
		for j := range 5 {
			out.Population[i][j] = Num(nan)
			if popYear != 0 {
				out.Population[i][j] = Num(popSum[i][j])
			}
		}
	}
	out.Types = transitionTypes(toCount, toPop, popYear != 0)
	sort.SliceStable(out.Moves, func(i, j int) bool {
		a, b := out.Moves[i], out.Moves[j]
		if a.Direction != b.Direction {
			return a.Direction == "better"
		}
		if a.Kommun != b.Kommun {
			return a.Kommun < b.Kommun
		}
		return a.Code < b.Code
	})
	return out, nil
}

// transitionTypes is the five types with labels, colours and the To counts.
func transitionTypes(count [5]int, pop [5]float64, withPop bool) []OmradestypInfo {
	labels := omradestypLabels()
	colors := palette.Omradestyper()
	total := 0.0
	for _, p := range pop {
		total += p
	}
	out := make([]OmradestypInfo, 5)
	for i := range 5 {
		out[i] = OmradestypInfo{Type: i + 1, LabelSV: labels[i][0], LabelEN: labels[i][1], RegSOCount: count[i],
			Population: Num(nan), PopulationShare: Num(nan)}
		if i < len(colors) {
			out[i].Color = colors[i]
		}
		if withPop {
			out[i].Population = Num(pop[i])
			if total > 0 {
				out[i].PopulationShare = Num(pop[i] / total)
			}
		}
	}
	return out
}

// regsoTypes is the områdestyp of each RegSO in year.
func (s *Service) regsoTypes(ctx context.Context, id string, year int, kommuner []string) (map[string]int, error) {
	vals, err := s.store.Values(ctx, data.ValuesQuery{Level: data.LevelRegSO, Indicator: id, Year: year, Kommuner: kommuner})
	if err != nil {
		return nil, err
	}
	out := make(map[string]int, len(vals))
	for _, v := range vals {
		if finite(v.Value) && !v.Suppressed {
			out[v.Code] = int(v.Value)
		}
	}
	return out, nil
}

// regsoPopulation is the population of each RegSO in the latest year at or
// before year (the earliest year when none is), and that year (0: none).
func (s *Service) regsoPopulation(ctx context.Context, year int, kommuner []string) (map[string]float64, int, error) {
	pind, err := s.indicator(ctx, s.opts.PopulationIndicator)
	if errors.Is(err, data.ErrNotFound) {
		return map[string]float64{}, 0, nil // no population indicator: the table has areas only
	}
	if err != nil {
		return nil, 0, err
	}
	ys := LevelYears(pind, data.LevelRegSO)
	if len(ys) == 0 {
		return map[string]float64{}, 0, nil
	}
	py := 0
	for _, y := range ys {
		if y <= year && y > py {
			py = y
		}
	}
	if py == 0 {
		py = slices.Min(ys)
	}
	vals, err := s.store.Values(ctx, data.ValuesQuery{Level: data.LevelRegSO, Indicator: pind.ID, Year: py, Kommuner: kommuner})
	if err != nil {
		return nil, 0, err
	}
	out := make(map[string]float64, len(vals))
	for _, v := range vals {
		if finite(v.Value) {
			out[v.Code] = v.Value
		}
	}
	return out, py, nil
}
