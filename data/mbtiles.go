package data

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"sort"
)

// MBTilesWriter writes an MBTiles 1.3 file (https://github.com/mapbox/mbtiles-spec):
// gzip-compressed MVT tiles in TMS row order plus a metadata table. Identical
// tiles are stored once (the "images"/"map" layout, read through the
// standard "tiles" view). The file appears under its name only when Close
// succeeds: it is written to a temporary file and renamed.
type MBTilesWriter struct {
	path, tmp string
	db        *sql.DB
	tx        *sql.Tx
	putMap    *sql.Stmt
	putImage  *sql.Stmt
	seen      map[string]bool
}

// CreateMBTiles starts an MBTiles file at path with the given metadata
// (name, format, minzoom, maxzoom, bounds, center, json, ...).
func CreateMBTiles(ctx context.Context, path string, metadata map[string]string) (*MBTilesWriter, error) {
	tmp := path + ".tmp"
	os.Remove(tmp)
	db, err := sql.Open("sqlite3", "file:"+tmp+"?mode=rwc&_journal_mode=OFF&_synchronous=OFF")
	if err != nil {
		return nil, fmt.Errorf("data: mbtiles %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	w := &MBTilesWriter{path: path, tmp: tmp, db: db, seen: map[string]bool{}}
	fail := func(err error) (*MBTilesWriter, error) {
		db.Close()
		os.Remove(tmp)
		return nil, fmt.Errorf("data: mbtiles %s: %w", path, err)
	}
	_, err = db.ExecContext(ctx, `
CREATE TABLE metadata (name TEXT NOT NULL PRIMARY KEY, value TEXT);
CREATE TABLE map (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_id TEXT);
CREATE TABLE images (tile_id TEXT NOT NULL PRIMARY KEY, tile_data BLOB);
CREATE VIEW tiles AS SELECT map.zoom_level AS zoom_level, map.tile_column AS tile_column,
  map.tile_row AS tile_row, images.tile_data AS tile_data FROM map JOIN images ON images.tile_id = map.tile_id;`)
	if err != nil {
		return fail(err)
	}
	if w.tx, err = db.BeginTx(ctx, nil); err != nil {
		return fail(err)
	}
	keys := make([]string, 0, len(metadata))
	for k := range metadata {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, err := w.tx.ExecContext(ctx, `INSERT INTO metadata(name, value) VALUES (?, ?)`, k, metadata[k]); err != nil {
			return fail(err)
		}
	}
	if w.putMap, err = w.tx.PrepareContext(ctx, `INSERT INTO map(zoom_level, tile_column, tile_row, tile_id) VALUES (?, ?, ?, ?)`); err != nil {
		return fail(err)
	}
	if w.putImage, err = w.tx.PrepareContext(ctx, `INSERT INTO images(tile_id, tile_data) VALUES (?, ?)`); err != nil {
		return fail(err)
	}
	return w, nil
}

// Put stores one gzip-compressed tile given in XYZ coordinates; hash names
// the tile's content (tiles with the same hash are stored once).
func (w *MBTilesWriter) Put(ctx context.Context, z, x, y int, hash string, gz []byte) error {
	row := (1 << z) - 1 - y // MBTiles uses the TMS scheme: rows count from the south.
	if !w.seen[hash] {
		if _, err := w.putImage.ExecContext(ctx, hash, gz); err != nil {
			return fmt.Errorf("data: mbtiles %s: tile %d/%d/%d: %w", w.path, z, x, y, err)
		}
		w.seen[hash] = true
	}
	if _, err := w.putMap.ExecContext(ctx, z, x, row, hash); err != nil {
		return fmt.Errorf("data: mbtiles %s: tile %d/%d/%d: %w", w.path, z, x, y, err)
	}
	return nil
}

// Close commits, indexes and moves the file into place.
func (w *MBTilesWriter) Close() error {
	err := w.tx.Commit()
	if err == nil {
		_, err = w.db.Exec(`CREATE UNIQUE INDEX map_index ON map (zoom_level, tile_column, tile_row)`)
	}
	if cerr := w.db.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(w.tmp, w.path)
	}
	if err != nil {
		os.Remove(w.tmp)
		return fmt.Errorf("data: mbtiles %s: %w", w.path, err)
	}
	return nil
}

// Abort discards the file.
func (w *MBTilesWriter) Abort() {
	w.tx.Rollback()
	w.db.Close()
	os.Remove(w.tmp)
}
