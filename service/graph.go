package service

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/internal/fault"
	"github.com/segmap/segmap/spatial/proj"
	"github.com/segmap/segmap/spatial/weights"
)

// areaGraph is the contiguity graph of a level's polygons (optionally only
// those in some kommuner) by one of the Neighbours rules.
type areaGraph struct {
	codes []string
	index map[string]int
	nb    [][]int // binary neighbours
}

// The neighbour graphs a request can choose (query parameter neighbours=).
const (
	// NeighboursSnap (the default) is queen contiguity in SWEREF 99 TM
	// with edge snapping: two areas are neighbours when a vertex of one lies
	// within ContiguityTolerance (1 m) of the other's boundary, vertex or
	// edge. It is the default because SCB's DeSO boundaries, and above all
	// simplified copies of them, do not always share vertices: a border
	// vertex of one area can lie on the middle of its neighbour's edge
	// (a T-junction), and slivers and gaps of centimetres separate areas
	// that share a street. Vertex matching misses those neighbours.
	NeighboursSnap = "snap"
	// NeighboursQueen is spdep::poly2nb(queen = TRUE) exactly: neighbours
	// share at least one vertex within poly2nb's default snap,
	// sqrt(.Machine$double.eps) = 1.49e-8, in the data's units (the stored
	// WGS 84 degrees, no projection). Use it to reproduce results from R.
	NeighboursQueen = "queen"
)

// ContiguityTolerance is the snapping tolerance in metres (SWEREF 99 TM)
// of NeighboursSnap.
const ContiguityTolerance = 1.0

// checkNeighbours returns the rule ("" is NeighboursSnap) or an error for
// an unknown one.
func checkNeighbours(rule string) (string, error) {
	switch rule {
	case "":
		return NeighboursSnap, nil
	case NeighboursSnap, NeighboursQueen:
		return rule, nil
	}
	return "", fault.New(ErrBadRequest, "neighbours must be %s or %s, got %q", NeighboursQueen, NeighboursSnap, rule).
		Sv("neighbours måste vara %s eller %s, inte %q", NeighboursQueen, NeighboursSnap, rule)
}

// graph returns the (cached) contiguity graph of a level by rule
// (NeighboursSnap or NeighboursQueen, already checked). The cache key is the
// data version, the level, the rule and the sorted kommun filter.
func (s *Service) graph(ctx context.Context, level string, kommuner []string, rule string) (*areaGraph, error) {
	ver, err := s.store.DataVersion(ctx)
	if err != nil {
		return nil, err
	}
	ks := slices.Clone(kommuner)
	slices.Sort(ks)
	key := fmt.Sprintf("%d|%s|%s|%s", ver, level, rule, strings.Join(ks, ","))
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
		if rule == NeighboursSnap {
			mp = project.Geometry(mp, proj.WGS84ToSweref).(orb.MultiPolygon)
		}
		g.index[a.Code] = len(g.codes)
		g.codes = append(g.codes, a.Code)
		polys = append(polys, mp)
	}
	if len(polys) == 0 {
		return nil, notFound("level %q has no polygons in the selection; spatial statistics need boundaries", level).
			Sv("nivån %q har inga polygoner i urvalet; rumslig statistik behöver gränser", level)
	}
	w, err := weights.Contiguity(polys, contiguityOptions(rule))
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

// contiguityOptions are the weights options of a rule.
func contiguityOptions(rule string) weights.ContiguityOptions {
	if rule == NeighboursQueen {
		return weights.ContiguityOptions{Rule: weights.Queen, Tolerance: weights.DefaultTolerance}
	}
	return weights.ContiguityOptions{Rule: weights.Queen, Tolerance: ContiguityTolerance, SnapToEdges: true}
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
