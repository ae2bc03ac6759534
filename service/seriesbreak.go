package service

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/segmap/segmap/data"
)

// Where a series changes geography version. SCB published DeSO statistics
// on DeSO 2018 up to reference year 2023 and publishes on DeSO 2025 from
// 2024 on; a store may hold both. Which version a year is on is read from
// the values themselves (data.Store.DeSOYears): a year with values on split
// DeSO 2025 codes is on DeSO 2025, a year whose 2018 parents carry the mean
// of their 2025 parts (imported with deso2025: parent_mean) is DeSO 2025
// converted to 2018 by an estimate, any other year is on DeSO 2018. kommun,
// län and riket keep their boundaries: their series do not break.

// Geography versions.
const (
	GeoDeSO2018 = "DeSO 2018"
	GeoDeSO2025 = "DeSO 2025"
)

// YearGeography is the geography version of one year of a series.
type YearGeography struct {
	Year      int    `json:"year"`
	Geography string `json:"geography"` // GeoDeSO2018 or GeoDeSO2025
	// Estimated: DeSO 2025 values shown on the 2018 area they split from
	// as the mean of the parts (not exact).
	Estimated bool `json:"estimated,omitempty"`
}

// SeriesBreak is where a series changes geography version.
type SeriesBreak struct {
	Year int    `json:"year"` // the first year on the new version
	From string `json:"from"` // the version before
	To   string `json:"to"`
	// Comparable: the years on either side can be compared exactly by
	// summing the split areas' counts to the area they split from (an
	// indicator that is a sum or a ratio of counts); unchanged codes are
	// the same area in both versions.
	Comparable bool   `json:"comparable"`
	NoteSV     string `json:"note_sv"`
	NoteEN     string `json:"note_en"`
}

// Geographies is the version of every year and the breaks between them.
type Geographies struct {
	Years  []YearGeography `json:"years"`
	Breaks []SeriesBreak   `json:"breaks"`
}

// seriesGeographies returns the versions of the years of ind at level and
// where the series breaks; nil when the level keeps its boundaries or
// every year is on one version.
func (s *Service) seriesGeographies(ctx context.Context, ind data.Indicator, level string, years []int) (*Geographies, error) {
	if level != data.LevelDeSO || len(years) < 2 {
		return nil, nil
	}
	dy, err := s.store.DeSOYears(ctx, ind.ID)
	if err != nil {
		return nil, err
	}
	years = slices.Clone(years)
	slices.Sort(years)
	return geographiesOf(ind, slices.Compact(years), dy), nil
}

// geographiesOf is seriesGeographies over the store's year summary.
func geographiesOf(ind data.Indicator, years []int, dy []data.DeSOYear) *Geographies {
	g := &Geographies{}
	for _, y := range years {
		yg := YearGeography{Year: y, Geography: GeoDeSO2018}
		if i := slices.IndexFunc(dy, func(d data.DeSOYear) bool { return d.Year == y }); i >= 0 {
			switch {
			case dy[i].Splits > 0:
				yg.Geography = GeoDeSO2025
			case dy[i].Estimated > 0:
				yg.Geography, yg.Estimated = GeoDeSO2025, true
			}
		}
		g.Years = append(g.Years, yg)
	}
	additive := ind.Aggregation == data.AggSum || ind.Aggregation == data.AggRatio
	for i := 1; i < len(g.Years); i++ {
		a, b := g.Years[i-1], g.Years[i]
		if a.Geography == b.Geography && a.Estimated == b.Estimated {
			continue
		}
		br := SeriesBreak{Year: b.Year, From: a.Geography, To: b.Geography, Comparable: additive && !a.Estimated && !b.Estimated}
		br.NoteSV, br.NoteEN = breakNotes(g.Years, br.Comparable)
		g.Breaks = append(g.Breaks, br)
	}
	if len(g.Breaks) == 0 {
		return nil
	}
	return g
}

// breakNotes says, newest first, which years are on which version and
// whether they compare: "2024 på DeSO 2025; 2018–2023 på DeSO 2018,
// jämförbara genom summering av delade områden".
func breakNotes(years []YearGeography, comparable bool) (sv, en string) {
	type run struct {
		from, to int
		g        YearGeography
	}
	var runs []run
	for _, y := range years {
		if n := len(runs); n > 0 && runs[n-1].g.Geography == y.Geography && runs[n-1].g.Estimated == y.Estimated {
			runs[n-1].to = y.Year
			continue
		}
		runs = append(runs, run{y.Year, y.Year, y})
	}
	var svs, ens []string
	for i := len(runs) - 1; i >= 0; i-- {
		r := runs[i]
		span := fmt.Sprint(r.from)
		if r.to != r.from {
			span = fmt.Sprintf("%d–%d", r.from, r.to)
		}
		if r.g.Estimated {
			svs = append(svs, fmt.Sprintf("%s på DeSO 2025, visat på DeSO 2018 som medelvärdet av de delade områdena (en uppskattning)", span))
			ens = append(ens, fmt.Sprintf("%s on DeSO 2025, shown on DeSO 2018 as the mean of the split areas (an estimate)", span))
			continue
		}
		svs = append(svs, fmt.Sprintf("%s på %s", span, r.g.Geography))
		ens = append(ens, fmt.Sprintf("%s on %s", span, r.g.Geography))
	}
	sv, en = strings.Join(svs, "; "), strings.Join(ens, "; ")
	if comparable {
		return sv + ", jämförbara genom summering av delade områden.", en + ", comparable by summing the split areas."
	}
	return sv + ": serien bryts, åren är inte jämförbara för delade områden.", en + ": the series breaks; the years are not comparable for split areas."
}
