// Package tiles renders Mapbox Vector Tiles (MVT) for polygon layers such as
// DeSO and RegSO. Per layer version the geometry is projected to Web
// Mercator once and turned into a topology of shared arcs; per zoom the arcs
// are simplified once in tile-pixel tolerance and snapped to the tile grid,
// so neighbouring areas keep identical borders in every tile. Tiles are
// clipped (with a buffer), re-wound as MVT requires, gzipped once and kept
// in an LRU byte-budget cache; concurrent requests for one tile are
// coalesced.
//
// The package does no I/O: no net/http, no database/sql.
package tiles

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/paulmach/orb"

	"github.com/segmap/segmap/internal/fault"
)

// Errors returned (wrapped) by the engine.
var (
	ErrUnknownLayer = fault.Sentinel("tiles: unknown layer", fault.NotFound)
	ErrBadTile      = fault.Sentinel("tiles: bad tile address", fault.Invalid)
	ErrBadLayer     = fault.Sentinel("tiles: bad layer", fault.Invalid)
	// ErrBusy: every generation slot stayed taken for Options.GenerationWait;
	// the tile was not made. Try again shortly (HTTP: 503 + Retry-After).
	ErrBusy = fault.Sentinel("tiles: too many tiles being generated", fault.Busy)
)

// Feature is one area in WGS 84 (Polygon or MultiPolygon; nil is skipped).
type Feature struct {
	ID         uint64
	Code, Name string
	Geometry   orb.Geometry
}

// Layer is a named set of features shown between MinZoom and MaxZoom.
type Layer struct {
	Name             string
	Features         []Feature
	MinZoom, MaxZoom int
}

// Options configure an Engine. Zero values take the defaults.
type Options struct {
	CacheBytes int64  // LRU budget for tiles (both encodings); default 64 MiB, < 0 disables caching
	Extent     uint32 // MVT extent; default 4096
	Buffer     uint32 // clip buffer in extent units; default 64 (4 px of a 256 px tile)
	MaxZoom    int    // highest zoom served; default 16
	// Tolerance is the Douglas–Peucker tolerance in pixels of a 256 px
	// tile; default 1. Negative disables simplification.
	Tolerance float64
	// MinAreaPixels: a feature whose simplified area is below this many
	// square pixels (256 px tile) is drawn as a square of that area around
	// its centroid instead, so no area vanishes. Default 1; < 0 disables.
	MinAreaPixels float64
	// MaxGenerations bounds the tiles rendered at once (cache misses;
	// concurrent requests for one tile share one generation). Default
	// 2 × GOMAXPROCS; < 0: no limit.
	MaxGenerations int
	// GenerationWait is how long a generation waits for a free slot before
	// giving up with ErrBusy. Default 5 s.
	GenerationWait time.Duration
	// OnGenerate, when set, is called at the start of every generation,
	// inside its slot (for metrics and tests). nil: nothing.
	OnGenerate func(Request)
}

// Request addresses one tile of one layer. Attrs adds per-feature
// properties; Attrs.Key must identify their content for caching (an empty
// Key with non-nil ByID bypasses the cache). Priority orders its generation
// against others (Visitor unless set).
type Request struct {
	Layer    string
	Z, X, Y  int
	Attrs    *Attributes
	Priority Priority
}

// Attributes are extra feature properties (value, class, colour ...) by ID.
type Attributes struct {
	Key  string
	ByID map[uint64]map[string]any
}

// Tile is an encoded tile in both encodings, each made once when the tile
// is rendered, so no request compresses or decompresses: Gzip is the gzip
// of the MVT bytes Raw; ETag is a strong, quoted entity tag over Gzip and
// RawETag the one of Raw (ETag's tag + "-identity"). Empty reports a tile
// without features. Version is that of the layers it was made from
// (SetLayers). A Tile made elsewhere may lack Raw (nil); servers then
// decompress Gzip.
type Tile struct {
	Gzip    []byte
	ETag    string
	Raw     []byte
	RawETag string
	Empty   bool
	Version string
}

// IdentityETag is the strong, quoted entity tag of the identity (not
// gzipped) encoding of the tile whose gzip ETag is etag.
func IdentityETag(etag string) string {
	return `"` + strings.Trim(strings.TrimPrefix(etag, "W/"), `"`) + `-identity"`
}

// LayerInfo describes a layer for TileJSON.
type LayerInfo struct {
	Name             string
	Bounds           [4]float64 // west, south, east, north (WGS 84)
	Center           [3]float64 // lon, lat, zoom
	MinZoom, MaxZoom int
	Features         int
	Fields           map[string]string // property -> type ("String")
}

// Engine renders and caches tiles. It is safe for concurrent use.
type Engine struct {
	opts  Options
	state atomic.Pointer[state]
	gzips sync.Pool // *gzip.Writer, reused across renders

	mu    sync.Mutex
	calls map[string]*call // generations in flight, by tile

	slots       *slotPool
	generations atomic.Int64 // generations started
	busy        atomic.Int64 // generations refused with ErrBusy
	// joined, when set (tests), is called after a request joined or
	// started the generation of its tile.
	joined func(Request)
}

// call is one generation in flight; requests for the same tile join it.
type call struct {
	done chan struct{} // closed when tile or err is set
	tile *Tile
	err  error
	tk   *ticket // its claim on a generation slot
}

type state struct {
	version string
	layers  map[string]*layerData
	cache   *lru
}

// New returns an engine without layers.
func New(opts Options) *Engine {
	if opts.Extent == 0 {
		opts.Extent = 4096
	}
	if opts.Buffer == 0 {
		opts.Buffer = 64
	}
	if opts.MaxZoom <= 0 {
		opts.MaxZoom = 16
	}
	if opts.CacheBytes == 0 {
		opts.CacheBytes = 64 << 20
	}
	if opts.Tolerance == 0 {
		opts.Tolerance = 1
	}
	if opts.MinAreaPixels == 0 {
		opts.MinAreaPixels = 1
	}
	if opts.MaxGenerations == 0 {
		opts.MaxGenerations = 2 * runtime.GOMAXPROCS(0)
	}
	if opts.GenerationWait <= 0 {
		opts.GenerationWait = 5 * time.Second
	}
	e := &Engine{opts: opts, calls: map[string]*call{}, slots: newSlotPool(opts.MaxGenerations)}
	e.state.Store(&state{layers: map[string]*layerData{}, cache: newLRU(opts.CacheBytes)})
	return e
}

// SetLayers prepares the layers (projection, topology, index) and swaps
// them in atomically with a fresh cache. On error nothing changes.
func (e *Engine) SetLayers(version string, layers []Layer) error {
	st := &state{version: version, layers: make(map[string]*layerData, len(layers)), cache: newLRU(e.opts.CacheBytes)}
	for _, l := range layers {
		if l.Name == "" {
			return fmt.Errorf("%w: empty name", ErrBadLayer)
		}
		if _, dup := st.layers[l.Name]; dup {
			return fmt.Errorf("%w: duplicate name %q", ErrBadLayer, l.Name)
		}
		ld, err := prepareLayer(l, e.opts)
		if err != nil {
			return err
		}
		st.layers[l.Name] = ld
	}
	e.state.Store(st)
	return nil
}

// Version returns the version given to the last successful SetLayers.
func (e *Engine) Version() string { return e.state.Load().version }

// Tile returns one tile, from the cache when possible.
func (e *Engine) Tile(ctx context.Context, req Request) (*Tile, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := e.checkZXY(req); err != nil {
		return nil, err
	}
	st := e.state.Load()
	ld, ok := st.layers[req.Layer]
	if !ok {
		return nil, unknownLayer(req.Layer, st)
	}
	key, cacheable := req.cacheKey()
	if !cacheable {
		t, err := e.generate(ctx, ld, e.slots.newTicket(req))
		if err != nil {
			return nil, err
		}
		t.Version = st.version
		return t, nil
	}
	if t, ok := st.cache.get(key); ok {
		return t, nil
	}
	flight := fmt.Sprintf("%s\x00%s\x00%d/%d/%d\x00%s", st.version, req.Layer, req.Z, req.X, req.Y, key.attrs)
	c := e.join(ctx, flight, st, ld, req, key)
	if e.joined != nil {
		e.joined(req)
	}
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-c.done:
		return c.tile, c.err
	}
}

// join returns the generation in flight for the tile, starting it when
// there is none. A visitor joining background work lifts its priority.
func (e *Engine) join(ctx context.Context, flight string, st *state, ld *layerData, req Request, key cacheKey) *call {
	e.mu.Lock()
	defer e.mu.Unlock()
	if c, ok := e.calls[flight]; ok {
		if req.Priority == Visitor {
			e.slots.promote(c.tk)
		}
		return c
	}
	c := &call{done: make(chan struct{}), tk: e.slots.newTicket(req)}
	e.calls[flight] = c
	// Detached from the first caller's cancellation: others may wait.
	go e.run(context.WithoutCancel(ctx), flight, c, st, ld, key)
	return c
}

// run generates (or finds cached) the tile of c and caches it.
func (e *Engine) run(ctx context.Context, flight string, c *call, st *state, ld *layerData, key cacheKey) {
	defer func() {
		e.mu.Lock()
		delete(e.calls, flight)
		e.mu.Unlock()
		close(c.done)
	}()
	if t, ok := st.cache.get(key); ok {
		c.tile = t
		return
	}
	t, err := e.generate(ctx, ld, c.tk)
	if err != nil {
		c.err = err
		return
	}
	t.Version = st.version
	st.cache.add(key, t)
	c.tile = t
}

// Cached returns a tile only if it is in the cache of the current
// version; it never renders, waits or fails (a bad request is simply not
// cached). Servers use it for a fast path, falling back to Tile.
func (e *Engine) Cached(req Request) (*Tile, bool) {
	key, cacheable := req.cacheKey()
	if !cacheable {
		return nil, false
	}
	return e.state.Load().cache.get(key)
}

// checkZXY reports ErrBadTile for a zoom outside 0..MaxZoom or x, y
// outside the zoom's grid.
func (e *Engine) checkZXY(req Request) error {
	if req.Z < 0 || req.Z > e.opts.MaxZoom {
		return fault.New(ErrBadTile, "tile zoom %d is outside 0..%d", req.Z, e.opts.MaxZoom).
			Sv("tilens zoomnivå %d ligger utanför 0..%d", req.Z, e.opts.MaxZoom)
	}
	n := 1 << req.Z
	if req.X < 0 || req.X >= n || req.Y < 0 || req.Y >= n {
		return fault.New(ErrBadTile, "tile %d/%d/%d does not exist: x and y must be in 0..%d at zoom %d", req.Z, req.X, req.Y, n-1, req.Z).
			Sv("tilen %d/%d/%d finns inte: x och y måste vara 0..%d på zoomnivå %d", req.Z, req.X, req.Y, n-1, req.Z)
	}
	return nil
}

// unknownLayer is ErrUnknownLayer naming the layers there are.
func unknownLayer(name string, st *state) error {
	names := make([]string, 0, len(st.layers))
	for n := range st.layers {
		names = append(names, n)
	}
	sort.Strings(names)
	list := strings.Join(names, ", ")
	return fault.New(ErrUnknownLayer, "unknown layer %q; layers are %s", name, list).
		Sv("okänt lager %q; lagren är %s", name, list)
}

// cacheKey is the request's key in a state's cache; a request with
// attributes but no Attributes.Key is not cacheable.
func (req Request) cacheKey() (cacheKey, bool) {
	k := cacheKey{layer: req.Layer, z: req.Z, x: req.X, y: req.Y}
	if req.Attrs != nil {
		k.attrs = req.Attrs.Key
		if k.attrs == "" && len(req.Attrs.ByID) > 0 {
			return k, false
		}
	}
	return k, true
}

// generate renders one tile in a generation slot (visitors first; see
// Priority). When a visitor's ticket waits longer than GenerationWait it
// returns ErrBusy without rendering.
func (e *Engine) generate(ctx context.Context, ld *layerData, tk *ticket) (*Tile, error) {
	if err := e.slots.acquire(ctx, tk, e.opts.GenerationWait); err != nil {
		if errors.Is(err, errNoSlot) {
			e.busy.Add(1)
			return nil, fmt.Errorf("%w: %d generations running, none finished within %s", ErrBusy, e.opts.MaxGenerations, e.opts.GenerationWait)
		}
		return nil, err
	}
	defer e.slots.release(tk)
	e.generations.Add(1)
	if e.opts.OnGenerate != nil {
		e.opts.OnGenerate(tk.req)
	}
	var pause pauser
	if tk.bg {
		pause = func(lift <-chan struct{}) { e.slots.pause(ctx, tk, lift) }
	}
	return ld.render(ctx, tk.req, e.opts, &e.gzips, pause)
}

// GenerationStats reports how many tile generations started and how many
// were refused with ErrBusy since the engine was made.
func (e *Engine) GenerationStats() (started, busy int64) {
	return e.generations.Load(), e.busy.Load()
}

// LayerInfo describes every layer, sorted by name.
func (e *Engine) LayerInfo() []LayerInfo {
	st := e.state.Load()
	out := make([]LayerInfo, 0, len(st.layers))
	for _, ld := range st.layers {
		out = append(out, ld.info)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// CacheStats reports the number of cached tiles and their bytes.
func (e *Engine) CacheStats() (tiles int, bytes int64) {
	return e.state.Load().cache.stats()
}
