package render

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"math"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	orbplanar "github.com/paulmach/orb/planar"
	"github.com/paulmach/orb/project"

	"github.com/segmap/segmap/spatial/proj"
)

func decodePNG(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("decode PNG: %v", err)
	}
	return img
}

func rgbaAt(img image.Image, x, y int) color.RGBA {
	r, g, b, a := img.At(x, y).RGBA()
	return color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), uint8(a >> 8)}
}

// TestPNGAreaColours renders real DeSO boundaries with known colours and
// samples the picture at interior points of the areas.
func TestPNGAreaColours(t *testing.T) {
	vaxjo := loadAreas(t, vaxjoFile)
	if len(vaxjo) != 53 {
		t.Fatalf("Växjö: got %d areas, want 53", len(vaxjo))
	}
	tests := []struct {
		name      string
		areas     []area
		opts      Options
		minTested int
	}{
		{"vaxjo sweref 96dpi", vaxjo, Options{Width: 1000, Height: 800}, 20},
		{"vaxjo webmercator", vaxjo, Options{Width: 900, Height: 900, Projection: ProjectionWebMercator}, 20},
		{"vaxjo 300dpi", vaxjo, Options{Width: 600, Height: 500, DPI: 300}, 15},
		{"vaxjo narrow legend below", vaxjo, Options{Width: 420, Height: 700}, 8},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := choropleth(tc.areas, "Låg ekonomisk standard, Växjö kommun")
			var buf bytes.Buffer
			if err := PNG(&buf, m, tc.opts); err != nil {
				t.Fatal(err)
			}
			img := decodePNG(t, buf.Bytes())
			o, _ := tc.opts.withDefaults()
			pw, ph := o.pixelSize()
			if b := img.Bounds(); b.Dx() != pw || b.Dy() != ph {
				t.Fatalf("size %v, want %d x %d", b, pw, ph)
			}
			l, _, err := prepare(m, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			s := o.scale()
			tested := 0
			for i, a := range tc.areas {
				q, clear, ok := interiorPoint(l.shapes[i])
				if !ok || clear*s < 3 || covered(l, q) {
					continue
				}
				// The sampled point must really lie in the source polygon.
				ll := l.fit.pixelToLonLat(q)
				if !contains(a.Geom, ll) {
					t.Errorf("%s: interior pixel %v maps to %v outside the area", a.Code, q, ll)
					continue
				}
				got := rgbaAt(img, int(q.X*s), int(q.Y*s))
				want := mustColor(m.Features[i].Fill)
				if got != want {
					t.Errorf("%s at device pixel (%d,%d): colour %s, want %s", a.Code, int(q.X*s), int(q.Y*s), hexColor(got), hexColor(want))
				}
				tested++
			}
			if tested < tc.minTested {
				t.Errorf("only %d areas were large enough to sample, want >= %d", tested, tc.minTested)
			}
			// The four corners are background.
			for _, c := range []image.Point{{1, 1}, {pw - 2, 1}, {1, ph - 2}, {pw - 2, ph - 2}} {
				if got := rgbaAt(img, c.X, c.Y); got != (color.RGBA{255, 255, 255, 255}) {
					t.Errorf("corner %v is %s, want white", c, hexColor(got))
				}
			}
		})
	}
}

func covered(l *layout, q pt) bool {
	for _, r := range l.overlays {
		if r.contains(q) {
			return true
		}
	}
	return false
}

func contains(g orb.Geometry, p orb.Point) bool {
	switch g := g.(type) {
	case orb.Polygon:
		return orbplanar.PolygonContains(g, p)
	case orb.MultiPolygon:
		return orbplanar.MultiPolygonContains(g, p)
	}
	return false
}

// TestPNGExtentAndScaleBar measures the drawn map in the decoded picture and
// checks it against SWEREF 99 TM coordinates of the data: the aspect ratio of
// the painted area and the ground length of the scale bar.
func TestPNGExtentAndScaleBar(t *testing.T) {
	areas := loadAreas(t, vaxjoFile)
	m := choropleth(areas, "Växjö")
	m.Legend, m.LegendTitle = nil, "" // keep the frame free of furniture
	for i := range m.Features {
		m.Features[i].Fill = "#2c7fb8"
	}
	opts := Options{Width: 1000, Height: 700}
	var buf bytes.Buffer
	if err := PNG(&buf, m, opts); err != nil {
		t.Fatal(err)
	}
	img := decodePNG(t, buf.Bytes())
	l, _, err := prepare(m, opts)
	if err != nil {
		t.Fatal(err)
	}
	// Painted extent: pixels with any of the fill colours.
	fills := map[color.RGBA]bool{}
	fills[mustColor("#2c7fb8")] = true
	minX, minY, maxX, maxY := math.MaxInt, math.MaxInt, -1, -1
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if fills[rgbaAt(img, x, y)] {
				minX, maxX = min(minX, x), max(maxX, x)
				minY, maxY = min(minY, y), max(maxY, y)
			}
		}
	}
	if maxX < 0 {
		t.Fatal("no area colour found in the picture")
	}
	var sb orb.Bound
	for i, a := range areas {
		gb := project.Geometry(orb.Clone(a.Geom), proj.WGS84ToSweref).Bound()
		if i == 0 {
			sb = gb
		} else {
			sb = sb.Union(gb)
		}
	}
	gotW, gotH := float64(maxX-minX+1), float64(maxY-minY+1)
	wantAspect := (sb.Max[0] - sb.Min[0]) / (sb.Max[1] - sb.Min[1])
	if d := math.Abs(gotW/gotH/wantAspect - 1); d > 0.02 {
		t.Errorf("painted aspect %.3f, SWEREF aspect %.3f (off by %.1f%%)", gotW/gotH, wantAspect, d*100)
	}
	// The map fills the frame along one axis.
	if math.Abs(gotW-l.frame.W) > 3 && math.Abs(gotH-l.frame.H) > 3 {
		t.Errorf("painted %gx%g px does not fill the %gx%g frame on either axis", gotW, gotH, l.frame.W, l.frame.H)
	}
	if l.scale == nil {
		t.Fatal("no scale bar")
	}
	// Grid metres per pixel from the painted extent; SWEREF's scale factor at
	// Växjö (15 E, 0.9996) is well within the 1.5% tolerance.
	mpp := (sb.Max[0] - sb.Min[0]) / gotW
	if got := l.scale.bar.W * mpp; math.Abs(got/l.scale.metres-1) > 0.015 {
		t.Errorf("scale bar of %g px covers %.0f m on the map, labelled %g m", l.scale.bar.W, got, l.scale.metres)
	}
	if l.scale.metres != 10000 {
		t.Logf("scale bar length %g m", l.scale.metres)
	}
}

func TestNiceLengthAndFormat(t *testing.T) {
	tests := []struct {
		in   float64
		want float64
		sv   string
		en   string
	}{
		{0.7, 0.5, "0,5 m", "0.5 m"},
		{9, 5, "5 m", "5 m"},
		{199, 100, "100 m", "100 m"},
		{2600, 2000, "2 km", "2 km"},
		{49999, 20000, "20 km", "20 km"},
		{1.2e6, 1e6, "1\u00a0000 km", "1,000 km"},
	}
	for _, tc := range tests {
		got := niceLength(tc.in)
		if got != tc.want {
			t.Errorf("niceLength(%g) = %g, want %g", tc.in, got, tc.want)
		}
		if s := formatLength(tc.want, "sv"); s != tc.sv {
			t.Errorf("formatLength(%g, sv) = %q, want %q", tc.want, s, tc.sv)
		}
		if s := formatLength(tc.want, "en"); s != tc.en {
			t.Errorf("formatLength(%g, en) = %q, want %q", tc.want, s, tc.en)
		}
	}
}

func TestDeterministic(t *testing.T) {
	m := choropleth(loadAreas(t, vaxjoFile), "Växjö")
	for _, format := range []string{"png", "svg"} {
		var a, b bytes.Buffer
		f := PNG
		if format == "svg" {
			f = SVG
		}
		if err := f(&a, m, Options{Width: 500, Height: 400}); err != nil {
			t.Fatal(err)
		}
		if err := f(&b, m, Options{Width: 500, Height: 400}); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("%s: two renderings of the same map differ", format)
		}
	}
}

func TestErrors(t *testing.T) {
	good := choropleth(loadAreas(t, vaxjoFile)[:3], "x")
	badFill := good
	badFill.Features = append([]Feature{{Geometry: good.Features[0].Geometry, Fill: "red"}}, good.Features[1:]...)
	badLegend := good
	badLegend.Legend = []LegendItem{{Label: "a", Color: "#12345"}}
	tests := []struct {
		name string
		m    Map
		opts Options
		want error
	}{
		{"tiny", good, Options{Width: 50, Height: 50}, ErrBadOptions},
		{"huge", good, Options{Width: 9000, Height: 9000, DPI: 600}, ErrBadOptions},
		{"dpi", good, Options{DPI: 5000}, ErrBadOptions},
		{"projection", good, Options{Projection: "utm"}, ErrBadOptions},
		{"background", good, Options{Background: "#gg0000"}, ErrBadColor},
		{"fill", badFill, Options{}, ErrBadColor},
		{"legend colour", badLegend, Options{}, ErrBadColor},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, f := range []func(*bytes.Buffer) error{
				func(b *bytes.Buffer) error { return PNG(b, tc.m, tc.opts) },
				func(b *bytes.Buffer) error { return SVG(b, tc.m, tc.opts) },
			} {
				var b bytes.Buffer
				if err := f(&b); !errors.Is(err, tc.want) {
					t.Errorf("got %v, want %v", err, tc.want)
				}
			}
		})
	}
}

// TestSwedishGlyphs checks that every text face has real glyphs for å, ä, ö
// and the other characters of Swedish labels.
func TestSwedishGlyphs(t *testing.T) {
	fs, err := newFonts(1)
	if err != nil {
		t.Fatal(err)
	}
	defer fs.close()
	for st, face := range fs.faces {
		for _, r := range "åäöÅÄÖé–−·\u00a0" {
			if _, ok := face.GlyphAdvance(r); !ok {
				t.Errorf("style %d: no glyph for %q", st, r)
			}
		}
	}
}

func TestEmptyMap(t *testing.T) {
	var b bytes.Buffer
	if err := PNG(&b, Map{Title: "Inga områden"}, Options{Width: 300, Height: 200}); err != nil {
		t.Fatal(err)
	}
	decodePNG(t, b.Bytes())
}

// TestLabels places labels only where they fit inside their area.
func TestLabels(t *testing.T) {
	areas := loadAreas(t, vaxjoFile)
	m := choropleth(areas, "Växjö")
	for i := range m.Features {
		m.Features[i].Label = areas[i].Code
	}
	l, _, err := prepare(m, Options{Width: 1000, Height: 750})
	if err != nil {
		t.Fatal(err)
	}
	fs, err := newFonts(1)
	if err != nil {
		t.Fatal(err)
	}
	defer fs.close()
	byCode := map[string]int{}
	for i, a := range areas {
		byCode[a.Code] = i
	}
	n := 0
	for _, tx := range l.texts {
		if tx.style != styleLabel {
			continue
		}
		n++
		i, ok := byCode[tx.text]
		if !ok {
			t.Fatalf("label %q is no area code", tx.text)
		}
		// Both ends of the label's baseline centre line lie inside the area.
		w := fs.width(styleLabel, tx.text)
		y := tx.y - fs.ascent(styleLabel)/2
		for _, x := range []float64{tx.x - w/2, tx.x + w/2} {
			if ll := l.fit.pixelToLonLat(pt{x, y}); !contains(areas[i].Geom, ll) {
				t.Errorf("label %s end at x=%.1f falls outside its area", tx.text, x)
			}
		}
	}
	// The large rural DeSO get labels, the small town ones do not.
	if n < 5 || n > len(areas)-10 {
		t.Errorf("%d of %d areas labelled", n, len(areas))
	}
}

func TestWrapText(t *testing.T) {
	fs, err := newFonts(1)
	if err != nil {
		t.Fatal(err)
	}
	defer fs.close()
	long := "Andel av befolkningen med låg ekonomisk standard i Växjö kommun, DeSO 2025, jämfört med riket"
	tests := []struct {
		text     string
		maxW     float64
		minLines int
		maxLines int
	}{
		{"", 300, 0, 0},
		{"Växjö", 300, 1, 1},
		{long, 2000, 1, 1},
		{long, 250, 3, 5},
		{"rad ett\nrad två", 2000, 2, 2},
	}
	for _, tc := range tests {
		lines := wrapText(fs, styleTitle, tc.text, tc.maxW)
		if len(lines) < tc.minLines || len(lines) > tc.maxLines {
			t.Errorf("wrap %q at %g: %d lines %q, want %d-%d", tc.text, tc.maxW, len(lines), lines, tc.minLines, tc.maxLines)
		}
		if strings.Join(strings.Fields(strings.Join(lines, " ")), " ") != strings.Join(strings.Fields(tc.text), " ") {
			t.Errorf("wrap %q lost words: %q", tc.text, lines)
		}
		for _, l := range lines {
			if w := fs.width(styleTitle, l); w > tc.maxW && strings.Contains(l, " ") {
				t.Errorf("line %q is %g px wide, max %g", l, w, tc.maxW)
			}
		}
	}
}

// TestPNGHoles draws only the real DeSO that have holes (the enclosed DeSO
// are left out) and checks that the holes stay background while the areas
// around them are filled.
func TestPNGHoles(t *testing.T) {
	var m Map
	var holes []orb.Polygon
	for _, a := range loadAreas(t, vaxjoFile) {
		p, ok := a.Geom.(orb.Polygon)
		if !ok || len(p) < 2 {
			continue
		}
		m.Features = append(m.Features, Feature{Geometry: p, Fill: "#2c7fb8"})
		for _, h := range p[1:] {
			holes = append(holes, orb.Polygon{h})
		}
	}
	if len(holes) != 4 {
		t.Fatalf("found %d holes in Växjö DeSO, want 4", len(holes))
	}
	opts := Options{Width: 900, Height: 900}
	var buf bytes.Buffer
	if err := PNG(&buf, m, opts); err != nil {
		t.Fatal(err)
	}
	img := decodePNG(t, buf.Bytes())
	l, _, err := prepare(m, opts)
	if err != nil {
		t.Fatal(err)
	}
	for i, h := range holes {
		q, clear, ok := interiorPoint(l.fit.projectShape(h))
		if !ok || clear < 3 {
			t.Errorf("hole %d too small to sample (%.1f px)", i, clear)
			continue
		}
		if got := rgbaAt(img, int(q.X), int(q.Y)); got != (color.RGBA{255, 255, 255, 255}) {
			t.Errorf("hole %d at (%d,%d) is %s, want background", i, int(q.X), int(q.Y), hexColor(got))
		}
	}
	for i := range m.Features {
		q, clear, ok := interiorPoint(l.shapes[i])
		if !ok || clear < 3 {
			continue
		}
		if got := rgbaAt(img, int(q.X), int(q.Y)); got != mustColor("#2c7fb8") {
			t.Errorf("area %d at (%d,%d) is %s, want #2c7fb8", i, int(q.X), int(q.Y), hexColor(got))
		}
	}
}
