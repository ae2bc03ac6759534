package render

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"math"

	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// canvas draws in CSS pixels onto an RGBA image scaled by s.
type canvas struct {
	img *image.RGBA
	rz  *vector.Rasterizer
	s   float64
	fs  *fonts
}

func writePNG(w io.Writer, m Map, o Options, l *layout) error {
	pw, ph := o.pixelSize()
	fs, err := newFonts(o.scale())
	if err != nil {
		return err
	}
	defer fs.close()
	c := &canvas{img: image.NewRGBA(image.Rect(0, 0, pw, ph)), rz: vector.NewRasterizer(0, 0), s: o.scale(), fs: fs}
	c.rz.DrawOp = draw.Over
	draw.Draw(c.img, c.img.Bounds(), image.NewUniform(mustColor(o.Background)), image.Point{}, draw.Src)

	defStroke := mustColor(o.Stroke)
	for i, f := range m.Features {
		if f.Fill != "" {
			c.fill(l.shapes[i].polys, mustColor(f.Fill))
		}
	}
	for i, f := range m.Features {
		sc := defStroke
		if f.Stroke != "" {
			sc = mustColor(f.Stroke)
		}
		c.stroke(shapeLines(l.shapes[i]), o.StrokeWidth, sc)
	}
	oc := mustColor(o.OutlineColor)
	for i, f := range m.Outlines {
		sc := oc
		if f.Stroke != "" {
			sc = mustColor(f.Stroke)
		}
		c.stroke(shapeLines(l.outlines[i]), o.OutlineWidth, sc)
	}
	c.furniture(l)
	for _, t := range l.texts {
		c.text(t)
	}
	// Print-size pictures compress with the fast level: the default level
	// takes about twice as long for a file only ~15 % smaller.
	enc := png.Encoder{CompressionLevel: png.DefaultCompression}
	if pw*ph > 2_000_000 {
		enc.CompressionLevel = png.BestSpeed
	}
	var buf bytes.Buffer
	if err := enc.Encode(&buf, c.img); err != nil {
		return fmt.Errorf("render: encode PNG: %w", err)
	}
	lang := "sv"
	if m.Lang == "en" {
		lang = "en"
	}
	return writePNGMeta(w, buf.Bytes(), o.DPI, m, lang)
}

// shapeLines returns every ring (closed) and line of s as polylines.
func shapeLines(s shape) [][]pt {
	out := make([][]pt, 0, len(s.lines)+len(s.polys))
	for _, p := range s.polys {
		for _, r := range p {
			closed := make([]pt, len(r), len(r)+1)
			copy(closed, r)
			if r[0] != r[len(r)-1] {
				closed = append(closed, r[0])
			}
			out = append(out, closed)
		}
	}
	return append(out, s.lines...)
}

func signedArea(r []pt) float64 {
	a := 0.0
	for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
		a += r[j].X*r[i].Y - r[i].X*r[j].Y
	}
	return a / 2
}

// box is the device-pixel bound of the points (CSS px), grown by pad device
// pixels and clipped to the image.
func (c *canvas) box(rings [][]pt, pad float64) image.Rectangle {
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, r := range rings {
		for _, q := range r {
			minX, maxX = math.Min(minX, q.X), math.Max(maxX, q.X)
			minY, maxY = math.Min(minY, q.Y), math.Max(maxY, q.Y)
		}
	}
	if minX > maxX {
		return image.Rectangle{}
	}
	r := image.Rect(int(math.Floor(minX*c.s-pad)), int(math.Floor(minY*c.s-pad)), int(math.Ceil(maxX*c.s+pad))+1, int(math.Ceil(maxY*c.s+pad))+1)
	return r.Intersect(c.img.Bounds())
}

// fill paints polygons (outer ring first, then holes). Holes are wound
// against their outer ring so the rasteriser's non-zero rule cuts them out,
// which gives the even-odd result for valid polygons.
func (c *canvas) fill(polys [][][]pt, col color.RGBA) {
	var all [][]pt
	for _, p := range polys {
		all = append(all, p[0])
	}
	b := c.box(all, 1)
	if b.Empty() {
		return
	}
	c.rz.Reset(b.Dx(), b.Dy())
	ox, oy := float64(b.Min.X), float64(b.Min.Y)
	for _, p := range polys {
		for k, r := range p {
			rev := (signedArea(r) > 0) != (k == 0)
			c.path(r, rev, ox, oy)
		}
	}
	c.rz.Draw(c.img, b, image.NewUniform(col), image.Point{})
}

func (c *canvas) path(r []pt, rev bool, ox, oy float64) {
	n := len(r)
	at := func(i int) (float32, float32) {
		if rev {
			i = n - 1 - i
		}
		return float32(r[i].X*c.s - ox), float32(r[i].Y*c.s - oy)
	}
	x, y := at(0)
	c.rz.MoveTo(x, y)
	for i := 1; i < n; i++ {
		x, y = at(i)
		c.rz.LineTo(x, y)
	}
	c.rz.ClosePath()
}

// stroke draws polylines width CSS px wide: one quad per segment, plus a
// round-ish join at each vertex for lines wider than 1.5 device pixels. All
// pieces share one winding so overlaps do not cancel.
func (c *canvas) stroke(lines [][]pt, width float64, col color.RGBA) {
	hw := width * c.s / 2
	if hw <= 0 || len(lines) == 0 {
		return
	}
	b := c.box(lines, hw+1)
	if b.Empty() {
		return
	}
	c.rz.Reset(b.Dx(), b.Dy())
	ox, oy := float64(b.Min.X), float64(b.Min.Y)
	joins := hw > 0.75
	for _, ln := range lines {
		for i := 1; i < len(ln); i++ {
			ax, ay := ln[i-1].X*c.s-ox, ln[i-1].Y*c.s-oy
			bx, by := ln[i].X*c.s-ox, ln[i].Y*c.s-oy
			dx, dy := bx-ax, by-ay
			d := math.Hypot(dx, dy)
			if d == 0 {
				continue
			}
			nx, ny := -dy/d*hw, dx/d*hw
			c.rz.MoveTo(float32(ax+nx), float32(ay+ny))
			c.rz.LineTo(float32(bx+nx), float32(by+ny))
			c.rz.LineTo(float32(bx-nx), float32(by-ny))
			c.rz.LineTo(float32(ax-nx), float32(ay-ny))
			c.rz.ClosePath()
		}
		if joins {
			for _, q := range ln {
				c.octagon(q.X*c.s-ox, q.Y*c.s-oy, hw)
			}
		}
	}
	c.rz.Draw(c.img, b, image.NewUniform(col), image.Point{})
}

// octagon adds a regular octagon of radius r, wound like the stroke quads.
func (c *canvas) octagon(x, y, r float64) {
	for i := 0; i < 8; i++ {
		a := -float64(i) * math.Pi / 4
		px, py := float32(x+r*math.Cos(a)), float32(y+r*math.Sin(a))
		if i == 0 {
			c.rz.MoveTo(px, py)
		} else {
			c.rz.LineTo(px, py)
		}
	}
	c.rz.ClosePath()
}

func rectRing(r rect) []pt {
	return []pt{{r.X, r.Y}, {r.X + r.W, r.Y}, {r.X + r.W, r.Y + r.H}, {r.X, r.Y + r.H}, {r.X, r.Y}}
}

// furniture draws the legend box, swatches, scale bar and north arrow.
func (c *canvas) furniture(l *layout) {
	dark := mustColor("#333333")
	white := mustColor("#ffffff")
	if l.hasLegend {
		c.fill([][][]pt{{rectRing(l.legend)}}, white)
		c.stroke([][]pt{rectRing(l.legend)}, 0.8, mustColor("#c8c8c8"))
		for _, sw := range l.swatches {
			c.fill([][][]pt{{rectRing(sw.r)}}, mustColor(sw.color))
			c.stroke([][]pt{rectRing(sw.r)}, 0.6, mustColor("#8c8c8c"))
		}
	}
	if sb := l.scale; sb != nil {
		segW := sb.bar.W / float64(sb.segs)
		for i := 0; i < sb.segs; i++ {
			col := dark
			if i%2 == 1 {
				col = white
			}
			c.fill([][][]pt{{rectRing(rect{sb.bar.X + float64(i)*segW, sb.bar.Y, segW, sb.bar.H})}}, col)
		}
		c.stroke([][]pt{rectRing(sb.bar)}, 0.8, dark)
	}
	if l.hasData {
		left, right := arrowHalves(l.arrow)
		c.fill([][][]pt{{left}}, dark)
		c.fill([][][]pt{{right}}, white)
		c.stroke([][]pt{append(left, left[0]), append(right, right[0])}, 0.8, dark)
	}
}

// arrowHalves returns the two halves of a north arrow, rotated by its angle.
func arrowHalves(a northArrow) (left, right []pt) {
	h, w := a.size/2, a.size*0.36
	sin, cos := math.Sincos(a.angle)
	tr := func(x, y float64) pt { return pt{a.x + x*cos - y*sin, a.y + x*sin + y*cos} }
	left = []pt{tr(0, -h), tr(0, h*0.55), tr(-w, h)}
	right = []pt{tr(0, -h), tr(w, h), tr(0, h*0.55)}
	return left, right
}

func (c *canvas) text(t textItem) {
	face := c.fs.faces[t.style]
	x, y := t.x*c.s, t.y*c.s
	switch t.anchor {
	case anchorMiddle:
		x -= c.fs.width(t.style, t.text) / 2
	case anchorEnd:
		x -= c.fs.width(t.style, t.text)
	}
	d := font.Drawer{Dst: c.img, Face: face}
	if t.halo {
		d.Src = image.NewUniform(color.RGBA{255, 255, 255, 255})
		r := math.Max(1, c.s)
		for _, off := range [][2]float64{{-1, 0}, {1, 0}, {0, -1}, {0, 1}, {-0.7, -0.7}, {0.7, -0.7}, {-0.7, 0.7}, {0.7, 0.7}} {
			d.Dot = fixedPoint(x+off[0]*r, y+off[1]*r)
			d.DrawString(t.text)
		}
	}
	d.Src = image.NewUniform(mustColor(styleSpecs[t.style].color))
	d.Dot = fixedPoint(x, y)
	d.DrawString(t.text)
}

func fixedPoint(x, y float64) fixed.Point26_6 {
	return fixed.Point26_6{X: fixed.Int26_6(math.Round(x * 64)), Y: fixed.Int26_6(math.Round(y * 64))}
}
