package report

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"math"
	"slices"
	"sort"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/internal/fault"
	"github.com/segmap/segmap/render"
	"github.com/segmap/segmap/service"
	"github.com/segmap/segmap/spatial/correlate"
)

// Nulägesbild: the correlation part (main indicators pairwise).

// CorrelationPair is one pair of main indicators and its scatter plot.
type CorrelationPair struct {
	X     data.Indicator `json:"x"`
	Y     data.Indicator `json:"y"`
	R     service.Num    `json:"r"`
	N     int            `json:"n"`
	Chart template.HTML  `json:"-"`
}

// Correlation is the correlation table of the main indicators.
type Correlation struct {
	Year       int               `json:"year"`
	Level      string            `json:"level"`
	Method     string            `json:"method"`
	Indicators []data.Indicator  `json:"indicators"`
	R          [][]service.Num   `json:"r"` // R[i][j], Pearson over areas with both values
	N          [][]int           `json:"n"`
	Strongest  []CorrelationPair `json:"strongest"`
}

func (b *builder) correlation(ctx context.Context) error {
	var inds []data.Indicator
	year := 0
	vals := map[string]map[string]float64{}
	for _, id := range b.q.Main {
		ind, err := b.store.Indicator(ctx, id)
		if err != nil {
			continue // not in this store
		}
		if year == 0 {
			year = service.LatestYear(ind)
		}
		if !slices.Contains(ind.Years, year) {
			continue
		}
		v, err := b.svc.Values(ctx, service.ValuesQuery{Level: data.LevelDeSO, Indicator: ind.ID, Year: year, Kommuner: b.q.Kommuner})
		if err != nil {
			return err
		}
		m := map[string]float64{}
		for _, a := range v.Areas {
			if a.Value.Valid() {
				m[a.Code] = float64(a.Value)
			}
		}
		if len(m) < 3 {
			continue
		}
		inds = append(inds, ind)
		vals[ind.ID] = m
	}
	if len(inds) < 2 {
		return skipBecause(fault.New(fault.NotFound, "fewer than two main indicators have values in %d", year), "skip_few_indicators", year)
	}
	rc := &Correlation{Year: year, Level: data.LevelDeSO, Method: "pearson", Indicators: inds}
	type pair struct {
		i, j int
		r    float64
		pts  []render.ScatterPoint
	}
	var pairs []pair
	rc.R = make([][]service.Num, len(inds))
	rc.N = make([][]int, len(inds))
	for i := range inds {
		rc.R[i] = make([]service.Num, len(inds))
		rc.N[i] = make([]int, len(inds))
	}
	for i := range inds {
		for j := i; j < len(inds); j++ {
			var x, y []float64
			var pts []render.ScatterPoint
			for _, d := range b.deso {
				xv, ok1 := vals[inds[i].ID][d.Code]
				yv, ok2 := vals[inds[j].ID][d.Code]
				if ok1 && ok2 {
					x, y = append(x, xv), append(y, yv)
					pts = append(pts, render.ScatterPoint{X: xv, Y: yv, Label: d.Code + " " + b.regso[d.RegSO].Name})
				}
			}
			r := nan
			if len(x) >= 3 {
				if v, err := correlate.Pearson(x, y, nil); err == nil {
					r = v
				}
			}
			rc.R[i][j], rc.R[j][i] = service.Num(r), service.Num(r)
			rc.N[i][j], rc.N[j][i] = len(x), len(x)
			if i != j && finite(r) {
				pairs = append(pairs, pair{i, j, r, pts})
			}
		}
	}
	sort.SliceStable(pairs, func(a, c int) bool { return math.Abs(pairs[a].r) > math.Abs(pairs[c].r) })
	for _, p := range pairs[:min(3, len(pairs))] {
		cp := CorrelationPair{X: inds[p.i], Y: inds[p.j], R: service.Num(p.r), N: len(p.pts)}
		var buf bytes.Buffer
		err := render.WriteScatter(&buf, render.ScatterChart{
			Title:  fmt.Sprintf("%s – %s (r = %s)", b.indName(cp.X), b.indName(cp.Y), b.num(p.r, 2)),
			XLabel: b.indLabel(cp.X), YLabel: b.indLabel(cp.Y), Points: p.pts, Trend: true,
			XDecimals: cp.X.Decimals, YDecimals: cp.Y.Decimals, Lang: b.q.Lang,
		})
		if err != nil {
			return err
		}
		cp.Chart = template.HTML(buf.String())
		rc.Strongest = append(rc.Strongest, cp)
	}
	b.r.Correlation = rc
	return nil
}
