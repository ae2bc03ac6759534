package service

import (
	"context"
	"testing"
	"time"

	"github.com/segmap/segmap/tiles"
)

// Warm fills the cache with exactly the low-zoom pyramid of every layer,
// and a second warm-up renders nothing new.
func TestWarm(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc := New(testStore, nil, Options{})
	st, err := svc.Warm(ctx, WarmOptions{MaxZoom: 5})
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, li := range svc.engine.LayerInfo() {
		want += len(tiles.Pyramid(li.Bounds, li.MinZoom, min(5, li.MaxZoom)))
	}
	if st.Tiles != want || want == 0 {
		t.Fatalf("warmed %d tiles, the pyramids z0–z5 hold %d", st.Tiles, want)
	}
	n, _ := svc.engine.CacheStats()
	if n != want {
		t.Errorf("cache holds %d tiles after warming %d", n, want)
	}
	if _, err := svc.Warm(ctx, WarmOptions{MaxZoom: 5}); err != nil {
		t.Fatal(err)
	}
	if n2, _ := svc.engine.CacheStats(); n2 != n {
		t.Errorf("second warm-up changed the cache: %d → %d tiles", n, n2)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := New(testStore, nil, Options{}).Warm(cctx, WarmOptions{MaxZoom: 5}); err == nil {
		t.Error("a cancelled warm-up reported no error")
	}
}

// PrepareMaxZoom renders one tile per zoom above MaxZoom, per layer.
func TestWarmPrepare(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc := New(testStore, nil, Options{})
	st, err := svc.Warm(ctx, WarmOptions{MaxZoom: 2, PrepareMaxZoom: 5})
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, li := range svc.engine.LayerInfo() {
		want += len(tiles.Pyramid(li.Bounds, li.MinZoom, min(2, li.MaxZoom)))
		want += max(0, min(5, li.MaxZoom)-2)
	}
	if st.Tiles != want {
		t.Errorf("warmed %d tiles, want the z0–z2 pyramids and one tile for each of z3–z5: %d", st.Tiles, want)
	}
	if n, _ := svc.engine.CacheStats(); n != want {
		t.Errorf("cache holds %d tiles, want %d", n, want)
	}
}

// TestWarmLeavesVisitorsFirst: while the warm-up's generation is held
// inside its slot, with a single visitor slot, a visitor's tile is
// generated and served; the warm-up then completes.
func TestWarmLeavesVisitorsFirst(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	held := make(chan struct{})
	release := make(chan struct{})
	var first bool
	svc := New(testStore, nil, Options{Tiles: tiles.Options{
		MaxGenerations: 1,
		GenerationWait: time.Hour, // a visitor behind the warm-up would hang, not fail
		OnGenerate: func(r tiles.Request) {
			if r.Priority == tiles.Background && !first { // only the warm-up's first tile
				first = true
				close(held)
				<-release
			}
		},
	}})
	warmed := make(chan error, 1)
	go func() {
		_, err := svc.Warm(ctx, WarmOptions{MaxZoom: 3})
		warmed <- err
	}()
	<-held
	x, y := stockholmXY()
	tile, err := svc.Tile(ctx, "deso", 11, x, y)
	if err != nil || tile.Empty {
		t.Fatalf("visitor's tile while the warm-up holds work: %v", err)
	}
	close(release)
	if err := <-warmed; err != nil {
		t.Fatal(err)
	}
}

func BenchmarkMeta(b *testing.B) {
	svc := New(testStore, nil, Options{})
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := svc.Meta(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
