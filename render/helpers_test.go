package render

import (
	"os"
	"sort"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// area is one real boundary from testdata/render.
type area struct {
	Code string
	Geom orb.Geometry
}

const (
	vaxjoFile     = "../testdata/render/deso_2025_vaxjo_4326.geojson"
	stockholmFile = "../testdata/render/deso_2018_stockholms_lan_4326_simplified.geojson"
	kommunFile    = "../testdata/render/kommun_0780_vaxjo_4326.geojson"
)

// loadAreas reads a GeoJSON file, keyed by the first of the code fields
// present, sorted by code.
func loadAreas(tb testing.TB, path string) []area {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("read %s: %v", path, err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		tb.Fatalf("parse %s: %v", path, err)
	}
	out := make([]area, 0, len(fc.Features))
	for _, f := range fc.Features {
		code := f.Properties.MustString("desokod", f.Properties.MustString("kommun_kod", ""))
		if code == "" {
			code = f.Properties.MustString("id", "")
		}
		out = append(out, area{code, f.Geometry})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// testPalette is YlGnBu with 5 classes plus a grey.
var testPalette = []string{"#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494", "#bdbdbd"}

// choropleth colours area i with testPalette[i % 6] and builds a legend.
func choropleth(areas []area, title string) Map {
	m := Map{
		Title:       title,
		Subtitle:    "DeSO, andel av befolkningen (%) · år 2022",
		Source:      "Källa: SCB, 2022. Kartunderlag: SCB DeSO (CC0)",
		LegendTitle: "Andel (%)",
		Lang:        "sv",
	}
	counts := make([]int, len(testPalette))
	for i, a := range areas {
		c := testPalette[i%len(testPalette)]
		counts[i%len(testPalette)]++
		m.Features = append(m.Features, Feature{Geometry: a.Geom, Fill: c})
	}
	labels := []string{"2,1–8,4", "8,5–12,0", "12,1–17,3", "17,4–25,9", "26,0–61,7", "Uppgift saknas"}
	for i, c := range testPalette {
		m.Legend = append(m.Legend, LegendItem{Label: labels[i], Color: c, Count: counts[i]})
	}
	return m
}
