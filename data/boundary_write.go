package data

import (
	"context"
	"fmt"
	"strings"

	"github.com/paulmach/orb"

	"github.com/segmap/segmap/data/gpkg"
)

// builtinLevelSort is the segmap_levels.sort of new custom and overlay levels.
var boundaryLevelSort = map[LevelKind]int{KindBuiltin: 10, KindCustom: 60, KindOverlay: 70}

func isBuiltinLevel(level string) bool {
	switch level {
	case LevelDeSO, LevelRegSO, LevelKommun, LevelLan, LevelRiket:
		return true
	}
	return false
}

// boundaryParent is the parent area code recorded in segmap_areas, when it
// follows from the code alone ("" = leave what the hierarchy import wrote).
func boundaryParent(level, code string) string {
	if re, ok := boundaryCodeRes[level]; ok && !re.MatchString(code) {
		return ""
	}
	switch level {
	case LevelRegSO:
		return code[:4]
	case LevelKommun:
		return code[:2]
	case LevelLan:
		return RiketCode
	}
	return ""
}

// writeFeatureTable (re)creates the level's GeoPackage feature table with the
// given areas and registers it in gpkg_contents and gpkg_geometry_columns.
func (tx *Tx) writeFeatureTable(ctx context.Context, table, description string, areas []boundaryArea) error {
	q := boundaryQuote(table)
	if err := tx.dropRTree(ctx, table); err != nil {
		return err
	}
	stmts := []string{
		`DROP TABLE IF EXISTS ` + q,
		`DELETE FROM gpkg_geometry_columns WHERE table_name = ?`,
		`DELETE FROM gpkg_contents WHERE table_name = ?`,
		`CREATE TABLE ` + q + ` (fid INTEGER PRIMARY KEY, geom MULTIPOLYGON, code TEXT UNIQUE NOT NULL, name TEXT, kommun TEXT, lan TEXT)`,
	}
	for _, st := range stmts {
		var args []any
		if strings.Contains(st, "?") {
			args = []any{table}
		}
		if _, err := tx.tx.ExecContext(ctx, st, args...); err != nil {
			return fmt.Errorf("data: feature table %s: %w", table, err)
		}
	}
	ins, err := tx.tx.PrepareContext(ctx, `INSERT INTO `+q+` (fid, geom, code, name, kommun, lan) VALUES (?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("data: feature table %s: %w", table, err)
	}
	defer ins.Close()
	var bd orb.Bound
	ids := make([]int64, 0, len(areas))
	bounds := make([]orb.Bound, 0, len(areas))
	for i, a := range areas {
		if i%64 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		blob, err := gpkg.Encode(a.MP, 4326)
		if err != nil {
			return fmt.Errorf("data: feature table %s: area %s: %w", table, a.Code, err)
		}
		if _, err := ins.ExecContext(ctx, a.ID, blob, a.Code, a.Name, nullString(a.Kommun), nullString(a.Lan)); err != nil {
			return fmt.Errorf("data: feature table %s: area %s: %w", table, a.Code, err)
		}
		ab := a.MP.Bound()
		if i == 0 {
			bd = ab
		} else {
			bd = bd.Union(ab)
		}
		ids = append(ids, a.ID)
		bounds = append(bounds, ab)
	}
	if err := tx.createRTree(ctx, table, ids, bounds); err != nil {
		return err
	}
	_, err = tx.tx.ExecContext(ctx, `INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, min_x, min_y, max_x, max_y, srs_id)
		VALUES (?, 'features', ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ','now'), ?, ?, ?, ?, 4326)`,
		table, table, description, bd.Min[0], bd.Min[1], bd.Max[0], bd.Max[1])
	if err != nil {
		return fmt.Errorf("data: register %s in gpkg_contents: %w", table, err)
	}
	_, err = tx.tx.ExecContext(ctx, `INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m)
		VALUES (?, 'geom', 'MULTIPOLYGON', 4326, 0, 0)`, table)
	if err != nil {
		return fmt.Errorf("data: register %s in gpkg_geometry_columns: %w", table, err)
	}
	return nil
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// upsertLevel makes sure the level exists and points at its feature table.
func (tx *Tx) upsertLevel(ctx context.Context, opts BoundaryOptions, source string) error {
	kind := opts.Kind
	if kind == "" {
		kind = KindCustom
		if isBuiltinLevel(opts.Level) {
			kind = KindBuiltin
		}
	}
	if isBuiltinLevel(opts.Level) && kind != KindBuiltin {
		return fmt.Errorf("%w: level %q is built in; its kind cannot be %q", ErrInvalid, opts.Level, kind)
	}
	if _, ok := boundaryLevelSort[kind]; !ok {
		return fmt.Errorf("%w: level kind %q: expected builtin, custom or overlay", ErrInvalid, kind)
	}
	nameSV, nameEN := opts.LevelNameSV, opts.LevelNameEN
	if nameSV == "" {
		nameSV = opts.Level
	}
	if nameEN == "" {
		nameEN = nameSV
	}
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO segmap_levels (id, name_sv, name_en, kind, table_name, source, sort)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET table_name = excluded.table_name, source = excluded.source,
		  name_sv = CASE WHEN ? <> '' THEN excluded.name_sv ELSE name_sv END,
		  name_en = CASE WHEN ? <> '' THEN excluded.name_en ELSE name_en END`,
		opts.Level, nameSV, nameEN, string(kind), opts.Level, source, boundaryLevelSort[kind], opts.LevelNameSV, opts.LevelNameEN)
	if err != nil {
		return fmt.Errorf("data: level %s: %w", opts.Level, err)
	}
	return nil
}

// upsertBoundaryAreas writes the areas into segmap_areas. Names and parents
// already known from a hierarchy import are kept when the file has none.
func (tx *Tx) upsertBoundaryAreas(ctx context.Context, level string, areas []boundaryArea) error {
	st, err := tx.tx.PrepareContext(ctx, `INSERT INTO segmap_areas (level, code, name, parent, kommun, lan) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT(level, code) DO UPDATE SET
		  name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE name END,
		  parent = coalesce(excluded.parent, parent),
		  kommun = coalesce(excluded.kommun, kommun),
		  lan = coalesce(excluded.lan, lan)`)
	if err != nil {
		return fmt.Errorf("data: areas %s: %w", level, err)
	}
	defer st.Close()
	for _, a := range areas {
		if _, err := st.ExecContext(ctx, level, a.Code, a.Name, nullString(boundaryParent(level, a.Code)), nullString(a.Kommun), nullString(a.Lan)); err != nil {
			return fmt.Errorf("data: areas %s %s: %w", level, a.Code, err)
		}
	}
	return nil
}

// writeBoundaries writes a boundary file's areas and returns the summary
// for the import history (the caller logs it).
func (tx *Tx) writeBoundaries(ctx context.Context, opts BoundaryOptions, rep *BoundaryReport, areas []boundaryArea) (string, error) {
	if err := tx.upsertLevel(ctx, opts, rep.File); err != nil {
		return "", err
	}
	desc := fmt.Sprintf("%s boundaries imported from %s", opts.Level, rep.File)
	if err := tx.writeFeatureTable(ctx, opts.Level, desc, areas); err != nil {
		return "", err
	}
	if !isBuiltinLevel(opts.Level) {
		// A custom or overlay layer is replaced fully, areas included. Built-in
		// levels keep areas known from the hierarchy without geometry.
		if _, err := tx.tx.ExecContext(ctx, `DELETE FROM segmap_areas WHERE level = ?`, opts.Level); err != nil {
			return "", fmt.Errorf("data: areas %s: %w", opts.Level, err)
		}
	}
	if err := tx.upsertBoundaryAreas(ctx, opts.Level, areas); err != nil {
		return "", err
	}
	return fmt.Sprintf("level=%s features=%d source_srid=%d code_field=%s fixed=%d repaired=%d warnings=%d",
		opts.Level, rep.Features, rep.SourceSRID, rep.CodeField, len(rep.Fixed), len(rep.Repaired), len(rep.Warnings)), nil
}

// importBoundaries is a boundary import inside the transaction: the areas,
// then, for a DeSO file with ref (parsed from opts.Complete), the rest of
// the store (see CompleteOptions), then one row of the import history.
func (tx *Tx) importBoundaries(ctx context.Context, opts BoundaryOptions, rep *BoundaryReport, areas []boundaryArea, ref *parsedReference) error {
	summary, err := tx.writeBoundaries(ctx, opts, rep, areas)
	if err != nil {
		return err
	}
	if ref != nil {
		c, err := tx.complete(ctx, ref, opts.Complete)
		if err != nil {
			return err
		}
		rep.Completed = c
		summary += "; " + c.summary()
	}
	tx.MarkChanged()
	return tx.logImport(ctx, "boundaries", rep.File, summary)
}
