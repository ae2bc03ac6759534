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
	p, err := parseReference(ctx, b)
	if err != nil {
		return nil, err
	}
	var rep *ReferenceReport
	err = s.Update(ctx, func(tx *Tx) error {
		var err error
		rep, err = tx.importReference(ctx, p, referenceLog{each: true})
		return err
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// parsedReference is a bundle read and checked, ready to write.
type parsedReference struct {
	name   string
	links  []linkRow
	tables []parsedTable
}

type parsedTable struct {
	f    ReferenceFile
	recs []record
	rows int
}

// parseReference reads every table of the bundle (nothing is written).
func parseReference(ctx context.Context, b ReferenceBundle) (*parsedReference, error) {
	links, err := parseLinkTable(b.Hierarchy.Name, b.Hierarchy.Body)
	if err != nil {
		return nil, err
	}
	p := &parsedReference{name: b.Hierarchy.Name, links: links, tables: make([]parsedTable, 0, len(b.Indicators))}
	for _, f := range b.Indicators {
		if f.Mapping == nil {
			return nil, fmt.Errorf("%w: reference table %s has no mapping", ErrInvalid, f.Name)
		}
		recs, rows, err := parseIndicators(ctx, f.Name, f.Body, f.Mapping)
		if err != nil {
			return nil, err
		}
		p.tables = append(p.tables, parsedTable{f, recs, rows})
	}
	return p, nil
}

// referenceLog says how importReference records itself in the history.
type referenceLog struct {
	// each: one row per table (the command line's reference import);
	// otherwise none, the caller logs the import it belongs to.
	each bool
}

// importReference writes a parsed bundle inside the transaction: the
// hierarchy, the DeSO 2025 splits' links, then every indicator table.
func (tx *Tx) importReference(ctx context.Context, p *parsedReference, log referenceLog) (*ReferenceReport, error) {
	rep := &ReferenceReport{Hierarchy: &JoinReport{File: p.name, Level: LevelDeSO, Rows: len(p.links)}}
	summary, err := tx.importHierarchy(ctx, p.links, rep.Hierarchy)
	if err != nil {
		return nil, err
	}
	if log.each {
		if err := tx.logImport(ctx, "hierarchy", p.name, summary); err != nil {
			return nil, err
		}
	}
	if rep.Splits, err = tx.linkSplits(ctx); err != nil {
		return nil, err
	}
	for _, t := range p.tables {
		jr := &JoinReport{File: t.f.Name, Level: t.f.Mapping.Level, Rows: t.rows}
		summary, err := tx.importIndicators(ctx, t.recs, t.f.Mapping, jr, nil)
		if err != nil {
			return nil, err
		}
		if log.each {
			if err := tx.logImport(ctx, "indicators", t.f.Name, summary); err != nil {
				return nil, err
			}
		}
		rep.Indicators = append(rep.Indicators, jr)
	}
	return rep, nil
}
