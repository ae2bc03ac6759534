package service

import (
	"context"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/segmap/segmap/tiles"
)

// WarmOptions say which tiles Warm renders.
type WarmOptions struct {
	// MaxZoom is the highest zoom whose every tile is rendered. The low
	// zooms are where a first request is slow: each zoom's first tile
	// prepares the whole layer at that zoom's tolerance, and a low-zoom
	// tile holds every area.
	MaxZoom int
	// PrepareMaxZoom (> MaxZoom) prepares the zooms above MaxZoom up to it
	// by rendering one tile each (the layer's centre), without filling the
	// cache with their many tiles. 0: none.
	PrepareMaxZoom int
}

// WarmStats reports what Warm did.
type WarmStats struct {
	Tiles    int
	Duration time.Duration
}

// Warm renders (and so caches) every tile of every layer's pyramid up to
// opts.MaxZoom, so the first visitors after a start or reload do not pay
// for the per-zoom preparation. Its tiles have background priority: one at
// a time, each only while no visitor's tile is generated or waiting; a
// tile under way (a zoom's preparation included) pauses between small
// chunks while a visitor's is, and a visitor asking for a tile or a zoom
// it is making joins that work and lifts the pause. It
// stops early when ctx is done or the data version changes under it.
func (s *Service) Warm(ctx context.Context, opts WarmOptions) (WarmStats, error) {
	start := time.Now()
	var st WarmStats
	if err := s.ensureTiles(ctx); err != nil {
		return st, err
	}
	version := s.engine.Version()
	for _, li := range s.engine.LayerInfo() {
		maxZ := min(opts.MaxZoom, li.MaxZoom)
		for _, t := range tiles.Pyramid(li.Bounds, li.MinZoom, maxZ) {
			if err := ctx.Err(); err != nil {
				return st, err
			}
			if s.engine.Version() != version {
				return st, nil // a reload started its own warm-up
			}
			if _, err := s.engine.Tile(ctx, tiles.Request{Layer: li.Name, Z: int(t.Z), X: int(t.X), Y: int(t.Y), Priority: tiles.Background}); err != nil {
				return st, err
			}
			st.Tiles++
		}
		for z := maxZ + 1; z <= min(opts.PrepareMaxZoom, li.MaxZoom); z++ {
			if err := ctx.Err(); err != nil {
				return st, err
			}
			c := maptile.At(orb.Point{li.Center[0], li.Center[1]}, maptile.Zoom(z))
			if _, err := s.engine.Tile(ctx, tiles.Request{Layer: li.Name, Z: z, X: int(c.X), Y: int(c.Y), Priority: tiles.Background}); err != nil {
				return st, err
			}
			st.Tiles++
		}
	}
	st.Duration = time.Since(start)
	return st, nil
}
