package render

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
)

// chartElems parses an SVG fragment and returns its elements with their
// attributes (and the text content of <text> and <title> in "#text").
func chartElems(t *testing.T, b []byte) []map[string]string {
	t.Helper()
	if bytes.HasPrefix(b, []byte("<?xml")) {
		t.Error("chart fragment starts with an XML declaration")
	}
	dec := xml.NewDecoder(bytes.NewReader(b))
	var out []map[string]string
	var stack []int
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("chart is not well-formed XML: %v\n%s", err, b)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			m := map[string]string{"#name": el.Name.Local}
			for _, a := range el.Attr {
				m[a.Name.Local] = a.Value
			}
			out = append(out, m)
			stack = append(stack, len(out)-1)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				cur := out[stack[len(stack)-1]]
				cur["#text"] += string(el)
				if cur["#name"] == "title" && len(stack) > 1 {
					out[stack[len(stack)-2]]["#title"] += string(el)
				}
			}
		}
	}
	return out
}

func byName(els []map[string]string, name string) []map[string]string {
	var out []map[string]string
	for _, e := range els {
		if e["#name"] == name {
			out = append(out, e)
		}
	}
	return out
}

func attrF(t *testing.T, e map[string]string, k string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(e[k], 64)
	if err != nil {
		t.Fatalf("attribute %s=%q: %v", k, e[k], err)
	}
	return f
}

func TestNiceTicks(t *testing.T) {
	tests := []struct{ lo, hi float64 }{
		{0, 1}, {3.2, 47.9}, {-12, 8}, {1999, 2024}, {0.001, 0.0042}, {5, 5}, {-3, -3}, {0, 1e6}, {47.9, 3.2},
	}
	for _, tc := range tests {
		ts := NiceTicks(tc.lo, tc.hi, 4)
		lo, hi := math.Min(tc.lo, tc.hi), math.Max(tc.lo, tc.hi)
		if len(ts) < 2 || len(ts) > 12 {
			t.Errorf("NiceTicks(%g, %g) = %v: want 2..12 ticks", tc.lo, tc.hi, ts)
			continue
		}
		if ts[0] > lo || ts[len(ts)-1] < hi {
			t.Errorf("NiceTicks(%g, %g) = %v does not cover the range", tc.lo, tc.hi, ts)
		}
		step := ts[1] - ts[0]
		mant := step / math.Pow(10, math.Floor(math.Log10(step)))
		ok := false
		for _, m := range []float64{1, 2, 2.5, 5, 10} {
			ok = ok || math.Abs(mant-m) < 1e-9
		}
		if !ok {
			t.Errorf("NiceTicks(%g, %g) step %g is not 1, 2, 2.5 or 5 × 10^n", tc.lo, tc.hi, step)
		}
		for i := 1; i < len(ts); i++ {
			if math.Abs(ts[i]-ts[i-1]-step) > step*1e-9 {
				t.Errorf("NiceTicks(%g, %g) = %v: uneven steps", tc.lo, tc.hi, ts)
				break
			}
		}
	}
}

func TestLineChart(t *testing.T) {
	nan := math.NaN()
	c := LineChart{
		Title: "Ojämlikhetsindex",
		Series: []Series{
			{Label: "Stockholm", Color: "#c2185b", Points: []XY{{2019, 30.5}, {2020, 31.25}, {2021, nan}, {2022, 33}}},
			{Label: "Riket", Color: "#4d4d4d", Dash: "2 3", Points: []XY{{2019, 20}, {2020, 21}, {2021, 22}, {2022, 23}}},
		},
		Markers:  []Marker{{X: 2020, Label: "1", Title: "nytt studentboende"}},
		Decimals: 1, Lang: "sv",
	}
	var buf bytes.Buffer
	if err := WriteLineChart(&buf, c); err != nil {
		t.Fatal(err)
	}
	els := chartElems(t, buf.Bytes())
	circles := byName(els, "circle")
	// 3 + 4 data points, 1 marker dot.
	if len(circles) != 8 {
		t.Fatalf("%d circles, want 8", len(circles))
	}
	// The first series' path breaks at the gap: two M commands.
	paths := byName(els, "path")
	if len(paths) != 2 || strings.Count(paths[0]["d"], "M") != 2 || strings.Count(paths[1]["d"], "M") != 1 {
		t.Errorf("paths %v: want a broken line and a whole one", paths)
	}
	// Higher values are drawn higher (smaller y); equal years share an x.
	y := map[string]float64{}
	x := map[string]float64{}
	for _, e := range circles {
		if e["#title"] == "" {
			continue
		}
		y[e["#title"]] = attrF(t, e, "cy")
		x[e["#title"]] = attrF(t, e, "cx")
	}
	if len(y) != 7 {
		t.Fatalf("point tooltips %v: want 7", y)
	}
	if !(y["Stockholm 2022: 33,0"] < y["Stockholm 2019: 30,5"] && y["Stockholm 2019: 30,5"] < y["Riket 2022: 23,0"]) {
		t.Errorf("point heights do not follow the values: %v", y)
	}
	if x["Stockholm 2020: 31,3"] != x["Riket 2020: 21,0"] && x["Stockholm 2020: 31,2"] != x["Riket 2020: 21,0"] {
		t.Errorf("same year at different x: %v", x)
	}
	// Linear scale: 2019 → 2022 span thrice the 2019 → 2020 span.
	if d1, d3 := x["Riket 2020: 21,0"]-x["Riket 2019: 20,0"], x["Riket 2022: 23,0"]-x["Riket 2019: 20,0"]; math.Abs(d3-3*d1) > 0.05 {
		t.Errorf("x scale not linear: %g vs %g", d1, d3)
	}
	var marker bool
	for _, e := range byName(els, "title") {
		marker = marker || e["#text"] == "nytt studentboende"
	}
	if !marker {
		t.Error("the marker's note is not in the chart")
	}
	// Swedish tick labels have no decimal point.
	for _, e := range byName(els, "text") {
		if strings.Contains(e["#text"], ".") {
			t.Errorf("tick %q has a decimal point in a Swedish chart", e["#text"])
		}
	}
}

func TestLineChartEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteLineChart(&buf, LineChart{Title: "tom"}); err != nil {
		t.Fatal(err)
	}
	if els := chartElems(t, buf.Bytes()); len(byName(els, "circle")) != 0 {
		t.Error("empty chart drew points")
	}
}

func TestScatterTrend(t *testing.T) {
	tests := []struct {
		name      string
		slope     float64
		intercept float64
	}{
		{"rising", 0.8, 3}, {"falling", -1.5, 60}, {"flat", 0, 10},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var pts []ScatterPoint
			for i := 0; i < 40; i++ {
				xv := float64(i%17) + float64(i)/10
				noise := float64((i*7)%5-2) * 0.3 // sums to ~0 per cycle
				pts = append(pts, ScatterPoint{X: xv, Y: tc.intercept + tc.slope*xv + noise, Label: "p" + strconv.Itoa(i)})
			}
			b, a, ok := LeastSquares(pts)
			if !ok || math.Abs(b-tc.slope) > 0.1 || math.Abs(a-tc.intercept) > 1.5 {
				t.Fatalf("LeastSquares = %g, %g, %v; want about %g, %g", b, a, ok, tc.slope, tc.intercept)
			}
			var buf bytes.Buffer
			if err := WriteScatter(&buf, ScatterChart{Title: tc.name, XLabel: "x", YLabel: "y", Points: pts, Trend: true, Lang: "en"}); err != nil {
				t.Fatal(err)
			}
			els := chartElems(t, buf.Bytes())
			if n := len(byName(els, "circle")); n != len(pts) {
				t.Errorf("%d points drawn, want %d", n, len(pts))
			}
			var trend map[string]string
			for _, e := range byName(els, "line") {
				if e["class"] == "trend" {
					trend = e
				}
			}
			if trend == nil {
				t.Fatal("no trend line")
			}
			dy := attrF(t, trend, "y2") - attrF(t, trend, "y1") // pixels, y down
			switch {
			case tc.slope > 0 && dy >= 0, tc.slope < 0 && dy <= 0, tc.slope == 0 && math.Abs(dy) > 10:
				t.Errorf("trend line dy = %g px for slope %g", dy, tc.slope)
			}
		})
	}
}

func TestBarChart(t *testing.T) {
	bars := []Bar{{Label: "Typ 1", Value: 10, Color: "#d7191c"}, {Label: "Typ 2", Value: 40}, {Label: "Typ 3", Value: math.NaN()}, {Label: "Typ 4", Value: 20, Text: "20 %"}}
	var buf bytes.Buffer
	if err := WriteBarChart(&buf, BarChart{Title: "b", Bars: bars, Lang: "sv"}); err != nil {
		t.Fatal(err)
	}
	els := chartElems(t, buf.Bytes())
	var rects []map[string]string
	for _, e := range byName(els, "rect") {
		if e["class"] == "bar" {
			rects = append(rects, e)
		}
	}
	if len(rects) != 4 {
		t.Fatalf("%d bars, want 4", len(rects))
	}
	w0, w1, w2, w3 := attrF(t, rects[0], "width"), attrF(t, rects[1], "width"), attrF(t, rects[2], "width"), attrF(t, rects[3], "width")
	if w2 != 0 || math.Abs(w1-4*w0) > 0.05 || math.Abs(w1-2*w3) > 0.05 {
		t.Errorf("bar widths %g %g %g %g not proportional to 10, 40, NaN, 20", w0, w1, w2, w3)
	}
	if rects[0]["fill"] != "#d7191c" {
		t.Errorf("bar colour %q", rects[0]["fill"])
	}
	var texts []string
	for _, e := range byName(els, "text") {
		texts = append(texts, e["#text"])
	}
	joined := strings.Join(texts, "|")
	for _, want := range []string{"Typ 1", "10", "–", "20 %"} {
		if !strings.Contains(joined, want) {
			t.Errorf("bar texts %q lack %q", joined, want)
		}
	}
}

func TestSVGFragment(t *testing.T) {
	areas := loadAreas(t, vaxjoFile)
	m := choropleth(areas[:20], "Fragment")
	var buf bytes.Buffer
	if err := SVG(&buf, m, Options{Width: 500, Height: 400, Fragment: true}); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if bytes.HasPrefix(b, []byte("<?xml")) || bytes.Contains(b, []byte(` id="`)) {
		t.Error("fragment has an XML declaration or ids")
	}
	s := parseSVG(t, b)
	if s.areas != 20 || s.viewBox != "0 0 500 400" {
		t.Errorf("fragment: %d areas, viewBox %q", s.areas, s.viewBox)
	}
}

func BenchmarkScatter(b *testing.B) {
	pts := make([]ScatterPoint, 1300)
	for i := range pts {
		pts[i] = ScatterPoint{X: float64(i % 97), Y: float64(i % 89), Label: "0180C1010"}
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteScatter(io.Discard, ScatterChart{Points: pts, Trend: true}); err != nil {
			b.Fatal(err)
		}
	}
}
