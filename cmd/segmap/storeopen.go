package main

import (
	"context"
	"errors"
	"log/slog"

	"github.com/segmap/segmap/data"
)

// serveOpenOptions decides how serve opens a store it may not be able to
// write: read-only when the file or its folder is not writable, and
// immutable when in addition SQLite could not create the WAL's -shm file.
func serveOpenOptions(a data.Access) data.OpenOptions {
	if a.Writable {
		return data.OpenOptions{}
	}
	return data.OpenOptions{ReadOnly: true, Immutable: !a.DirWritable}
}

// openServeStore opens the store to serve: read-write when possible, else
// read-only (logged), so a server on a read-only file or mount keeps
// serving what the store has. Imports into it fail with "read-only".
func openServeStore(ctx context.Context, path string, logger *slog.Logger) (*data.Store, error) {
	a := data.CheckAccess(path)
	opts := serveOpenOptions(a)
	store, err := data.Open(ctx, path, opts)
	if err != nil && !opts.ReadOnly && errors.Is(err, data.ErrReadOnly) {
		// The probe said writable but SQLite could not write (e.g. a
		// read-only mount seen differently): serve read-only.
		a = data.Access{Reason: err.Error(), DirWritable: a.DirWritable}
		opts = serveOpenOptions(a)
		store, err = data.Open(ctx, path, opts)
	}
	if err != nil {
		return nil, err
	}
	if opts.ReadOnly {
		logger.Warn("the store is read-only: serving it as it is; imports into it will fail", "store", path, "reason", a.Reason)
	}
	return store, nil
}

// checkImportable refuses an import into an existing store this process
// cannot write, before any work is done.
func checkImportable(path string) error {
	a := data.CheckAccess(path)
	if a.Writable {
		return nil
	}
	return &data.ReadOnlyError{Path: path, Reason: a.Reason + "; nothing was imported"}
}
