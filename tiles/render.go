package tiles

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
)

// candidates returns the indices of features whose zoom bounds meet box.
func (ld *layerData) candidates(zd *zoomData, z, x, y int, box orb.Bound) []int32 {
	var list []int32
	if z >= gridZoom {
		s := uint(z - gridZoom)
		list = ld.grid[[2]int{x >> s, y >> s}]
	} else {
		list = make([]int32, len(ld.feats))
		for i := range list {
			list[i] = int32(i)
		}
	}
	out := make([]int32, 0, len(list))
	for _, i := range list {
		if b := zd.bounds[i]; b.Min[0] <= b.Max[0] && b.Intersects(box) {
			out = append(out, i)
		}
	}
	return out
}

// render builds, encodes and gzips one tile. pause, when set (background
// work), is called between chunks of features and of the zoom's
// preparation.
func (ld *layerData) render(ctx context.Context, req Request, opts Options, gzips *sync.Pool, pause pauser) (*Tile, error) {
	ext := float64(opts.Extent)
	buf := float64(opts.Buffer)
	var feats []*geojson.Feature
	if req.Z >= ld.minZ && req.Z <= ld.maxZ {
		zd, err := ld.zoom(ctx, req.Z, opts, pause)
		if err != nil {
			return nil, err
		}
		ox, oy := float64(req.X)*ext, float64(req.Y)*ext
		box := orb.Bound{Min: orb.Point{ox - buf, oy - buf}, Max: orb.Point{ox + ext + buf, oy + ext + buf}}
		for n, i := range ld.candidates(zd, req.Z, req.X, req.Y, box) {
			if n%64 == 0 {
				if n > 0 && pause != nil {
					pause(nil)
				}
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			g := clipFeature(zd.geoms[i], box, ox, oy)
			if g == nil {
				continue
			}
			m := ld.feats[i]
			props := geojson.Properties{}
			if req.Attrs != nil {
				for k, v := range req.Attrs.ByID[m.id] {
					props[k] = v
				}
			}
			props["code"] = m.code
			props["name"] = m.name
			feats = append(feats, &geojson.Feature{ID: m.id, Geometry: g, Properties: props})
		}
	}
	layer := &mvt.Layer{Name: ld.name, Version: 2, Extent: opts.Extent, Features: feats}
	raw, err := mvt.Marshal(mvt.Layers{layer})
	if err != nil {
		return nil, fmt.Errorf("tiles: encode %s %d/%d/%d: %w", ld.name, req.Z, req.X, req.Y, err)
	}
	var b bytes.Buffer
	zw, _ := gzips.Get().(*gzip.Writer)
	if zw == nil {
		zw, _ = gzip.NewWriterLevel(&b, gzip.DefaultCompression)
	} else {
		zw.Reset(&b)
	}
	defer gzips.Put(zw)
	if _, err := zw.Write(raw); err != nil {
		return nil, fmt.Errorf("tiles: gzip: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("tiles: gzip: %w", err)
	}
	sum := sha256.Sum256(b.Bytes())
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	return &Tile{Gzip: b.Bytes(), ETag: etag, Raw: raw, RawETag: IdentityETag(etag), Empty: len(feats) == 0}, nil
}

// clipFeature clips a zoom-level geometry to box and moves it to tile
// coordinates (origin ox, oy). Returns nil when nothing with area remains.
func clipFeature(mp orb.MultiPolygon, box orb.Bound, ox, oy float64) orb.Geometry {
	var out orb.MultiPolygon
	for _, p := range mp {
		out = append(out, clipPolygon(p, box, ox, oy)...)
	}
	if len(mp) > 1 {
		out = dropNestedShells(out)
	}
	switch len(out) {
	case 0:
		return nil
	case 1:
		return out[0]
	}
	return out
}
