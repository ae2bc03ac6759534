package render

import (
	"os"
	"testing"
)

func TestZZView(t *testing.T) {
	if os.Getenv("RENDER_VIEW") == "" {
		t.Skip()
	}
	m := choropleth(loadAreas(t, vaxjoFile), "Låg ekonomisk standard, Växjö kommun")
	f, _ := os.Create("/tmp/rh/vaxjo.png")
	defer f.Close()
	if err := PNG(f, m, Options{Width: 1000, Height: 750}); err != nil {
		t.Fatal(err)
	}
	g, _ := os.Create("/tmp/rh/vaxjo.svg")
	defer g.Close()
	if err := SVG(g, m, Options{Width: 1000, Height: 750}); err != nil {
		t.Fatal(err)
	}
}
