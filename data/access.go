package data

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/mattn/go-sqlite3"
)

// ReadOnlyError reports that a store cannot be written (file or folder
// permissions, a read-only mount). It matches ErrReadOnly with errors.Is.
type ReadOnlyError struct {
	Path   string
	Reason string // why, e.g. "the file is not writable"; "" when unknown
}

func (e *ReadOnlyError) Error() string {
	msg := "data: the store " + e.Path + " is read-only"
	if e.Reason != "" {
		msg += " (" + e.Reason + ")"
	}
	return msg
}

// Unwrap makes errors.Is(err, ErrReadOnly) (and fault.ReadOnly) true.
func (e *ReadOnlyError) Unwrap() error { return ErrReadOnly }

// Access says whether this process can write an existing store: WAL mode
// needs the file and, for its -wal and -shm files, the folder to be
// writable. Writable is false with the reason otherwise. A missing file is
// reported as writable when its folder is (Open with Create makes it).
type Access struct {
	Writable bool
	Reason   string
	// DirWritable is false when the folder cannot take new files; a
	// read-only open then needs the database marked immutable when its
	// -shm file does not exist.
	DirWritable bool
}

// CheckAccess probes the store at path without changing it: it opens the
// file for writing (no truncation, nothing written) and creates and
// removes a temporary file in its folder.
func CheckAccess(path string) Access {
	a := Access{Writable: true, DirWritable: dirWritable(filepath.Dir(path))}
	if f, err := os.OpenFile(path, os.O_WRONLY, 0); err == nil {
		f.Close()
	} else if !errors.Is(err, os.ErrNotExist) {
		a.Writable, a.Reason = false, "the file is not writable: "+errReason(err)
		return a
	}
	if !a.DirWritable && !sidecarsWritable(path) {
		a.Writable, a.Reason = false, "its folder is not writable, and SQLite needs to create "+filepath.Base(path)+"-wal and -shm there"
	}
	return a
}

func dirWritable(dir string) bool {
	f, err := os.CreateTemp(dir, ".segmap-access-*")
	if err != nil {
		return false
	}
	name := f.Name()
	f.Close()
	os.Remove(name)
	return true
}

// sidecarsWritable reports whether both WAL side files exist and are writable.
func sidecarsWritable(path string) bool {
	for _, s := range []string{"-wal", "-shm"} {
		f, err := os.OpenFile(path+s, os.O_WRONLY, 0)
		if err != nil {
			return false
		}
		f.Close()
	}
	return true
}

func errReason(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// isReadOnlyErr reports whether err is SQLite refusing to write.
func isReadOnlyErr(err error) bool {
	var se sqlite3.Error
	if errors.As(err, &se) && (se.Code == sqlite3.ErrReadonly || se.Code == sqlite3.ErrPerm) {
		return true
	}
	return err != nil && strings.Contains(err.Error(), "readonly database")
}

// writeErr gives a failed write its kind: SQLite refusing to write is
// ErrReadOnly, a broken UNIQUE or FOREIGN KEY constraint ErrConflict.
func writeErr(path string, err error) error {
	if err == nil || errors.Is(err, ErrReadOnly) {
		return err
	}
	if isReadOnlyErr(err) {
		return fmt.Errorf("%w: %s: %w", ErrReadOnly, path, err)
	}
	var se sqlite3.Error
	if errors.As(err, &se) && se.Code == sqlite3.ErrConstraint {
		return fmt.Errorf("%w: %w", ErrConflict, err)
	}
	return err
}
