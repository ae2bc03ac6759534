package data

import (
	"context"
	"fmt"
)

// ReferenceFile is one table of a reference bundle held in memory (e.g.
// embedded in the binary): its file name, its bytes and, for indicator
// tables, its mapping.
type ReferenceFile struct {
	Name    string
	Body    []byte
	Mapping *Mapping
}

// ReferenceBundle is national reference data: SCB's DeSO -> RegSO link
// table and indicator tables at any level.
type ReferenceBundle struct {
	Hierarchy  ReferenceFile
	Indicators []ReferenceFile
}

// ReferenceReport says what ImportReference did.
type ReferenceReport struct {
	Hierarchy  *JoinReport
	Indicators []*JoinReport
	// Splits are the stored DeSO 2025 codes, absent from the 2018 link
	// table, that were given their 2018 parent's RegSO, kommun and län.
	Splits []string
}

// ImportReference imports the hierarchy and then every indicator table of
// the bundle in ONE transaction: on any error nothing is written. Because the
// hierarchy names every DeSO, RegSO, kommun and län, the indicators are
// stored and materialised for all of them, whether or not the store holds
// their polygons, so kommun, län and riket comparisons are complete.
func (s *Store) ImportReference(ctx context.Context, b ReferenceBundle) (*ReferenceReport, error) {
	links, err := parseLinkTable(b.Hierarchy.Name, b.Hierarchy.Body)
	if err != nil {
		return nil, err
	}
	type parsed struct {
		f    ReferenceFile
		recs []record
		rows int
	}
	tables := make([]parsed, 0, len(b.Indicators))
	for _, f := range b.Indicators {
		if f.Mapping == nil {
			return nil, fmt.Errorf("%w: reference table %s has no mapping", ErrInvalid, f.Name)
		}
		recs, rows, err := parseIndicators(ctx, f.Name, f.Body, f.Mapping)
		if err != nil {
			return nil, err
		}
		tables = append(tables, parsed{f, recs, rows})
	}
	rep := &ReferenceReport{Hierarchy: &JoinReport{File: b.Hierarchy.Name, Level: LevelDeSO, Rows: len(links)}}
	err = s.Update(ctx, func(tx *Tx) error {
		if err := tx.importHierarchy(ctx, b.Hierarchy.Name, links, rep.Hierarchy); err != nil {
			return err
		}
		var err error
		if rep.Splits, err = tx.linkSplits(ctx); err != nil {
			return err
		}
		for _, t := range tables {
			jr := &JoinReport{File: t.f.Name, Level: t.f.Mapping.Level, Rows: t.rows}
			if err := tx.importIndicators(ctx, t.f.Name, t.recs, t.f.Mapping, jr, nil); err != nil {
				return err
			}
			rep.Indicators = append(rep.Indicators, jr)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}
