package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/paulmach/orb"

	"github.com/segmap/segmap/data/gpkg"
	"github.com/segmap/segmap/internal/fault"
)

// Undo of the last import.
//
// An import made through ImportIndicatorBytes or ImportBoundaryFile copies,
// in the same transaction and before it writes, every row it may change
// into shadow tables (segmap_undo_<n>, plain SQLite tables made with
// CREATE TABLE … AS SELECT, so each value keeps its exact storage class)
// and lists them in segmap_undo with the predicate that selects those rows.
// UndoLastImport deletes the rows the predicate selects now and puts the
// shadow rows back, again in one transaction, then drops the shadows.
//
// Why this design: the undo data is in the store itself, written in the
// same transaction as the import, so it exists exactly when the import
// does (a crash cannot leave an import without its undo or the other way
// round), it survives restarts, and it costs only the rows the import
// touched (the indicators it names; the boundary level it replaces), not
// a copy of the whole file. Only the last import is kept: the next import,
// a rename or a delete drops it, and an import made without undo data
// (segmap import on the command line) makes undo refuse, so undo never
// skips over a later change.

const undoSchema = `
CREATE TABLE IF NOT EXISTS segmap_undo (
  seq INTEGER PRIMARY KEY,
  import_id INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('rows', 'feature_table')),
  tbl TEXT NOT NULL,
  pred TEXT NOT NULL,
  args TEXT NOT NULL DEFAULT '[]',
  shadow TEXT NOT NULL,
  existed INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS segmap_undone (
  import_id INTEGER PRIMARY KEY,
  at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);`

// ErrNothingToUndo is the kind of UndoLastImport's refusal.
var ErrNothingToUndo = fault.Sentinel("data: nothing to undo", fault.Conflict)

// undoStep is one snapshot taken before an import wrote.
type undoStep struct {
	kind, tbl, pred string
	args            []any
}

func (tx *Tx) ensureUndoSchema(ctx context.Context) error {
	if _, err := tx.tx.ExecContext(ctx, undoSchema); err != nil {
		return fmt.Errorf("data: undo tables: %w", err)
	}
	return nil
}

// clearUndo forgets the undo data of the last import.
func (tx *Tx) clearUndo(ctx context.Context) error {
	if err := tx.ensureUndoSchema(ctx); err != nil {
		return err
	}
	rows, err := tx.tx.QueryContext(ctx, `SELECT shadow FROM segmap_undo`)
	if err != nil {
		return fmt.Errorf("data: undo: %w", err)
	}
	var shadows []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return fmt.Errorf("data: undo: %w", err)
		}
		shadows = append(shadows, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("data: undo: %w", err)
	}
	for _, s := range shadows {
		if _, err := tx.tx.ExecContext(ctx, `DROP TABLE IF EXISTS `+boundaryQuote(s)); err != nil {
			return fmt.Errorf("data: undo: %w", err)
		}
	}
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM segmap_undo`); err != nil {
		return fmt.Errorf("data: undo: %w", err)
	}
	return nil
}

func (tx *Tx) tableExists(ctx context.Context, name string) (bool, error) {
	var n int
	err := tx.tx.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?`, name).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("data: table %s: %w", name, err)
	}
	return n > 0, nil
}

// snapshot copies the rows each step selects into shadow tables. importID
// is filled in by recordUndo once the import has its segmap_imports row.
func (tx *Tx) snapshot(ctx context.Context, steps []undoStep) error {
	if err := tx.clearUndo(ctx); err != nil {
		return err
	}
	for _, st := range steps {
		var seq int64
		if err := tx.tx.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) + 1 FROM segmap_undo`).Scan(&seq); err != nil {
			return fmt.Errorf("data: undo: %w", err)
		}
		shadow := fmt.Sprintf("segmap_undo_%d", seq)
		existed, err := tx.tableExists(ctx, st.tbl)
		if err != nil {
			return err
		}
		if existed {
			if _, err := tx.tx.ExecContext(ctx, `CREATE TABLE `+boundaryQuote(shadow)+` AS SELECT * FROM `+boundaryQuote(st.tbl)+` WHERE `+st.pred, st.args...); err != nil {
				return fmt.Errorf("data: undo snapshot of %s: %w", st.tbl, err)
			}
		}
		args, _ := json.Marshal(st.args)
		if _, err := tx.tx.ExecContext(ctx, `INSERT INTO segmap_undo (seq, import_id, kind, tbl, pred, args, shadow, existed) VALUES (?, 0, ?, ?, ?, ?, ?, ?)`,
			seq, st.kind, st.tbl, st.pred, string(args), shadow, boolInt(existed)); err != nil {
			return fmt.Errorf("data: undo: %w", err)
		}
	}
	return nil
}

// recordUndo ties the snapshots to the import just logged and returns its id.
func (tx *Tx) recordUndo(ctx context.Context) (int64, error) {
	var id int64
	if err := tx.tx.QueryRowContext(ctx, `SELECT max(id) FROM segmap_imports`).Scan(&id); err != nil {
		return 0, fmt.Errorf("data: undo: %w", err)
	}
	if _, err := tx.tx.ExecContext(ctx, `UPDATE segmap_undo SET import_id = ?`, id); err != nil {
		return 0, fmt.Errorf("data: undo: %w", err)
	}
	return id, nil
}

func inList(n int) string {
	return "(" + strings.TrimSuffix(strings.Repeat("?,", n), ",") + ")"
}

// indicatorUndoSteps select every row an import of the mapping may change:
// all values of its indicators (every level: parents are materialised)
// and their metadata.
func indicatorUndoSteps(m *Mapping) []undoStep {
	var ids []any
	seen := map[string]bool{}
	for _, im := range m.Indicators {
		if !seen[im.ID] {
			seen[im.ID] = true
			ids = append(ids, im.ID)
		}
	}
	return []undoStep{
		{"rows", "segmap_values", "indicator IN " + inList(len(ids)), ids},
		{"rows", "segmap_indicators", "id IN " + inList(len(ids)), ids},
	}
}

// boundaryUndoSteps select what a boundary import replaces: the level's
// layer and areas; with completion (a DeSO import that completes the
// store, see CompleteOptions) also the RegSO and kommun layers, every area
// (the hierarchy names all of Sweden's) and the reference indicators.
func boundaryUndoSteps(opts BoundaryOptions, ref *parsedReference) []undoStep {
	if ref == nil {
		return append(layerUndoSteps(opts.Level), undoStep{"rows", "segmap_areas", "level = ?", []any{opts.Level}})
	}
	steps := layerUndoSteps(opts.Level)
	for _, l := range completedLevels {
		steps = append(steps, layerUndoSteps(l)...)
	}
	steps = append(steps, undoStep{"rows", "segmap_areas", "1", nil})
	m := &Mapping{}
	for _, t := range ref.tables {
		m.Indicators = append(m.Indicators, t.f.Mapping.Indicators...)
	}
	return append(steps, indicatorUndoSteps(m)...)
}

// layerUndoSteps select a level's feature table and its registration.
func layerUndoSteps(level string) []undoStep {
	return []undoStep{
		{"feature_table", level, "1", nil},
		{"rows", "gpkg_contents", "table_name = ?", []any{level}},
		{"rows", "gpkg_geometry_columns", "table_name = ?", []any{level}},
		{"rows", "gpkg_extensions", "table_name = ?", []any{level}},
		{"rows", "segmap_levels", "id = ?", []any{level}},
	}
}

// ImportIndicatorBytes imports an indicator table held in memory (name is
// its file name, for messages and the history) like ImportIndicators, and
// records how to undo it (see UndoLastImport). It returns the id of the
// import in the history.
func (s *Store) ImportIndicatorBytes(ctx context.Context, name string, b []byte, m *Mapping, progress func(done, total int)) (*JoinReport, int64, error) {
	recs, rows, err := parseIndicators(ctx, name, b, m)
	if err != nil {
		return nil, 0, err
	}
	rep := &JoinReport{File: name, Level: m.Level, Rows: rows}
	var id int64
	err = s.Update(ctx, func(tx *Tx) error {
		if err := tx.snapshot(ctx, indicatorUndoSteps(m)); err != nil {
			return err
		}
		summary, err := tx.importIndicators(ctx, recs, m, rep, progress)
		if err != nil {
			return err
		}
		if err := tx.logImport(ctx, "indicators", name, summary); err != nil {
			return err
		}
		id, err = tx.recordUndo(ctx)
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return rep, id, nil
}

// ImportBoundaryFile is ImportBoundaries that also records how to undo the
// import (see UndoLastImport) and returns its id in the history. name is
// the file's name for the history and messages (path may be a temporary file).
func (s *Store) ImportBoundaryFile(ctx context.Context, path, name string, opts BoundaryOptions) (*BoundaryReport, int64, error) {
	rep, areas, err := prepareBoundaries(ctx, path, opts)
	if err != nil {
		return rep, 0, renameInputFile(err, path, name)
	}
	rep.File = name
	ref, err := opts.parseCompletion(ctx)
	if err != nil {
		return rep, 0, err
	}
	var id int64
	err = s.Update(ctx, func(tx *Tx) error {
		if err := tx.snapshot(ctx, boundaryUndoSteps(opts, ref)); err != nil {
			return err
		}
		if err := tx.importBoundaries(ctx, opts, rep, areas, ref); err != nil {
			return err
		}
		var err error
		id, err = tx.recordUndo(ctx)
		return err
	})
	if err != nil {
		return rep, 0, err
	}
	return rep, id, nil
}

// renameInputFile makes an *InputError about path name the file as the
// person knows it.
func renameInputFile(err error, path, name string) error {
	var ie *InputError
	if errors.As(err, &ie) && name != "" {
		c := *ie
		switch {
		case c.File == path:
			c.File = name
		case strings.HasPrefix(c.File, path):
			c.File = name + strings.TrimPrefix(c.File, path)
		}
		return &c
	}
	return err
}

// UndoLastImport restores the store as it was before the last import,
// when that import recorded its undo data and nothing changed the same
// data since. It returns the id of the import undone; an error of kind
// fault.Conflict (ErrNothingToUndo) when there is nothing to undo.
func (s *Store) UndoLastImport(ctx context.Context) (int64, error) {
	var undone int64
	err := s.Update(ctx, func(tx *Tx) error {
		if err := tx.ensureUndoSchema(ctx); err != nil {
			return err
		}
		// Rows come back table by table; the foreign keys hold again once
		// every table is restored, so they are checked at commit.
		if _, err := tx.tx.ExecContext(ctx, `PRAGMA defer_foreign_keys = ON`); err != nil {
			return fmt.Errorf("data: undo: %w", err)
		}
		var id, last sql.NullInt64
		if err := tx.tx.QueryRowContext(ctx, `SELECT max(import_id) FROM segmap_undo`).Scan(&id); err != nil {
			return fmt.Errorf("data: undo: %w", err)
		}
		if err := tx.tx.QueryRowContext(ctx, `SELECT max(id) FROM segmap_imports`).Scan(&last); err != nil {
			return fmt.Errorf("data: undo: %w", err)
		}
		if !id.Valid || id.Int64 == 0 {
			return &fault.Error{Kind: fault.Conflict, Err: ErrNothingToUndo,
				EN: "there is no import to undo: only the last import made on the data page can be undone, and a rename or delete after it ends that",
				SV: "det finns ingen import att ångra: bara den senaste importen från datasidan kan ångras, och en namnändring eller borttagning efter den gör att den inte längre kan ångras"}
		}
		if last.Int64 != id.Int64 {
			return &fault.Error{Kind: fault.Conflict, Err: ErrNothingToUndo,
				EN: fmt.Sprintf("the last import (%d) was made without undo data (segmap import on the command line); it cannot be undone here", last.Int64),
				SV: fmt.Sprintf("den senaste importen (%d) gjordes utan ångra-uppgifter (segmap import på kommandoraden); den kan inte ångras här", last.Int64)}
		}
		rows, err := tx.tx.QueryContext(ctx, `SELECT kind, tbl, pred, args, shadow, existed FROM segmap_undo ORDER BY seq`)
		if err != nil {
			return fmt.Errorf("data: undo: %w", err)
		}
		type step struct {
			kind, tbl, pred, args, shadow string
			existed                       bool
		}
		var steps []step
		for rows.Next() {
			var st step
			if err := rows.Scan(&st.kind, &st.tbl, &st.pred, &st.args, &st.shadow, &st.existed); err != nil {
				rows.Close()
				return fmt.Errorf("data: undo: %w", err)
			}
			steps = append(steps, st)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("data: undo: %w", err)
		}
		var made []string
		for _, st := range steps {
			var args []any
			if err := json.Unmarshal([]byte(st.args), &args); err != nil {
				return fmt.Errorf("data: undo: args of %s: %w", st.tbl, err)
			}
			switch st.kind {
			case "feature_table":
				if err := tx.restoreFeatureTable(ctx, st.tbl, st.shadow, st.existed); err != nil {
					return err
				}
			default:
				if !st.existed {
					// A table the import made (gpkg_extensions with the first
					// spatial index): dropped once every step is done, as
					// restoring a feature table may make it again.
					made = append(made, st.tbl)
					continue
				}
				q := boundaryQuote(st.tbl)
				if _, err := tx.tx.ExecContext(ctx, `DELETE FROM `+q+` WHERE `+st.pred, args...); err != nil {
					return fmt.Errorf("data: undo %s: %w", st.tbl, err)
				}
				if _, err := tx.tx.ExecContext(ctx, `INSERT INTO `+q+` SELECT * FROM `+boundaryQuote(st.shadow)); err != nil {
					return fmt.Errorf("data: undo %s: %w", st.tbl, err)
				}
			}
		}
		for _, tbl := range made {
			if _, err := tx.tx.ExecContext(ctx, `DROP TABLE IF EXISTS `+boundaryQuote(tbl)); err != nil {
				return fmt.Errorf("data: undo %s: %w", tbl, err)
			}
		}
		if _, err := tx.tx.ExecContext(ctx, `INSERT OR REPLACE INTO segmap_undone (import_id) VALUES (?)`, id.Int64); err != nil {
			return fmt.Errorf("data: undo: %w", err)
		}
		if err := tx.clearUndo(ctx); err != nil {
			return err
		}
		tx.MarkChanged()
		undone = id.Int64
		return nil
	})
	return undone, err
}

// restoreFeatureTable puts a boundary level's feature table back as the
// shadow holds it, or drops it when the import made it.
func (tx *Tx) restoreFeatureTable(ctx context.Context, table, shadow string, existed bool) error {
	if !existed {
		if err := tx.dropRTree(ctx, table); err != nil {
			return err
		}
		if _, err := tx.tx.ExecContext(ctx, `DROP TABLE IF EXISTS `+boundaryQuote(table)); err != nil {
			return fmt.Errorf("data: undo %s: %w", table, err)
		}
		return nil
	}
	rows, err := tx.tx.QueryContext(ctx, `SELECT fid, geom, code, coalesce(name, ''), coalesce(kommun, ''), coalesce(lan, '') FROM `+boundaryQuote(shadow))
	if err != nil {
		return fmt.Errorf("data: undo %s: %w", table, err)
	}
	var areas []boundaryArea
	for rows.Next() {
		var a boundaryArea
		var blob []byte
		if err := rows.Scan(&a.ID, &blob, &a.Code, &a.Name, &a.Kommun, &a.Lan); err != nil {
			rows.Close()
			return fmt.Errorf("data: undo %s: %w", table, err)
		}
		g, _, err := gpkg.Decode(blob)
		if err != nil {
			rows.Close()
			return fmt.Errorf("data: undo %s: area %s: %w", table, a.Code, err)
		}
		switch g := g.(type) {
		case orb.MultiPolygon:
			a.MP = g
		case orb.Polygon:
			a.MP = orb.MultiPolygon{g}
		}
		a.Level = table
		areas = append(areas, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("data: undo %s: %w", table, err)
	}
	return tx.writeFeatureTable(ctx, table, "", areas)
}

// ImportRecord is one row of the import history.
type ImportRecord struct {
	ID       int64  `json:"id"`
	At       string `json:"at"`
	Kind     string `json:"kind"`
	File     string `json:"file"`
	Summary  string `json:"summary"`
	Undoable bool   `json:"undoable"`
	Undone   bool   `json:"undone"`
}

// Imports is the import history, newest first (at most limit rows; 0: 200).
func (s *Store) Imports(ctx context.Context, limit int) ([]ImportRecord, error) {
	if limit <= 0 {
		limit = 200
	}
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'segmap_undo'`).Scan(&n); err != nil {
		return nil, fmt.Errorf("data: imports: %w", err)
	}
	q := `SELECT id, at, kind, file, summary, 0, 0 FROM segmap_imports ORDER BY id DESC LIMIT ?`
	if n > 0 {
		q = `SELECT i.id, i.at, i.kind, i.file, i.summary,
		  i.id = (SELECT max(id) FROM segmap_imports) AND EXISTS (SELECT 1 FROM segmap_undo u WHERE u.import_id = i.id),
		  EXISTS (SELECT 1 FROM segmap_undone d WHERE d.import_id = i.id)
		  FROM segmap_imports i ORDER BY i.id DESC LIMIT ?`
	}
	rows, err := s.db.QueryContext(ctx, q, limit)
	if err != nil {
		return nil, fmt.Errorf("data: imports: %w", err)
	}
	defer rows.Close()
	out := []ImportRecord{}
	for rows.Next() {
		var r ImportRecord
		if err := rows.Scan(&r.ID, &r.At, &r.Kind, &r.File, &r.Summary, &r.Undoable, &r.Undone); err != nil {
			return nil, fmt.Errorf("data: imports: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
