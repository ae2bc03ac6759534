package service

import (
	"context"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/internal/fault"
)

// LevelInfo is one level as the client sees it.
type LevelInfo struct {
	ID           string         `json:"id"`
	NameSV       string         `json:"name_sv"`
	NameEN       string         `json:"name_en"`
	Kind         data.LevelKind `json:"kind"`
	Parent       string         `json:"parent,omitempty"`
	FeatureCount int            `json:"feature_count"`
	AreaCount    int            `json:"area_count"`
	// Tiles and TileJSON are URL templates relative to the service's base
	// URL (no leading slash, so they also work under a path prefix: resolve
	// them against the page, e.g. new URL(tiles, document.baseURI)); "" when
	// the level has no geometry.
	Tiles    string `json:"tiles,omitempty"`
	TileJSON string `json:"tilejson,omitempty"`
}

// Kommun is one kommun in the meta listing.
type Kommun struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Lan  string `json:"lan"`
	// Mapped is set when the store has the kommun's boundary, i.e. its
	// areas can be drawn.
	Mapped bool `json:"mapped"`
}

// Defaults are the client's starting selections.
type Defaults struct {
	Level     string `json:"level"`
	Indicator string `json:"indicator"`
	Year      int    `json:"year"`
	Method    string `json:"method"`
	K         int    `json:"k"`
	// Kommun is the comma-separated list of mapped kommuner when only some
	// kommuner have boundaries (e.g. the demo: Stockholms län's boundaries,
	// national values), so the first view classifies what the map shows.
	// Empty when every kommun is mapped.
	Kommun string `json:"kommun,omitempty"`
}

// Meta is everything the client needs to start.
type Meta struct {
	DataVersion int64            `json:"data_version"`
	Levels      []LevelInfo      `json:"levels"`
	Indicators  []data.Indicator `json:"indicators"`
	Kommuner    []Kommun         `json:"kommuner"`
	Defaults    Defaults         `json:"defaults"`
	// Home is the store's home selection (kommun codes recorded by segmap
	// init); Defaults.Kommun is it when set. Empty for other stores.
	Home []string `json:"home,omitempty"`
}

// Meta lists the levels, indicators and kommuner in the store. It is built
// once per data version (listing the years per indicator and level scans
// every value) and shared: callers must not modify it.
func (s *Service) Meta(ctx context.Context) (*Meta, error) {
	ver, err := s.store.DataVersion(ctx)
	if err != nil {
		return nil, err
	}
	if m := s.meta.Load(); m != nil && m.DataVersion == ver {
		return m, nil
	}
	// Built once for all the requests that meet a new version at once.
	m, err, _ := s.metaBuilds.Do(strconv.FormatInt(ver, 10), func() (any, error) {
		if m := s.meta.Load(); m != nil && m.DataVersion == ver {
			return m, nil
		}
		m, err := s.buildMeta(context.WithoutCancel(ctx), ver)
		if err != nil {
			return nil, err
		}
		s.meta.Store(m)
		return m, nil
	})
	if err != nil {
		return nil, err
	}
	return m.(*Meta), nil
}

func (s *Service) buildMeta(ctx context.Context, ver int64) (*Meta, error) {
	levels, err := s.store.Levels(ctx)
	if err != nil {
		return nil, err
	}
	inds, err := s.store.Indicators(ctx)
	if err != nil {
		return nil, err
	}
	m := &Meta{DataVersion: ver, Levels: []LevelInfo{}, Indicators: inds, Kommuner: []Kommun{}}
	if m.Indicators == nil {
		m.Indicators = []data.Indicator{}
	}
	for _, l := range levels {
		li := LevelInfo{ID: l.ID, NameSV: l.NameSV, NameEN: l.NameEN, Kind: l.Kind, Parent: l.Parent,
			FeatureCount: l.FeatureCount, AreaCount: l.AreaCount}
		if l.FeatureCount > 0 {
			p := url.PathEscape(l.ID)
			li.Tiles = fmt.Sprintf("tiles/%s/{z}/{x}/{y}.mvt?v=%d", p, ver)
			li.TileJSON = fmt.Sprintf("tiles/%s.json", p)
		}
		m.Levels = append(m.Levels, li)
	}
	kom, err := s.store.Areas(ctx, data.LevelKommun, data.AreasOptions{})
	if err != nil {
		return nil, err
	}
	var mapped []string
	for _, a := range kom {
		m.Kommuner = append(m.Kommuner, Kommun{Code: a.Code, Name: a.Name, Lan: a.Lan, Mapped: a.Mapped})
		if a.Mapped {
			mapped = append(mapped, a.Code)
		}
	}
	m.Defaults = Defaults{Level: data.LevelDeSO, Indicator: s.opts.DefaultIndicator, Method: "quantile", K: 5}
	if len(mapped) > 0 && len(mapped) < len(kom) {
		m.Defaults.Kommun = strings.Join(mapped, ",")
	}
	if m.Home, err = s.store.Home(ctx); err != nil {
		return nil, err
	}
	if len(m.Home) > 0 {
		m.Defaults.Kommun = strings.Join(m.Home, ",")
	}
	for _, ind := range inds {
		if ind.ID == s.opts.DefaultIndicator && len(ind.Years) > 0 {
			m.Defaults.Year = slices.Max(ind.Years)
		}
	}
	if m.Defaults.Year == 0 && len(inds) > 0 {
		m.Defaults.Indicator = inds[0].ID
		if len(inds[0].Years) > 0 {
			m.Defaults.Year = slices.Max(inds[0].Years)
		}
	}
	return m, nil
}

// AreaRef is one area in a listing.
type AreaRef struct {
	ID     int64  `json:"id"`
	Code   string `json:"code"`
	Name   string `json:"name"`
	Kommun string `json:"kommun,omitempty"`
	Lan    string `json:"lan,omitempty"`
	RegSO  string `json:"regso,omitempty"`
}

// Areas lists the areas of a level, optionally only those in some kommuner.
func (s *Service) Areas(ctx context.Context, level string, kommuner []string) ([]AreaRef, error) {
	if err := s.checkLevel(ctx, level); err != nil {
		return nil, err
	}
	as, err := s.store.Areas(ctx, level, data.AreasOptions{Kommuner: kommuner})
	if err != nil {
		return nil, err
	}
	out := make([]AreaRef, 0, len(as))
	for _, a := range as {
		out = append(out, AreaRef{ID: a.ID, Code: a.Code, Name: a.Name, Kommun: a.Kommun, Lan: a.Lan, RegSO: a.RegSO})
	}
	return out, nil
}

func (s *Service) checkLevel(ctx context.Context, level string) error {
	if level == "" {
		return badRequest("level is required (e.g. deso, regso, kommun, lan)").Sv("level måste anges (t.ex. deso, regso, kommun, lan)")
	}
	// From the Meta of the current data version: the store would count
	// every level's areas and features on each call.
	m, err := s.Meta(ctx)
	if err != nil {
		return err
	}
	ids := make([]string, 0, len(m.Levels))
	for _, l := range m.Levels {
		if l.ID == level {
			return nil
		}
		ids = append(ids, l.ID)
	}
	return notFound("unknown level %q; known levels: %v", level, ids).Sv("okänd nivå %q; kända nivåer: %v", level, ids)
}

// indicator fetches an indicator, mapping the store's not-found to ours.
func (s *Service) indicator(ctx context.Context, id string) (data.Indicator, error) {
	if id == "" {
		return data.Indicator{}, badRequest("indicator is required").Sv("indicator måste anges")
	}
	// From the Meta of the current data version, built once per version:
	// the store would scan the values for the indicator's years each time.
	m, err := s.Meta(ctx)
	if err != nil {
		return data.Indicator{}, err
	}
	for _, ind := range m.Indicators {
		if ind.ID == id {
			// A copy: Meta is shared by every request.
			ind.Years, ind.Breakdowns = slices.Clone(ind.Years), slices.Clone(ind.Breakdowns)
			ind.YearsByLevel = maps.Clone(ind.YearsByLevel)
			return ind, nil
		}
	}
	return data.Indicator{}, &fault.Error{Kind: data.ErrNotFound,
		EN: fmt.Sprintf("unknown indicator %q; /api/meta lists the indicators", id),
		SV: fmt.Sprintf("okänd indikator %q; /api/meta listar indikatorerna", id)}
}

// latestYearAt is the latest year with values at level, so a level is never
// shown a year only another level has (the RegSO panel reaches 2023 while
// the DeSO table is 2022). When the store does not say per level, or level
// has no year, it is latestYear.
func latestYearAt(ind data.Indicator, level string) int {
	if ys := LevelYears(ind, level); len(ys) > 0 {
		return slices.Max(ys)
	}
	return latestYear(ind)
}

func latestYear(ind data.Indicator) int {
	if len(ind.Years) == 0 {
		return 0
	}
	return slices.Max(ind.Years)
}
