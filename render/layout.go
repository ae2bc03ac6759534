package render

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

type anchor int

const (
	anchorStart anchor = iota
	anchorMiddle
	anchorEnd
)

// textItem is one line of text; (x, y) is the baseline anchor in CSS px.
type textItem struct {
	text   string
	x, y   float64
	style  textStyle
	anchor anchor
	halo   bool // white outline, for labels on top of areas
}

type rect struct{ X, Y, W, H float64 }

func (r rect) contains(p pt) bool {
	return p.X >= r.X && p.X <= r.X+r.W && p.Y >= r.Y && p.Y <= r.Y+r.H
}

type swatch struct {
	r     rect
	color string
}

// scaleBar is a bar of segs alternating segments; metres is its ground length.
type scaleBar struct {
	bar    rect
	segs   int
	metres float64
}

// northArrow is centred on (x, y), size CSS px tall, rotated by angle radians
// clockwise from the top of the picture (grid convergence).
type northArrow struct {
	x, y, size, angle float64
}

// layout is everything placed on the picture, in CSS pixels.
type layout struct {
	w, h      float64
	fit       fit
	frame     rect
	hasData   bool
	shapes    []shape // parallel to Map.Features
	outlines  []shape // parallel to Map.Outlines
	texts     []textItem
	legend    rect
	hasLegend bool
	swatches  []swatch
	scale     *scaleBar
	arrow     northArrow
	overlays  []rect // furniture drawn over the map frame
}

func computeLayout(m Map, o Options, fs *fonts) (*layout, error) {
	W, H, P := float64(o.Width), float64(o.Height), float64(o.Padding)
	l := &layout{w: W, h: H}

	// Header.
	top := P
	for _, line := range wrapText(fs, styleTitle, m.Title, W-2*P) {
		l.texts = append(l.texts, textItem{text: line, x: P, y: top + fs.ascent(styleTitle), style: styleTitle})
		top += styleSpecs[styleTitle].size * 1.3
	}
	for _, line := range wrapText(fs, styleSubtitle, m.Subtitle, W-2*P) {
		l.texts = append(l.texts, textItem{text: line, x: P, y: top + fs.ascent(styleSubtitle), style: styleSubtitle})
		top += styleSpecs[styleSubtitle].size * 1.4
	}
	if top > P {
		top += 8
	}

	// Footer: source line on the left, scale bar on the right.
	const footerH = 26.0
	bottom := H - P - footerH - 6
	if m.Source != "" {
		l.texts = append(l.texts, textItem{text: m.Source, x: P, y: H - P - fs.descent(styleSmall), style: styleSmall})
	}

	// Legend: right column when wide enough, else under the map.
	left, right := P, W-P
	arrowInColumn := false
	if len(m.Legend) > 0 || m.LegendTitle != "" {
		l.hasLegend = true
		const pad, sw, swH, gap, rowH = 10.0, 18.0, 12.0, 8.0, 18.0
		showCount := false
		for _, it := range m.Legend {
			showCount = showCount || it.Count > 0
		}
		labelW, countW := 0.0, 0.0
		for _, it := range m.Legend {
			labelW = math.Max(labelW, fs.width(styleLegend, it.Label))
			if showCount {
				countW = math.Max(countW, fs.width(styleSmall, strconv.Itoa(it.Count)))
			}
		}
		inner := sw + gap + labelW
		if showCount {
			inner += 14 + countW
		}
		titleH := 0.0
		if m.LegendTitle != "" {
			inner = math.Max(inner, fs.width(styleLegendTitle, m.LegendTitle))
			titleH = 20
		}
		lw := inner + 2*pad
		lh := 2*pad + titleH + rowH*float64(len(m.Legend)) - (rowH - swH)
		if len(m.Legend) == 0 {
			lh = 2*pad + titleH - 6
		}
		var lx, ly float64
		if W >= 560 && lw <= W*0.42 {
			lx, ly = W-P-lw, top
			right = lx - 14
			arrowInColumn = true
		} else {
			lx, ly = P, bottom-lh
			bottom = ly - 10
		}
		l.legend = rect{lx, ly, lw, lh}
		y := ly + pad
		if m.LegendTitle != "" {
			l.texts = append(l.texts, textItem{text: m.LegendTitle, x: lx + pad, y: y + fs.ascent(styleLegendTitle), style: styleLegendTitle})
			y += titleH
		}
		for _, it := range m.Legend {
			l.swatches = append(l.swatches, swatch{rect{lx + pad, y, sw, swH}, it.Color})
			base := y + swH/2 + (fs.ascent(styleLegend)-fs.descent(styleLegend))/2
			l.texts = append(l.texts, textItem{text: it.Label, x: lx + pad + sw + gap, y: base, style: styleLegend})
			if showCount {
				l.texts = append(l.texts, textItem{text: strconv.Itoa(it.Count), x: lx + lw - pad, y: base, style: styleSmall, anchor: anchorEnd})
			}
			y += rowH
		}
	}
	if bottom-top < 40 || right-left < 40 {
		return nil, fmt.Errorf("%w: a %d x %d picture leaves no room for the map (make it larger or shorten the legend)", ErrBadOptions, o.Width, o.Height)
	}
	l.frame = rect{left, top, right - left, bottom - top}

	// Projection and fit.
	var geoms []orb.Geometry
	for _, f := range m.Features {
		geoms = append(geoms, f.Geometry)
	}
	for _, f := range m.Outlines {
		geoms = append(geoms, f.Geometry)
	}
	llb, any := lonLatBound(geoms)
	p := choosePlanar(o.Projection, llb, !any)
	pb, any := planarBound(p, geoms)
	l.hasData = any
	l.fit = newFit(p, pb, l.frame.X, l.frame.Y, l.frame.W, l.frame.H)
	l.shapes = make([]shape, len(m.Features))
	for i, f := range m.Features {
		l.shapes[i] = l.fit.projectShape(f.Geometry)
	}
	l.outlines = make([]shape, len(m.Outlines))
	for i, f := range m.Outlines {
		l.outlines[i] = l.fit.projectShape(f.Geometry)
	}

	// Labels of areas, where they fit.
	for i, f := range m.Features {
		if f.Label == "" {
			continue
		}
		q, clear, ok := interiorPoint(l.shapes[i])
		tw := fs.width(styleLabel, f.Label)
		if !ok || clear < tw/2+1 || clear < 7 {
			continue
		}
		base := q.Y + (fs.ascent(styleLabel)-fs.descent(styleLabel))/2
		l.texts = append(l.texts, textItem{text: f.Label, x: q.X, y: base, style: styleLabel, anchor: anchorMiddle, halo: true})
	}

	if !l.hasData {
		return l, nil
	}
	centre := pt{l.frame.X + l.frame.W/2, l.frame.Y + l.frame.H/2}
	cll := l.fit.pixelToLonLat(centre)

	// Scale bar from the ground distance of 50 px at the map centre.
	mpp := groundDistance(cll, l.fit.pixelToLonLat(pt{centre.X + 50, centre.Y})) / 50
	if mpp > 0 && !math.IsInf(mpp, 0) && !math.IsNaN(mpp) {
		metres := niceLength(math.Min(l.frame.W*0.3, 160) * mpp)
		bw := metres / mpp
		label := formatLength(metres, m.Lang)
		bar := rect{W - P - fs.width(styleSmall, label)/2 - bw, H - P - 7, bw, 5}
		segs := 4
		if metres == 1*math.Pow(10, math.Floor(math.Log10(metres))) || bw < 60 {
			segs = 2
		}
		l.scale = &scaleBar{bar: bar, segs: segs, metres: metres}
		base := bar.Y - 4
		l.texts = append(l.texts,
			textItem{text: "0", x: bar.X, y: base, style: styleSmall, anchor: anchorMiddle},
			textItem{text: label, x: bar.X + bar.W, y: base, style: styleSmall, anchor: anchorMiddle})
	}

	// North arrow pointing to true north at the map centre.
	up := l.fit.lonLatToPixel(orb.Point{cll[0], cll[1] + 0.01})
	c := l.fit.lonLatToPixel(cll)
	angle := math.Atan2(up.X-c.X, c.Y-up.Y)
	const size = 30.0
	if arrowInColumn && l.legend.Y+l.legend.H+20+size < bottom {
		l.arrow = northArrow{l.legend.X + 20, l.legend.Y + l.legend.H + 24 + size/2, size, angle}
	} else {
		l.arrow = northArrow{l.frame.X + l.frame.W - 14, l.frame.Y + 14 + size/2, size, angle}
		l.overlays = append(l.overlays, rect{l.arrow.x - 14, l.arrow.y - size/2 - 14, 28, size + 16})
	}
	l.texts = append(l.texts, textItem{text: "N", x: l.arrow.x, y: l.arrow.y - size/2 - 3, style: styleArrow, anchor: anchorMiddle})
	return l, nil
}

// niceLength rounds v down to 1, 2 or 5 times a power of ten.
func niceLength(v float64) float64 {
	if v <= 0 {
		return 0
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, f := range []float64{5, 2, 1} {
		if f*p <= v {
			return f * p
		}
	}
	return p
}

// formatLength writes a scale-bar length: "500 m", "2 km", "1 000 km" (sv,
// no-break space between thousands) or "1,000 km" (en).
func formatLength(metres float64, lang string) string {
	unit := "m"
	v := metres
	if metres >= 1000 {
		unit, v = "km", metres/1000
	}
	if v != math.Trunc(v) {
		s := strconv.FormatFloat(v, 'f', -1, 64)
		if lang != "en" {
			s = strings.Replace(s, ".", ",", 1)
		}
		return s + " " + unit
	}
	digits := strconv.FormatInt(int64(v), 10)
	sep := "\u00a0"
	if lang == "en" {
		sep = ","
	}
	var b strings.Builder
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(d)
	}
	return b.String() + " " + unit
}

// wrapText breaks text at spaces into lines no wider than maxW (a single
// over-long word keeps its own line).
func wrapText(fs *fonts, st textStyle, text string, maxW float64) []string {
	var lines []string
	for _, para := range strings.Split(text, "\n") {
		line := ""
		for _, w := range strings.Fields(para) {
			try := w
			if line != "" {
				try = line + " " + w
			}
			if line != "" && fs.width(st, try) > maxW {
				lines = append(lines, line)
				try = w
			}
			line = try
		}
		if line != "" {
			lines = append(lines, line)
		}
	}
	return lines
}
