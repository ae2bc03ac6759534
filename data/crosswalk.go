package data

import (
	"context"
	"fmt"

	"github.com/segmap/segmap/internal/fault"
)

// Crosswalks between geography versions: which areas of one layer (e.g.
// regso, RegSO 2020) overlap which of another (e.g. regso2025, RegSO 2025),
// computed by spatial/crosswalk from the two boundary layers, and the
// statistics moved where that is exact.

// CrosswalkLink is the overlap of a source and a target area.
type CrosswalkLink struct {
	From, To    string
	AreaM2      float64
	ShareOfFrom float64 // the overlap's share of the source area
	ShareOfTo   float64 // and of the target area
	// Exact: the target is a union of whole source areas and takes their
	// statistics (spatial/crosswalk.Exact); the links to those sources are
	// marked, not the slivers along the target's edge.
	Exact bool
}

// CrosswalkReport says what SaveCrosswalk did.
type CrosswalkReport struct {
	FromLevel string `json:"from_level"`
	ToLevel   string `json:"to_level"`
	Links     int    `json:"links"`
	Exact     int    `json:"exact"`  // target areas that take the statistics exactly
	Values    int    `json:"values"` // values written on the target level
}

// crosswalkExprs are the value, numerator and denominator of a target per
// aggregation, and the condition a source value must meet to count: a
// target gets a value only when every one of its sources has a complete
// one (never a partial sum). An indicator that does not aggregate (a
// median) moves only where the target is one source area (1:1).
func crosswalkExprs() [][5]string {
	out := make([][5]string, 0, 4)
	for _, e := range aggExprs() {
		var complete string
		switch Aggregation(e[0]) {
		case AggRatio:
			complete = `v.numerator IS NOT NULL AND v.denominator IS NOT NULL`
		case AggSum:
			complete = `v.value IS NOT NULL`
		case AggWeightedMean:
			complete = `v.value IS NOT NULL AND v.denominator IS NOT NULL`
		default:
			continue
		}
		out = append(out, [5]string{e[0], e[1], e[2], e[3], complete})
	}
	return append(out, [5]string{string(AggNone), `max(v.value)`, `NULL`, `NULL`, `v.value IS NOT NULL`})
}

// SaveCrosswalk replaces the crosswalk from fromLevel to toLevel with links
// and writes, on toLevel, the values of every exact target: unchanged
// areas 1:1, merged or split areas summed (ratios as Σ numerator /
// Σ denominator, weighted means weighted by their base). A value the
// target level already has (imported on that version) is kept.
func (s *Store) SaveCrosswalk(ctx context.Context, fromLevel, toLevel string, links []CrosswalkLink) (*CrosswalkReport, error) {
	rep := &CrosswalkReport{FromLevel: fromLevel, ToLevel: toLevel, Links: len(links)}
	if fromLevel == toLevel {
		return nil, fault.Wrap(fault.Invalid, ErrInvalid, "a crosswalk needs two levels, got %s twice", toLevel).
			Sv("en korsnyckel behöver två nivåer, inte %s två gånger", toLevel)
	}
	exact := map[string]bool{}
	for _, l := range links {
		if l.Exact {
			exact[l.To] = true
		}
	}
	rep.Exact = len(exact)
	err := s.Update(ctx, func(tx *Tx) error {
		tx.MarkChanged()
		if _, err := tx.tx.ExecContext(ctx, `DELETE FROM segmap_crosswalk WHERE from_level = ? AND to_level = ?`, fromLevel, toLevel); err != nil {
			return fmt.Errorf("data: crosswalk %s -> %s: %w", fromLevel, toLevel, err)
		}
		stmt, err := tx.tx.PrepareContext(ctx, `INSERT INTO segmap_crosswalk (from_level, from_code, to_level, to_code, area_m2, share_of_from, share_of_to, exact) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return fmt.Errorf("data: crosswalk %s -> %s: %w", fromLevel, toLevel, err)
		}
		defer stmt.Close()
		for _, l := range links {
			if _, err := stmt.ExecContext(ctx, fromLevel, l.From, toLevel, l.To, l.AreaM2, l.ShareOfFrom, l.ShareOfTo, l.Exact); err != nil {
				return fmt.Errorf("data: crosswalk %s -> %s: %s/%s: %w", fromLevel, toLevel, l.From, l.To, err)
			}
		}
		for _, e := range crosswalkExprs() {
			one := ""
			if Aggregation(e[0]) == AggNone {
				one = ` AND cnt.n = 1`
			}
			res, err := tx.tx.ExecContext(ctx, `INSERT OR IGNORE INTO segmap_values (level, code, indicator, year, breakdown, value, numerator, denominator, suppressed, estimated)
 SELECT ?, agg.to_code, agg.indicator, agg.year, agg.breakdown, agg.value, agg.num, agg.den, 0, agg.est FROM (
  SELECT x.to_code, v.indicator, v.year, v.breakdown, `+e[1]+` AS value, `+e[2]+` AS num, `+e[3]+` AS den,
   max(v.estimated) AS est, count(*) AS n, sum(CASE WHEN `+e[4]+` AND v.suppressed = 0 THEN 1 ELSE 0 END) AS complete
  FROM segmap_crosswalk x
  JOIN segmap_values v ON v.level = x.from_level AND v.code = x.from_code
  JOIN segmap_indicators i ON i.id = v.indicator
  WHERE x.from_level = ? AND x.to_level = ? AND x.exact = 1 AND i.aggregation = ?
  GROUP BY x.to_code, v.indicator, v.year, v.breakdown) agg
 JOIN (SELECT to_code, count(*) AS n FROM segmap_crosswalk WHERE from_level = ? AND to_level = ? AND exact = 1 GROUP BY to_code) cnt
  ON cnt.to_code = agg.to_code AND cnt.n = agg.n
 WHERE agg.value IS NOT NULL AND agg.complete = agg.n`+one,
				toLevel, fromLevel, toLevel, e[0], fromLevel, toLevel)
			if err != nil {
				return fmt.Errorf("data: crosswalk %s -> %s: move %s values: %w", fromLevel, toLevel, e[0], err)
			}
			n, _ := res.RowsAffected()
			rep.Values += int(n)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// Crosswalk returns the crosswalk from fromLevel to toLevel, sorted by
// target then source (none: empty).
func (s *Store) Crosswalk(ctx context.Context, fromLevel, toLevel string) ([]CrosswalkLink, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT from_code, to_code, area_m2, share_of_from, share_of_to, exact FROM segmap_crosswalk
 WHERE from_level = ? AND to_level = ? ORDER BY to_code, from_code`, fromLevel, toLevel)
	if err != nil {
		return nil, fmt.Errorf("data: crosswalk %s -> %s: %w", fromLevel, toLevel, err)
	}
	defer rows.Close()
	var out []CrosswalkLink
	for rows.Next() {
		var l CrosswalkLink
		if err := rows.Scan(&l.From, &l.To, &l.AreaM2, &l.ShareOfFrom, &l.ShareOfTo, &l.Exact); err != nil {
			return nil, fmt.Errorf("data: crosswalk %s -> %s: %w", fromLevel, toLevel, err)
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("data: crosswalk %s -> %s: %w", fromLevel, toLevel, err)
	}
	return out, nil
}
