package report

import (
	"bytes"
	"context"
	"fmt"
	"html/template"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/render"
)

// Nulägesbild: the områdestyper part (the RegSO types of the region, map and bar).

func (b *builder) omradestyper(ctx context.Context) error {
	ot, err := b.svc.Omradestyper(ctx, b.q.Kommuner)
	if err != nil {
		return err
	}
	b.r.Types = ot
	b.types = map[string]int{}
	for _, a := range ot.Areas {
		b.types[a.Code] = a.Type
	}
	colors := map[int]string{}
	var legend []render.LegendItem
	var bars []render.Bar
	for _, ti := range ot.Types {
		colors[ti.Type] = ti.Color
		label := ti.LabelSV
		if b.en {
			label = ti.LabelEN
		}
		legend = append(legend, render.LegendItem{Label: fmt.Sprintf("%d %s", ti.Type, label), Color: ti.Color, Count: ti.RegSOCount})
		share := float64(ti.PopulationShare) * 100
		bars = append(bars, render.Bar{Label: fmt.Sprintf("%d %s", ti.Type, label), Value: share, Color: ti.Color,
			Text: b.num(share, 1) + " %"})
	}
	var buf bytes.Buffer
	if err := render.WriteBarChart(&buf, render.BarChart{Title: b.t("typesBarTitle"), Bars: bars, Lang: b.q.Lang, Width: 640}); err != nil {
		return err
	}
	b.r.TypesBar = template.HTML(buf.String())
	level := data.LevelRegSO
	fill := map[string]string{}
	if g, err := b.geometries(ctx, data.LevelRegSO); err != nil || len(g) == 0 {
		// No RegSO boundaries: colour each DeSO by its RegSO's type.
		level = data.LevelDeSO
		b.r.TypesViaDeSO = true
		for _, d := range b.deso {
			if c, ok := colors[b.types[d.RegSO]]; ok {
				fill[d.Code] = c
			}
		}
	} else {
		for code, t := range b.types {
			if c, ok := colors[t]; ok {
				fill[code] = c
			}
		}
	}
	b.r.TypesMap, err = b.mapSVG(ctx, level, fill, b.t("typesMapTitle"), fmt.Sprintf("RegSO · %s · %d", b.r.Name, ot.Year), b.t("omradestyp"), legend, ot.Year)
	return err
}
