package data

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
)

func TestOpenCreatesGeoPackage(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "store.gpkg")
	s, err := Open(ctx, path, OpenOptions{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var appID, userVersion int
	if err := s.db.QueryRow(`PRAGMA application_id`).Scan(&appID); err != nil {
		t.Fatal(err)
	}
	if err := s.db.QueryRow(`PRAGMA user_version`).Scan(&userVersion); err != nil {
		t.Fatal(err)
	}
	if appID != gpkgApplicationID || userVersion != gpkgUserVersion {
		t.Errorf("application_id=%x user_version=%d, want GPKG 10300", appID, userVersion)
	}
	var mode string
	s.db.QueryRow(`PRAGMA journal_mode`).Scan(&mode)
	if mode != "wal" {
		t.Errorf("journal_mode = %q, want wal", mode)
	}
}

func TestUpdateRollsBackOnError(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "s.gpkg"), OpenOptions{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	boom := errors.New("boom")
	err = s.Update(ctx, func(tx *Tx) error {
		tx.MarkChanged()
		if _, err := tx.tx.Exec(`INSERT INTO segmap_meta VALUES ('x','y')`); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	var n int
	s.db.QueryRow(`SELECT count(*) FROM segmap_meta WHERE key='x'`).Scan(&n)
	if n != 0 {
		t.Error("row from failed transaction is visible")
	}
	if v, _ := s.DataVersion(ctx); v != 0 {
		t.Errorf("data version moved to %d after a failed update", v)
	}
	if err := s.Update(ctx, func(tx *Tx) error { tx.MarkChanged(); return nil }); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.DataVersion(ctx); v != 1 {
		t.Errorf("data version = %d after one update, want 1", v)
	}
}

func TestReopenKeepsSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.gpkg")
	s, err := Open(ctx, path, OpenOptions{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(ctx, path, OpenOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Update(ctx, func(*Tx) error { return nil }); !errors.Is(err, ErrReadOnly) {
		t.Errorf("update on read-only store: %v", err)
	}
}
