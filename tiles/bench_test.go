package tiles

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkTileCold renders a tile without the cache (the zoom's simplified
// layer is prepared once before the timer starts).
func BenchmarkTileCold(b *testing.B) {
	e, _ := newStockholmEngine(b, Options{CacheBytes: -1})
	ctx := context.Background()
	for _, z := range []int{5, 8, 11, 14} {
		x, y := tileAt(places[0], z)
		req := Request{Layer: "deso", Z: z, X: x, Y: y}
		b.Run(fmt.Sprintf("z%d", z), func(b *testing.B) {
			t, err := e.Tile(ctx, req)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(t.Gzip)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := e.Tile(ctx, req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkZoomPrepare simplifies the whole layer for one zoom (arcs,
// snapping, validity refinement, repair): the first-tile cost per zoom.
func BenchmarkZoomPrepare(b *testing.B) {
	e, _ := newStockholmEngine(b, Options{})
	ld := e.state.Load().layers["deso"]
	for _, z := range []int{5, 8, 11, 14} {
		b.Run(fmt.Sprintf("z%d", z), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				ld.buildZoom(z, e.opts, nil)
			}
		})
	}
}

// BenchmarkTileWarm is a cache hit.
func BenchmarkTileWarm(b *testing.B) {
	e, _ := newStockholmEngine(b, Options{})
	ctx := context.Background()
	x, y := tileAt(places[0], 11)
	req := Request{Layer: "deso", Z: 11, X: x, Y: y}
	if _, err := e.Tile(ctx, req); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Tile(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSetLayers: projection, topology and index for 1,287 DeSO.
func BenchmarkSetLayers(b *testing.B) {
	src := loadStockholm(b)
	e := New(Options{})
	b.ReportAllocs()
	for b.Loop() {
		if err := e.SetLayers("v", []Layer{src.layer("deso")}); err != nil {
			b.Fatal(err)
		}
	}
}
