package sites

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/segmap/segmap/data"
)

// wobblyGeoJSON is one site of n vertices: a circle of about 550 m around
// Alby whose radius alternates by ±2 m, so Douglas–Peucker keeps them all.
func wobblyGeoJSON(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"namn":"Big"},"geometry":{"type":"Polygon","coordinates":[[`)
	for i := 0; i <= n; i++ {
		a := 2 * math.Pi * float64(i%n) / float64(n)
		r := 1.0
		if i%2 == 1 {
			r = 1.004
		}
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "[%.9f,%.9f]", 17.86+0.01*r*math.Cos(a), 59.24+0.005*r*math.Sin(a))
	}
	b.WriteString("]]}}]}")
	return []byte(b.String())
}

// BenchmarkSiteSummaryVertices is the whole summary (default buffers
// 500 m and 1 km, warm area caches) of one site of 1k, 10k and 19,990
// vertices (wobblyGeoJSON), the sizes of the report that found the
// summary quadratic in the vertices.
func BenchmarkSiteSummaryVertices(b *testing.B) {
	svc, id := sitesStore(b)
	ctx := context.Background()
	if _, err := svc.SiteSummary(ctx, SiteSummaryQuery{Layer: id}); err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{1000, 10000, 19990} {
		l, _, err := svc.ImportSites(ctx, "big.geojson", wobblyGeoJSON(n), data.SiteOptions{})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("v=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := svc.SiteSummary(ctx, SiteSummaryQuery{Layer: l.ID}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
