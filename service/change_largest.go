package service

import (
	"context"
	"fmt"
	"sort"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/internal/download"
	"github.com/segmap/segmap/internal/fault"
)

// "Largest changes": the areas of a kommun, a group or the country whose
// value of one indicator rose or fell the most between two years, named by
// what the change means (improvement or deterioration, from the
// indicator's higher_is_better).

// Ranks of the largest changes (LargestQuery.Rank).
const (
	// RankAbsolute ranks by To − From in the indicator's unit
	// (percentage points for a percentage).
	RankAbsolute = "absolute"
	// RankRelative ranks by the change in percent of the From value; only
	// for indicators that are not percentages.
	RankRelative = "relative"
)

// Bounds of LargestQuery.N.
const (
	LargestDefaultN = 10
	LargestMaxN     = 100
)

// LargestQuery asks for the areas with the largest changes of an
// indicator between two years (the years and kommuner as ChangeQuery;
// K is not used).
type LargestQuery struct {
	ChangeQuery
	N    int    // areas on each side; 0: LargestDefaultN; 1..LargestMaxN
	Rank string // RankAbsolute (""), or RankRelative
}

// LargestChanges is the answer to a LargestQuery.
type LargestChanges struct {
	Indicator data.Indicator `json:"indicator"`
	Level     string         `json:"level"`
	From      int            `json:"from"`
	To        int            `json:"to"`
	Breakdown string         `json:"breakdown"`
	Kommuner  []string       `json:"kommuner"`
	Kind      string         `json:"kind"`
	Unit      string         `json:"unit"`
	Meaning   string         `json:"meaning"`
	Rank      string         `json:"rank"`
	Summary   ChangeSummary  `json:"summary"`
	// Increases and Decreases are the largest rises and falls (largest
	// first); an area with no change is in neither.
	Increases []ChangeArea `json:"increases"`
	Decreases []ChangeArea `json:"decreases"`
	// Better and Worse are the same areas named by meaning: the largest
	// improvements and deteriorations (Increases and Decreases when higher
	// is better, the other way round when lower is better); empty for an
	// indicator without a better direction.
	Better []ChangeArea `json:"better"`
	Worse  []ChangeArea `json:"worse"`
}

// LargestChanges returns the areas with the largest increases and
// decreases of an indicator between two years, and which are improvements.
func (s *Service) LargestChanges(ctx context.Context, q LargestQuery) (*LargestChanges, error) {
	if q.N == 0 {
		q.N = LargestDefaultN
	}
	if q.N < 1 || q.N > LargestMaxN {
		return nil, fault.New(fault.Invalid, "n must be between 1 and %d, got %d", LargestMaxN, q.N).
			Sv("n måste vara mellan 1 och %d, inte %d", LargestMaxN, q.N)
	}
	if q.Rank == "" {
		q.Rank = RankAbsolute
	}
	if q.Rank != RankAbsolute && q.Rank != RankRelative {
		return nil, fault.New(fault.Invalid, "rank must be absolute or relative, got %q", q.Rank).
			Sv("rank måste vara absolute eller relative, inte %q", q.Rank)
	}
	if q.Level == "" {
		q.Level = data.LevelRegSO
	}
	if len(q.Kommuner) > 0 {
		if _, err := s.knownKommuner(ctx, q.Kommuner); err != nil {
			return nil, err
		}
	}
	c, err := s.Change(ctx, q.ChangeQuery)
	if err != nil {
		return nil, err
	}
	if q.Rank == RankRelative && c.Kind == ChangePercentagePoints {
		return nil, fault.New(fault.Invalid, "rank=relative is for indicators that are not percentages; %q is in %%, its change is in percentage points (rank=absolute)", c.Indicator.ID).
			Sv("rank=relative gäller indikatorer som inte är andelar; %q anges i %%, och dess förändring i procentenheter (rank=absolute)", c.Indicator.ID)
	}
	return largestOf(c, q.N, q.Rank, q.Kommuner), nil
}

// largestOf picks the n largest increases and decreases of c by rank.
func largestOf(c *Change, n int, rank string, kommuner []string) *LargestChanges {
	out := &LargestChanges{Indicator: c.Indicator, Level: c.Level, From: c.From, To: c.To, Breakdown: c.Breakdown,
		Kommuner: kommuner, Kind: c.Kind, Unit: c.Unit, Meaning: c.Meaning, Rank: rank, Summary: c.Summary,
		Increases: []ChangeArea{}, Decreases: []ChangeArea{}, Better: []ChangeArea{}, Worse: []ChangeArea{}}
	if out.Kommuner == nil {
		out.Kommuner = []string{}
	}
	key := func(a ChangeArea) float64 { return float64(a.Change) }
	if rank == RankRelative {
		key = func(a ChangeArea) float64 { return float64(a.RelativePct) }
	}
	var up, down []ChangeArea
	for _, a := range c.Areas {
		switch k := key(a); {
		case !finite(k):
		case k > 0:
			up = append(up, a)
		case k < 0:
			down = append(down, a)
		}
	}
	// Largest first; ties by code, so the answer does not depend on order.
	sort.Slice(up, func(i, j int) bool {
		ki, kj := key(up[i]), key(up[j])
		return ki > kj || (ki == kj && up[i].Code < up[j].Code)
	})
	sort.Slice(down, func(i, j int) bool {
		ki, kj := key(down[i]), key(down[j])
		return ki < kj || (ki == kj && down[i].Code < down[j].Code)
	})
	out.Increases = append(out.Increases, up[:min(n, len(up))]...)
	out.Decreases = append(out.Decreases, down[:min(n, len(down))]...)
	switch c.Meaning {
	case MeaningHigherIsBetter:
		out.Better, out.Worse = out.Increases, out.Decreases
	case MeaningLowerIsBetter:
		out.Better, out.Worse = out.Decreases, out.Increases
	}
	return out
}

// Sheet lays the largest changes out as one table (internal/download): one
// row per area, the side (improvement/deterioration, or increase/decrease
// for an indicator without a better direction) and rank first.
func (l *LargestChanges) Sheet(lang string) download.Sheet {
	en := lang == "en"
	head := []string{"sida", "placering", "kod", "namn", "kommun", fmt.Sprint(l.From), fmt.Sprint(l.To), "förändring", "förändring_procent", "uppskattat"}
	if en {
		head = []string{"side", "rank", "code", "name", "kommun", fmt.Sprint(l.From), fmt.Sprint(l.To), "change", "change_percent", "estimated"}
	}
	kinds := []download.Kind{download.Text, download.Integer, download.Text, download.Text, download.Text, download.Number, download.Number, download.Number, download.Number, download.Text}
	var sh download.Sheet
	for i, h := range head {
		sh.Columns = append(sh.Columns, download.Column{Name: h, Kind: kinds[i]})
	}
	word := map[string][2]string{
		DirectionBetter: {"förbättring", "improvement"}, DirectionWorse: {"försämring", "deterioration"},
		DirectionIncrease: {"ökning", "increase"}, DirectionDecrease: {"minskning", "decrease"},
	}
	side := func(d string) string {
		if en {
			return word[d][1]
		}
		return word[d][0]
	}
	first, second := l.Increases, l.Decreases
	firstSide, secondSide := DirectionIncrease, DirectionDecrease
	switch l.Meaning {
	case MeaningHigherIsBetter:
		firstSide, secondSide = DirectionBetter, DirectionWorse
	case MeaningLowerIsBetter:
		first, second = l.Decreases, l.Increases
		firstSide, secondSide = DirectionBetter, DirectionWorse
	}
	yes := map[bool]string{true: "ja", false: ""}
	if en {
		yes[true] = "yes"
	}
	for _, part := range []struct {
		side  string
		areas []ChangeArea
	}{{firstSide, first}, {secondSide, second}} {
		for i, a := range part.areas {
			sh.Rows = append(sh.Rows, []any{side(part.side), i + 1, a.Code, a.Name, a.Kommun, float64(a.From), float64(a.To),
				float64(a.Change), float64(a.RelativePct), yes[a.Estimated]})
		}
	}
	sh.Meta = [][2]string{
		{"indicator", l.Indicator.ID},
		{"name_sv", l.Indicator.NameSV},
		{"name_en", l.Indicator.NameEN},
		{"unit", l.Indicator.Unit},
		{"change_unit", l.Unit},
		{"meaning", l.Meaning},
		{"rank", l.Rank},
		{"level", l.Level},
		{"from", fmt.Sprint(l.From)},
		{"to", fmt.Sprint(l.To)},
		{"breakdown", l.Breakdown},
		{"kommuner", fmt.Sprint(l.Kommuner)},
		{"source", l.Indicator.Source},
	}
	return sh
}
