package service

import (
	"context"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/internal/fault"
	"github.com/segmap/segmap/spatial/crosswalk"
	"github.com/segmap/segmap/spatial/proj"
)

// BuildCrosswalk maps the areas of fromLevel onto those of toLevel by area
// overlap, from the store's two boundary layers (e.g. regso, RegSO 2020,
// and regso2025, RegSO 2025 imported as its own level), stores the mapping
// and moves the statistics where that is exact (spatial/crosswalk: a
// target made of whole source areas, share ≥ crosswalk.DefaultThreshold).
func (s *Service) BuildCrosswalk(ctx context.Context, fromLevel, toLevel string) (*data.CrosswalkReport, error) {
	layer := func(level string) ([]crosswalk.Area, error) {
		if err := s.checkLevel(ctx, level); err != nil {
			return nil, err
		}
		as, err := s.store.Areas(ctx, level, data.AreasOptions{WithGeometry: true})
		if err != nil {
			return nil, err
		}
		out := make([]crosswalk.Area, 0, len(as))
		for _, a := range as {
			var mp orb.MultiPolygon
			switch g := a.Geometry.(type) {
			case orb.MultiPolygon:
				mp = g
			case orb.Polygon:
				mp = orb.MultiPolygon{g}
			default:
				continue
			}
			out = append(out, crosswalk.Area{Code: a.Code, Polygon: project.MultiPolygon(orb.Clone(mp).(orb.MultiPolygon), proj.WGS84ToSweref)})
		}
		if len(out) == 0 {
			return nil, fault.New(fault.NotFound, "level %s has no boundaries; import them first (segmap import boundaries --level %s)", level, level).
				Sv("nivån %s har inga gränser; importera dem först (segmap import boundaries --level %s)", level, level)
		}
		return out, nil
	}
	from, err := layer(fromLevel)
	if err != nil {
		return nil, err
	}
	to, err := layer(toLevel)
	if err != nil {
		return nil, err
	}
	links, err := crosswalk.Overlaps(ctx, from, to, 0)
	if err != nil {
		return nil, err
	}
	exact := crosswalk.Exact(links, crosswalk.DefaultThreshold)
	dl := make([]data.CrosswalkLink, len(links))
	for i, l := range links {
		ok := slices.Contains(exact[l.To], l.From) // not the slivers along its edge
		dl[i] = data.CrosswalkLink{From: l.From, To: l.To, AreaM2: l.Area, ShareOfFrom: l.ShareOfFrom, ShareOfTo: l.ShareOfTo, Exact: ok}
	}
	return s.store.SaveCrosswalk(ctx, fromLevel, toLevel, dl)
}
