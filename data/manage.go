package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// The data page's management of indicators and boundary layers. Every
// change runs in one transaction, moves the data version and ends the
// undo of the last import (undo restores the state before an import; it
// never reverts a later edit).

// IndicatorLevel is what an indicator has at one level.
type IndicatorLevel struct {
	Level string `json:"level"`
	Years []int  `json:"years"`
	Rows  int    `json:"rows"`
}

// IndicatorSummary is an indicator with its levels, years, row counts and
// the file of the latest import that wrote it.
type IndicatorSummary struct {
	ID             string           `json:"id"`
	NameSV         string           `json:"name_sv"`
	NameEN         string           `json:"name_en"`
	Unit           string           `json:"unit"`
	HigherIsBetter *bool            `json:"higher_is_better"`
	Aggregation    Aggregation      `json:"aggregation"`
	Source         string           `json:"source"`
	Levels         []IndicatorLevel `json:"levels"`
	Rows           int              `json:"rows"`
	Origin         string           `json:"origin"`
}

// IndicatorSummaries lists every indicator for the data page.
func (s *Store) IndicatorSummaries(ctx context.Context) ([]IndicatorSummary, error) {
	inds, err := s.Indicators(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT indicator, level, year, count(*) FROM segmap_values GROUP BY indicator, level, year`)
	if err != nil {
		return nil, fmt.Errorf("data: indicator rows: %w", err)
	}
	type lk struct{ ind, level string }
	counts := map[lk]*IndicatorLevel{}
	for rows.Next() {
		var ind, level string
		var year, n int
		if err := rows.Scan(&ind, &level, &year, &n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("data: indicator rows: %w", err)
		}
		k := lk{ind, level}
		if counts[k] == nil {
			counts[k] = &IndicatorLevel{Level: level}
		}
		c := counts[k]
		if len(c.Years) == 0 || c.Years[len(c.Years)-1] != year {
			c.Years = append(c.Years, year)
		}
		c.Rows += n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("data: indicator rows: %w", err)
	}
	origins, err := s.indicatorOrigins(ctx)
	if err != nil {
		return nil, err
	}
	order := map[string]int{LevelDeSO: 0, LevelRegSO: 1, LevelKommun: 2, LevelLan: 3, LevelRiket: 4}
	out := make([]IndicatorSummary, 0, len(inds))
	for _, ind := range inds {
		sum := IndicatorSummary{ID: ind.ID, NameSV: ind.NameSV, NameEN: ind.NameEN, Unit: ind.Unit, HigherIsBetter: ind.HigherIsBetter,
			Aggregation: ind.Aggregation, Source: ind.Source, Levels: []IndicatorLevel{}, Origin: origins[ind.ID]}
		for k, c := range counts {
			if k.ind == ind.ID {
				sort.Ints(c.Years)
				sum.Levels = append(sum.Levels, *c)
				sum.Rows += c.Rows
			}
		}
		sort.Slice(sum.Levels, func(i, j int) bool {
			oi, ok := order[sum.Levels[i].Level]
			if !ok {
				oi = 10
			}
			oj, ok := order[sum.Levels[j].Level]
			if !ok {
				oj = 10
			}
			if oi != oj {
				return oi < oj
			}
			return sum.Levels[i].Level < sum.Levels[j].Level
		})
		out = append(out, sum)
	}
	return out, nil
}

// indicatorOrigins maps indicator ids to the file of the latest import that
// wrote them, read from the undo-independent history: imports made through
// the data page record the ids in their summary ("ids: a, b").
func (s *Store) indicatorOrigins(ctx context.Context) (map[string]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT file, summary FROM segmap_imports WHERE kind = 'indicators' ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("data: imports: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var file, summary string
		if err := rows.Scan(&file, &summary); err != nil {
			return nil, fmt.Errorf("data: imports: %w", err)
		}
		if i := strings.Index(summary, "; ids: "); i >= 0 {
			for _, id := range strings.Split(summary[i+len("; ids: "):], ", ") {
				out[strings.TrimSpace(id)] = file
			}
		}
	}
	return out, rows.Err()
}

// IndicatorPatch changes an indicator's metadata; nil fields stay.
// HigherIsBetter: set SetHigherIsBetter to write it (nil = neither).
type IndicatorPatch struct {
	NameSV, NameEN, Unit *string
	SetHigherIsBetter    bool
	HigherIsBetter       *bool
}

// UpdateIndicator changes an indicator's names, unit or direction.
func (s *Store) UpdateIndicator(ctx context.Context, id string, p IndicatorPatch) error {
	if p.NameSV != nil && strings.TrimSpace(*p.NameSV) == "" {
		return &InputError{File: "indicator " + id, Field: "name_sv", Problem: "the Swedish name cannot be empty", ProblemSV: "det svenska namnet får inte vara tomt"}
	}
	for _, f := range []struct {
		name string
		v    *string
	}{{"name_sv", p.NameSV}, {"name_en", p.NameEN}, {"unit", p.Unit}} {
		if f.v != nil && len(*f.v) > 200 {
			return &InputError{File: "indicator " + id, Field: f.name, Problem: "at most 200 characters", ProblemSV: "högst 200 tecken"}
		}
	}
	return s.Update(ctx, func(tx *Tx) error {
		var n int
		if err := tx.tx.QueryRowContext(ctx, `SELECT count(*) FROM segmap_indicators WHERE id = ?`, id).Scan(&n); err != nil {
			return fmt.Errorf("data: indicator %s: %w", id, err)
		}
		if n == 0 {
			return notFound("no indicator "+id, "indikatorn "+id+" finns inte")
		}
		set := func(col string, v any) error {
			_, err := tx.tx.ExecContext(ctx, `UPDATE segmap_indicators SET `+col+` = ? WHERE id = ?`, v, id)
			if err != nil {
				return fmt.Errorf("data: indicator %s: %w", id, err)
			}
			return nil
		}
		if p.NameSV != nil {
			if err := set("name_sv", strings.TrimSpace(*p.NameSV)); err != nil {
				return err
			}
		}
		if p.NameEN != nil {
			if err := set("name_en", strings.TrimSpace(*p.NameEN)); err != nil {
				return err
			}
		}
		if p.Unit != nil {
			if err := set("unit", strings.TrimSpace(*p.Unit)); err != nil {
				return err
			}
		}
		if p.SetHigherIsBetter {
			var v any
			if p.HigherIsBetter != nil {
				v = boolInt(*p.HigherIsBetter)
			}
			if err := set("higher_is_better", v); err != nil {
				return err
			}
		}
		tx.MarkChanged()
		return tx.clearUndo(ctx)
	})
}

// DeleteIndicator removes an indicator's values of one year (year > 0) at
// every level, or the whole indicator (year 0). It returns the number of
// values removed.
func (s *Store) DeleteIndicator(ctx context.Context, id string, year int) (int64, error) {
	var deleted int64
	err := s.Update(ctx, func(tx *Tx) error {
		var n int
		if err := tx.tx.QueryRowContext(ctx, `SELECT count(*) FROM segmap_indicators WHERE id = ?`, id).Scan(&n); err != nil {
			return fmt.Errorf("data: indicator %s: %w", id, err)
		}
		if n == 0 {
			return notFound("no indicator "+id, "indikatorn "+id+" finns inte")
		}
		q, args := `DELETE FROM segmap_values WHERE indicator = ?`, []any{id}
		if year > 0 {
			q += ` AND year = ?`
			args = append(args, year)
		}
		res, err := tx.tx.ExecContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("data: delete indicator %s: %w", id, err)
		}
		deleted, _ = res.RowsAffected()
		if year > 0 && deleted == 0 {
			return notFound(fmt.Sprintf("indicator %s has no values for %d", id, year), fmt.Sprintf("indikatorn %s har inga värden för %d", id, year))
		}
		if year == 0 {
			if _, err := tx.tx.ExecContext(ctx, `DELETE FROM segmap_notes WHERE indicator = ?`, id); err != nil {
				return fmt.Errorf("data: delete indicator %s: %w", id, err)
			}
			if _, err := tx.tx.ExecContext(ctx, `DELETE FROM segmap_indicators WHERE id = ?`, id); err != nil {
				return fmt.Errorf("data: delete indicator %s: %w", id, err)
			}
		}
		tx.MarkChanged()
		return tx.clearUndo(ctx)
	})
	return deleted, err
}

// BoundaryLayer is a level with a boundary layer, for the data page.
type BoundaryLayer struct {
	Level    string     `json:"level"`
	NameSV   string     `json:"name_sv"`
	NameEN   string     `json:"name_en"`
	Kind     LevelKind  `json:"kind"`
	Features int        `json:"features"`
	Areas    int        `json:"areas"`
	Source   string     `json:"source"`
	BBox     [4]float64 `json:"bbox"`
}

// BoundaryLayers lists the levels that have a boundary layer.
func (s *Store) BoundaryLayers(ctx context.Context) ([]BoundaryLayer, error) {
	levels, err := s.Levels(ctx)
	if err != nil {
		return nil, err
	}
	out := []BoundaryLayer{}
	for _, l := range levels {
		if l.Table == "" {
			continue
		}
		out = append(out, BoundaryLayer{Level: l.ID, NameSV: l.NameSV, NameEN: l.NameEN, Kind: l.Kind, Features: l.FeatureCount, Areas: l.AreaCount,
			Source: l.Source, BBox: [4]float64{l.Bounds.Min[0], l.Bounds.Min[1], l.Bounds.Max[0], l.Bounds.Max[1]}})
	}
	return out, nil
}

// DeleteBoundaryLayer removes a level's boundary layer (its feature table,
// spatial index and registration). A custom or overlay level goes with its
// areas and values; a built-in level keeps its areas and values (they come
// from the hierarchy and the imports) and only loses its polygons.
// It returns the number of features removed.
func (s *Store) DeleteBoundaryLayer(ctx context.Context, level string) (int64, error) {
	var deleted int64
	err := s.Update(ctx, func(tx *Tx) error {
		var table sql.NullString
		err := tx.tx.QueryRowContext(ctx, `SELECT table_name FROM segmap_levels WHERE id = ?`, level).Scan(&table)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && (!table.Valid || table.String == "")) {
			return notFound("no boundary layer "+level, "det finns inget gränslager "+level)
		}
		if err != nil {
			return fmt.Errorf("data: boundary layer %s: %w", level, err)
		}
		if err := tx.tx.QueryRowContext(ctx, `SELECT count(*) FROM `+boundaryQuote(table.String)).Scan(&deleted); err != nil {
			return fmt.Errorf("data: boundary layer %s: %w", level, err)
		}
		if err := tx.dropRTree(ctx, table.String); err != nil {
			return err
		}
		for _, st := range []string{`DROP TABLE IF EXISTS ` + boundaryQuote(table.String),
			`DELETE FROM gpkg_geometry_columns WHERE table_name = ?`, `DELETE FROM gpkg_contents WHERE table_name = ?`} {
			var args []any
			if strings.Contains(st, "?") {
				args = []any{table.String}
			}
			if _, err := tx.tx.ExecContext(ctx, st, args...); err != nil {
				return fmt.Errorf("data: delete boundary layer %s: %w", level, err)
			}
		}
		if isBuiltinLevel(level) {
			if _, err := tx.tx.ExecContext(ctx, `UPDATE segmap_levels SET table_name = NULL WHERE id = ?`, level); err != nil {
				return fmt.Errorf("data: delete boundary layer %s: %w", level, err)
			}
		} else {
			for _, st := range []string{`DELETE FROM segmap_values WHERE level = ?`, `DELETE FROM segmap_notes WHERE level = ?`,
				`DELETE FROM segmap_areas WHERE level = ?`, `DELETE FROM segmap_levels WHERE id = ?`} {
				if _, err := tx.tx.ExecContext(ctx, st, level); err != nil {
					return fmt.Errorf("data: delete boundary layer %s: %w", level, err)
				}
			}
		}
		tx.MarkChanged()
		return tx.clearUndo(ctx)
	})
	return deleted, err
}
