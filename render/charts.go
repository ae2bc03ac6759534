package render

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"

	"github.com/segmap/segmap/internal/locale"
)

// Charts for reports: a line chart over years, a scatter plot and a
// horizontal bar chart, written as SVG fragments (no XML declaration, sized
// by their viewBox) to inline in HTML. Text uses the same fonts as the maps;
// numbers are formatted for the chart's language (decimal comma in Swedish).

// XY is one point; a NaN Y is a gap (missing value).
type XY struct{ X, Y float64 }

// Series is one line of a line chart.
type Series struct {
	Label  string
	Color  string  // "#rrggbb"
	Dash   string  // SVG stroke-dasharray, "" = solid
	Width  float64 // stroke width, 0 = 2
	Points []XY
}

// Marker is a vertical mark at X (e.g. an area note's year) with a short
// label and an optional longer text shown as a tooltip.
type Marker struct {
	X     float64
	Label string
	Title string
}

// LineChart is a line chart over years (X are years, drawn as integers).
type LineChart struct {
	Title         string // accessible title (<title>)
	Series        []Series
	Markers       []Marker
	Width, Height int // CSS px of the viewBox; default 560 x 260
	Decimals      int // of the Y tick labels and point tooltips
	Unit          string
	Lang          string // "sv" (default) or "en"
}

// ScatterPoint is one point of a scatter plot.
type ScatterPoint struct {
	X, Y  float64
	Label string // tooltip
	Color string // "" = the chart's colour
}

// ScatterChart is a scatter plot with an optional least-squares line.
type ScatterChart struct {
	Title          string
	XLabel, YLabel string
	Points         []ScatterPoint
	Color          string // default "#1f5f8b"
	Trend          bool   // draw the least-squares line
	Width, Height  int    // default 360 x 300
	XDecimals      int
	YDecimals      int
	Lang           string
}

// Bar is one bar of a bar chart.
type Bar struct {
	Label string
	Value float64 // NaN: no bar, the value text says "–"
	Color string
	Text  string // value text; "" = the formatted value
}

// BarChart is a horizontal bar chart (one row per bar).
type BarChart struct {
	Title    string
	Bars     []Bar
	Width    int     // default 560; the height follows the bars
	Max      float64 // axis maximum; 0 = the largest value
	Decimals int
	Unit     string
	Lang     string
}

// chartWriter wraps svgWriter with a few shapes.
type chartWriter struct{ svgWriter }

func newChartWriter(w io.Writer) *chartWriter {
	return &chartWriter{svgWriter{w: bufio.NewWriterSize(w, 16<<10)}}
}

func (c *chartWriter) open(class string, w, h int, title, lang string) {
	if lang != "en" {
		lang = "sv"
	}
	c.str(fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" class="%s" viewBox="0 0 %d %d" width="100%%" role="img" xml:lang="%s" font-family="%s">`,
		class, w, h, lang, svgFontFamily))
	c.str("<title>")
	c.escaped(title)
	c.str("</title>\n")
}

func (c *chartWriter) close() error {
	c.str("</svg>\n")
	if c.err == nil {
		c.err = c.w.Flush()
	}
	if c.err != nil {
		return fmt.Errorf("render: write chart: %w", c.err)
	}
	return nil
}

func (c *chartWriter) line(x1, y1, x2, y2 float64, attrs string) {
	c.str(`<line x1="`)
	c.num(x1)
	c.str(`" y1="`)
	c.num(y1)
	c.str(`" x2="`)
	c.num(x2)
	c.str(`" y2="`)
	c.num(y2)
	c.str(`" ` + attrs + "/>\n")
}

func (c *chartWriter) text(x, y float64, s, attrs string) {
	c.str(`<text x="`)
	c.num(x)
	c.str(`" y="`)
	c.num(y)
	c.str(`" ` + attrs + ">")
	c.escaped(s)
	c.str("</text>\n")
}

// NiceTicks returns about n round tick values covering [lo, hi] (1, 2, 2.5
// or 5 times a power of ten apart), the first at or below lo and the last at
// or above hi. A zero-width range is widened by one on each side.
func NiceTicks(lo, hi float64, n int) []float64 {
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return []float64{0, 1}
	}
	if lo > hi {
		lo, hi = hi, lo
	}
	if lo == hi {
		lo, hi = lo-1, hi+1
	}
	if n < 1 {
		n = 4
	}
	raw := (hi - lo) / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * mag
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	first := math.Floor(lo/step) * step
	var out []float64
	for i := 0; ; i++ {
		v := first + float64(i)*step
		// round away float noise (0.30000000000000004)
		v = math.Round(v/step) * step
		out = append(out, v)
		if v >= hi-step*1e-9 || i > 1000 {
			break
		}
	}
	return out
}

// tickDecimals is enough decimals to tell ticks apart.
func tickDecimals(ticks []float64, max int) int {
	if len(ticks) < 2 {
		return 0
	}
	step := math.Abs(ticks[1] - ticks[0])
	d := 0
	for d < max && math.Abs(step*math.Pow(10, float64(d))-math.Round(step*math.Pow(10, float64(d)))) > 1e-6 {
		d++
	}
	return d
}

func finiteF(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

func colorOr(c, def string) string {
	if c == "" {
		return def
	}
	if col, err := parseColor(c); err == nil {
		return hexColor(col)
	}
	return def
}

// WriteLineChart writes c as an SVG fragment.
func WriteLineChart(w io.Writer, c LineChart) error {
	W, H := c.Width, c.Height
	if W <= 0 {
		W = 560
	}
	if H <= 0 {
		H = 260
	}
	cw := newChartWriter(w)
	cw.open("chart line-chart", W, H, c.Title, c.Lang)
	var xs []float64
	seen := map[float64]bool{}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range c.Series {
		for _, p := range s.Points {
			if !finiteF(p.X) {
				continue
			}
			if !seen[p.X] {
				seen[p.X] = true
				xs = append(xs, p.X)
			}
			if finiteF(p.Y) {
				lo, hi = math.Min(lo, p.Y), math.Max(hi, p.Y)
			}
		}
	}
	for _, m := range c.Markers {
		if finiteF(m.X) && !seen[m.X] {
			seen[m.X] = true
			xs = append(xs, m.X)
		}
	}
	sort.Float64s(xs)
	legendH := 0.0
	if len(c.Series) > 0 {
		legendH = 22
	}
	ml, mr, mt, mb := 56.0, 16.0, 14.0, 30.0+legendH
	pw, ph := float64(W)-ml-mr, float64(H)-mt-mb
	if len(xs) == 0 || math.IsInf(lo, 1) {
		cw.text(float64(W)/2, float64(H)/2, "–", `text-anchor="middle" font-size="14" fill="#777"`)
		return cw.close()
	}
	// Start the axis at zero when the data are all positive and not far from it.
	if lo > 0 && lo < (hi-lo)*1.5 {
		lo = 0
	}
	ticks := NiceTicks(lo, hi, 4)
	y0, y1 := ticks[0], ticks[len(ticks)-1]
	px := func(x float64) float64 {
		if len(xs) == 1 || xs[len(xs)-1] == xs[0] {
			return ml + pw/2
		}
		return ml + (x-xs[0])/(xs[len(xs)-1]-xs[0])*pw
	}
	py := func(y float64) float64 { return mt + ph - (y-y0)/(y1-y0)*ph }
	dec := tickDecimals(ticks, 3)
	cw.str(`<g class="grid" font-size="11" fill="#555">` + "\n")
	for _, t := range ticks {
		cw.line(ml, py(t), ml+pw, py(t), `stroke="#e3e3e3" stroke-width="1"`)
		cw.text(ml-6, py(t)+4, locale.FormatNumber(t, dec, locale.Of(c.Lang)), `text-anchor="end"`)
	}
	every := int(math.Ceil(float64(len(xs)) / 8))
	for i, x := range xs {
		if i%every != 0 && i != len(xs)-1 {
			continue
		}
		cw.text(px(x), mt+ph+18, strconv.FormatFloat(x, 'f', -1, 64), `text-anchor="middle"`)
	}
	cw.line(ml, mt+ph, ml+pw, mt+ph, `stroke="#888" stroke-width="1"`)
	if c.Unit != "" {
		cw.text(ml-6, mt-3, c.Unit, `text-anchor="end" font-size="10"`)
	}
	cw.str("</g>\n")
	for _, m := range c.Markers {
		if !finiteF(m.X) {
			continue
		}
		x := px(m.X)
		cw.str(`<g class="marker">`)
		if m.Title != "" {
			cw.str("<title>")
			cw.escaped(m.Title)
			cw.str("</title>")
		}
		cw.line(x, mt, x, mt+ph, `stroke="#e08a00" stroke-width="1.5" stroke-dasharray="4 3"`)
		cw.str(`<circle cx="`)
		cw.num(x)
		cw.str(`" cy="`)
		cw.num(mt + 6)
		cw.str(`" r="6" fill="#e08a00"/>`)
		cw.text(x, mt+9.5, m.Label, `text-anchor="middle" font-size="9" font-weight="bold" fill="#ffffff"`)
		cw.str("</g>\n")
	}
	for _, s := range c.Series {
		col := colorOr(s.Color, "#1f5f8b")
		width := s.Width
		if width <= 0 {
			width = 2
		}
		pts := make([]XY, 0, len(s.Points))
		for _, p := range s.Points {
			if finiteF(p.X) {
				pts = append(pts, p)
			}
		}
		sort.Slice(pts, func(i, j int) bool { return pts[i].X < pts[j].X })
		// Lines between consecutive finite points; a NaN breaks the line.
		d := ""
		pen := false
		for _, p := range pts {
			if !finiteF(p.Y) {
				pen = false
				continue
			}
			op := "L"
			if !pen {
				op = "M"
			}
			d += op + strconv.FormatFloat(px(p.X), 'f', 2, 64) + " " + strconv.FormatFloat(py(p.Y), 'f', 2, 64)
			pen = true
		}
		cw.str(`<g class="series">`)
		if d != "" {
			cw.str(`<path fill="none" stroke="` + col + `" stroke-width="`)
			cw.num(width)
			cw.str(`"`)
			if s.Dash != "" {
				cw.str(` stroke-dasharray="`)
				cw.escaped(s.Dash)
				cw.str(`"`)
			}
			cw.str(` d="` + d + `"/>`)
		}
		for _, p := range pts {
			if !finiteF(p.Y) {
				continue
			}
			cw.str(`<circle cx="`)
			cw.num(px(p.X))
			cw.str(`" cy="`)
			cw.num(py(p.Y))
			cw.str(`" r="3.2" fill="` + col + `"><title>`)
			cw.escaped(fmt.Sprintf("%s %s: %s", s.Label, strconv.FormatFloat(p.X, 'f', -1, 64), locale.FormatNumber(p.Y, c.Decimals, locale.Of(c.Lang))))
			cw.str("</title></circle>")
		}
		cw.str("</g>\n")
	}
	if legendH > 0 {
		cw.str(`<g class="chart-legend" font-size="11" fill="#333">`)
		fs, err := newFonts(1)
		if err != nil {
			return err
		}
		defer fs.close()
		x := ml
		y := float64(H) - 8
		for _, s := range c.Series {
			col := colorOr(s.Color, "#1f5f8b")
			attrs := `stroke="` + col + `" stroke-width="3"`
			if s.Dash != "" {
				attrs += ` stroke-dasharray="` + s.Dash + `"`
			}
			cw.line(x, y-4, x+22, y-4, attrs)
			cw.text(x+27, y, s.Label, "")
			x += 27 + fs.width(styleLegend, s.Label) + 18
		}
		cw.str("</g>\n")
	}
	return cw.close()
}

// LeastSquares returns the slope and intercept of y = a + b·x over the
// finite points (ok false with fewer than two distinct x).
func LeastSquares(pts []ScatterPoint) (slope, intercept float64, ok bool) {
	var n, sx, sy float64
	for _, p := range pts {
		if finiteF(p.X) && finiteF(p.Y) {
			n++
			sx += p.X
			sy += p.Y
		}
	}
	if n < 2 {
		return 0, 0, false
	}
	mx, my := sx/n, sy/n
	var sxx, sxy float64
	for _, p := range pts {
		if finiteF(p.X) && finiteF(p.Y) {
			sxx += (p.X - mx) * (p.X - mx)
			sxy += (p.X - mx) * (p.Y - my)
		}
	}
	if sxx == 0 {
		return 0, 0, false
	}
	slope = sxy / sxx
	return slope, my - slope*mx, true
}

// WriteScatter writes c as an SVG fragment.
func WriteScatter(w io.Writer, c ScatterChart) error {
	W, H := c.Width, c.Height
	if W <= 0 {
		W = 360
	}
	if H <= 0 {
		H = 300
	}
	cw := newChartWriter(w)
	cw.open("chart scatter", W, H, c.Title, c.Lang)
	xlo, xhi, ylo, yhi := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, p := range c.Points {
		if finiteF(p.X) && finiteF(p.Y) {
			xlo, xhi = math.Min(xlo, p.X), math.Max(xhi, p.X)
			ylo, yhi = math.Min(ylo, p.Y), math.Max(yhi, p.Y)
		}
	}
	if math.IsInf(xlo, 1) {
		cw.text(float64(W)/2, float64(H)/2, "–", `text-anchor="middle" font-size="14" fill="#777"`)
		return cw.close()
	}
	ml, mr, mt, mb := 52.0, 12.0, 12.0, 44.0
	pw, ph := float64(W)-ml-mr, float64(H)-mt-mb
	xt, yt := NiceTicks(xlo, xhi, 4), NiceTicks(ylo, yhi, 4)
	x0, x1, y0, y1 := xt[0], xt[len(xt)-1], yt[0], yt[len(yt)-1]
	px := func(x float64) float64 { return ml + (x-x0)/(x1-x0)*pw }
	py := func(y float64) float64 { return mt + ph - (y-y0)/(y1-y0)*ph }
	xd, yd := tickDecimals(xt, 3), tickDecimals(yt, 3)
	cw.str(`<g class="grid" font-size="10" fill="#555">` + "\n")
	for _, t := range yt {
		cw.line(ml, py(t), ml+pw, py(t), `stroke="#ececec" stroke-width="1"`)
		cw.text(ml-5, py(t)+3.5, locale.FormatNumber(t, yd, locale.Of(c.Lang)), `text-anchor="end"`)
	}
	for _, t := range xt {
		cw.line(px(t), mt, px(t), mt+ph, `stroke="#ececec" stroke-width="1"`)
		cw.text(px(t), mt+ph+14, locale.FormatNumber(t, xd, locale.Of(c.Lang)), `text-anchor="middle"`)
	}
	cw.line(ml, mt+ph, ml+pw, mt+ph, `stroke="#888" stroke-width="1"`)
	cw.line(ml, mt, ml, mt+ph, `stroke="#888" stroke-width="1"`)
	cw.text(ml+pw/2, float64(H)-6, c.XLabel, `text-anchor="middle" font-size="11" fill="#222"`)
	cw.str(`<text transform="translate(12 `)
	cw.num(mt + ph/2)
	cw.str(`) rotate(-90)" text-anchor="middle" font-size="11" fill="#222">`)
	cw.escaped(c.YLabel)
	cw.str("</text>\n</g>\n")
	col := colorOr(c.Color, "#1f5f8b")
	cw.str(`<g class="points" fill-opacity="0.55">` + "\n")
	for _, p := range c.Points {
		if !finiteF(p.X) || !finiteF(p.Y) {
			continue
		}
		cw.str(`<circle cx="`)
		cw.num(px(p.X))
		cw.str(`" cy="`)
		cw.num(py(p.Y))
		cw.str(`" r="2.6" fill="` + colorOr(p.Color, col) + `">`)
		if p.Label != "" {
			cw.str("<title>")
			cw.escaped(p.Label)
			cw.str("</title>")
		}
		cw.str("</circle>\n")
	}
	cw.str("</g>\n")
	if c.Trend {
		if b, a, ok := LeastSquares(c.Points); ok {
			// Clip the line to the plot's y range.
			xa, xb := x0, x1
			ya, yb := a+b*xa, a+b*xb
			clip := func(x, y float64) (float64, float64) {
				if y < y0 && b != 0 {
					return (y0 - a) / b, y0
				}
				if y > y1 && b != 0 {
					return (y1 - a) / b, y1
				}
				return x, y
			}
			xa, ya = clip(xa, ya)
			xb, yb = clip(xb, yb)
			cw.line(px(xa), py(ya), px(xb), py(yb), `class="trend" stroke="#c2185b" stroke-width="1.6"`)
		}
	}
	return cw.close()
}

// WriteBarChart writes c as an SVG fragment.
func WriteBarChart(w io.Writer, c BarChart) error {
	W := c.Width
	if W <= 0 {
		W = 560
	}
	fs, err := newFonts(1)
	if err != nil {
		return err
	}
	defer fs.close()
	const rowH, barH, top = 24.0, 15.0, 6.0
	H := int(top + rowH*float64(len(c.Bars)) + 6)
	if H < 30 {
		H = 30
	}
	cw := newChartWriter(w)
	cw.open("chart bar-chart", W, H, c.Title, c.Lang)
	labelW := 0.0
	texts := make([]string, len(c.Bars))
	textW := 0.0
	maxV := c.Max
	for i, b := range c.Bars {
		labelW = math.Max(labelW, fs.width(styleLegend, b.Label))
		texts[i] = b.Text
		if texts[i] == "" {
			texts[i] = locale.FormatNumber(b.Value, c.Decimals, locale.Of(c.Lang))
			if c.Unit != "" && finiteF(b.Value) {
				texts[i] += " " + c.Unit
			}
		}
		textW = math.Max(textW, fs.width(styleLegend, texts[i]))
		if c.Max <= 0 && finiteF(b.Value) {
			maxV = math.Max(maxV, b.Value)
		}
	}
	labelW = math.Min(labelW, float64(W)*0.6)
	x0 := labelW + 10
	avail := float64(W) - x0 - textW - 10
	if avail < 20 {
		avail = 20
	}
	cw.str(`<g font-size="11" fill="#222">` + "\n")
	for i, b := range c.Bars {
		y := top + rowH*float64(i)
		cw.text(labelW, y+barH-3, b.Label, `text-anchor="end"`)
		bw := 0.0
		if finiteF(b.Value) && maxV > 0 {
			bw = math.Max(0, b.Value/maxV*avail)
		}
		cw.str(`<rect class="bar" x="`)
		cw.num(x0)
		cw.str(`" y="`)
		cw.num(y)
		cw.str(`" width="`)
		cw.num(bw)
		cw.str(`" height="`)
		cw.num(barH)
		cw.str(`" fill="` + colorOr(b.Color, "#1f5f8b") + `"/>` + "\n")
		cw.text(x0+bw+5, y+barH-3, texts[i], "")
	}
	cw.str("</g>\n")
	return cw.close()
}
