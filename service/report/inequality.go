package report

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"slices"
	"sort"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/render"
	"github.com/segmap/segmap/service"
)

// Nulägesbild: the ojämlikhetsindex part (region, län and riket over the years).

// InequalityPoint is the ojämlikhetsindex of the region, its län and the
// country in one year.
type InequalityPoint struct {
	Year   int         `json:"year"`
	Region service.Num `json:"region"`
	Lan    service.Num `json:"lan"`
	Riket  service.Num `json:"riket"`
	DeSO   int         `json:"deso_count"`
}

func (b *builder) inequality(ctx context.Context) error {
	reg, err := b.svc.InequalityRegion(ctx, b.q.Kommuner)
	if err != nil {
		return err
	}
	nat, err := b.svc.InequalityRegion(ctx, nil)
	if err != nil {
		return err
	}
	lan, err := b.svc.Inequality(ctx, data.LevelLan)
	if err != nil {
		return err
	}
	byYear := map[int]*InequalityPoint{}
	point := func(y int) *InequalityPoint {
		if p, ok := byYear[y]; ok {
			return p
		}
		p := &InequalityPoint{Year: y, Region: service.Num(nan), Lan: service.Num(nan), Riket: service.Num(nan)}
		byYear[y] = p
		return p
	}
	for _, row := range reg.Rows {
		p := point(row.Year)
		p.Region, p.DeSO = row.Index, row.DeSO
	}
	for _, row := range nat.Rows {
		point(row.Year).Riket = row.Index
	}
	for _, row := range lan.Rows {
		if row.Code == b.r.LanCode {
			point(row.Year).Lan = row.Index
		}
	}
	for _, p := range byYear {
		b.r.Inequality = append(b.r.Inequality, *p)
	}
	sort.Slice(b.r.Inequality, func(i, j int) bool { return b.r.Inequality[i].Year < b.r.Inequality[j].Year })
	if len(b.q.Kommuner) > 1 {
		kom, err := b.svc.Inequality(ctx, data.LevelKommun)
		if err != nil {
			return err
		}
		for _, row := range kom.Rows {
			if slices.Contains(b.q.Kommuner, row.Code) {
				b.r.InequalityByKom = append(b.r.InequalityByKom, row)
			}
		}
	}
	series := []render.Series{
		{Label: b.r.Name, Color: "#c2185b", Width: 2.6},
		{Label: b.r.LanName, Color: "#1f5f8b", Dash: "6 4"},
		{Label: b.t("riket"), Color: "#4d4d4d", Dash: "2 3"},
	}
	for _, p := range b.r.Inequality {
		y := float64(p.Year)
		series[0].Points = append(series[0].Points, render.XY{X: y, Y: float64(p.Region)})
		series[1].Points = append(series[1].Points, render.XY{X: y, Y: float64(p.Lan)})
		series[2].Points = append(series[2].Points, render.XY{X: y, Y: float64(p.Riket)})
	}
	// Notes on the kommuner themselves are marked on the chart.
	var markers []render.Marker
	for i, n := range b.notesOf(data.LevelKommun) {
		markers = append(markers, render.Marker{X: float64(n.Year), Label: fmt.Sprint(i + 1), Title: fmt.Sprintf("%d: %s", n.Year, n.Text)})
	}
	var buf bytes.Buffer
	if err := render.WriteLineChart(&buf, render.LineChart{Title: b.t("ineqTitle"), Series: series, Markers: markers, Decimals: 1, Lang: b.q.Lang}); err != nil {
		return err
	}
	b.r.InequalityChart = template.HTML(buf.String())
	seg, err := b.svc.SegregationRegion(ctx, b.q.Kommuner, 0)
	if err != nil {
		return err
	}
	b.r.Segregation = seg
	return nil
}
