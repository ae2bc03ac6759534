package data

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strings"
)

const valueCols = `v.level, v.code, v.indicator, v.year, v.breakdown, v.value, v.numerator, v.denominator, v.suppressed, v.estimated`

func scanValues(rows *sql.Rows) ([]Value, error) {
	defer rows.Close()
	var out []Value
	for rows.Next() {
		var v Value
		var val, num, den sql.NullFloat64
		if err := rows.Scan(&v.Level, &v.Code, &v.Indicator, &v.Year, &v.Breakdown, &val, &num, &den, &v.Suppressed, &v.Estimated); err != nil {
			return nil, err
		}
		v.Value, v.Numerator, v.Denominator = nanIfNull(val), nanIfNull(num), nanIfNull(den)
		out = append(out, v)
	}
	return out, rows.Err()
}

func nanIfNull(f sql.NullFloat64) float64 {
	if !f.Valid {
		return math.NaN()
	}
	return f.Float64
}

// Values returns the values of one indicator, year and breakdown at one
// level, sorted by code. Kommuner restricts the areas through segmap_areas
// (for level kommun: those kommuner; for lan and riket it is ignored).
func (s *Store) Values(ctx context.Context, q ValuesQuery) ([]Value, error) {
	bd := q.Breakdown
	if bd == "" {
		bd = BreakdownTotal
	}
	sqlq := `SELECT ` + valueCols + ` FROM segmap_values v`
	args := []any{q.Level, q.Indicator, q.Year, bd}
	where := ` WHERE v.level = ? AND v.indicator = ? AND v.year = ? AND v.breakdown = ?`
	if len(q.Kommuner) > 0 && q.Level != LevelLan && q.Level != LevelRiket {
		sqlq += ` JOIN segmap_areas a ON a.level = v.level AND a.code = v.code`
		where += ` AND a.kommun IN (?` + strings.Repeat(",?", len(q.Kommuner)-1) + `)`
		for _, k := range q.Kommuner {
			args = append(args, k)
		}
	}
	rows, err := s.db.QueryContext(ctx, sqlq+where+` ORDER BY v.code`, args...)
	if err != nil {
		return nil, fmt.Errorf("data: values %s %s %d: %w", q.Level, q.Indicator, q.Year, err)
	}
	out, err := scanValues(rows)
	if err != nil {
		return nil, fmt.Errorf("data: values %s %s %d: %w", q.Level, q.Indicator, q.Year, err)
	}
	return out, nil
}

// AreaValues returns every value of one area: all indicators, years and
// breakdowns, sorted by indicator (import order), year, breakdown.
func (s *Store) AreaValues(ctx context.Context, level, code string) ([]Value, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+valueCols+` FROM segmap_values v
 LEFT JOIN segmap_indicators i ON i.id = v.indicator
 WHERE v.level = ? AND v.code = ? ORDER BY i.sort, v.indicator, v.year, v.breakdown != 'total', v.breakdown`, level, code)
	if err != nil {
		return nil, fmt.Errorf("data: values of %s %s: %w", level, code, err)
	}
	out, err := scanValues(rows)
	if err != nil {
		return nil, fmt.Errorf("data: values of %s %s: %w", level, code, err)
	}
	return out, nil
}
