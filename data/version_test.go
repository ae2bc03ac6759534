package data_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/segmap/segmap/data"
)

// TestDataVersionTrust: a Store sees its own changes at once whatever its
// VersionTrust; another process's change (a second Store on the file) is
// seen at once by a Store that reads on every call, and not by one that
// trusts what it read for an hour, until it reads the file again
// (DataVersionNow, as a reload does).
func TestDataVersionTrust(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v.gpkg")
	open := func(trust time.Duration, create bool) *data.Store {
		t.Helper()
		st, err := data.Open(ctx, path, data.OpenOptions{Create: create, VersionTrust: trust})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	version := func(st *data.Store) int64 {
		t.Helper()
		v, err := st.DataVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	change := func(st *data.Store) {
		t.Helper()
		if err := st.Update(ctx, func(tx *data.Tx) error { tx.MarkChanged(); return nil }); err != nil {
			t.Fatal(err)
		}
	}
	writer := open(time.Hour, true)
	always := open(-1, false)
	trusting := open(time.Hour, false)
	v0 := version(writer)
	if version(always) != v0 || version(trusting) != v0 {
		t.Fatalf("versions differ at the start: %d", v0)
	}
	change(writer)
	if got := version(writer); got != v0+1 {
		t.Errorf("the writer's own change: version %d, want %d", got, v0+1)
	}
	if got := version(always); got != v0+1 {
		t.Errorf("a store reading on every call: %d, want %d", got, v0+1)
	}
	if got := version(trusting); got != v0 {
		t.Errorf("a store trusting its last read for an hour: %d, want the old %d", got, v0)
	}
	if got, err := trusting.DataVersionNow(ctx); err != nil || got != v0+1 {
		t.Errorf("DataVersionNow: %d, %v; want %d", got, err, v0+1)
	}
	if got := version(trusting); got != v0+1 {
		t.Errorf("after DataVersionNow: %d, want %d", got, v0+1)
	}
	change(trusting)
	if got := version(trusting); got != v0+2 {
		t.Errorf("after its own change: %d, want %d", got, v0+2)
	}
}
