package service

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/internal/locale"
	"github.com/segmap/segmap/render"
)

// Picture formats.
const (
	PictureFormatPNG = "png"
	PictureFormatSVG = "svg"
)

// Bounds of the picture size accepted by Picture.
const (
	PictureMinSize = 120  // CSS px
	PictureMaxSize = 4000 // CSS px
	PictureMinDPI  = 72
	PictureMaxDPI  = 300
)

// PictureOptions say how large a map picture is and in which format.
// Zero values take the defaults in brackets.
type PictureOptions struct {
	Format string  // PictureFormatPNG [png] or PictureFormatSVG
	Width  int     // CSS px, 120..4000 [1000]
	Height int     // CSS px, 120..4000 [800]
	DPI    float64 // 72..300 [96]; PNG pixels = Width*DPI/96 x Height*DPI/96
}

// Picture is a rendered map.
type Picture struct {
	ContentType string
	Body        []byte
	// Classification is what the picture shows (legend, colours per area).
	Classification *Classification
	// Map is what was handed to the renderer.
	Map render.Map
}

func (o *PictureOptions) normalise() error {
	if o.Format == "" {
		o.Format = PictureFormatPNG
	}
	if o.Width == 0 {
		o.Width = 1000
	}
	if o.Height == 0 {
		o.Height = 800
	}
	if o.DPI == 0 {
		o.DPI = 96
	}
	switch {
	case o.Format != PictureFormatPNG && o.Format != PictureFormatSVG:
		return badRequest("picture format must be png or svg, got %q", o.Format).Sv("bildformatet måste vara png eller svg, inte %q", o.Format)
	case o.Width < PictureMinSize || o.Width > PictureMaxSize:
		return badRequest("width must be between %d and %d, got %d", PictureMinSize, PictureMaxSize, o.Width).
			Sv("width måste vara mellan %d och %d, inte %d", PictureMinSize, PictureMaxSize, o.Width)
	case o.Height < PictureMinSize || o.Height > PictureMaxSize:
		return badRequest("height must be between %d and %d, got %d", PictureMinSize, PictureMaxSize, o.Height).
			Sv("height måste vara mellan %d och %d, inte %d", PictureMinSize, PictureMaxSize, o.Height)
	case !(o.DPI >= PictureMinDPI && o.DPI <= PictureMaxDPI):
		return badRequest("dpi must be between %d and %d, got %g", PictureMinDPI, PictureMaxDPI, o.DPI).
			Sv("dpi måste vara mellan %d och %d, inte %g", PictureMinDPI, PictureMaxDPI, o.DPI)
	}
	return nil
}

// Picture renders the classified map of q (areas coloured by class, kommun
// borders, title, legend with counts, source line, scale bar and north
// arrow) as PNG or SVG. Only areas with a boundary are drawn.
func (s *Service) Picture(ctx context.Context, q ClassifyQuery, opts PictureOptions) (*Picture, error) {
	if err := opts.normalise(); err != nil {
		return nil, err
	}
	m, cl, err := s.PictureMap(ctx, q)
	if err != nil {
		return nil, err
	}
	ro := render.Options{Width: opts.Width, Height: opts.Height, DPI: opts.DPI}
	var buf bytes.Buffer
	pic := &Picture{Classification: cl, Map: m}
	if opts.Format == PictureFormatSVG {
		pic.ContentType = "image/svg+xml"
		err = render.SVG(&buf, m, ro)
	} else {
		pic.ContentType = "image/png"
		err = render.PNG(&buf, m, ro)
	}
	if errors.Is(err, render.ErrBadOptions) {
		return nil, invalidBecause(err, "the picture cannot be drawn with these options", "bilden kan inte ritas med de här inställningarna")
	}
	if err != nil {
		return nil, fmt.Errorf("service: picture: %w", err)
	}
	pic.Body = buf.Bytes()
	return pic, nil
}

// PictureMap builds what Picture draws: the classification of q plus the
// areas' and kommuner's boundaries, title, subtitle, legend and source.
func (s *Service) PictureMap(ctx context.Context, q ClassifyQuery) (render.Map, *Classification, error) {
	cl, err := s.Classify(ctx, q)
	if err != nil {
		return render.Map{}, nil, err
	}
	en := q.Lang == "en"
	areas, err := s.store.Areas(ctx, cl.Level, data.AreasOptions{WithGeometry: true, Kommuner: q.Kommuner})
	if err != nil {
		return render.Map{}, nil, err
	}
	geom := make(map[string]data.Area, len(areas))
	for _, a := range areas {
		if a.Geometry != nil {
			geom[a.Code] = a
		}
	}
	m := render.Map{Lang: "sv"}
	if en {
		m.Lang = "en"
	}
	for _, a := range cl.Areas {
		if g, ok := geom[a.Code]; ok {
			m.Features = append(m.Features, render.Feature{Geometry: g.Geometry, Fill: a.Color})
		}
	}
	kommuner, err := s.store.Areas(ctx, data.LevelKommun, data.AreasOptions{WithGeometry: true, Kommuner: q.Kommuner})
	if err != nil {
		return render.Map{}, nil, err
	}
	var names []string
	if len(q.Kommuner) > 0 {
		for _, k := range kommuner {
			names = append(names, k.Name)
		}
	}
	m.Outlines = kommunOutlines(cl.Level, cl.Areas, kommuner)
	name := cl.Indicator.NameSV
	if en && cl.Indicator.NameEN != "" {
		name = cl.Indicator.NameEN
	}
	m.Title = fmt.Sprintf("%s %d", name, cl.Year)
	m.Subtitle = s.levelName(ctx, cl.Level, en)
	if len(names) > 0 {
		m.Subtitle += " · " + locale.JoinNames(names, locale.Of(q.Lang))
	}
	if cl.Breakdown != "" && cl.Breakdown != data.BreakdownTotal {
		m.Subtitle += " · " + cl.Breakdown
	}
	if en {
		m.Source = fmt.Sprintf("Source: SCB, %d", cl.Year)
	} else {
		m.Source = fmt.Sprintf("Källa: SCB, %d", cl.Year)
	}
	m.LegendTitle = cl.Indicator.Unit
	sum, err := s.Summarize(ctx, cl, m.Lang)
	if err != nil {
		return render.Map{}, nil, err
	}
	m.Description = sum.Text
	for _, e := range cl.Legend {
		if e.Kind != "class" && e.Count == 0 {
			continue // no empty "no data" rows
		}
		m.Legend = append(m.Legend, render.LegendItem{Label: e.Label, Color: e.Color, Count: e.Count})
	}
	return m, cl, nil
}

// kommunOutlines are the stored kommun borders, drawn over areas below
// the kommun level when the picture spans more than one kommun. (With one
// kommun the areas show its border already; the stored kommun layer may be
// generalised differently from the areas, so it is not drawn needlessly.)
func kommunOutlines(level string, areas []ClassifiedArea, kommuner []data.Area) []render.Feature {
	switch level {
	case data.LevelKommun, data.LevelLan, data.LevelRiket:
		return nil
	}
	shown := map[string]bool{}
	for _, a := range areas {
		if a.Kommun != "" {
			shown[a.Kommun] = true
		}
	}
	if len(shown) < 2 {
		return nil
	}
	var out []render.Feature
	for _, k := range kommuner {
		if shown[k.Code] && k.Geometry != nil {
			out = append(out, render.Feature{Geometry: k.Geometry})
		}
	}
	return out
}

// levelName is the level's display name, or its id when the store has none.
func (s *Service) levelName(ctx context.Context, level string, en bool) string {
	m, err := s.Meta(ctx) // the levels of the data version, listed once
	if err != nil {
		return level
	}
	for _, l := range m.Levels {
		if l.ID != level {
			continue
		}
		if en && l.NameEN != "" {
			return l.NameEN
		}
		if l.NameSV != "" {
			return l.NameSV
		}
	}
	return level
}
