package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/paulmach/orb"

	"github.com/segmap/segmap/data/gpkg"
)

// Levels lists every level with its feature and area counts and the WGS 84
// bounds of its boundary layer, in display order.
func (s *Store) Levels(ctx context.Context) ([]Level, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT l.id, l.name_sv, l.name_en, l.kind, coalesce(l.parent, ''), coalesce(l.table_name, ''), l.source,
		  (SELECT count(*) FROM segmap_areas a WHERE a.level = l.id),
		  c.min_x, c.min_y, c.max_x, c.max_y
		FROM segmap_levels l LEFT JOIN gpkg_contents c ON c.table_name = l.table_name AND c.data_type = 'features'
		ORDER BY l.sort, l.id`)
	if err != nil {
		return nil, fmt.Errorf("data: levels: %w", err)
	}
	defer rows.Close()
	var out []Level
	for rows.Next() {
		var l Level
		var kind string
		var minX, minY, maxX, maxY sql.NullFloat64
		if err := rows.Scan(&l.ID, &l.NameSV, &l.NameEN, &kind, &l.Parent, &l.Table, &l.Source, &l.AreaCount, &minX, &minY, &maxX, &maxY); err != nil {
			return nil, fmt.Errorf("data: levels: %w", err)
		}
		l.Kind = LevelKind(kind)
		if minX.Valid && minY.Valid && maxX.Valid && maxY.Valid {
			l.Bounds = orb.Bound{Min: orb.Point{minX.Float64, minY.Float64}, Max: orb.Point{maxX.Float64, maxY.Float64}}
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("data: levels: %w", err)
	}
	rows.Close()
	for i := range out {
		if out[i].Table == "" {
			continue
		}
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM `+boundaryQuote(out[i].Table)).Scan(&out[i].FeatureCount); err != nil {
			return nil, fmt.Errorf("data: levels: count %s: %w", out[i].Table, err)
		}
	}
	return out, nil
}

// AreasOptions configure Areas.
type AreasOptions struct {
	// WithGeometry loads each area's boundary (WGS 84 MultiPolygon).
	WithGeometry bool
	// Kommuner keeps only areas in these kommun codes (none: all).
	Kommuner []string
}

// querier is what reads need: the store's pool or an open transaction
// (which sees its own writes).
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// levelTable returns the feature table of a level ("" when it has none) or
// ErrNotFound for an unknown level.
func (s *Store) levelTable(ctx context.Context, level string) (string, error) {
	return levelTableOf(ctx, s.db, level)
}

func levelTableOf(ctx context.Context, q querier, level string) (string, error) {
	var table sql.NullString
	err := q.QueryRowContext(ctx, `SELECT table_name FROM segmap_levels WHERE id = ?`, level).Scan(&table)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound(fmt.Sprintf("unknown level %q", level), fmt.Sprintf("okänd nivå %q", level))
	}
	if err != nil {
		return "", fmt.Errorf("data: level %s: %w", level, err)
	}
	return table.String, nil
}

// Areas lists the areas of a level sorted by code: every area in the
// hierarchy, with or without geometry, plus features of the level's layer.
func (s *Store) Areas(ctx context.Context, level string, opts AreasOptions) ([]Area, error) {
	return queryAreas(ctx, s.db, level, "", opts)
}

// areas is Areas inside the transaction.
func (tx *Tx) areas(ctx context.Context, level string, opts AreasOptions) ([]Area, error) {
	return queryAreas(ctx, tx.tx, level, "", opts)
}

// Area returns one area with its geometry (nil when it has none); an
// unknown level or code is ErrNotFound.
func (s *Store) Area(ctx context.Context, level, code string) (Area, error) {
	as, err := queryAreas(ctx, s.db, level, code, AreasOptions{WithGeometry: true})
	if err != nil {
		return Area{}, err
	}
	if len(as) == 0 {
		return Area{}, notFound(fmt.Sprintf("no area %q at level %s", code, level), fmt.Sprintf("inget område %q på nivån %s", code, level))
	}
	return as[0], nil
}

func queryAreas(ctx context.Context, db querier, level, code string, opts AreasOptions) ([]Area, error) {
	table, err := levelTableOf(ctx, db, level)
	if err != nil {
		return nil, err
	}
	geomExpr, hasGeom := "NULL", "0"
	from := `(SELECT code, name, parent, regso, kommun, lan FROM segmap_areas WHERE level = ?) a`
	args := []any{level}
	if table != "" {
		q := boundaryQuote(table)
		if opts.WithGeometry {
			geomExpr = "g.geom"
		}
		hasGeom = "g.geom IS NOT NULL"
		// Areas of the hierarchy, plus features that are not (yet) in it.
		from = `(SELECT code, name, parent, regso, kommun, lan FROM segmap_areas WHERE level = ?
			UNION ALL SELECT f.code, coalesce(f.name, ''), NULL, NULL, f.kommun, f.lan FROM ` + q + ` f
			WHERE NOT EXISTS (SELECT 1 FROM segmap_areas x WHERE x.level = ? AND x.code = f.code)) a
			LEFT JOIN ` + q + ` g ON g.code = a.code`
		args = append(args, level)
	}
	query := `SELECT a.code, a.name, coalesce(a.parent, ''), coalesce(a.regso, ''), coalesce(a.kommun, ''), coalesce(a.lan, ''), ` + hasGeom + `, ` + geomExpr + ` FROM ` + from
	var where []string
	if code != "" {
		where = append(where, "a.code = ?")
		args = append(args, code)
	}
	if len(opts.Kommuner) > 0 {
		where = append(where, "a.kommun IN (?"+strings.Repeat(", ?", len(opts.Kommuner)-1)+")")
		for _, k := range opts.Kommuner {
			args = append(args, k)
		}
	}
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY a.code"
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("data: areas %s: %w", level, err)
	}
	defer rows.Close()
	var out []Area
	for rows.Next() {
		a := Area{Level: level}
		var blob []byte
		if err := rows.Scan(&a.Code, &a.Name, &a.Parent, &a.RegSO, &a.Kommun, &a.Lan, &a.Mapped, &blob); err != nil {
			return nil, fmt.Errorf("data: areas %s: %w", level, err)
		}
		a.ID = FeatureID(a.Code)
		if len(blob) > 0 {
			g, _, err := gpkg.Decode(blob)
			if err != nil {
				return nil, fmt.Errorf("data: areas %s %s: %w", level, a.Code, err)
			}
			a.Geometry = g
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("data: areas %s: %w", level, err)
	}
	return out, nil
}

// ReplaceGeometry replaces the level's boundary layer with the given areas
// (e.g. RegSO dissolved from DeSO). Geometries must be WGS 84 Polygon or
// MultiPolygon; areas are added to segmap_areas (existing names and parents
// are kept when an area has none). The level must exist.
func (s *Store) ReplaceGeometry(ctx context.Context, level string, areas []Area) error {
	return s.Update(ctx, func(tx *Tx) error { return tx.replaceGeometry(ctx, level, areas) })
}

// replaceGeometry is ReplaceGeometry inside the transaction.
func (tx *Tx) replaceGeometry(ctx context.Context, level string, areas []Area) error {
	if err := checkBoundaryLevel(level); err != nil {
		return err
	}
	if _, err := levelTableOf(ctx, tx.tx, level); err != nil {
		return err
	}
	bas := make([]boundaryArea, 0, len(areas))
	seen := map[string]bool{}
	for _, a := range areas {
		if a.Code == "" {
			return fmt.Errorf("%w: replace geometry %s: an area has no code", ErrInvalid, level)
		}
		if seen[a.Code] {
			return fmt.Errorf("%w: replace geometry %s: duplicate code %q", ErrInvalid, level, a.Code)
		}
		seen[a.Code] = true
		var mp orb.MultiPolygon
		switch g := a.Geometry.(type) {
		case orb.Polygon:
			mp = orb.MultiPolygon{g}
		case orb.MultiPolygon:
			mp = g
		default:
			return fmt.Errorf("%w: replace geometry %s %s: geometry is %T, want Polygon or MultiPolygon", ErrInvalid, level, a.Code, a.Geometry)
		}
		a.ID = FeatureID(a.Code)
		a.Level = level
		if a.Kommun == "" || a.Lan == "" {
			k, l := boundaryParents(level, a.Code, nil)
			if a.Kommun == "" {
				a.Kommun = k
			}
			if a.Lan == "" {
				a.Lan = l
			}
		}
		bas = append(bas, boundaryArea{Area: a, MP: mp})
	}
	if err := tx.writeFeatureTable(ctx, level, level+" boundaries", bas); err != nil {
		return err
	}
	if _, err := tx.tx.ExecContext(ctx, `UPDATE segmap_levels SET table_name = ? WHERE id = ?`, level, level); err != nil {
		return fmt.Errorf("data: level %s: %w", level, err)
	}
	if err := tx.upsertBoundaryAreas(ctx, level, bas); err != nil {
		return err
	}
	tx.MarkChanged()
	return nil
}
