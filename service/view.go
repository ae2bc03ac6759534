package service

import (
	"context"
	"math"
	"strconv"

	"github.com/paulmach/orb"

	"github.com/segmap/segmap/data"
)

// View narrows a values or classify answer to the areas a client shows and
// chooses its form. The classification itself does not change: breaks,
// legend and legend counts are always those of the query's whole
// selection (its kommuner, or every area of the level), so a map's
// colours do not move when it pans and match the tiles with values. The
// zero View is the whole answer as objects.
type View struct {
	// BBox keeps the areas whose boundary's bounding box meets it (WGS 84
	// lon/lat); areas without a boundary are left out. nil: no box.
	BBox *orb.Bound
	// Mapped keeps only the areas with a boundary (those a map can draw).
	Mapped bool
	// Compact answers with parallel arrays (ids, codes, values, …) instead
	// of one object per area.
	Compact bool
}

// filters reports whether v leaves areas out.
func (v View) filters() bool { return v.BBox != nil || v.Mapped }

// CheckBBox validates a bounding box of View.BBox: four finite numbers,
// west ≤ east and south ≤ north, in lon/lat range.
func CheckBBox(b orb.Bound) error {
	for _, f := range []float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]} {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return badRequest("bbox must be four finite numbers west,south,east,north").Sv("bbox måste vara fyra ändliga tal väst,syd,öst,nord")
		}
	}
	if b.Min[0] > b.Max[0] || b.Min[1] > b.Max[1] || b.Min[0] < -180 || b.Max[0] > 180 || b.Min[1] < -90 || b.Max[1] > 90 {
		return badRequest("bbox must be west,south,east,north in WGS 84 degrees with west <= east and south <= north, got %g,%g,%g,%g", b.Min[0], b.Min[1], b.Max[0], b.Max[1]).
			Sv("bbox måste vara väst,syd,öst,nord i WGS 84-grader med väst <= öst och syd <= nord, fick %g,%g,%g,%g", b.Min[0], b.Min[1], b.Max[0], b.Max[1])
	}
	return nil
}

// areaBounds is the WGS 84 bounding box of every area of level with a
// boundary, by code; built once per data version.
func (s *Service) areaBounds(ctx context.Context, level string) (map[string]orb.Bound, error) {
	return cached(ctx, s, "bounds\x00"+level, func(m map[string]orb.Bound) int64 { return int64(len(m))*64 + 256 },
		func(ctx context.Context) (map[string]orb.Bound, error) {
			as, err := s.store.Areas(ctx, level, data.AreasOptions{WithGeometry: true})
			if err != nil {
				return nil, err
			}
			out := make(map[string]orb.Bound, len(as))
			for _, a := range as {
				if a.Geometry != nil {
					out[a.Code] = a.Geometry.Bound()
				}
			}
			return out, nil
		})
}

// keep returns which areas of level v keeps (nil: all).
func (s *Service) keep(ctx context.Context, level string, v View) (func(code string) bool, error) {
	if !v.filters() {
		return nil, nil
	}
	if v.BBox != nil {
		if err := CheckBBox(*v.BBox); err != nil {
			return nil, err
		}
	}
	bounds, err := s.areaBounds(ctx, level)
	if err != nil {
		return nil, err
	}
	return func(code string) bool {
		b, ok := bounds[code]
		return ok && (v.BBox == nil || b.Intersects(*v.BBox))
	}, nil
}

// ClassifyView is Classify narrowed and shaped by v: a *Classification
// (the areas of the view as objects) or, with v.Compact, a
// *CompactClassification. Breaks and legend are the whole selection's.
func (s *Service) ClassifyView(ctx context.Context, q ClassifyQuery, v View) (any, error) {
	c, err := s.Classify(ctx, q)
	if err != nil {
		return nil, err
	}
	keep, err := s.keep(ctx, c.Level, v)
	if err != nil {
		return nil, err
	}
	if !v.Compact {
		if keep == nil {
			return c, nil
		}
		out := *c
		out.Areas = kept(c.Areas, func(a ClassifiedArea) string { return a.Code }, keep)
		return &out, nil
	}
	out := &CompactClassification{Classification: c, Format: FormatCompact}
	for _, a := range c.Areas {
		if keep != nil && !keep(a.Code) {
			continue
		}
		out.IDs = append(out.IDs, a.ID)
		out.Codes = append(out.Codes, a.Code)
		out.Vals = append(out.Vals, a.Value)
		out.Classes = append(out.Classes, a.Class)
	}
	out.init()
	return out, nil
}

// FormatCompact is the Format of the compact answers.
const FormatCompact = "compact"

// CompactClassification is a Classification with its areas as parallel
// arrays: area i has ids[i], codes[i], values[i] and classes[i] (0..k-1,
// -1 no data, -2 suppressed); its colour is the legend's of its class
// (legend entries of kind class in order, then nodata and suppressed).
// Names come from /api/areas/{level}, which changes only with the data.
type CompactClassification struct {
	*Classification
	Format string `json:"format"`
	// NoAreas hides the embedded Areas (a field of the same JSON name at
	// a shallower depth wins; nil is omitted).
	NoAreas *struct{} `json:"areas,omitempty"`
	IDs     []int64   `json:"ids"`
	Codes   []string  `json:"codes"`
	Vals    Nums      `json:"values"`
	Classes []int     `json:"classes"`
}

func (c *CompactClassification) init() {
	if c.IDs == nil {
		c.IDs, c.Codes, c.Vals, c.Classes = []int64{}, []string{}, Nums{}, []int{}
	}
}

// kept is the areas whose code keep accepts, in order (a new slice).
func kept[T any](areas []T, code func(T) string, keep func(string) bool) []T {
	out := make([]T, 0, len(areas))
	for _, a := range areas {
		if keep(code(a)) {
			out = append(out, a)
		}
	}
	return out
}

// ValuesView is Values narrowed and shaped by v: a *Values or, with
// v.Compact, a *CompactValues.
func (s *Service) ValuesView(ctx context.Context, q ValuesQuery, v View) (any, error) {
	vals, err := s.Values(ctx, q)
	if err != nil {
		return nil, err
	}
	keep, err := s.keep(ctx, vals.Level, v)
	if err != nil {
		return nil, err
	}
	if !v.Compact {
		if keep == nil {
			return vals, nil
		}
		out := *vals
		out.Areas = kept(vals.Areas, func(a AreaValue) string { return a.Code }, keep)
		return &out, nil
	}
	out := &CompactValues{Values: vals, Format: FormatCompact, IDs: []int64{}, Codes: []string{}, Vals: Nums{},
		Numerators: Nums{}, Denominators: Nums{}, Suppressed: []bool{}, Estimated: []bool{}}
	for _, a := range vals.Areas {
		if keep != nil && !keep(a.Code) {
			continue
		}
		out.IDs = append(out.IDs, a.ID)
		out.Codes = append(out.Codes, a.Code)
		out.Vals = append(out.Vals, a.Value)
		out.Numerators = append(out.Numerators, a.Numerator)
		out.Denominators = append(out.Denominators, a.Denominator)
		out.Suppressed = append(out.Suppressed, a.Suppressed)
		out.Estimated = append(out.Estimated, a.Estimated)
		if a.Geography != nil {
			if out.Geography == nil {
				out.Geography = map[string]*Geography{}
			}
			out.Geography[a.Code] = a.Geography
		}
	}
	return out, nil
}

// CompactValues is a Values answer with its areas as parallel arrays
// (area i: ids[i], codes[i], values[i], …); geography lists the areas
// whose series breaks, by code.
type CompactValues struct {
	*Values
	Format       string                `json:"format"`
	NoAreas      *struct{}             `json:"areas,omitempty"`
	IDs          []int64               `json:"ids"`
	Codes        []string              `json:"codes"`
	Vals         Nums                  `json:"values"`
	Numerators   Nums                  `json:"numerators"`
	Denominators Nums                  `json:"denominators"`
	Suppressed   []bool                `json:"suppressed"`
	Estimated    []bool                `json:"estimated"`
	Geography    map[string]*Geography `json:"geography,omitempty"`
}

// Nums is a list of numbers written as one JSON array in one go (the
// encoder would call Num.MarshalJSON and check its output per element):
// the same text as []Num.
type Nums []Num

// MarshalJSON writes the array, null for NaN and ±Inf.
func (ns Nums) MarshalJSON() ([]byte, error) {
	if ns == nil {
		return []byte("null"), nil
	}
	b := make([]byte, 0, 2+len(ns)*8)
	b = append(b, '[')
	for i, n := range ns {
		if i > 0 {
			b = append(b, ',')
		}
		if n.Valid() {
			b = strconv.AppendFloat(b, float64(n), 'g', -1, 64)
		} else {
			b = append(b, "null"...)
		}
	}
	return append(b, ']'), nil
}
