package render

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math"
)

// SmallMultiples is a row-wise grid of maps (one per year) sharing one
// legend: the panels are classified with the same breaks, so a colour
// means the same on every panel.
type SmallMultiples struct {
	Title, Subtitle string
	Source          string
	// Panels are drawn left to right, top to bottom. A panel's Title is its
	// label (the year); its Legend, Subtitle and Source are not drawn.
	Panels      []Map
	Legend      []LegendItem // the shared legend, under the grid
	LegendTitle string
	Description string // the SVG's <desc>
	Lang        string
	// Columns of the grid; 0: 2 for up to 4 panels, else 3.
	Columns int
}

// panelAspect is a panel's height over its width.
const panelAspect = 0.85

// SmallMultiplesSVG draws sm as one SVG document opts.Width CSS px wide;
// its height follows from the panels and the legend. Each panel is a
// nested <svg class="panel"> with the map's own layout (areas, outlines,
// label, scale bar, north arrow). opts.Height is ignored; opts.Fragment
// makes an element to inline in HTML (width 100 %, no ids).
func SmallMultiplesSVG(w io.Writer, sm SmallMultiples, opts Options) error {
	if opts.Height == 0 {
		opts.Height = 400 // not used: only to pass the size check
	}
	o, err := opts.withDefaults()
	if err != nil {
		return err
	}
	n := len(sm.Panels)
	if n == 0 {
		return fmt.Errorf("%w: no panels", ErrBadOptions)
	}
	cols := sm.Columns
	if cols <= 0 {
		cols = 2
		if n > 4 {
			cols = 3
		}
	}
	cols = min(cols, n)
	rows := (n + cols - 1) / cols
	pad, gap := float64(o.Padding), 10.0
	W := float64(o.Width)
	pw := math.Floor((W - 2*pad - float64(cols-1)*gap) / float64(cols))
	ph := math.Floor(pw * panelAspect)
	if pw < 120 || ph < 120 {
		return fmt.Errorf("%w: %d columns of panels do not fit in %d CSS px (each needs 120 x 120)", ErrBadOptions, cols, o.Width)
	}
	for _, c := range sm.Legend {
		if _, err := parseColor(c.Color); err != nil {
			return fmt.Errorf("%w: legend %q: %w", ErrBadColor, c.Label, err)
		}
	}
	fs, err := newFonts(1)
	if err != nil {
		return err
	}
	defer fs.close()

	// Header.
	var texts []textItem
	y := pad
	if sm.Title != "" {
		y += fs.ascent(styleTitle)
		texts = append(texts, textItem{text: sm.Title, x: pad, y: y, style: styleTitle})
		y += fs.descent(styleTitle) + 4
	}
	if sm.Subtitle != "" {
		for _, line := range wrapText(fs, styleSubtitle, sm.Subtitle, W-2*pad) {
			y += fs.ascent(styleSubtitle)
			texts = append(texts, textItem{text: line, x: pad, y: y, style: styleSubtitle})
			y += fs.descent(styleSubtitle) + 2
		}
	}
	gridTop := y + 8

	// Panels.
	var panels bytes.Buffer
	po := Options{Width: int(pw), Height: int(ph), Padding: 6, Fragment: true, Background: o.Background, Projection: o.Projection,
		Stroke: o.Stroke, StrokeWidth: o.StrokeWidth, OutlineColor: o.OutlineColor, OutlineWidth: o.OutlineWidth}
	for i, p := range sm.Panels {
		pm := Map{Title: p.Title, Features: p.Features, Outlines: p.Outlines, Lang: sm.Lang}
		l, po2, err := prepare(pm, po)
		if err != nil {
			return err
		}
		x := pad + float64(i%cols)*(pw+gap)
		py := gridTop + float64(i/cols)*(ph+gap)
		root := fmt.Sprintf(`<svg class="panel" x="%g" y="%g" width="%g" height="%g" viewBox="0 0 %d %d" role="img" aria-label="%s">`,
			x, py, pw, ph, po2.Width, po2.Height, attrEscape(p.Title))
		if err := writeSVGRoot(&panels, pm, po2, l, root); err != nil {
			return err
		}
		fmt.Fprintf(&panels, `<rect x="%g" y="%g" width="%g" height="%g" fill="none" stroke="#c8c8c8" stroke-width="0.8"/>`+"\n", x, py, pw, ph)
	}
	y = gridTop + float64(rows)*ph + float64(rows-1)*gap + 14

	// The shared legend, in rows of swatch + label.
	var sw []swatch
	if sm.LegendTitle != "" {
		y += fs.ascent(styleLegendTitle)
		texts = append(texts, textItem{text: sm.LegendTitle, x: pad, y: y, style: styleLegendTitle})
		y += fs.descent(styleLegendTitle) + 6
	}
	const swW, swH = 16.0, 11.0
	lineH := math.Max(swH, fs.ascent(styleLegend)+fs.descent(styleLegend)) + 5
	x := pad
	if len(sm.Legend) > 0 {
		y += lineH - 5
	}
	for _, it := range sm.Legend {
		label := it.Label
		if it.Count > 0 {
			label = fmt.Sprintf("%s (%d)", label, it.Count)
		}
		itemW := swW + 5 + fs.width(styleLegend, label) + 16
		if x > pad && x+itemW > W-pad {
			x = pad
			y += lineH
		}
		sw = append(sw, swatch{r: rect{x, y - swH + 1, swW, swH}, color: it.Color})
		texts = append(texts, textItem{text: label, x: x + swW + 5, y: y, style: styleLegend})
		x += itemW
	}
	if sm.Source != "" {
		y += 8 + fs.ascent(styleSmall)
		texts = append(texts, textItem{text: sm.Source, x: pad, y: y, style: styleSmall})
		y += fs.descent(styleSmall)
	}
	H := math.Ceil(y + pad)

	s := &svgWriter{w: bufio.NewWriterSize(w, 64<<10)}
	lang := "sv"
	if sm.Lang == "en" {
		lang = "en"
	}
	if o.Fragment {
		// Inlined in HTML (the report): no declaration, no ids.
		s.str(fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" class="small-multiples" width="100%%" viewBox="0 0 %d %g" xml:lang="%s" role="img" aria-label="%s">`+"\n",
			o.Width, H, lang, attrEscape(sm.Title)))
		s.str(`<title>`)
	} else {
		s.str(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
		s.str(fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" class="small-multiples" width="%d" height="%g" viewBox="0 0 %d %g" xml:lang="%s" role="img" aria-labelledby="sm-title">`+"\n",
			o.Width, H, o.Width, H, lang))
		s.str(`<title id="sm-title">`)
	}
	s.escaped(sm.Title)
	s.str("</title>\n")
	if sm.Description != "" {
		s.str("<desc>")
		s.escaped(sm.Description)
		s.str("</desc>\n")
	}
	s.str(`<rect width="100%" height="100%" fill="` + hexColor(mustColor(o.Background)) + `"/>` + "\n")
	s.str(panels.String())
	s.str(`<g class="legend">` + "\n")
	for _, x := range sw {
		svgRect(s, x.r, `fill="`+hexColor(mustColor(x.color))+`" stroke="#8c8c8c" stroke-width="0.6"`)
	}
	s.str("</g>\n")
	svgTexts(s, &layout{texts: texts}, func(name string) string { return `class="` + name + `"` })
	return s.end()
}
