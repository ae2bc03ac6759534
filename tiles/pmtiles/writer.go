package pmtiles

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"slices"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
	"github.com/segmap/segmap/tiles"
)

// ErrOptions is returned (wrapped) for unusable writer options.
var ErrOptions = errors.New("pmtiles: bad options")

// Source renders tiles; *tiles.Engine implements it.
type Source interface {
	Tile(ctx context.Context, req tiles.Request) (*tiles.Tile, error)
	LayerInfo() []tiles.LayerInfo
}

// Options control Write.
type Options struct {
	Layer            string
	MinZoom, MaxZoom int // default: the layer's zoom range
	Workers          int // default runtime.NumCPU()
	Name             string
	Description      string
	Attribution      string
	// Progress, when set, is called after every rendered tile (from one
	// goroutine at a time) with the number done and the total.
	Progress func(done, total int)
}

// Stats summarise a written archive.
type Stats struct {
	Tiles    int // addressed (non-empty) tiles
	Entries  int // directory entries after run-length merging
	Contents int // distinct tile contents (after de-duplication)
	Bytes    int64
	Leaves   bool // leaf directories were needed
}

type job struct {
	idx     int
	z, x, y int
	id      uint64
}

// Write renders every tile of the layer's bounds from MinZoom to MaxZoom
// with a worker pool and writes a clustered PMTiles v3 archive to w. Empty
// tiles are left out; identical tiles are stored once. Tile data is held in
// memory until the directories are known (one copy per distinct tile).
func Write(ctx context.Context, w io.Writer, src Source, opts Options) (*Stats, error) {
	var info *tiles.LayerInfo
	for _, li := range src.LayerInfo() {
		if li.Name == opts.Layer {
			info = &li
			break
		}
	}
	if info == nil {
		return nil, fmt.Errorf("%w: layer %q: %w", ErrOptions, opts.Layer, tiles.ErrUnknownLayer)
	}
	if opts.MinZoom == 0 && opts.MaxZoom == 0 {
		opts.MinZoom, opts.MaxZoom = info.MinZoom, info.MaxZoom
	}
	if opts.MinZoom < 0 || opts.MaxZoom < opts.MinZoom || opts.MaxZoom > 30 {
		return nil, fmt.Errorf("%w: zoom range %d..%d", ErrOptions, opts.MinZoom, opts.MaxZoom)
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.NumCPU()
	}
	jobs := pyramid(info.Bounds, opts.MinZoom, opts.MaxZoom)
	total := len(jobs)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		idx  int
		data []byte
		err  error
	}
	jobCh := make(chan job)
	resCh := make(chan result, opts.Workers)
	var wg sync.WaitGroup
	for range opts.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobCh {
				t, err := src.Tile(ctx, tiles.Request{Layer: opts.Layer, Z: j.z, X: j.x, Y: j.y})
				r := result{idx: j.idx, err: err}
				if err == nil && !t.Empty {
					r.data = t.Gzip
				}
				select {
				case resCh <- r:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		defer close(jobCh)
		for _, j := range jobs {
			select {
			case jobCh <- j:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(resCh) }()

	// Collect in tile-id order (clustered), de-duplicating contents.
	var data bytes.Buffer
	seen := map[[32]byte]Entry{}
	pending := map[int][]byte{}
	var entries []Entry
	next, done, addressed := 0, 0, 0
	var firstErr error
	for r := range resCh {
		if r.err != nil {
			if firstErr == nil {
				firstErr = r.err
				cancel()
			}
			continue
		}
		if firstErr != nil {
			continue
		}
		done++
		if opts.Progress != nil {
			opts.Progress(done, total)
		}
		pending[r.idx] = r.data
		for {
			d, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			id := jobs[next].id
			next++
			if d == nil {
				continue
			}
			addressed++
			sum := sha256.Sum256(d)
			e, dup := seen[sum]
			if !dup {
				e = Entry{Offset: uint64(data.Len()), Length: uint32(len(d))}
				data.Write(d)
				seen[sum] = e
			}
			if n := len(entries); n > 0 {
				last := &entries[n-1]
				if last.Offset == e.Offset && last.Length == e.Length && last.TileID+uint64(last.RunLength) == id {
					last.RunLength++
					continue
				}
			}
			entries = append(entries, Entry{TileID: id, Offset: e.Offset, Length: e.Length, RunLength: 1})
		}
	}
	if firstErr != nil {
		return nil, fmt.Errorf("pmtiles: render: %w", firstErr)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	root, leaves := buildDirectories(entries)
	meta, err := metadata(info, opts)
	if err != nil {
		return nil, err
	}
	h := Header{
		RootOffset: HeaderSize, RootLength: uint64(len(root)),
		Clustered: true, InternalCompression: CompressionGzip, TileCompression: CompressionGzip,
		TileType: TileTypeMVT, MinZoom: uint8(opts.MinZoom), MaxZoom: uint8(opts.MaxZoom),
		AddressedTiles: uint64(addressed), TileEntries: uint64(len(entries)), TileContents: uint64(len(seen)),
		MinLonE7: e7(info.Bounds[0]), MinLatE7: e7(info.Bounds[1]), MaxLonE7: e7(info.Bounds[2]), MaxLatE7: e7(info.Bounds[3]),
		CenterZoom:  uint8(opts.MinZoom),
		CenterLonE7: e7(info.Center[0]), CenterLatE7: e7(info.Center[1]),
	}
	h.MetadataOffset = h.RootOffset + h.RootLength
	h.MetadataLength = uint64(len(meta))
	h.LeafOffset = h.MetadataOffset + h.MetadataLength
	h.LeafLength = uint64(len(leaves))
	h.DataOffset = h.LeafOffset + h.LeafLength
	h.DataLength = uint64(data.Len())
	var n int64
	for _, part := range [][]byte{h.bytes(), root, meta, leaves, data.Bytes()} {
		m, err := w.Write(part)
		n += int64(m)
		if err != nil {
			return nil, fmt.Errorf("pmtiles: write: %w", err)
		}
	}
	return &Stats{Tiles: addressed, Entries: len(entries), Contents: len(seen), Bytes: n, Leaves: len(leaves) > 0}, nil
}

func e7(v float64) int32 { return int32(math.Round(v * 1e7)) }

// pyramid lists the tiles covering bounds at each zoom, sorted by tile id.
func pyramid(b [4]float64, minZ, maxZ int) []job {
	var out []job
	for z := minZ; z <= maxZ; z++ {
		lo := maptile.At(orb.Point{b[0], b[3]}, maptile.Zoom(z)) // north-west
		hi := maptile.At(orb.Point{b[2], b[1]}, maptile.Zoom(z)) // south-east
		for x := lo.X; x <= hi.X; x++ {
			for y := lo.Y; y <= hi.Y; y++ {
				out = append(out, job{z: z, x: int(x), y: int(y), id: ZXYToID(uint8(z), x, y)})
			}
		}
	}
	slices.SortFunc(out, func(a, b job) int {
		switch {
		case a.id < b.id:
			return -1
		case a.id > b.id:
			return 1
		}
		return 0
	})
	for i := range out {
		out[i].idx = i
	}
	return out
}

func metadata(info *tiles.LayerInfo, opts Options) ([]byte, error) {
	name := opts.Name
	if name == "" {
		name = info.Name
	}
	m := map[string]any{
		"name":    name,
		"format":  "pbf",
		"type":    "overlay",
		"version": "2",
		"vector_layers": []map[string]any{{
			"id": info.Name, "fields": info.Fields, "minzoom": opts.MinZoom, "maxzoom": opts.MaxZoom,
		}},
	}
	if opts.Description != "" {
		m["description"] = opts.Description
	}
	if opts.Attribution != "" {
		m["attribution"] = opts.Attribution
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("pmtiles: metadata: %w", err)
	}
	return gz(b), nil
}
