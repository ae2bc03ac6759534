package render

import (
	"fmt"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// textStyle names one of the few text styles on a map.
type textStyle int

const (
	styleTitle textStyle = iota
	styleSubtitle
	styleLegendTitle
	styleLegend
	styleSmall
	styleLabel
	styleArrow
	numStyles
)

// styleSpec is the size in CSS px, weight and colour of a text style.
var styleSpecs = [numStyles]struct {
	size  float64
	bold  bool
	color string
}{
	styleTitle:       {19, true, "#1a1a1a"},
	styleSubtitle:    {12.5, false, "#444444"},
	styleLegendTitle: {12, true, "#1a1a1a"},
	styleLegend:      {11, false, "#262626"},
	styleSmall:       {10, false, "#555555"},
	styleLabel:       {9, false, "#1a1a1a"},
	styleArrow:       {12, true, "#1a1a1a"},
}

// svgFontFamily names the Go fonts first so SVG text measures like the PNG.
const svgFontFamily = "Go, 'Helvetica Neue', Arial, 'DejaVu Sans', sans-serif"

// fonts holds one face per style at a device scale.
type fonts struct {
	faces [numStyles]font.Face
}

// newFonts parses the embedded Go fonts and builds faces scaled by s device
// pixels per CSS pixel. Faces are not safe for concurrent use, so every
// rendering call builds its own.
func newFonts(s float64) (*fonts, error) {
	reg, err := opentype.Parse(goregular.TTF)
	if err != nil {
		return nil, fmt.Errorf("render: parse Go Regular: %w", err)
	}
	bold, err := opentype.Parse(gobold.TTF)
	if err != nil {
		return nil, fmt.Errorf("render: parse Go Bold: %w", err)
	}
	fs := &fonts{}
	for i, sp := range styleSpecs {
		f := reg
		if sp.bold {
			f = bold
		}
		face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: sp.size * s, DPI: 72, Hinting: font.HintingNone})
		if err != nil {
			return nil, fmt.Errorf("render: font face: %w", err)
		}
		fs.faces[i] = face
	}
	return fs, nil
}

func (fs *fonts) close() {
	for _, f := range fs.faces {
		if f != nil {
			_ = f.Close()
		}
	}
}

// width is the advance width of s in the face's pixels.
func (fs *fonts) width(st textStyle, s string) float64 {
	return fixedToFloat(font.MeasureString(fs.faces[st], s))
}

// ascent and descent of a style in the face's pixels.
func (fs *fonts) ascent(st textStyle) float64 {
	return fixedToFloat(fs.faces[st].Metrics().Ascent)
}

func (fs *fonts) descent(st textStyle) float64 {
	return fixedToFloat(fs.faces[st].Metrics().Descent)
}

func fixedToFloat(v fixed.Int26_6) float64 { return float64(v) / 64 }
