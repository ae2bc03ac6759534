package tiles

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"
)

var update = flag.Bool("update", false, "rewrite testdata/tiles/golden")

// Places in Stockholms län used to pick tiles.
var places = []orb.Point{
	{18.0686, 59.3293}, // Stockholm city
	{17.6254, 59.1955}, // Södertälje
	{18.7023, 59.7580}, // Norrtälje
	{18.2900, 59.2900}, // Nacka/Värmdö border
}

func tileAt(p orb.Point, z int) (int, int) {
	t := maptile.At(p, maptile.Zoom(z))
	return int(t.X), int(t.Y)
}

func newStockholmEngine(tb testing.TB, opts Options) (*Engine, *source) {
	tb.Helper()
	src := loadStockholm(tb)
	e := New(opts)
	if err := e.SetLayers("v1", []Layer{src.layer("deso")}); err != nil {
		tb.Fatal(err)
	}
	return e, src
}

func TestGolden(t *testing.T) {
	t.Parallel()
	e, _ := newStockholmEngine(t, Options{})
	for _, z := range []int{5, 8, 11, 14} {
		x, y := tileAt(places[0], z)
		name := fmt.Sprintf("deso-%d-%d-%d.mvt", z, x, y)
		t.Run(name, func(t *testing.T) {
			tile, err := e.Tile(context.Background(), Request{Layer: "deso", Z: z, X: x, Y: y})
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("..", "testdata", "tiles", "golden", name)
			if *update {
				if err := os.WriteFile(path, tile.Gzip, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create)", err)
			}
			if !bytes.Equal(want, tile.Gzip) {
				t.Errorf("tile differs from golden %s (%d vs %d bytes)", name, len(tile.Gzip), len(want))
			}
		})
	}
}

func TestDeterminism(t *testing.T) {
	t.Parallel()
	src := loadStockholm(t)
	a := New(Options{})
	b := New(Options{CacheBytes: -1})
	if err := a.SetLayers("v1", []Layer{src.layer("deso")}); err != nil {
		t.Fatal(err)
	}
	if err := b.SetLayers("v1", []Layer{src.layer("deso")}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, z := range []int{6, 10, 13} {
		x, y := tileAt(places[1], z)
		req := Request{Layer: "deso", Z: z, X: x, Y: y}
		t1, _ := a.Tile(ctx, req)
		t2, _ := a.Tile(ctx, req) // cached
		t3, _ := b.Tile(ctx, req) // other engine, uncached
		t4, _ := b.Tile(ctx, req)
		if err := a.SetLayers("v2", []Layer{src.layer("deso")}); err != nil {
			t.Fatal(err)
		}
		t5, _ := a.Tile(ctx, req) // same data after a swap
		for i, o := range []*Tile{t2, t3, t4, t5} {
			if !bytes.Equal(t1.Gzip, o.Gzip) || t1.ETag != o.ETag {
				t.Errorf("z%d: tile %d differs", z, i+2)
			}
		}
		if t1.Empty {
			t.Errorf("z%d: tile unexpectedly empty", z)
		}
	}
	// The caller's geometry must be untouched.
	for i, f := range src.feats {
		if !f.Geometry.(orb.MultiPolygon).Equal(src.geoms[i]) {
			t.Fatalf("%s: input geometry was modified", f.Code)
		}
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	e, _ := newStockholmEngine(t, Options{})
	ctx := context.Background()
	tests := []struct {
		name string
		req  Request
		want error
	}{
		{"unknown layer", Request{Layer: "regso", Z: 1}, ErrUnknownLayer},
		{"negative zoom", Request{Layer: "deso", Z: -1}, ErrBadTile},
		{"zoom too high", Request{Layer: "deso", Z: 17}, ErrBadTile},
		{"x out of range", Request{Layer: "deso", Z: 2, X: 4}, ErrBadTile},
		{"negative y", Request{Layer: "deso", Z: 2, Y: -1}, ErrBadTile},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := e.Tile(ctx, tc.req); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
	if err := e.SetLayers("x", []Layer{{Name: "a"}, {Name: "a"}}); !errors.Is(err, ErrBadLayer) {
		t.Errorf("duplicate layer: got %v", err)
	}
	if err := e.SetLayers("x", []Layer{{Name: "p", Features: []Feature{{ID: 1, Geometry: orb.Point{1, 2}}}}}); !errors.Is(err, ErrBadLayer) {
		t.Errorf("point layer: got %v", err)
	}
	if e.Version() != "v1" {
		t.Errorf("failed SetLayers changed the version to %q", e.Version())
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := e.Tile(cctx, Request{Layer: "deso", Z: 3, X: 4, Y: 2}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: got %v", err)
	}
}

func TestEmptyAndAttrs(t *testing.T) {
	t.Parallel()
	e, src := newStockholmEngine(t, Options{})
	ctx := context.Background()
	empty, err := e.Tile(ctx, Request{Layer: "deso", Z: 4, X: 0, Y: 0})
	if err != nil || !empty.Empty {
		t.Fatalf("tile far from Stockholm: %v, empty=%v", err, empty != nil && empty.Empty)
	}
	x, y := tileAt(places[0], 12)
	byID := map[uint64]map[string]any{}
	for _, f := range src.feats {
		byID[f.ID] = map[string]any{"value": float64(len(f.Code)), "class": int64(2)}
	}
	plain, _ := e.Tile(ctx, Request{Layer: "deso", Z: 12, X: x, Y: y})
	withA, err := e.Tile(ctx, Request{Layer: "deso", Z: 12, X: x, Y: y, Attrs: &Attributes{Key: "k1", ByID: byID}})
	if err != nil {
		t.Fatal(err)
	}
	if plain.ETag == withA.ETag {
		t.Error("attributes did not change the tile")
	}
	ls, err := mvt.Unmarshal(ungzip(t, withA.Gzip))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range ls[0].Features {
		id := idOf(f.ID)
		i, ok := src.byID[id]
		if !ok {
			t.Fatalf("unknown feature id %d", id)
		}
		if f.Properties["code"] != src.feats[i].Code || f.Properties["name"] != src.feats[i].Name {
			t.Errorf("id %d: props %v", id, f.Properties)
		}
		if f.Properties["value"] != float64(len(src.feats[i].Code)) || f.Properties["class"] == nil {
			t.Errorf("id %d: attrs missing: %v", id, f.Properties)
		}
	}
	n, bytes := e.CacheStats()
	if n != 3 || bytes <= 0 {
		t.Errorf("cache holds %d tiles, %d bytes; want 3 (empty, plain, attrs k1)", n, bytes)
	}
}

func TestCacheBudget(t *testing.T) {
	t.Parallel()
	e, _ := newStockholmEngine(t, Options{CacheBytes: 20_000})
	ctx := context.Background()
	for z := 8; z <= 12; z++ {
		x, y := tileAt(places[0], z)
		if _, err := e.Tile(ctx, Request{Layer: "deso", Z: z, X: x, Y: y}); err != nil {
			t.Fatal(err)
		}
	}
	if _, b := e.CacheStats(); b > 20_000 {
		t.Errorf("cache uses %d bytes over a 20000 budget", b)
	}
}

func TestConcurrentSameTile(t *testing.T) {
	t.Parallel()
	e, _ := newStockholmEngine(t, Options{})
	x, y := tileAt(places[0], 13)
	var wg sync.WaitGroup
	res := make([]*Tile, 16)
	for i := range res {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tl, err := e.Tile(context.Background(), Request{Layer: "deso", Z: 13, X: x, Y: y})
			if err != nil {
				t.Error(err)
			}
			res[i] = tl
		}()
	}
	wg.Wait()
	for i := range res {
		if res[i] == nil || !bytes.Equal(res[i].Gzip, res[0].Gzip) {
			t.Fatalf("request %d got different bytes", i)
		}
	}
}

func TestLayerInfo(t *testing.T) {
	t.Parallel()
	e, _ := newStockholmEngine(t, Options{})
	info := e.LayerInfo()
	if len(info) != 1 || info[0].Name != "deso" || info[0].Features != 1287 {
		t.Fatalf("info %+v", info)
	}
	b := info[0].Bounds
	// Stockholms län (with its archipelago) lies within about 17.2..19.7 E, 58.7..60.3 N.
	if b[0] < 17 || b[0] > 17.6 || b[2] < 19 || b[2] > 19.8 || b[1] < 58.6 || b[1] > 59 || b[3] < 60 || b[3] > 60.4 {
		t.Errorf("bounds %v", b)
	}
	if c := info[0].Center; c[0] < b[0] || c[0] > b[2] || c[1] < b[1] || c[1] > b[3] || c[2] != 8 {
		t.Errorf("center %v: want inside the bounds at zoom 8 (2.4 degrees wide = 2 tiles)", c)
	}
	if info[0].Fields["code"] != "String" || info[0].MaxZoom != 16 {
		t.Errorf("info %+v", info[0])
	}
}

// TestCached: Cached finds exactly the tiles Tile has put in the cache of
// the current version, never renders, and forgets them when the layers
// are swapped.
func TestCached(t *testing.T) {
	t.Parallel()
	e, src := newStockholmEngine(t, Options{})
	ctx := context.Background()
	x, y := tileAt(places[0], 12)
	req := Request{Layer: "deso", Z: 12, X: x, Y: y}
	started, _ := e.GenerationStats()
	if tl, ok := e.Cached(req); ok || tl != nil {
		t.Fatal("an unrendered tile is cached")
	}
	if now, _ := e.GenerationStats(); now != started {
		t.Fatal("Cached rendered a tile")
	}
	want, err := e.Tile(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	got, ok := e.Cached(req)
	if !ok || got != want || got.Version != e.Version() {
		t.Fatalf("Cached after Tile: %p %v, want %p of %q", got, ok, want, e.Version())
	}
	for _, other := range []Request{
		{Layer: "deso", Z: 12, X: x + 1, Y: y},
		{Layer: "regso", Z: 12, X: x, Y: y},
		{Layer: "deso", Z: 12, X: x, Y: y, Attrs: &Attributes{Key: "k"}},
		{Layer: "deso", Z: 40, X: x, Y: y},
		{Layer: "deso", Z: 12, X: -1, Y: y},
	} {
		if _, ok := e.Cached(other); ok {
			t.Errorf("%+v: cached", other)
		}
	}
	if err := e.SetLayers("v2", []Layer{src.layer("deso")}); err != nil {
		t.Fatal(err)
	}
	if _, ok := e.Cached(req); ok {
		t.Error("a tile of the old version is cached after SetLayers")
	}
	// Each tile says which version of the layers it was made from (servers
	// mark it immutable only under that version's URL).
	if want.Version != "v1" {
		t.Errorf("first tile made from %q, want v1", want.Version)
	}
	next, err := e.Tile(ctx, req)
	if err != nil || next.Version != "v2" {
		t.Errorf("tile after SetLayers: %v, made from %q, want v2", err, next.Version)
	}
	withAttrs, err := e.Tile(ctx, Request{Layer: "deso", Z: 12, X: x, Y: y, Attrs: &Attributes{ByID: map[uint64]map[string]any{1: {"a": 1}}}})
	if err != nil || withAttrs.Version != "v2" {
		t.Errorf("uncached tile: %v, made from %q, want v2", err, withAttrs.Version)
	}
}
