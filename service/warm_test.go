package service

import (
	"context"
	"testing"

	"github.com/segmap/segmap/tiles"
)

// Warm fills the cache with exactly the low-zoom pyramid of every layer,
// and a second warm-up renders nothing new.
func TestWarm(t *testing.T) {
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
