package data

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/segmap/segmap/internal/fault"
)

// TestWritesToReadOnlyStore: every write path refuses a read-only store
// with ErrReadOnly (of kind fault.ReadOnly) before it looks at its input.
func TestWritesToReadOnlyStore(t *testing.T) {
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
	year := 2020
	for _, tc := range []struct {
		name  string
		write func() error
	}{
		{"update", func() error { return s.Update(ctx, func(*Tx) error { return nil }) }},
		{"import sites", func() error {
			_, _, err := s.ImportSites(ctx, "a.geojson", []byte(`not json`), SiteOptions{})
			return err
		}},
		{"rename site layer", func() error { return s.RenameSiteLayer(ctx, 1, "") }},
		{"delete site layer", func() error { return s.DeleteSiteLayer(ctx, 1) }},
		{"add note", func() error { _, err := s.AddNote(ctx, Note{}); return err }},
		{"update note", func() error { _, err := s.UpdateNote(ctx, 1, NotePatch{Year: &year}); return err }},
		{"delete note", func() error { return s.DeleteNote(ctx, 1) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.write()
			if !errors.Is(err, ErrReadOnly) || !errors.Is(err, fault.ReadOnly) {
				t.Errorf("%s on a read-only store: %v, want ErrReadOnly", tc.name, err)
			}
		})
	}
}

// TestWriteErrKinds: SQLite's refusals get their kinds.
func TestWriteErrKinds(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "s.gpkg"), OpenOptions{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	insert := func(tx *Tx) error {
		_, err := tx.tx.ExecContext(ctx, `INSERT INTO segmap_meta(key, value) VALUES ('k', 'v')`)
		return err
	}
	if err := s.Update(ctx, insert); err != nil {
		t.Fatal(err)
	}
	if err := s.Update(ctx, insert); !errors.Is(err, ErrConflict) || !errors.Is(err, fault.Conflict) {
		t.Errorf("second insert of a unique key: %v, want ErrConflict", err)
	}
	plain := errors.New("plain")
	if err := s.Update(ctx, func(*Tx) error { return plain }); !errors.Is(err, plain) {
		t.Errorf("a plain error: %v, want it unchanged", err)
	}
	ro := &ReadOnlyError{Path: "x.gpkg"}
	if !errors.Is(ro, ErrReadOnly) || !errors.Is(ro, fault.ReadOnly) {
		t.Errorf("ReadOnlyError is not ErrReadOnly/fault.ReadOnly")
	}
}
