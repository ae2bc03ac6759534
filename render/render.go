// Package render draws choropleth maps for reports, server-side and in pure
// Go: filled areas with a thin boundary stroke, optional outline layers, a
// title, a subtitle, a legend with colour swatches, a source line, a scale
// bar and a north arrow. PNG output is rasterised with golang.org/x/image/vector
// and text is set in the embedded Go fonts (which cover å, ä and ö); SVG output
// has the same layout.
//
// Geometries come in WGS 84 (lon/lat). Maps of Sweden are drawn in SWEREF 99 TM
// (EPSG:3006), the projection Swedish readers know from Lantmäteriet and SCB
// maps; anything else in Web Mercator. The package does no I/O besides writing
// to the io.Writer it is given.
package render

import (
	"errors"
	"fmt"
	"io"

	"github.com/paulmach/orb"
)

// Feature is one area drawn on the map.
type Feature struct {
	Geometry orb.Geometry // WGS 84 lon/lat; Polygon or MultiPolygon (lines are stroked)
	Fill     string       // "#rrggbb" or "#rgb"; "" = not filled
	Stroke   string       // boundary colour; "" = the default (see Options.Stroke)
	Label    string       // drawn at the area's interior point when it fits; "" = none
}

// LegendItem is one row of the legend.
type LegendItem struct {
	Label string // pre-formatted text, e.g. "12,5–20,0 %"
	Color string // "#rrggbb"
	Count int    // number of areas; shown when any item has Count > 0
}

// Map is what to draw.
type Map struct {
	Title, Subtitle string
	Source          string    // e.g. "Källa: SCB, 2022"
	Features        []Feature // filled areas, drawn in order
	Outlines        []Feature // drawn on top with a darker, thicker line (e.g. kommun borders); Fill is ignored
	Legend          []LegendItem
	LegendTitle     string
	// Description is a text alternative of the map (what it shows, highest
	// and lowest areas): the SVG's <desc>.
	Description string
	Lang        string // "sv" (default) or "en": number format of the scale bar, xml:lang of the SVG
}

// Projection names accepted in Options.Projection.
const (
	ProjectionAuto        = ""            // SWEREF 99 TM when the map lies in Sweden, else Web Mercator
	ProjectionSweref99TM  = "sweref99tm"  // EPSG:3006
	ProjectionWebMercator = "webmercator" // EPSG:3857
)

// Options controls the picture size and style.
type Options struct {
	Width, Height int     // CSS pixels; default 1000 x 800
	DPI           float64 // 96 (default) = 1 pixel per CSS pixel; 300 for print
	Background    string  // default "#ffffff"
	Padding       int     // CSS pixels around everything; default 16
	Projection    string  // ProjectionAuto, ProjectionSweref99TM or ProjectionWebMercator
	Stroke        string  // default area boundary colour; default "#ffffff"
	StrokeWidth   float64 // CSS pixels; default 0.6
	OutlineColor  string  // default "#333333"
	OutlineWidth  float64 // CSS pixels; default 1.4
	// Fragment makes SVG output an element to inline in HTML: no XML
	// declaration, width 100 % (the viewBox keeps the aspect) and classes
	// instead of ids, so several maps can share a page. PNG ignores it.
	Fragment bool
}

// Errors returned by PNG and SVG, wrapped with details.
var (
	ErrBadOptions = errors.New("render: bad options")
	ErrBadColor   = errors.New("render: bad colour")
)

// maxPixels caps the raster size to keep memory bounded (160 MB of RGBA);
// an A3 page at 300 DPI is 17.4 million pixels.
const maxPixels = 40_000_000

func (o Options) withDefaults() (Options, error) {
	if o.Width == 0 {
		o.Width = 1000
	}
	if o.Height == 0 {
		o.Height = 800
	}
	if o.DPI == 0 {
		o.DPI = 96
	}
	if o.Background == "" {
		o.Background = "#ffffff"
	}
	if o.Padding == 0 {
		o.Padding = 16
	}
	if o.Stroke == "" {
		o.Stroke = "#ffffff"
	}
	if o.StrokeWidth == 0 {
		o.StrokeWidth = 0.6
	}
	if o.OutlineColor == "" {
		o.OutlineColor = "#333333"
	}
	if o.OutlineWidth == 0 {
		o.OutlineWidth = 1.4
	}
	switch {
	case o.Width < 120 || o.Height < 120:
		return o, fmt.Errorf("%w: size must be at least 120 x 120 CSS px, got %d x %d", ErrBadOptions, o.Width, o.Height)
	case o.Width > 10000 || o.Height > 10000:
		return o, fmt.Errorf("%w: size must be at most 10000 x 10000 CSS px, got %d x %d", ErrBadOptions, o.Width, o.Height)
	case o.DPI < 24 || o.DPI > 1200:
		return o, fmt.Errorf("%w: DPI must be between 24 and 1200, got %g", ErrBadOptions, o.DPI)
	case o.Padding < 0 || o.Padding*4 > min(o.Width, o.Height):
		return o, fmt.Errorf("%w: padding %d does not fit a %d x %d picture", ErrBadOptions, o.Padding, o.Width, o.Height)
	case o.StrokeWidth < 0 || o.OutlineWidth < 0:
		return o, fmt.Errorf("%w: stroke widths must be >= 0", ErrBadOptions)
	}
	w, h := o.pixelSize()
	if w*h > maxPixels {
		return o, fmt.Errorf("%w: %d x %d pixels is too large (Width*DPI/96 x Height*DPI/96 must stay under %d pixels)", ErrBadOptions, w, h, maxPixels)
	}
	switch o.Projection {
	case ProjectionAuto, ProjectionSweref99TM, ProjectionWebMercator:
	default:
		return o, fmt.Errorf("%w: unknown projection %q (use %q or %q)", ErrBadOptions, o.Projection, ProjectionSweref99TM, ProjectionWebMercator)
	}
	for _, c := range []string{o.Background, o.Stroke, o.OutlineColor} {
		if _, err := parseColor(c); err != nil {
			return o, err
		}
	}
	return o, nil
}

// scale is device pixels per CSS pixel.
func (o Options) scale() float64 { return o.DPI / 96 }

// pixelSize is the raster size in device pixels.
func (o Options) pixelSize() (int, int) {
	s := o.scale()
	return int(float64(o.Width)*s + 0.5), int(float64(o.Height)*s + 0.5)
}

func checkMap(m Map) error {
	for i, f := range m.Features {
		if f.Fill != "" {
			if _, err := parseColor(f.Fill); err != nil {
				return fmt.Errorf("feature %d fill: %w", i, err)
			}
		}
		if f.Stroke != "" {
			if _, err := parseColor(f.Stroke); err != nil {
				return fmt.Errorf("feature %d stroke: %w", i, err)
			}
		}
	}
	for i, f := range m.Outlines {
		if f.Stroke != "" {
			if _, err := parseColor(f.Stroke); err != nil {
				return fmt.Errorf("outline %d stroke: %w", i, err)
			}
		}
	}
	for i, l := range m.Legend {
		if _, err := parseColor(l.Color); err != nil {
			return fmt.Errorf("legend item %d (%q): %w", i, l.Label, err)
		}
	}
	return nil
}

// prepare validates the input and computes the layout shared by PNG and SVG.
func prepare(m Map, opts Options) (*layout, Options, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, o, err
	}
	if err := checkMap(m); err != nil {
		return nil, o, err
	}
	fs, err := newFonts(1)
	if err != nil {
		return nil, o, err
	}
	defer fs.close()
	l, err := computeLayout(m, o, fs)
	if err != nil {
		return nil, o, err
	}
	return l, o, nil
}

// PNG draws m as a PNG image of Width*DPI/96 x Height*DPI/96 pixels.
func PNG(w io.Writer, m Map, opts Options) error {
	l, o, err := prepare(m, opts)
	if err != nil {
		return err
	}
	return writePNG(w, m, o, l)
}

// SVG draws m as an SVG document with a viewBox of Width x Height CSS pixels.
func SVG(w io.Writer, m Map, opts Options) error {
	l, o, err := prepare(m, opts)
	if err != nil {
		return err
	}
	return writeSVG(w, m, o, l)
}
