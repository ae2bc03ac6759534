package pmtiles

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"

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
	// Render with the shared pyramid walk, then lay the tiles out in tile-id
	// order (a clustered archive), storing identical contents once.
	type rendered struct {
		id   uint64
		data []byte
	}
	var got []rendered
	err := tiles.Walk(ctx, src, tiles.WalkOptions{
		Layer: opts.Layer, MinZoom: opts.MinZoom, MaxZoom: opts.MaxZoom,
		Workers: opts.Workers, Progress: opts.Progress,
	}, func(z, x, y int, t *tiles.Tile) error {
		if !t.Empty {
			got = append(got, rendered{ZXYToID(uint8(z), uint32(x), uint32(y)), t.Gzip})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("pmtiles: render: %w", err)
	}
	slices.SortFunc(got, func(a, b rendered) int { return cmp.Compare(a.id, b.id) })
	var data bytes.Buffer
	seen := map[[32]byte]Entry{}
	var entries []Entry
	for _, r := range got {
		sum := sha256.Sum256(r.data)
		e, dup := seen[sum]
		if !dup {
			e = Entry{Offset: uint64(data.Len()), Length: uint32(len(r.data))}
			data.Write(r.data)
			seen[sum] = e
		}
		if n := len(entries); n > 0 {
			last := &entries[n-1]
			if last.Offset == e.Offset && last.Length == e.Length && last.TileID+uint64(last.RunLength) == r.id {
				last.RunLength++
				continue
			}
		}
		entries = append(entries, Entry{TileID: r.id, Offset: e.Offset, Length: e.Length, RunLength: 1})
	}
	addressed := len(got)

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
