package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
)

const indicatorCols = `id, name_sv, name_en, unit, description_sv, description_en, source, higher_is_better, aggregation, scale, decimals`

func scanIndicator(sc interface{ Scan(...any) error }) (Indicator, error) {
	var ind Indicator
	var hib sql.NullInt64
	var agg string
	err := sc.Scan(&ind.ID, &ind.NameSV, &ind.NameEN, &ind.Unit, &ind.DescriptionSV, &ind.DescriptionEN, &ind.Source, &hib, &agg, &ind.Scale, &ind.Decimals)
	if hib.Valid {
		b := hib.Int64 != 0
		ind.HigherIsBetter = &b
	}
	ind.Aggregation = Aggregation(agg)
	return ind, err
}

// indicatorsRead is the indicator list read at one data version.
type indicatorsRead struct {
	version int64
	list    []Indicator
}

// Indicators lists every indicator in import order, with the years and
// breakdowns that have values (at any level). Listing the years scans every
// value, so the list is kept per data version (every change of the data
// moves the version) and each caller gets its own copy.
func (s *Store) Indicators(ctx context.Context) ([]Indicator, error) {
	v, err := s.DataVersion(ctx)
	if err != nil {
		return nil, err
	}
	if r := s.indicators.Load(); r != nil && r.version == v {
		return cloneIndicators(r.list), nil
	}
	out, err := s.readIndicators(ctx)
	if err != nil {
		return nil, err
	}
	s.indicators.Store(&indicatorsRead{version: v, list: out})
	return cloneIndicators(out), nil
}

// cloneIndicators copies l with its slices and maps, so a caller's changes
// never reach the kept list.
func cloneIndicators(l []Indicator) []Indicator {
	out := make([]Indicator, len(l))
	for i, ind := range l {
		out[i] = cloneIndicator(ind)
	}
	return out
}

func cloneIndicator(ind Indicator) Indicator {
	if ind.HigherIsBetter != nil {
		b := *ind.HigherIsBetter
		ind.HigherIsBetter = &b
	}
	ind.Years = slices.Clone(ind.Years)
	ind.Breakdowns = slices.Clone(ind.Breakdowns)
	if ind.YearsByLevel != nil {
		m := make(map[string][]int, len(ind.YearsByLevel))
		for k, ys := range ind.YearsByLevel {
			m[k] = slices.Clone(ys)
		}
		ind.YearsByLevel = m
	}
	return ind
}

// readIndicators reads the indicator list from the file.
func (s *Store) readIndicators(ctx context.Context) ([]Indicator, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+indicatorCols+` FROM segmap_indicators ORDER BY sort, id`)
	if err != nil {
		return nil, fmt.Errorf("data: indicators: %w", err)
	}
	var out []Indicator
	idx := map[string]int{}
	for rows.Next() {
		ind, err := scanIndicator(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("data: indicators: %w", err)
		}
		idx[ind.ID] = len(out)
		out = append(out, ind)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("data: indicators: %w", err)
	}
	if err := s.fillYears(ctx, out, idx, ""); err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Store) fillYears(ctx context.Context, out []Indicator, idx map[string]int, only string) error {
	q := `SELECT indicator, year, breakdown, level, MAX(value IS NOT NULL) FROM segmap_values`
	var args []any
	if only != "" {
		q += ` WHERE indicator = ?`
		args = append(args, only)
	}
	q += ` GROUP BY indicator, year, breakdown, level`
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("data: indicator years: %w", err)
	}
	defer rows.Close()
	years := map[string]map[int]bool{}
	bds := map[string]map[string]bool{}
	byLevel := map[string]map[string]map[int]bool{}
	for rows.Next() {
		var id, bd, level string
		var y int
		var has bool
		if err := rows.Scan(&id, &y, &bd, &level, &has); err != nil {
			return fmt.Errorf("data: indicator years: %w", err)
		}
		if years[id] == nil {
			years[id], bds[id], byLevel[id] = map[int]bool{}, map[string]bool{}, map[string]map[int]bool{}
		}
		years[id][y] = true
		bds[id][bd] = true
		if has {
			if byLevel[id][level] == nil {
				byLevel[id][level] = map[int]bool{}
			}
			byLevel[id][level][y] = true
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("data: indicator years: %w", err)
	}
	for id, i := range idx {
		for y := range years[id] {
			out[i].Years = append(out[i].Years, y)
		}
		sort.Ints(out[i].Years)
		if len(byLevel[id]) > 0 {
			out[i].YearsByLevel = map[string][]int{}
			for level, ys := range byLevel[id] {
				for y := range ys {
					out[i].YearsByLevel[level] = append(out[i].YearsByLevel[level], y)
				}
				sort.Ints(out[i].YearsByLevel[level])
			}
		}
		for b := range bds[id] {
			out[i].Breakdowns = append(out[i].Breakdowns, b)
		}
		// "total" first, then alphabetical.
		sort.Slice(out[i].Breakdowns, func(a, b int) bool {
			x, y := out[i].Breakdowns[a], out[i].Breakdowns[b]
			if (x == BreakdownTotal) != (y == BreakdownTotal) {
				return x == BreakdownTotal
			}
			return x < y
		})
	}
	return nil
}

// Indicator returns one indicator with its years and breakdowns (ErrNotFound wrapped).
func (s *Store) Indicator(ctx context.Context, id string) (Indicator, error) {
	if r := s.indicators.Load(); r != nil {
		if v, err := s.DataVersion(ctx); err == nil && v == r.version {
			for _, ind := range r.list {
				if ind.ID == id {
					return cloneIndicator(ind), nil
				}
			}
		}
	}
	ind, err := scanIndicator(s.db.QueryRowContext(ctx, `SELECT `+indicatorCols+` FROM segmap_indicators WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Indicator{}, notFound(fmt.Sprintf("unknown indicator %q", id), fmt.Sprintf("okänd indikator %q", id))
	}
	if err != nil {
		return Indicator{}, fmt.Errorf("data: indicator %s: %w", id, err)
	}
	out := []Indicator{ind}
	if err := s.fillYears(ctx, out, map[string]int{id: 0}, id); err != nil {
		return Indicator{}, err
	}
	return out[0], nil
}
