package data

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/paulmach/orb"

	"github.com/segmap/segmap/internal/fault"
	"github.com/segmap/segmap/spatial/clean"
	"github.com/segmap/segmap/spatial/topology"
)

// DissolveOptions configure DissolveFromDeSO.
type DissolveOptions struct {
	// SliverArea (m²): holes and extra parts smaller than this are dropped
	// from the dissolved polygons (0: keep all). Use it for DeSO that were
	// simplified one polygon at a time, whose neighbours leave thin gaps.
	SliverArea float64
}

// DissolveFromDeSO makes the boundary layer of a parent level (regso or
// kommun) by dissolving the stored DeSO polygons grouped through the
// hierarchy, so the parent's borders are exactly DeSO borders at every zoom.
// Only parents with at least one DeSO polygon get a geometry; it returns how
// many did. The hierarchy must be imported first.
func (s *Store) DissolveFromDeSO(ctx context.Context, level string, opts DissolveOptions) (int, error) {
	var n int
	err := s.Update(ctx, func(tx *Tx) error {
		var err error
		n, err = tx.dissolveFromDeSO(ctx, level, opts)
		return err
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// dissolveFromDeSO is DissolveFromDeSO inside the transaction: it reads
// the DeSO and the hierarchy as the transaction sees them (its own writes
// included), so it can follow a DeSO import and a hierarchy import made in
// the same transaction.
func (tx *Tx) dissolveFromDeSO(ctx context.Context, level string, opts DissolveOptions) (int, error) {
	var parentOf func(Area) string
	switch level {
	case LevelRegSO:
		parentOf = func(a Area) string { return a.Parent }
	case LevelKommun:
		parentOf = func(a Area) string { return a.Kommun }
	default:
		return 0, fmt.Errorf("%w: dissolve: level %q is not regso or kommun", ErrInvalid, level)
	}
	desos, err := tx.areas(ctx, LevelDeSO, AreasOptions{WithGeometry: true})
	if err != nil {
		return 0, fmt.Errorf("data: dissolve %s: %w", level, err)
	}
	var polys []orb.MultiPolygon
	var groups []string
	for _, a := range desos {
		mp, ok := a.Geometry.(orb.MultiPolygon)
		if !ok || parentOf(a) == "" {
			continue
		}
		polys = append(polys, mp)
		groups = append(groups, parentOf(a))
	}
	if len(polys) == 0 {
		return 0, nil
	}
	parts, err := topology.Dissolve(polys, groups)
	if err != nil {
		return 0, fmt.Errorf("data: dissolve %s: %w", level, err)
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	parents, err := tx.areas(ctx, level, AreasOptions{})
	if err != nil {
		return 0, fmt.Errorf("data: dissolve %s: %w", level, err)
	}
	out := make([]Area, 0, len(parts))
	for _, r := range parents {
		mp, ok := parts[r.Code]
		if !ok {
			continue
		}
		if opts.SliverArea > 0 {
			mp = clean.RemoveSlivers(mp, opts.SliverArea)
		}
		r.Geometry = mp
		out = append(out, r)
	}
	if len(out) != len(parts) {
		known := make(map[string]bool, len(out))
		for _, a := range out {
			known[a.Code] = true
		}
		var unknown []string
		for c := range parts {
			if !known[c] {
				unknown = append(unknown, c)
			}
		}
		sort.Strings(unknown)
		return 0, fault.Wrap(fault.Invalid, ErrInvalid, "dissolve %s from DeSO: the DeSO name %d %s codes that the hierarchy does not have (%s); import the hierarchy first or check the DeSO codes",
			level, len(unknown), levelEN(level), strings.Join(unknown[:min(5, len(unknown))], ", ")).
			Sv("%s kan inte göras av DeSO: DeSO-områdena anger %d %s-koder som hierarkin saknar (%s); importera hierarkin först eller kontrollera DeSO-koderna",
				levelSV(level), len(unknown), levelSV(level), strings.Join(unknown[:min(5, len(unknown))], ", "))
	}
	if err := tx.replaceGeometry(ctx, level, out); err != nil {
		return 0, fmt.Errorf("data: dissolve %s: %w", level, err)
	}
	return len(out), nil
}
