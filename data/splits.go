package data

import (
	"context"
	"fmt"
)

// SplitParent is the DeSO 2018 area that a DeSO 2025 code split from: the
// code with its last digit replaced by 0 ("0780C1021" -> "0780C1020"), or ""
// when code is not a split (its last digit is 0, or it is not a DeSO code).
func SplitParent(code string) string {
	if !looksLikeCode(LevelDeSO, code) || code[8] == '0' {
		return ""
	}
	return code[:8] + "0"
}

// linkSplits gives DeSO that have no RegSO (DeSO 2025 areas that split a
// 2018 area, absent from the 2018 link table) their 2018 parent's RegSO,
// kommun and län, so they dissolve into the right RegSO and aggregate into
// the right parents. It returns the codes it linked.
func (tx *Tx) linkSplits(ctx context.Context) ([]string, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT c.code, p.parent, p.regso, p.kommun, p.lan
 FROM segmap_areas c JOIN segmap_areas p ON p.level = c.level AND p.code = substr(c.code, 1, 8) || '0'
 WHERE c.level = ? AND coalesce(c.regso, '') = '' AND substr(c.code, 9, 1) != '0' AND coalesce(p.regso, '') != ''`, LevelDeSO)
	if err != nil {
		return nil, fmt.Errorf("data: link split DeSO: %w", err)
	}
	type link struct{ code, parent, regso, kommun, lan string }
	var links []link
	for rows.Next() {
		var l link
		if err := rows.Scan(&l.code, &l.parent, &l.regso, &l.kommun, &l.lan); err != nil {
			rows.Close()
			return nil, fmt.Errorf("data: link split DeSO: %w", err)
		}
		links = append(links, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("data: link split DeSO: %w", err)
	}
	codes := make([]string, 0, len(links))
	for _, l := range links {
		if _, err := tx.tx.ExecContext(ctx, `UPDATE segmap_areas SET parent = ?, regso = ?, kommun = ?, lan = ? WHERE level = ? AND code = ?`,
			l.parent, l.regso, l.kommun, l.lan, LevelDeSO, l.code); err != nil {
			return nil, fmt.Errorf("data: link split DeSO %s: %w", l.code, err)
		}
		codes = append(codes, l.code)
	}
	return codes, nil
}

// DeSOYear says how one year of an indicator's DeSO values was published:
// how many values sit on DeSO 2025 codes that split a 2018 area (SCB
// publishes on DeSO 2025 from reference year 2024), and how many are
// estimates (a 2018 parent given the mean of its 2025 parts on import,
// mapping `deso2025: parent_mean`).
type DeSOYear struct {
	Year      int
	Values    int
	Splits    int // values on split DeSO 2025 codes (last digit not 0)
	Estimated int // values flagged estimated
}

// DeSOYears returns, year by year in order, how an indicator's DeSO values
// (all breakdowns) were published.
func (s *Store) DeSOYears(ctx context.Context, indicator string) ([]DeSOYear, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT year, count(*), coalesce(sum(length(code) = 9 AND substr(code, 9, 1) != '0'), 0), coalesce(sum(estimated != 0), 0)
 FROM segmap_values WHERE level = ? AND indicator = ? GROUP BY year ORDER BY year`, LevelDeSO, indicator)
	if err != nil {
		return nil, fmt.Errorf("data: DeSO years of %s: %w", indicator, err)
	}
	defer rows.Close()
	var out []DeSOYear
	for rows.Next() {
		var y DeSOYear
		if err := rows.Scan(&y.Year, &y.Values, &y.Splits, &y.Estimated); err != nil {
			return nil, fmt.Errorf("data: DeSO years of %s: %w", indicator, err)
		}
		out = append(out, y)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("data: DeSO years of %s: %w", indicator, err)
	}
	return out, nil
}
