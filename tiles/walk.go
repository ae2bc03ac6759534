package tiles

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
)

// Renderer renders tiles; *Engine implements it.
type Renderer interface {
	Tile(ctx context.Context, req Request) (*Tile, error)
	LayerInfo() []LayerInfo
}

// WalkOptions control Walk.
type WalkOptions struct {
	Layer            string
	MinZoom, MaxZoom int
	Workers          int // default runtime.NumCPU()
	// Progress, when set, is called after every tile with the number done
	// and the total (from the calling goroutine only).
	Progress func(done, total int)
}

// Pyramid lists the tiles covering bounds (west, south, east, north in
// WGS 84) from minZ to maxZ, zoom by zoom, rows within columns.
func Pyramid(b [4]float64, minZ, maxZ int) []maptile.Tile {
	var out []maptile.Tile
	for z := minZ; z <= maxZ; z++ {
		lo := maptile.At(orb.Point{b[0], b[3]}, maptile.Zoom(z)) // north-west
		hi := maptile.At(orb.Point{b[2], b[1]}, maptile.Zoom(z)) // south-east
		for x := lo.X; x <= hi.X; x++ {
			for y := lo.Y; y <= hi.Y; y++ {
				out = append(out, maptile.New(x, y, maptile.Zoom(z)))
			}
		}
	}
	return out
}

// Walk renders every tile of a layer's pyramid with a pool of workers and
// hands each to fn, one call at a time, in no particular order. The first
// error (from rendering or from fn) cancels the walk and is returned.
func Walk(ctx context.Context, src Renderer, opts WalkOptions, fn func(z, x, y int, t *Tile) error) error {
	var info *LayerInfo
	for _, li := range src.LayerInfo() {
		if li.Name == opts.Layer {
			info = &li
			break
		}
	}
	if info == nil {
		return fmt.Errorf("%w: %q", ErrUnknownLayer, opts.Layer)
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.NumCPU()
	}
	jobs := Pyramid(info.Bounds, opts.MinZoom, opts.MaxZoom)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		t    maptile.Tile
		tile *Tile
		err  error
	}
	jobCh := make(chan maptile.Tile)
	resCh := make(chan result, opts.Workers)
	var wg sync.WaitGroup
	for range opts.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobCh {
				t, err := src.Tile(ctx, Request{Layer: opts.Layer, Z: int(j.Z), X: int(j.X), Y: int(j.Y)})
				select {
				case resCh <- result{j, t, err}:
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
	var firstErr error
	done := 0
	for r := range resCh {
		if firstErr != nil {
			continue
		}
		err := r.err
		if err == nil {
			err = fn(int(r.t.Z), int(r.t.X), int(r.t.Y), r.tile)
		}
		if err != nil {
			firstErr = err
			cancel()
			continue
		}
		done++
		if opts.Progress != nil {
			opts.Progress(done, len(jobs))
		}
	}
	if firstErr == nil && ctx.Err() != nil {
		firstErr = ctx.Err()
	}
	return firstErr
}
