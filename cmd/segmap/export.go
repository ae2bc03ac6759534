package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/service"
	"github.com/segmap/segmap/tiles"
	"github.com/segmap/segmap/tiles/pmtiles"
)

type exportConfig struct {
	store, format, layer string
	minZoom, maxZoom     int
	workers              int
}

func runExport(ctx context.Context, args []string, e env) error {
	var c exportConfig
	fs := newFlagSet("export", "export [flags] OUT.pmtiles|OUT.mbtiles", e)
	fs.StringVar(&c.store, "store", "", "store to export from; empty: the embedded demo")
	fs.StringVar(&c.format, "format", "", "pmtiles or mbtiles (default: from the file name)")
	fs.StringVar(&c.layer, "layer", "deso", "layer (level id) to export")
	fs.IntVar(&c.minZoom, "minzoom", 0, "lowest zoom")
	fs.IntVar(&c.maxZoom, "maxzoom", 14, "highest zoom")
	fs.IntVar(&c.workers, "workers", 0, "tiles rendered at once (default: number of CPUs)")
	if err := parseFlags(fs, args, e); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return fmt.Errorf("name the file to write, e.g. segmap export --layer deso deso.pmtiles")
	}
	out := fs.Arg(0)
	if c.format == "" {
		c.format = strings.TrimPrefix(filepath.Ext(out), ".")
	}
	if c.format != "pmtiles" && c.format != "mbtiles" {
		return fmt.Errorf("--format %q: use pmtiles or mbtiles", c.format)
	}
	if c.minZoom < 0 || c.maxZoom > 16 || c.minZoom > c.maxZoom {
		return fmt.Errorf("zoom range %d..%d: need 0 <= minzoom <= maxzoom <= 16", c.minZoom, c.maxZoom)
	}
	logger := newLogger("text", e)
	path, err := storePath(ctx, c.store, logger)
	if err != nil {
		return err
	}
	store, err := data.Open(ctx, path, data.OpenOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer store.Close()
	// No cache: every tile is rendered once and written straight out.
	engine := tiles.New(tiles.Options{CacheBytes: -1})
	svc := service.New(store, engine, service.Options{Logger: logger})
	if _, err := svc.Reload(ctx); err != nil {
		return err
	}
	found := false
	for _, li := range engine.LayerInfo() {
		found = found || li.Name == c.layer
	}
	if !found {
		return fmt.Errorf("layer %q has no geometry in %s", c.layer, path)
	}
	p := newProgress(e.stderr, "export "+c.layer)
	opts := pmtiles.Options{
		Layer: c.layer, MinZoom: c.minZoom, MaxZoom: c.maxZoom, Workers: c.workers,
		Name: c.layer, Attribution: "Källa: SCB", Progress: p.Update,
	}
	if c.format == "pmtiles" {
		return writePMTiles(ctx, out, engine, opts, e)
	}
	return writeMBTiles(ctx, out, engine, opts, e)
}

func writePMTiles(ctx context.Context, out string, engine *tiles.Engine, opts pmtiles.Options, e env) error {
	tmp := out + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	st, err := pmtiles.Write(ctx, f, engine, opts)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, out); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s: %d tiles (%d distinct), %d bytes\n", out, st.Tiles, st.Contents, st.Bytes)
	return nil
}

// writeMBTiles renders the pyramid through the PMTiles writer's tile walk
// into an MBTiles file. The walk is shared so both formats hold the same tiles.
func writeMBTiles(ctx context.Context, out string, engine *tiles.Engine, opts pmtiles.Options, e env) error {
	var info tiles.LayerInfo
	for _, li := range engine.LayerInfo() {
		if li.Name == opts.Layer {
			info = li
		}
	}
	fields := map[string]string{}
	for k, v := range info.Fields {
		fields[k] = v
	}
	vl, _ := json.Marshal(map[string]any{"vector_layers": []map[string]any{{
		"id": opts.Layer, "fields": fields, "minzoom": opts.MinZoom, "maxzoom": opts.MaxZoom,
	}}})
	b := info.Bounds
	meta := map[string]string{
		"name": opts.Name, "format": "pbf", "type": "overlay", "version": "1",
		"attribution": opts.Attribution, "minzoom": strconv.Itoa(opts.MinZoom), "maxzoom": strconv.Itoa(opts.MaxZoom),
		"bounds": fmt.Sprintf("%g,%g,%g,%g", b[0], b[1], b[2], b[3]),
		"center": fmt.Sprintf("%g,%g,%d", info.Center[0], info.Center[1], opts.MinZoom+(opts.MaxZoom-opts.MinZoom)/2),
		"json":   string(vl),
	}
	w, err := data.CreateMBTiles(ctx, out, meta)
	if err != nil {
		return err
	}
	n := 0
	err = tiles.Walk(ctx, engine, tiles.WalkOptions{
		Layer: opts.Layer, MinZoom: opts.MinZoom, MaxZoom: opts.MaxZoom, Workers: opts.Workers, Progress: opts.Progress,
	}, func(z, x, y int, t *tiles.Tile) error {
		if t.Empty {
			return nil
		}
		n++
		return w.Put(ctx, z, x, y, t.ETag, t.Gzip)
	})
	if err != nil {
		w.Abort()
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s: %d tiles\n", out, n)
	return nil
}
