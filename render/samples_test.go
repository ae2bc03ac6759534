package render

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var sampleDir = flag.String("samples", "", "write sample maps (PNG and SVG) to this directory for a visual check")

// TestWriteSamples writes example maps when run with -samples=DIR, so a
// person can look at them: go test ./render -run WriteSamples -samples=/tmp/maps.
func TestWriteSamples(t *testing.T) {
	if *sampleDir == "" {
		t.Skip("no -samples directory")
	}
	vaxjo := choropleth(loadAreas(t, vaxjoFile), "Låg ekonomisk standard, Växjö kommun")
	vaxjo.Outlines = []Feature{{Geometry: loadAreas(t, kommunFile)[0].Geom}}
	for i := range vaxjo.Features {
		if i%4 == 0 {
			vaxjo.Features[i].Label = loadAreas(t, vaxjoFile)[i].Code
		}
	}
	sthlm := choropleth(loadAreas(t, stockholmFile), "Andel med låg ekonomisk standard, Stockholms län")
	sthlm.Subtitle = "DeSO 2018 · 1 287 områden"
	sthlm.Lang = "en"
	cases := []struct {
		name string
		m    Map
		opts Options
	}{
		{"vaxjo", vaxjo, Options{Width: 1000, Height: 750}},
		{"vaxjo_print", vaxjo, Options{Width: 600, Height: 450, DPI: 200}},
		{"vaxjo_narrow", vaxjo, Options{Width: 420, Height: 640}},
		{"stockholm", sthlm, Options{Width: 1100, Height: 900}},
	}
	for _, c := range cases {
		for _, ext := range []string{"png", "svg"} {
			f, err := os.Create(filepath.Join(*sampleDir, c.name+"."+ext))
			if err != nil {
				t.Fatal(err)
			}
			draw := PNG
			if ext == "svg" {
				draw = SVG
			}
			if err := draw(f, c.m, c.opts); err != nil {
				t.Fatal(err)
			}
			if err := f.Close(); err != nil {
				t.Fatal(err)
			}
		}
	}
}
