package service

import (
	"context"
	"fmt"

	"github.com/paulmach/orb"
	"github.com/segmap/segmap/data"
)

// ExportRow is one area in an export.
type ExportRow struct {
	ID          int64
	Code, Name  string
	Kommun, Lan string
	Value       float64 // NaN when missing or suppressed
	Numerator   float64
	Denominator float64
	Suppressed  bool
	Estimated   bool
	Class       int // 0..k-1 (shown 1-based), -1 no data, -2 suppressed
	ClassLabel  string
	Color       string
	Geometry    orb.Geometry // only with ExportOptions.Geometry
}

// Export is exactly the values and classes of a ClassifyQuery, with the
// metadata a reader needs.
type Export struct {
	Classification *Classification
	Rows           []ExportRow
	// Suppression describes the disclosure rule in force.
	Suppression string
	DataVersion int64
}

// ExportOptions choose what an export holds.
type ExportOptions struct {
	Geometry bool // load the WGS 84 geometry of every row
}

// Export classifies q and returns one row per area.
func (s *Service) Export(ctx context.Context, q ClassifyQuery, opts ExportOptions) (*Export, error) {
	c, err := s.Classify(ctx, q)
	if err != nil {
		return nil, err
	}
	ver, err := s.store.DataVersion(ctx)
	if err != nil {
		return nil, err
	}
	labels := map[int]string{}
	ci := 0
	for _, e := range c.Legend {
		switch e.Kind {
		case "nodata":
			labels[-1] = e.Label
		case "suppressed":
			labels[-2] = e.Label
		default:
			labels[ci] = e.Label
			ci++
		}
	}
	var geoms map[string]orb.Geometry
	if opts.Geometry {
		as, err := s.store.Areas(ctx, c.Level, data.AreasOptions{WithGeometry: true, Kommuner: q.Kommuner})
		if err != nil {
			return nil, err
		}
		geoms = make(map[string]orb.Geometry, len(as))
		for _, a := range as {
			geoms[a.Code] = a.Geometry
		}
	}
	ex := &Export{Classification: c, DataVersion: ver, Rows: make([]ExportRow, 0, len(c.Areas)),
		Suppression: "Values marked suppressed are withheld by the source (SCB)."}
	if r := s.opts.Disclosure; r != nil {
		ex.Suppression += fmt.Sprintf(" In addition a share is shown only if its denominator > %d and its numerator > %d (segmap disclosure rule).", r.MinGroup, r.MinCount)
	}
	for i, a := range c.Values.Areas {
		ca := c.Areas[i]
		row := ExportRow{ID: a.ID, Code: a.Code, Name: a.Name, Kommun: a.Kommun, Lan: a.Lan,
			Value: float64(a.Value), Numerator: float64(a.Numerator), Denominator: float64(a.Denominator),
			Suppressed: a.Suppressed, Estimated: a.Estimated, Class: ca.Class, ClassLabel: labels[ca.Class], Color: ca.Color}
		if geoms != nil {
			row.Geometry = geoms[a.Code]
		}
		ex.Rows = append(ex.Rows, row)
	}
	return ex, nil
}
