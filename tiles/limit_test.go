package tiles

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// TestCoalescedGeneration holds the generation of one missing tile until
// all requests for it have joined, then checks that exactly one generation
// ran and all got the same bytes. The cache is off, so a request that did
// not join the running generation would start a second one.
func TestCoalescedGeneration(t *testing.T) {
	const n = 16
	release := make(chan struct{})
	var joined sync.WaitGroup
	joined.Add(n)
	e, _ := newStockholmEngine(t, Options{CacheBytes: -1, OnGenerate: func(Request) { <-release }})
	e.joined = func(Request) { joined.Done() }
	x, y := tileAt(places[0], 13)
	res := make([]*Tile, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res[i], errs[i] = e.Tile(context.Background(), Request{Layer: "deso", Z: 13, X: x, Y: y})
		}()
	}
	joined.Wait()
	close(release)
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("request %d: %v", i, errs[i])
		}
		if !bytes.Equal(res[i].Gzip, res[0].Gzip) {
			t.Fatalf("request %d got different bytes", i)
		}
	}
	if started, _ := e.GenerationStats(); started != 1 {
		t.Errorf("%d concurrent requests for one tile ran %d generations, want 1", n, started)
	}
	// The cache is off: the next request generates again.
	e.joined = nil
	if _, err := e.Tile(context.Background(), Request{Layer: "deso", Z: 13, X: x, Y: y}); err != nil {
		t.Fatal(err)
	}
	if started, _ := e.GenerationStats(); started != 2 {
		t.Errorf("after one more request: %d generations, want 2", started)
	}
}

// TestGenerationLimit: with one generation slot held, a second missing tile
// is refused with ErrBusy after the wait, a cached tile is still served,
// and once the slot is free the refused tile is made.
func TestGenerationLimit(t *testing.T) {
	hold := make(chan struct{})
	held := make(chan struct{}, 1)
	var holding sync.Mutex // guards holdNext
	holdNext := false
	e, _ := newStockholmEngine(t, Options{MaxGenerations: 1, GenerationWait: 20 * time.Millisecond, OnGenerate: func(Request) {
		holding.Lock()
		h := holdNext
		holding.Unlock()
		if h {
			held <- struct{}{}
			<-hold
		}
	}})
	ctx := context.Background()
	cachedX, cachedY := tileAt(places[0], 12)
	cached, err := e.Tile(ctx, Request{Layer: "deso", Z: 12, X: cachedX, Y: cachedY})
	if err != nil {
		t.Fatal(err)
	}
	holding.Lock()
	holdNext = true
	holding.Unlock()
	ax, ay := tileAt(places[0], 13)
	done := make(chan error, 1)
	go func() {
		_, err := e.Tile(ctx, Request{Layer: "deso", Z: 13, X: ax, Y: ay})
		done <- err
	}()
	<-held
	holding.Lock()
	holdNext = false
	holding.Unlock()

	bx, by := tileAt(places[0], 14)
	if _, err := e.Tile(ctx, Request{Layer: "deso", Z: 14, X: bx, Y: by}); !errors.Is(err, ErrBusy) {
		t.Errorf("second tile with the only slot held: %v, want ErrBusy", err)
	}
	got, err := e.Tile(ctx, Request{Layer: "deso", Z: 12, X: cachedX, Y: cachedY})
	if err != nil || !bytes.Equal(got.Gzip, cached.Gzip) {
		t.Errorf("cached tile with the slot held: %v", err)
	}
	// A cancelled request stops waiting with its context's error.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := e.Tile(cctx, Request{Layer: "deso", Z: 14, X: bx, Y: by}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled request: %v", err)
	}
	close(hold)
	if err := <-done; err != nil {
		t.Errorf("held generation: %v", err)
	}
	if _, err := e.Tile(ctx, Request{Layer: "deso", Z: 14, X: bx, Y: by}); err != nil {
		t.Errorf("after the slot is free: %v", err)
	}
	started, busy := e.GenerationStats()
	if started != 3 || busy != 1 {
		t.Errorf("generations started %d, busy %d; want 3 and 1", started, busy)
	}
}

// TestGenerationLimitDefault: the default limit is 2 × GOMAXPROCS, < 0 is none.
func TestGenerationLimitDefault(t *testing.T) {
	if e := New(Options{}); cap(e.slots) < 2 {
		t.Errorf("default limit %d", cap(e.slots))
	}
	if e := New(Options{MaxGenerations: -1}); e.slots != nil {
		t.Error("MaxGenerations < 0 still limits")
	}
}
