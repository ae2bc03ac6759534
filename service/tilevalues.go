package service

import (
	"context"
	"fmt"
	"math"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/segmap/segmap/tiles"
)

// TileWithValues renders a tile whose features also carry the area's
// `value`, `class` (0..k-1, -1 no data, -2 suppressed) and `color` for the
// classification q, for clients that cannot join values themselves (QGIS,
// static exports, MapLibre pages using /style.json). q.Level is set to the
// layer. The tile is cached under the data version and the full query; a
// cached tile is answered without classifying, and the per-area values of
// a query are classified once for all the tiles of a map (attrsCache).
func (s *Service) TileWithValues(ctx context.Context, layer string, z, x, y int, q ClassifyQuery) (*tiles.Tile, error) {
	if err := s.ensureTiles(ctx); err != nil {
		return nil, err
	}
	q.Level = layer
	key := valuesKey(s.engine.Version(), q)
	req := tiles.Request{Layer: layer, Z: z, X: x, Y: y, Attrs: &tiles.Attributes{Key: key}}
	if t, ok := s.engine.Cached(req); ok {
		return t, nil
	}
	attrs, err := s.valueAttrs.get(ctx, key, func(ctx context.Context) (*tiles.Attributes, error) {
		s.valueAttrsBuilt.Add(1)
		cl, err := s.Classify(ctx, q)
		if err != nil {
			return nil, err
		}
		attrs := &tiles.Attributes{Key: key, ByID: make(map[uint64]map[string]any, len(cl.Areas))}
		for _, a := range cl.Areas {
			props := map[string]any{"class": a.Class, "color": a.Color}
			if v := float64(a.Value); !math.IsNaN(v) {
				props["value"] = v
			}
			attrs.ByID[uint64(a.ID)] = props
		}
		return attrs, nil
	})
	if err != nil {
		return nil, err
	}
	req.Attrs = attrs
	return s.tile(ctx, req)
}

// valuesKey identifies a classification of the tile layers of version ver
// without ambiguity: Go syntax quotes every string, so no list of kommuner
// or breakdown can be written to read as another, and a field added to the
// query is in the key without being listed here.
func valuesKey(ver string, q ClassifyQuery) string {
	return fmt.Sprintf("v%q|%#v", ver, q)
}

// maxValueAttrs bounds the classified queries kept for tiles with values
// (about 0.3 KB per area each: ~2 MB for all of Sweden's DeSO).
const maxValueAttrs = 8

// attrsCache keeps the tile attributes of the last few queries, oldest
// out first, and builds each once however many tiles ask at the same time.
// The key holds the data version, so a new version's queries never meet an
// old answer; Reload empties it.
type attrsCache struct {
	mu    sync.Mutex
	byKey map[string]*tiles.Attributes
	order []string
	group singleflight.Group
	// joined, when set (tests), is called by each caller once it waits
	// on the build of its key, its own or one already running.
	joined func()
}

// buildTimeout bounds one classification for tiles, which runs detached
// from the request that started it (others may be waiting for it).
const buildTimeout = time.Minute

func (c *attrsCache) get(ctx context.Context, key string, build func(context.Context) (*tiles.Attributes, error)) (*tiles.Attributes, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if a, ok := c.lookup(key); ok {
		return a, nil
	}
	ch := c.group.DoChan(key, func() (a any, err error) {
		// A panic would otherwise be re-raised where nothing recovers it.
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("service: classification for tiles panicked: %v", r)
			}
		}()
		// A build that ended between the lookup above and DoChan is kept.
		if a, ok := c.lookup(key); ok {
			return a, nil
		}
		bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), buildTimeout)
		defer cancel()
		attrs, err := build(bctx)
		if err != nil {
			return nil, err
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.byKey == nil {
			c.byKey = map[string]*tiles.Attributes{}
		}
		if _, dup := c.byKey[key]; !dup {
			c.byKey[key] = attrs
			c.order = append(c.order, key)
			if len(c.order) > maxValueAttrs {
				delete(c.byKey, c.order[0])
				c.order = c.order[1:]
			}
		}
		return attrs, nil
	})
	if c.joined != nil {
		c.joined()
	}
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case r := <-ch:
		if r.Err != nil {
			return nil, r.Err
		}
		return r.Val.(*tiles.Attributes), nil
	}
}

func (c *attrsCache) lookup(key string) (*tiles.Attributes, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	a, ok := c.byKey[key]
	return a, ok
}

func (c *attrsCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.byKey, c.order = nil, nil
}
