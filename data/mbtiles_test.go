package data

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
)

func TestMBTilesWriter(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "out.mbtiles")
	w, err := CreateMBTiles(ctx, path, map[string]string{"name": "deso", "format": "pbf", "minzoom": "0", "maxzoom": "1"})
	if err != nil {
		t.Fatal(err)
	}
	a, b := []byte("tile-a"), []byte("tile-b")
	for _, tc := range []struct {
		z, x, y int
		hash    string
		data    []byte
	}{{0, 0, 0, "a", a}, {1, 0, 0, "b", b}, {1, 1, 1, "a", a}} {
		if err := w.Put(ctx, tc.z, tc.x, tc.y, tc.hash, tc.data); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(path); err == nil {
		t.Fatal("file visible before Close")
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var got []byte
	// XYZ 1/0/0 is TMS row 1.
	if err := db.QueryRow(`SELECT tile_data FROM tiles WHERE zoom_level=1 AND tile_column=0 AND tile_row=1`).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, b) {
		t.Errorf("tile 1/0/0 = %q", got)
	}
	var images int
	db.QueryRow(`SELECT count(*) FROM images`).Scan(&images)
	if images != 2 {
		t.Errorf("%d images stored, want 2 (duplicates stored once)", images)
	}
}
