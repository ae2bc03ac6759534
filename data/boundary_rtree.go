package data

import (
	"context"
	"fmt"
	"strings"

	"github.com/paulmach/orb"
)

// The GeoPackage "gpkg_rtree_index" extension (GeoPackage 1.3, annex F.3):
// a SQLite R*Tree of feature bounding boxes that GDAL and QGIS use for
// spatial filters. segmap fills the index itself when it writes a feature
// table; the spec's triggers keep it in step when another program edits the
// table. The triggers call ST_* functions that GIS tools provide; segmap never
// edits a feature table in place (it drops and recreates it), so it does not
// need them.

const rtreeTriggerSQL = `
CREATE TRIGGER {R}_insert AFTER INSERT ON {T} WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN INSERT OR REPLACE INTO {R} VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER {R}_update1 AFTER UPDATE OF geom ON {T} WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN INSERT OR REPLACE INTO {R} VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER {R}_update2 AFTER UPDATE OF geom ON {T} WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN DELETE FROM {R} WHERE id = OLD.fid; END;
CREATE TRIGGER {R}_update3 AFTER UPDATE ON {T} WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN DELETE FROM {R} WHERE id = OLD.fid; INSERT OR REPLACE INTO {R} VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
CREATE TRIGGER {R}_update4 AFTER UPDATE ON {T} WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN DELETE FROM {R} WHERE id IN (OLD.fid, NEW.fid); END;
CREATE TRIGGER {R}_delete AFTER DELETE ON {T} WHEN old.geom NOT NULL
BEGIN DELETE FROM {R} WHERE id = OLD.fid; END;
`

func rtreeName(table string) string { return "rtree_" + table + "_geom" }

// dropRTree removes a feature table's spatial index and its registration.
func (tx *Tx) dropRTree(ctx context.Context, table string) error {
	stmts := []string{
		`CREATE TABLE IF NOT EXISTS gpkg_extensions (table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL,
		  definition TEXT NOT NULL, scope TEXT NOT NULL, CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))`,
		`DROP TABLE IF EXISTS ` + boundaryQuote(rtreeName(table)),
	}
	for _, st := range stmts {
		if _, err := tx.tx.ExecContext(ctx, st); err != nil {
			return fmt.Errorf("data: spatial index of %s: %w", table, err)
		}
	}
	_, err := tx.tx.ExecContext(ctx, `DELETE FROM gpkg_extensions WHERE table_name = ? AND extension_name = 'gpkg_rtree_index'`, table)
	if err != nil {
		return fmt.Errorf("data: spatial index of %s: %w", table, err)
	}
	return nil
}

// createRTree builds the spatial index of a freshly written feature table.
func (tx *Tx) createRTree(ctx context.Context, table string, ids []int64, bounds []orb.Bound) error {
	r := boundaryQuote(rtreeName(table))
	if _, err := tx.tx.ExecContext(ctx, `CREATE VIRTUAL TABLE `+r+` USING rtree(id, minx, maxx, miny, maxy)`); err != nil {
		return fmt.Errorf("data: spatial index of %s: %w", table, err)
	}
	ins, err := tx.tx.PrepareContext(ctx, `INSERT INTO `+r+` VALUES (?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("data: spatial index of %s: %w", table, err)
	}
	defer ins.Close()
	for i, id := range ids {
		b := bounds[i]
		if _, err := ins.ExecContext(ctx, id, b.Min[0], b.Max[0], b.Min[1], b.Max[1]); err != nil {
			return fmt.Errorf("data: spatial index of %s: %w", table, err)
		}
	}
	// Level ids are lower-case letters, digits and '_' (checkBoundaryLevel),
	// so the index and trigger names need no quoting; the table is quoted.
	trig := strings.NewReplacer("{R}", rtreeName(table), "{T}", boundaryQuote(table)).Replace(rtreeTriggerSQL)
	if _, err := tx.tx.ExecContext(ctx, trig); err != nil {
		return fmt.Errorf("data: spatial index triggers of %s: %w", table, err)
	}
	_, err = tx.tx.ExecContext(ctx, `INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope)
		VALUES (?, 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')`, table)
	if err != nil {
		return fmt.Errorf("data: register spatial index of %s: %w", table, err)
	}
	return nil
}
