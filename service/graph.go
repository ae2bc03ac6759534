package service

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"
	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/spatial/proj"
	"github.com/segmap/segmap/spatial/weights"
)

// areaGraph is the queen contiguity of a level's polygons (optionally only
// those in some kommuner), computed in SWEREF 99 TM.
type areaGraph struct {
	codes []string
	index map[string]int
	nb    [][]int // binary neighbours
}

// ContiguityTolerance is the snapping tolerance in metres (SWEREF 99 TM)
// used when deciding that two polygons touch.
const ContiguityTolerance = 1.0

// graph returns the (cached) contiguity graph of a level. The cache key is
// the data version, the level and the sorted kommun filter.
func (s *Service) graph(ctx context.Context, level string, kommuner []string) (*areaGraph, error) {
	ver, err := s.store.DataVersion(ctx)
	if err != nil {
		return nil, err
	}
	ks := slices.Clone(kommuner)
	slices.Sort(ks)
	key := fmt.Sprintf("%d|%s|%s", ver, level, strings.Join(ks, ","))
	s.mu.Lock()
	g, ok := s.weights[key]
	s.mu.Unlock()
	if ok {
		return g, nil
	}
	areas, err := s.store.Areas(ctx, level, data.AreasOptions{WithGeometry: true, Kommuner: kommuner})
	if err != nil {
		return nil, err
	}
	g = &areaGraph{index: map[string]int{}}
	var polys []orb.MultiPolygon
	for _, a := range areas {
		mp, ok := multiPolygon(a.Geometry)
		if !ok {
			continue
		}
		mp = project.Geometry(mp, proj.WGS84ToSweref).(orb.MultiPolygon)
		g.index[a.Code] = len(g.codes)
		g.codes = append(g.codes, a.Code)
		polys = append(polys, mp)
	}
	if len(polys) == 0 {
		return nil, notFound("level %q has no polygons in the selection; spatial statistics need boundaries", level)
	}
	w, err := weights.Contiguity(polys, weights.ContiguityOptions{Rule: weights.Queen, Tolerance: ContiguityTolerance, SnapToEdges: true})
	if err != nil {
		return nil, fmt.Errorf("service: contiguity of %s: %w", level, err)
	}
	g.nb = w.Neighbors
	s.mu.Lock()
	if len(s.weights) > 64 {
		clear(s.weights)
	}
	s.weights[key] = g
	s.mu.Unlock()
	return g, nil
}

func multiPolygon(g orb.Geometry) (orb.MultiPolygon, bool) {
	switch t := g.(type) {
	case orb.MultiPolygon:
		return t, len(t) > 0
	case orb.Polygon:
		return orb.MultiPolygon{t}, len(t) > 0
	}
	return nil, false
}

// subset returns the binary neighbours restricted to the nodes keep (indices
// into g.codes), renumbered 0..len(keep)-1.
func (g *areaGraph) subset(keep []int) [][]int {
	pos := make(map[int]int, len(keep))
	for i, k := range keep {
		pos[k] = i
	}
	nb := make([][]int, len(keep))
	for i, k := range keep {
		nb[i] = []int{}
		for _, j := range g.nb[k] {
			if p, ok := pos[j]; ok {
				nb[i] = append(nb[i], p)
			}
		}
	}
	return nb
}

// rowStandardised builds row-standardised ("W") weights from neighbours.
func rowStandardised(nb [][]int) (*weights.W, error) {
	w, err := weights.FromNeighbors(nb, weights.StyleW)
	if err != nil {
		return nil, fmt.Errorf("service: weights: %w", err)
	}
	return w, nil
}
