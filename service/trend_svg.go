package service

import (
	"bytes"
	"context"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/render"
)

// Colours of the trend chart: the asked areas, then kommun, län and riket
// (as the client's trend view).
var (
	trendAreaColors = []string{"#c2185b", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f"}
	trendParentLine = map[string]render.Series{
		data.LevelKommun: {Color: "#1f5f8b", Dash: "6 4"},
		data.LevelLan:    {Color: "#7a6a2f", Dash: "8 3 2 3"},
		data.LevelRiket:  {Color: "#4d4d4d", Dash: "2 3"},
	}
)

// TrendChart is the trend of q as an SVG line chart: each asked area, and
// the first area's kommun, län and riket.
func (s *Service) TrendChart(ctx context.Context, q TrendQuery, lang string) ([]byte, error) {
	tr, err := s.Trend(ctx, q)
	if err != nil {
		return nil, err
	}
	points := func(ts TrendSeries) []render.XY {
		out := make([]render.XY, len(tr.Years))
		for i, y := range tr.Years {
			out[i] = render.XY{X: float64(y), Y: float64(ts.Values[i])}
		}
		return out
	}
	var series []render.Series
	for i, a := range tr.Areas {
		series = append(series, render.Series{Label: a.Name, Color: trendAreaColors[i%len(trendAreaColors)], Width: 2.5, Points: points(a)})
	}
	var first TrendSeries
	if len(tr.Areas) > 0 {
		first = tr.Areas[0]
	}
	for _, p := range tr.Parents {
		if (p.Level == data.LevelKommun && p.Code != first.Kommun) || (p.Level == data.LevelLan && p.Code != first.Lan) {
			continue
		}
		line := trendParentLine[p.Level]
		line.Label, line.Points = p.Name, points(p)
		if p.Level == data.LevelRiket {
			line.Label = map[bool]string{true: "Sweden", false: "Riket"}[lang == "en"]
		}
		series = append(series, line)
	}
	name := tr.Indicator.NameSV
	if lang == "en" && tr.Indicator.NameEN != "" {
		name = tr.Indicator.NameEN
	}
	var buf bytes.Buffer
	if err := render.WriteLineChart(&buf, render.LineChart{Title: name, Series: series, Decimals: tr.Indicator.Decimals, Unit: tr.Indicator.Unit, Lang: lang}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
