package tiles

import (
	"bytes"
	"context"
	"errors"
	"math"
	"sync"
	"testing"
	"time"
)

// TestCoalescedGeneration holds the generation of one missing tile until
// all requests for it have joined, then checks that exactly one generation
// ran and all got the same bytes. The cache is off, so a request that did
// not join the running generation would start a second one.
func TestCoalescedGeneration(t *testing.T) {
	t.Parallel()
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
	t.Parallel()
	if e := New(Options{}); e.slots.free < 2 {
		t.Errorf("default limit %d", e.slots.free)
	}
	if e := New(Options{MaxGenerations: -1}); e.slots.free != math.MaxInt {
		t.Error("MaxGenerations < 0 still limits")
	}
}

// gate holds chosen generations inside their slot until released, and
// reports the order in which generations started.
type gate struct {
	mu      sync.Mutex
	hold    map[[3]int]chan struct{}
	started chan Request
}

func newGate() *gate {
	return &gate{hold: map[[3]int]chan struct{}{}, started: make(chan Request, 64)}
}

// holdTile makes the generation of z/x/y wait for the returned release.
func (g *gate) holdTile(z, x, y int) (release func()) {
	ch := make(chan struct{})
	g.mu.Lock()
	g.hold[[3]int{z, x, y}] = ch
	g.mu.Unlock()
	return func() { close(ch) }
}

func (g *gate) onGenerate(r Request) {
	g.started <- r
	g.mu.Lock()
	ch := g.hold[[3]int{r.Z, r.X, r.Y}]
	g.mu.Unlock()
	if ch != nil {
		<-ch
	}
}

// priorityEngine: one visitor slot, generations gated, and a channel
// reporting each ticket that has to wait for a slot.
func priorityEngine(t *testing.T) (*Engine, *gate, chan Request) {
	g := newGate()
	e, _ := newStockholmEngine(t, Options{MaxGenerations: 1, GenerationWait: time.Hour, OnGenerate: g.onGenerate})
	queued := make(chan Request, 64)
	e.slots.queued = func(tk *ticket) { queued <- tk.req }
	return e, g, queued
}

type result struct {
	tile *Tile
	err  error
}

func fetch(e *Engine, req Request) chan result {
	ch := make(chan result, 1)
	go func() {
		t, err := e.Tile(context.Background(), req)
		ch <- result{t, err}
	}()
	return ch
}

// TestVisitorNotBehindBackground: while background work holds its worker
// (the visitor slot is free), a visitor's tile is generated and served at
// once, and the background tile completes later.
func TestVisitorNotBehindBackground(t *testing.T) {
	t.Parallel()
	e, g, _ := priorityEngine(t)
	bx, by := tileAt(places[0], 12)
	release := g.holdTile(12, bx, by)
	bg := fetch(e, Request{Layer: "deso", Z: 12, X: bx, Y: by, Priority: Background})
	if r := <-g.started; r.Priority != Background {
		t.Fatalf("first generation %+v, want the background one", r)
	}
	vx, vy := tileAt(places[0], 13)
	got := <-fetch(e, Request{Layer: "deso", Z: 13, X: vx, Y: vy})
	if got.err != nil || got.tile == nil || got.tile.Empty {
		t.Fatalf("visitor while background work runs: %+v", got)
	}
	release()
	if r := <-bg; r.err != nil {
		t.Fatalf("background tile: %v", r.err)
	}
}

// TestBackgroundWaitsForVisitors: with the only visitor slot taken and a
// visitor waiting, background work does not start; the waiting visitor
// goes first, the background tile after it.
func TestBackgroundWaitsForVisitors(t *testing.T) {
	t.Parallel()
	e, g, queued := priorityEngine(t)
	ax, ay := tileAt(places[0], 12)
	releaseA := g.holdTile(12, ax, ay)
	a := fetch(e, Request{Layer: "deso", Z: 12, X: ax, Y: ay})
	<-g.started // A holds the visitor slot

	bx, by := tileAt(places[1], 12)
	bg := fetch(e, Request{Layer: "deso", Z: 12, X: bx, Y: by, Priority: Background})
	if r := <-queued; r.Priority != Background {
		t.Fatalf("queued %+v, want the background tile", r)
	}
	cx, cy := tileAt(places[0], 13)
	releaseC := g.holdTile(13, cx, cy)
	c := fetch(e, Request{Layer: "deso", Z: 13, X: cx, Y: cy})
	if r := <-queued; r.Priority != Visitor {
		t.Fatalf("queued %+v, want the visitor", r)
	}
	releaseA()
	if r := <-g.started; r.Z != 13 {
		t.Fatalf("after A: generation of %d/%d/%d started, want the waiting visitor's", r.Z, r.X, r.Y)
	}
	// C holds the visitor slot: the background worker is idle, but no
	// visitor's tile may be in the making when it starts.
	select {
	case r := <-g.started:
		t.Fatalf("background generation %d/%d/%d started while the visitor slot was taken", r.Z, r.X, r.Y)
	default:
	}
	releaseC()
	if r := <-g.started; r.Priority != Background {
		t.Fatalf("after C: %+v started, want the background tile", r)
	}
	for name, ch := range map[string]chan result{"A": a, "C": c, "background": bg} {
		if r := <-ch; r.err != nil {
			t.Errorf("%s: %v", name, r.err)
		}
	}
}

// TestVisitorJoinsBackground: a visitor asking for the tile background
// work waits to generate joins that generation and lifts it to visitor
// priority: it is generated once, ahead of later background work.
func TestVisitorJoinsBackground(t *testing.T) {
	t.Parallel()
	e, g, queued := priorityEngine(t)
	joined := make(chan Request, 8)
	e.joined = func(r Request) { joined <- r }
	ax, ay := tileAt(places[0], 12)
	releaseA := g.holdTile(12, ax, ay)
	a := fetch(e, Request{Layer: "deso", Z: 12, X: ax, Y: ay})
	<-g.started
	<-joined

	other := Request{Layer: "deso", Z: 11, Priority: Background}
	other.X, other.Y = tileAt(places[1], 11)
	bgOther := fetch(e, other)
	<-queued
	shared := Request{Layer: "deso", Z: 12, Priority: Background}
	shared.X, shared.Y = tileAt(places[1], 12)
	bgShared := fetch(e, shared)
	<-queued
	visitor := shared
	visitor.Priority = Visitor
	v := fetch(e, visitor)
	for r := range joined {
		if r.Priority == Visitor {
			break
		}
	}
	releaseA()
	if r := <-g.started; r.X != shared.X || r.Y != shared.Y || r.Z != shared.Z {
		t.Fatalf("after A: %d/%d/%d started, want the tile the visitor joined", r.Z, r.X, r.Y)
	}
	rv, rs := <-v, <-bgShared
	if rv.err != nil || rs.err != nil || rv.tile != rs.tile {
		t.Fatalf("visitor %+v, background %+v: want one shared tile", rv, rs)
	}
	if r := <-g.started; r.Z != other.Z {
		t.Fatalf("then %d/%d/%d started, want the other background tile", r.Z, r.X, r.Y)
	}
	if r := <-bgOther; r.err != nil {
		t.Fatal(r.err)
	}
	if r := <-a; r.err != nil {
		t.Fatal(r.err)
	}
	if started, _ := e.GenerationStats(); started != 3 {
		t.Errorf("%d generations, want 3", started)
	}
}

// TestVisitorWhileBackgroundPrepares: background work preparing a zoom
// (the first tile of the zoom: the whole layer simplified) pauses between
// chunks while a visitor's tile is generated; other visitors' tiles,
// including their own zooms' preparation, are made meanwhile. A visitor
// needing the zoom being prepared lifts the pause and shares that one
// preparation.
func TestVisitorWhileBackgroundPrepares(t *testing.T) {
	t.Parallel()
	g := newGate()
	e, _ := newStockholmEngine(t, Options{MaxGenerations: 2, GenerationWait: time.Hour, OnGenerate: g.onGenerate})
	paused := make(chan Request, 1)
	e.slots.paused = func(tk *ticket) {
		select {
		case paused <- tk.req:
		default:
		}
	}
	ld := e.state.Load().layers["deso"]

	bg := Request{Layer: "deso", Z: 6, Priority: Background}
	bg.X, bg.Y = tileAt(places[0], bg.Z)
	releaseBg := g.holdTile(bg.Z, bg.X, bg.Y)
	bgDone := fetch(e, bg)
	<-g.started // the background tile holds its worker, before preparing z6

	held := Request{Layer: "deso", Z: 13}
	held.X, held.Y = tileAt(places[0], held.Z)
	releaseHeld := g.holdTile(held.Z, held.X, held.Y)
	heldDone := fetch(e, held)
	<-g.started // a visitor's tile is in the making from now on

	releaseBg()
	if r := <-paused; r != bg {
		t.Fatalf("paused %+v, want the background tile", r)
	}
	v := Request{Layer: "deso", Z: 9}
	v.X, v.Y = tileAt(places[1], v.Z)
	if r := <-fetch(e, v); r.err != nil || r.tile == nil || r.tile.Empty {
		t.Fatalf("visitor's tile (its zoom unprepared) while background work prepares another: %+v", r)
	}
	select {
	case r := <-bgDone:
		t.Fatalf("background tile finished while a visitor's tile was in the making: %+v", r)
	default:
	}
	if zoomDone(ld, bg.Z) {
		t.Fatal("the paused preparation finished")
	}

	// A visitor needing z6 joins its preparation, which resumes; the
	// background tile's own rendering then pauses again until no visitor's
	// tile is in the making.
	w := Request{Layer: "deso", Z: bg.Z, X: bg.X + 1, Y: bg.Y} // not the background tile
	rw := <-fetch(e, w)
	if rw.err != nil || rw.tile == nil {
		t.Fatalf("visitor's tile at the zoom being prepared: %+v", rw)
	}
	if !zoomDone(ld, bg.Z) {
		t.Fatal("the visitor got its z6 tile before z6 was prepared")
	}
	releaseHeld()
	if r := <-heldDone; r.err != nil {
		t.Fatal(r.err)
	}
	if r := <-bgDone; r.err != nil || r.tile == nil {
		t.Fatalf("background tile: %+v", r)
	}
	// Rendered from the one shared preparation: the same bytes as a fresh
	// engine's visitor tile.
	fresh, _ := newStockholmEngine(t, Options{})
	want, err := fresh.Tile(context.Background(), w)
	if err != nil || !bytes.Equal(want.Raw, rw.tile.Raw) {
		t.Fatalf("tile from the shared preparation differs from a fresh one (err %v)", err)
	}
}

func zoomDone(ld *layerData, z int) bool {
	s := &ld.zooms[z]
	s.mu.Lock()
	done := s.done
	s.mu.Unlock()
	if done == nil {
		return false
	}
	select {
	case <-done:
		return true
	default:
		return false
	}
}
