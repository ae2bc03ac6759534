package service

import (
	"context"
	"fmt"
	"math"

	"github.com/segmap/segmap/tiles"
)

// TileWithValues renders a tile whose features also carry the area's
// `value`, `class` (0..k-1, -1 no data, -2 suppressed) and `color` for the
// classification q, for clients that cannot join values themselves (QGIS,
// static exports). q.Level is set to the layer. The tile is cached under the
// data version and the full query.
func (s *Service) TileWithValues(ctx context.Context, layer string, z, x, y int, q ClassifyQuery) (*tiles.Tile, error) {
	if err := s.ensureTiles(ctx); err != nil {
		return nil, err
	}
	q.Level = layer
	cl, err := s.Classify(ctx, q)
	if err != nil {
		return nil, err
	}
	attrs := &tiles.Attributes{
		Key:  fmt.Sprintf("v%d|%+v", s.TileVersion(), q),
		ByID: make(map[uint64]map[string]any, len(cl.Areas)),
	}
	for _, a := range cl.Areas {
		props := map[string]any{"class": a.Class, "color": a.Color}
		if v := float64(a.Value); !math.IsNaN(v) {
			props["value"] = v
		}
		attrs.ByID[uint64(a.ID)] = props
	}
	return s.tile(ctx, tiles.Request{Layer: layer, Z: z, X: x, Y: y, Attrs: attrs})
}
