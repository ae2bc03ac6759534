package render

import (
	"io"
	"testing"
)

// BenchmarkRender draws all 1,287 DeSO of Stockholms län.
func BenchmarkRender(b *testing.B) {
	m := choropleth(loadAreas(b, stockholmFile), "Andel med låg ekonomisk standard, Stockholms län")
	cases := []struct {
		name string
		draw func(io.Writer, Map, Options) error
		opts Options
	}{
		{"png_96dpi", PNG, Options{Width: 1000, Height: 800}},
		{"png_300dpi", PNG, Options{Width: 1000, Height: 800, DPI: 300}},
		{"svg", SVG, Options{Width: 1000, Height: 800}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := c.draw(io.Discard, m, c.opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
