package sites

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"sync"

	"github.com/paulmach/orb"

	"github.com/segmap/segmap/spatial/proj"
	"github.com/segmap/segmap/tiles"
)

// Site layers as vector tiles, rendered by the same engine as the area
// layers. A site layer never changes after its upload (only its name, which
// is not in the tiles, and layer ids are never reused), so each layer gets
// its own engine, built on first use and dropped when the layer is deleted.
// The engine draws polygons only: a point site becomes a small octagon
// (PointSiteRadiusM) and carries kind=point, so the client styles it as a
// marker; below the size of a pixel the engine keeps it as a 1-pixel square.

// PointSiteRadiusM is the radius of the octagon that stands for a point site in tiles.
const PointSiteRadiusM = 15

// siteTiles holds one tile engine per site layer.
type siteTiles struct {
	mu      sync.Mutex
	engines map[int64]*siteEngine
}

type siteEngine struct {
	engine *tiles.Engine
	attrs  *tiles.Attributes
}

// siteTileLayer is the MVT layer name of every site tile.
const siteTileLayer = "sites"

func (s *Service) siteEngine(ctx context.Context, layer int64) (*siteEngine, error) {
	s.tiles.mu.Lock()
	defer s.tiles.mu.Unlock()
	if e, ok := s.tiles.engines[layer]; ok {
		return e, nil
	}
	sites, err := s.store.Sites(ctx, layer)
	if err != nil {
		return nil, err
	}
	l := tiles.Layer{Name: siteTileLayer, MinZoom: 0, MaxZoom: s.conf.TileMaxZoom}
	attrs := &tiles.Attributes{Key: "site-attrs", ByID: map[uint64]map[string]any{}}
	for _, st := range sites {
		g := st.Geometry
		kind := "polygon"
		if pt, ok := st.Sweref.(orb.Point); ok {
			kind = "point"
			ring := make(orb.Ring, 0, 9)
			for k := 0; k < 8; k++ {
				a := math.Pi / 4 * float64(k)
				ring = append(ring, proj.SwerefToWGS84(orb.Point{pt[0] + PointSiteRadiusM*math.Cos(a), pt[1] + PointSiteRadiusM*math.Sin(a)}))
			}
			g = orb.Polygon{append(ring, ring[0])}
		}
		l.Features = append(l.Features, tiles.Feature{ID: uint64(st.ID), Code: strconv.FormatInt(st.ID, 10), Name: st.Name, Geometry: g})
		props := map[string]any{"kind": kind, "tenure": st.Tenure}
		if st.Dwellings != nil {
			props["dwellings"] = *st.Dwellings
		}
		attrs.ByID[uint64(st.ID)] = props
	}
	eng := tiles.New(tiles.Options{CacheBytes: 4 << 20, MaxZoom: s.conf.TileMaxZoom + 2})
	if err := eng.SetLayers("1", []tiles.Layer{l}); err != nil {
		return nil, fmt.Errorf("sites: layer %d tiles: %w", layer, err)
	}
	if s.tiles.engines == nil {
		s.tiles.engines = map[int64]*siteEngine{}
	}
	e := &siteEngine{engine: eng, attrs: attrs}
	s.tiles.engines[layer] = e
	return e, nil
}

// SiteTile renders one vector tile of a site layer (MVT layer "sites",
// feature id = site id, properties code (the site id), name, kind,
// dwellings, tenure). An unknown layer is an error of kind fault.NotFound.
func (s *Service) SiteTile(ctx context.Context, layer int64, z, x, y int) (*tiles.Tile, error) {
	e, err := s.siteEngine(ctx, layer)
	if err != nil {
		return nil, err
	}
	// A bad address is tiles.ErrBadTile, of kind fault.Invalid.
	return e.engine.Tile(ctx, tiles.Request{Layer: siteTileLayer, Z: z, X: x, Y: y, Attrs: e.attrs})
}

// forgetTiles drops the engine of a deleted layer.
func (s *Service) forgetTiles(layer int64) {
	s.tiles.mu.Lock()
	delete(s.tiles.engines, layer)
	s.tiles.mu.Unlock()
}
