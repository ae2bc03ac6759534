package render

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// svgWriter collects the first write error so drawing code stays flat.
type svgWriter struct {
	w   *bufio.Writer
	err error
}

func (s *svgWriter) str(v string) {
	if s.err == nil {
		_, s.err = s.w.WriteString(v)
	}
}

// end closes the document and flushes it; the first error met while
// writing, if any.
func (s *svgWriter) end() error {
	s.str("</svg>\n")
	if s.err == nil {
		s.err = s.w.Flush()
	}
	if s.err != nil {
		return fmt.Errorf("render: write SVG: %w", s.err)
	}
	return nil
}

func (s *svgWriter) num(v float64) {
	s.str(strconv.FormatFloat(v, 'f', 2, 64))
}

// escaped writes v with XML special characters escaped (also inside attributes).
func (s *svgWriter) escaped(v string) {
	if s.err == nil {
		s.err = xml.EscapeText(s.w, []byte(v))
	}
}

// pathData writes rings as "M x y L ... Z" with 2-decimal coordinates,
// dropping points that round onto their predecessor.
func (s *svgWriter) pathData(rings [][]pt, closed bool) {
	var b strings.Builder
	buf := make([]byte, 0, 32)
	for _, r := range rings {
		prev := ""
		for i, q := range r {
			buf = buf[:0]
			buf = strconv.AppendFloat(buf, q.X, 'f', 2, 64)
			buf = append(buf, ' ')
			buf = strconv.AppendFloat(buf, q.Y, 'f', 2, 64)
			cur := string(buf)
			if i > 0 && cur == prev {
				continue
			}
			if i == 0 {
				b.WriteByte('M')
			} else {
				b.WriteByte('L')
			}
			b.WriteString(cur)
			prev = cur
		}
		if closed {
			b.WriteByte('Z')
		}
	}
	s.str(b.String())
}

func writeSVG(w io.Writer, m Map, o Options, l *layout) error { return writeSVGRoot(w, m, o, l, "") }

// writeSVGRoot is writeSVG with root as the opening <svg> tag when it is
// not "" (a panel nested in a larger picture: SmallMultiplesSVG).
func writeSVGRoot(w io.Writer, m Map, o Options, l *layout, root string) error {
	s := &svgWriter{w: bufio.NewWriterSize(w, 64<<10)}
	lang := "sv"
	if m.Lang == "en" {
		lang = "en"
	}
	gid := func(name string) string {
		if o.Fragment {
			return `class="` + name + `"`
		}
		return `id="` + name + `"`
	}
	// A fragment is inlined in HTML, perhaps beside other maps: no ids to
	// collide, so it is labelled by an attribute instead of by reference.
	var labelledBy []string
	if m.Title != "" {
		labelledBy = append(labelledBy, "map-title")
	}
	if m.Description != "" {
		labelledBy = append(labelledBy, "map-desc")
	}
	aria := ""
	switch {
	case o.Fragment && m.Title != "":
		aria = ` role="img" aria-label="` + attrEscape(m.Title) + `"`
	case o.Fragment:
		aria = ` role="img"`
	case len(labelledBy) > 0:
		aria = ` role="img" aria-labelledby="` + strings.Join(labelledBy, " ") + `"`
	}
	switch {
	case root != "":
		s.str(root + "\n")
	case o.Fragment:
		s.str(fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" class="map" width="100%%" viewBox="0 0 %d %d" xml:lang="%s"%s>`+"\n",
			o.Width, o.Height, lang, aria))
	default:
		s.str(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
		s.str(fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" xml:lang="%s"%s>`+"\n",
			o.Width, o.Height, o.Width, o.Height, lang, aria))
	}
	if m.Title != "" {
		s.str(`<title ` + gid("map-title") + `>`)
		s.escaped(m.Title)
		s.str("</title>\n")
	}
	if m.Description != "" {
		s.str(`<desc ` + gid("map-desc") + `>`)
		s.escaped(m.Description)
		s.str("</desc>\n")
	}
	s.str(`<rect width="100%" height="100%" fill="` + hexColor(mustColor(o.Background)) + `"/>` + "\n")

	s.str(`<g ` + gid("areas") + ` stroke-linejoin="round" stroke-width="`)
	s.num(o.StrokeWidth)
	s.str(`" stroke="` + hexColor(mustColor(o.Stroke)) + `">` + "\n")
	for i, f := range m.Features {
		sh := l.shapes[i]
		if len(sh.polys) == 0 && len(sh.lines) == 0 {
			continue
		}
		fill := "none"
		if f.Fill != "" {
			fill = hexColor(mustColor(f.Fill))
		}
		s.str(`<path class="area" fill-rule="evenodd" fill="` + fill + `"`)
		if f.Stroke != "" {
			s.str(` stroke="` + hexColor(mustColor(f.Stroke)) + `"`)
		}
		s.str(` d="`)
		for _, p := range sh.polys {
			s.pathData(p, true)
		}
		s.pathData(sh.lines, false)
		s.str(`"`)
		if f.Label != "" {
			s.str("><title>")
			s.escaped(f.Label)
			s.str("</title></path>\n")
		} else {
			s.str("/>\n")
		}
	}
	s.str("</g>\n")

	if len(m.Outlines) > 0 {
		s.str(`<g ` + gid("outlines") + ` fill="none" stroke-linejoin="round" stroke-width="`)
		s.num(o.OutlineWidth)
		s.str(`" stroke="` + hexColor(mustColor(o.OutlineColor)) + `">` + "\n")
		for i, f := range m.Outlines {
			sh := l.outlines[i]
			s.str(`<path class="outline"`)
			if f.Stroke != "" {
				s.str(` stroke="` + hexColor(mustColor(f.Stroke)) + `"`)
			}
			s.str(` d="`)
			for _, p := range sh.polys {
				s.pathData(p, true)
			}
			s.pathData(sh.lines, false)
			s.str("\"/>\n")
		}
		s.str("</g>\n")
	}

	svgFurniture(s, l, gid)
	svgTexts(s, l, gid)
	return s.end()
}

func svgRect(s *svgWriter, r rect, attrs string) {
	s.str(`<rect x="`)
	s.num(r.X)
	s.str(`" y="`)
	s.num(r.Y)
	s.str(`" width="`)
	s.num(r.W)
	s.str(`" height="`)
	s.num(r.H)
	s.str(`" ` + attrs + "/>\n")
}

func svgFurniture(s *svgWriter, l *layout, gid func(string) string) {
	if l.hasLegend {
		s.str(`<g ` + gid("legend") + `>` + "\n")
		svgRect(s, l.legend, `fill="#ffffff" stroke="#c8c8c8" stroke-width="0.8"`)
		for _, sw := range l.swatches {
			svgRect(s, sw.r, `fill="`+hexColor(mustColor(sw.color))+`" stroke="#8c8c8c" stroke-width="0.6"`)
		}
		s.str("</g>\n")
	}
	if sb := l.scale; sb != nil {
		s.str(`<g ` + gid("scalebar") + `>` + "\n")
		segW := sb.bar.W / float64(sb.segs)
		for i := 0; i < sb.segs; i++ {
			fill := "#333333"
			if i%2 == 1 {
				fill = "#ffffff"
			}
			svgRect(s, rect{sb.bar.X + float64(i)*segW, sb.bar.Y, segW, sb.bar.H}, `fill="`+fill+`"`)
		}
		svgRect(s, sb.bar, `fill="none" stroke="#333333" stroke-width="0.8"`)
		s.str("</g>\n")
	}
	if l.hasData {
		left, right := arrowHalves(l.arrow)
		s.str(`<g ` + gid("north-arrow") + ` stroke="#333333" stroke-width="0.8" stroke-linejoin="round">` + "\n")
		s.str(`<path fill="#333333" d="`)
		s.pathData([][]pt{left}, true)
		s.str(`"/>` + "\n" + `<path fill="#ffffff" d="`)
		s.pathData([][]pt{right}, true)
		s.str(`"/>` + "\n</g>\n")
	}
}

func svgTexts(s *svgWriter, l *layout, gid func(string) string) {
	s.str(`<g ` + gid("text") + ` font-family="` + svgFontFamily + `">` + "\n")
	for _, t := range l.texts {
		sp := styleSpecs[t.style]
		s.str(`<text x="`)
		s.num(t.x)
		s.str(`" y="`)
		s.num(t.y)
		s.str(`" font-size="`)
		s.num(sp.size)
		s.str(`" fill="` + sp.color + `"`)
		if sp.bold {
			s.str(` font-weight="bold"`)
		}
		switch t.anchor {
		case anchorMiddle:
			s.str(` text-anchor="middle"`)
		case anchorEnd:
			s.str(` text-anchor="end"`)
		}
		if t.halo {
			s.str(` stroke="#ffffff" stroke-width="2" paint-order="stroke" stroke-linejoin="round"`)
		}
		s.str(">")
		s.escaped(t.text)
		s.str("</text>\n")
	}
	s.str("</g>\n")
}

// attrEscape escapes s for an XML attribute value in double quotes.
func attrEscape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // a strings.Builder does not fail
	return b.String()
}
