package service

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/tiles"
)

// TileLayers loads every level with geometry into tile layers
// (Feature.ID = the area's FeatureID, properties code and name).
func (s *Service) TileLayers(ctx context.Context) ([]tiles.Layer, error) {
	levels, err := s.store.Levels(ctx)
	if err != nil {
		return nil, err
	}
	var out []tiles.Layer
	for _, l := range levels {
		if l.FeatureCount == 0 {
			continue
		}
		areas, err := s.store.Areas(ctx, l.ID, data.AreasOptions{WithGeometry: true})
		if err != nil {
			return nil, err
		}
		layer := tiles.Layer{Name: l.ID, MinZoom: 0, MaxZoom: s.opts.TileMaxZoom}
		for _, a := range areas {
			if a.Geometry == nil {
				continue
			}
			layer.Features = append(layer.Features, tiles.Feature{ID: uint64(a.ID), Code: a.Code, Name: a.Name, Geometry: a.Geometry})
		}
		if len(layer.Features) > 0 {
			out = append(out, layer)
		}
	}
	return out, nil
}

// Reload rebuilds the tile layers when the store's data version differs
// from the one they were built from (the engine swaps them atomically).
// It returns the current data version.
func (s *Service) Reload(ctx context.Context) (int64, error) {
	ver, err := s.store.DataVersionNow(ctx) // another process's import is seen now
	if err != nil {
		return 0, err
	}
	s.mu.Lock()
	loaded := s.tileVersion
	s.mu.Unlock()
	if loaded == ver {
		return ver, nil
	}
	layers, err := s.TileLayers(ctx)
	if err != nil {
		return 0, err
	}
	if err := s.engine.SetLayers(strconv.FormatInt(ver, 10), layers); err != nil {
		return 0, fmt.Errorf("service: load tile layers: %w", err)
	}
	s.mu.Lock()
	s.tileVersion = ver
	clear(s.weights)
	s.mu.Unlock()
	s.valueAttrs.clear()
	s.opts.Logger.Info("tile layers loaded", "data_version", ver, "layers", len(layers))
	return ver, nil
}

// TileVersion is the data version the tile layers were built from (-1 none).
func (s *Service) TileVersion() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tileVersion
}

// ensureTiles loads the tile layers once: requests that find them missing
// at the same time share one load (each load would also empty the
// classifications for tiles that the others made meanwhile).
func (s *Service) ensureTiles(ctx context.Context) error {
	if s.TileVersion() >= 0 {
		return nil
	}
	_, err, _ := s.tileLoads.Do("", func() (any, error) {
		if s.TileVersion() >= 0 {
			return nil, nil
		}
		return s.Reload(context.WithoutCancel(ctx))
	})
	return err
}

// Tile renders one tile. Unknown layers are tiles.ErrUnknownLayer (of
// kind fault.NotFound), bad coordinates tiles.ErrBadTile (fault.Invalid),
// each with a message for people.
func (s *Service) Tile(ctx context.Context, layer string, z, x, y int) (*tiles.Tile, error) {
	if err := s.ensureTiles(ctx); err != nil {
		return nil, err
	}
	return s.tile(ctx, tiles.Request{Layer: layer, Z: z, X: x, Y: y})
}

// CachedTile returns an area tile only if it is already cached (its
// Version is the data version it was made from, as in ?v=). It never
// blocks; when it reports false, Tile does the work (and reports any error).
func (s *Service) CachedTile(layer string, z, x, y int) (*tiles.Tile, bool) {
	return s.engine.Cached(tiles.Request{Layer: layer, Z: z, X: x, Y: y})
}

func (s *Service) tile(ctx context.Context, req tiles.Request) (*tiles.Tile, error) {
	return s.engine.Tile(ctx, req)
}

// TileLayerInfo describes the loaded tile layers.
func (s *Service) TileLayerInfo(ctx context.Context) ([]tiles.LayerInfo, error) {
	if err := s.ensureTiles(ctx); err != nil {
		return nil, err
	}
	return s.engine.LayerInfo(), nil
}

// Watch calls Reload every interval until ctx ends, so tiles follow imports
// made by another process. Errors are logged and retried.
func (s *Service) Watch(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := s.Reload(ctx); err != nil && ctx.Err() == nil {
				s.opts.Logger.Warn("tile reload failed", "err", err)
			}
		}
	}
}
