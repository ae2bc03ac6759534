package tiles

import (
	"context"
	"fmt"
	"math"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/paulmach/orb/project"

	"github.com/segmap/segmap/spatial/topology"
)

// gridZoom is the zoom of the per-layer spatial index grid.
const gridZoom = 10

type featMeta struct {
	id         uint64
	code, name string
}

// layerData is one prepared layer of one version. Geometry is kept in
// "world fraction" Web Mercator coordinates: x, y in [0, 1], y down.
type layerData struct {
	name       string
	minZ, maxZ int
	feats      []featMeta
	topo       *topology.Topology
	centroid   []orb.Point
	grid       map[[2]int][]int32
	info       LayerInfo
	zooms      []zoomSlot
}

// zoomSlot holds one zoom's prepared layer, built once by the first tile
// of the zoom; later tiles of the zoom wait for that build.
type zoomSlot struct {
	mu     sync.Mutex
	done   chan struct{} // nil: not started; closed when zd is set
	lift   chan struct{} // closed when a visitor waits for the build
	lifted bool
	zd     *zoomData
}

// pauser lets background work step aside between chunks (see
// slotPool.pause); it returns at once when lift closes. nil: never pauses
// (a visitor's generation).
type pauser func(lift <-chan struct{})

// zoomData holds every feature simplified for one zoom, in global tile-grid
// units (tile x covers [x*extent, (x+1)*extent)), wound as MVT wants.
type zoomData struct {
	geoms  []orb.MultiPolygon
	bounds []orb.Bound
	marker []bool
}

// Mercator projects WGS 84 lon/lat to world fractions (y down): orb's Web
// Mercator (y clamped to ±πR), scaled to [0, 1].
func Mercator(p orb.Point) orb.Point {
	const world = 2 * math.Pi * orb.EarthRadius
	m := project.WGS84.ToMercator(p)
	return orb.Point{m[0]/world + 0.5, 0.5 - m[1]/world}
}

func polygonal(g orb.Geometry) (orb.MultiPolygon, error) {
	switch g := g.(type) {
	case nil:
		return nil, nil
	case orb.Polygon:
		return orb.MultiPolygon{g}, nil
	case orb.MultiPolygon:
		return g, nil
	case orb.Bound:
		return orb.MultiPolygon{g.ToPolygon()}, nil
	}
	return nil, fmt.Errorf("unsupported geometry %T (only polygons)", g)
}

func prepareLayer(l Layer, opts Options) (*layerData, error) {
	ld := &layerData{name: l.Name, minZ: l.MinZoom, maxZ: l.MaxZoom}
	if ld.maxZ <= 0 || ld.maxZ > opts.MaxZoom {
		ld.maxZ = opts.MaxZoom
	}
	if ld.minZ < 0 || ld.minZ > ld.maxZ {
		return nil, fmt.Errorf("%w: %q: min zoom %d outside 0..%d", ErrBadLayer, l.Name, l.MinZoom, ld.maxZ)
	}
	var polys []orb.MultiPolygon
	wgs := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	for i, f := range l.Features {
		mp, err := polygonal(f.Geometry)
		if err != nil {
			return nil, fmt.Errorf("%w: %q feature %d (%s): %w", ErrBadLayer, l.Name, i, f.Code, err)
		}
		if mp == nil {
			continue
		}
		// Project a copy: never touch the caller's geometry.
		proj := make(orb.MultiPolygon, 0, len(mp))
		for _, p := range mp {
			pp := make(orb.Polygon, 0, len(p))
			for _, r := range p {
				rr := make(orb.Ring, len(r))
				for k, pt := range r {
					if math.IsNaN(pt[0]) || math.IsNaN(pt[1]) {
						return nil, fmt.Errorf("%w: %q feature %s: NaN coordinate", ErrBadLayer, l.Name, f.Code)
					}
					wgs = wgs.Extend(pt)
					rr[k] = Mercator(pt)
				}
				pp = append(pp, rr)
			}
			proj = append(proj, pp)
		}
		c, _ := planar.CentroidArea(proj)
		ld.feats = append(ld.feats, featMeta{id: f.ID, code: f.Code, name: f.Name})
		ld.centroid = append(ld.centroid, c)
		polys = append(polys, proj)
	}
	// 2^-32 of the world is about 1 cm at the equator.
	topo, err := topology.Build(polys, topology.Options{Quantum: 1.0 / (1 << 32), DropDegenerate: true})
	if err != nil {
		return nil, fmt.Errorf("%w: %q: %w", ErrBadLayer, l.Name, err)
	}
	ld.topo = topo
	ld.zooms = make([]zoomSlot, opts.MaxZoom+1)

	// Index: every feature in the grid cells its (generously buffered)
	// bounds touch at gridZoom.
	cells := float64(int(1) << gridZoom)
	margin := (float64(opts.Buffer) + 4*float64(opts.Extent)/256*math.Max(1, opts.Tolerance+math.Sqrt(math.Max(0, opts.MinAreaPixels)))) / float64(opts.Extent) / cells
	ld.grid = map[[2]int][]int32{}
	for i, mp := range polys {
		b := mp.Bound()
		if len(mp) == 0 {
			b = orb.Bound{Min: ld.centroid[i], Max: ld.centroid[i]}
		}
		x0 := clampCell(int(math.Floor((b.Min[0]-margin)*cells)), int(cells))
		x1 := clampCell(int(math.Floor((b.Max[0]+margin)*cells)), int(cells))
		y0 := clampCell(int(math.Floor((b.Min[1]-margin)*cells)), int(cells))
		y1 := clampCell(int(math.Floor((b.Max[1]+margin)*cells)), int(cells))
		for x := x0; x <= x1; x++ {
			for y := y0; y <= y1; y++ {
				ld.grid[[2]int{x, y}] = append(ld.grid[[2]int{x, y}], int32(i))
			}
		}
	}
	ld.info = LayerInfo{
		Name: l.Name, MinZoom: ld.minZ, MaxZoom: ld.maxZ, Features: len(ld.feats),
		Fields: map[string]string{"code": "String", "name": "String"},
	}
	if len(ld.feats) > 0 && !math.IsInf(wgs.Min[0], 0) {
		ld.info.Bounds = [4]float64{wgs.Min[0], wgs.Min[1], wgs.Max[0], wgs.Max[1]}
		// centre zoom: the layer spans about two tiles across
		w := math.Max(wgs.Max[0]-wgs.Min[0], 1e-9)
		cz := math.Max(float64(ld.minZ), math.Min(float64(ld.maxZ), math.Floor(math.Log2(720/w))))
		ld.info.Center = [3]float64{(wgs.Min[0] + wgs.Max[0]) / 2, (wgs.Min[1] + wgs.Max[1]) / 2, cz}
	} else {
		ld.info.Bounds = [4]float64{-180, -85.05112878, 180, 85.05112878}
	}
	return ld, nil
}

func clampCell(v, n int) int {
	return max(0, min(n-1, v))
}

// zoom returns the simplified layer for zoom z, computing it once. A
// background build (pause set) pauses between chunks while visitors' tiles
// are made; a visitor needing the zoom meanwhile waits for that build and
// lifts it (it then runs without pausing), so the work is never done twice.
func (ld *layerData) zoom(ctx context.Context, z int, opts Options, pause pauser) (*zoomData, error) {
	s := &ld.zooms[z]
	s.mu.Lock()
	if s.done == nil {
		s.done, s.lift = make(chan struct{}), make(chan struct{})
		s.mu.Unlock()
		var yield func()
		if pause != nil {
			lift := s.lift
			yield = func() { pause(lift) }
		}
		s.zd = ld.buildZoom(z, opts, yield)
		close(s.done)
		return s.zd, nil
	}
	if pause == nil && !s.lifted {
		s.lifted = true
		close(s.lift)
	}
	done := s.done
	s.mu.Unlock()
	select {
	case <-done:
		return s.zd, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// buildZoom simplifies the layer for zoom z. yield, when set, is called
// between chunks of the work.
func (ld *layerData) buildZoom(z int, opts Options, yield func()) *zoomData {
	ext := float64(opts.Extent)
	scale := float64(uint64(1)<<uint(z)) * ext
	px := ext / 256
	tol := opts.Tolerance * px
	if opts.Tolerance < 0 {
		tol = 0
	}
	scaled := ld.topo.Transform(func(p orb.Point) orb.Point { return orb.Point{p[0] * scale, p[1] * scale} })
	simp := scaled.Simplify(topology.SimplifyOptions{
		Tolerance: tol,
		Snap:      func(p orb.Point) orb.Point { return orb.Point{math.Round(p[0]), math.Round(p[1])} },
		KeepValid: true,
		Yield:     yield,
	})
	minArea := opts.MinAreaPixels * px * px
	zd := &zoomData{
		geoms:  make([]orb.MultiPolygon, len(ld.feats)),
		bounds: make([]orb.Bound, len(ld.feats)),
		marker: make([]bool, len(ld.feats)),
	}
	for i := range ld.feats {
		if yield != nil && i > 0 && i%16 == 0 {
			yield()
		}
		mp, area := cleanMultiPolygon(simp.MultiPolygon(i))
		if opts.MinAreaPixels > 0 && area < minArea {
			side := math.Max(1, math.Ceil(math.Sqrt(minArea)))
			c := ld.centroid[i]
			x0 := math.Round(c[0]*scale - side/2)
			y0 := math.Round(c[1]*scale - side/2)
			mp = orb.MultiPolygon{{orb.Ring{{x0, y0}, {x0 + side, y0}, {x0 + side, y0 + side}, {x0, y0 + side}, {x0, y0}}}}
			zd.marker[i] = true
		}
		zd.geoms[i] = mp
		if len(mp) > 0 {
			zd.bounds[i] = mp.Bound()
		} else {
			zd.bounds[i] = orb.Bound{Min: orb.Point{1, 1}, Max: orb.Point{-1, -1}}
		}
	}
	return zd
}

// cleanMultiPolygon drops collapsed rings (and polygons whose exterior
// collapsed), splits self-touching rings, winds exteriors positive and holes
// negative (MVT, y down), and returns the total area.
func cleanMultiPolygon(mp orb.MultiPolygon) (orb.MultiPolygon, float64) {
	var out orb.MultiPolygon
	var total float64
	for _, p := range mp {
		for _, np := range repairPolygon(p, true) {
			total += shoelace(np[0])
			for _, h := range np[1:] {
				total += shoelace(h)
			}
			out = append(out, np)
		}
	}
	return out, total
}
