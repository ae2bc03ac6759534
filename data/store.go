package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/mattn/go-sqlite3" // the SQLite driver
)

// Store is a segmap GeoPackage file. It is safe for concurrent use: reads run
// in parallel (WAL), writes are serialised and run in one transaction each.
type Store struct {
	db       *sql.DB
	path     string
	readOnly bool
	writeMu  sync.Mutex
	// version is the data version last read (see DataVersion); writes is
	// the number of this Store's committed changes, so a version read
	// before one of them is never trusted after it.
	version      atomic.Pointer[versionRead]
	writes       atomic.Uint64
	versionTrust time.Duration
	// indicators is the indicator list of one data version (see Indicators).
	indicators atomic.Pointer[indicatorsRead]
}

// versionRead is a data version read from the file, when, and how many
// of the Store's own writes had committed before.
type versionRead struct {
	v      int64
	at     time.Time
	writes uint64
}

// OpenOptions configure Open.
type OpenOptions struct {
	// ReadOnly opens the file without write access; writes fail with ErrReadOnly.
	ReadOnly bool
	// Create makes a new store when the file does not exist (default: error).
	Create bool
	// Immutable (with ReadOnly) tells SQLite that nothing changes the file
	// while it is open: no locks, no -shm file. Needed to read a WAL-mode
	// store in a folder this process cannot write (see CheckAccess).
	Immutable bool
	// MaxConns bounds the open SQLite connections; each holds its own page
	// cache (CacheKiB), so this bounds the store's memory under load, and
	// callers beyond it wait (honouring their context). Default
	// max(4, 2 × GOMAXPROCS).
	MaxConns int
	// CacheKiB is SQLite's page cache per connection. Default 2048 (SQLite's own default).
	CacheKiB int
	// VersionTrust is how long DataVersion answers with the version it
	// last read instead of querying the file (a pooled connection per
	// call, on every cached API answer): this Store's own writes are seen
	// at once, another process's import at most this late. Default
	// 500 ms; negative: read the file on every call.
	VersionTrust time.Duration
}

// Open opens (and with opts.Create creates) a store and brings its schema up
// to date. A store whose schema is newer than this program is refused.
func Open(ctx context.Context, path string, opts OpenOptions) (*Store, error) {
	mode := "rw"
	switch {
	case opts.ReadOnly:
		mode = "ro"
	case opts.Create:
		mode = "rwc"
	}
	q := url.Values{}
	q.Set("mode", mode)
	if opts.ReadOnly && opts.Immutable {
		q.Set("immutable", "1")
	}
	q.Set("_busy_timeout", "10000")
	q.Set("_foreign_keys", "1")
	if opts.CacheKiB <= 0 {
		opts.CacheKiB = 2048
	}
	q.Set("_cache_size", strconv.Itoa(-opts.CacheKiB))
	if !opts.ReadOnly {
		q.Set("_journal_mode", "WAL")
		q.Set("_synchronous", "NORMAL")
	}
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return nil, fmt.Errorf("data: open %s: %w", path, err)
	}
	if opts.MaxConns <= 0 {
		opts.MaxConns = max(4, 2*runtime.GOMAXPROCS(0))
	}
	db.SetMaxOpenConns(opts.MaxConns)
	db.SetMaxIdleConns(opts.MaxConns)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		if isReadOnlyErr(err) {
			return nil, &ReadOnlyError{Path: path, Reason: err.Error()}
		}
		return nil, fmt.Errorf("data: open %s: %w", path, err)
	}
	if opts.VersionTrust == 0 {
		opts.VersionTrust = 500 * time.Millisecond
	}
	s := &Store{db: db, path: path, readOnly: opts.ReadOnly, versionTrust: opts.VersionTrust}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		if isReadOnlyErr(err) {
			return nil, &ReadOnlyError{Path: path, Reason: err.Error()}
		}
		return nil, err
	}
	return s, nil
}

// Path is the store's file path.
func (s *Store) Path() string { return s.path }

// Close closes the store.
func (s *Store) Close() error { return s.db.Close() }

// SchemaVersion is the schema version this program writes.
func SchemaVersion() int { return len(migrations) }

func (s *Store) migrate(ctx context.Context) error {
	var have int
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM segmap_meta WHERE key='schema_version'`).Scan(&v)
	switch {
	case err == nil:
		have, err = strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("data: %s: schema_version %q is not a number", s.path, v)
		}
	case errors.Is(err, sql.ErrNoRows):
		have = 0
	default:
		// No segmap_meta table: a new file, or a GeoPackage that segmap has not written yet.
		have = 0
	}
	if have > len(migrations) {
		return fmt.Errorf("%w: %s has schema %d, this program knows up to %d", ErrSchemaTooNew, s.path, have, len(migrations))
	}
	if have == len(migrations) {
		return nil
	}
	if s.readOnly {
		return fmt.Errorf("%w: %s needs a schema upgrade from %d to %d", ErrReadOnly, s.path, have, len(migrations))
	}
	return s.Update(ctx, func(tx *Tx) error {
		if _, err := tx.tx.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d; PRAGMA user_version = %d;", gpkgApplicationID, gpkgUserVersion)); err != nil {
			return err
		}
		for i := have; i < len(migrations); i++ {
			if _, err := tx.tx.ExecContext(ctx, migrations[i]); err != nil {
				return fmt.Errorf("data: migrate %s to schema %d: %w", s.path, i+1, err)
			}
		}
		_, err := tx.tx.ExecContext(ctx, `INSERT INTO segmap_meta(key, value) VALUES ('schema_version', ?)
			ON CONFLICT(key) DO UPDATE SET value=excluded.value`, strconv.Itoa(len(migrations)))
		return err
	})
}

// Tx is one write transaction. Import code receives a Tx from Store.Update
// and writes through it; nothing is visible to readers until Update returns
// nil, and an error (or a crash) leaves the store as it was.
type Tx struct {
	tx    *sql.Tx
	store *Store
	// bumped records that the transaction changed data, so the data version moves.
	bumped bool
}

// Update runs fn in a write transaction and commits when fn returns nil.
// Any change made through tx bumps the store's data version (see DataVersion).
func (s *Store) Update(ctx context.Context, fn func(tx *Tx) error) (err error) {
	if err := s.writable(); err != nil {
		return err
	}
	defer func() { err = writeErr(s.path, err) }()
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	sqlTx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("data: begin: %w", err)
	}
	tx := &Tx{tx: sqlTx, store: s}
	defer func() {
		if p := recover(); p != nil {
			sqlTx.Rollback()
			panic(p)
		}
		if err != nil {
			sqlTx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	if tx.bumped {
		if err = tx.bumpVersion(ctx); err != nil {
			return err
		}
	}
	err = sqlTx.Commit()
	if tx.bumped {
		// After the commit (even a failed one): a version read before it
		// is not trusted any more (DataVersion).
		s.writes.Add(1)
	}
	if err != nil {
		return fmt.Errorf("data: commit: %w", err)
	}
	return nil
}

// writable is ErrReadOnly when the store was opened read-only; every
// write checks it before doing any work.
func (s *Store) writable() error {
	if s.readOnly {
		return fmt.Errorf("%w: %s", ErrReadOnly, s.path)
	}
	return nil
}

// MarkChanged records that the transaction changed data (imports call it).
func (tx *Tx) MarkChanged() { tx.bumped = true }

func (tx *Tx) bumpVersion(ctx context.Context) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO segmap_meta(key, value) VALUES ('data_version', '1')
		ON CONFLICT(key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)`)
	if err != nil {
		return fmt.Errorf("data: bump data version: %w", err)
	}
	return nil
}

// DataVersion is a number that changes whenever an import changes the data;
// tile URLs and ETags carry it so caches never serve stale data.
//
// It is read from the file at most every OpenOptions.VersionTrust, and
// again after every change committed through this Store.
func (s *Store) DataVersion(ctx context.Context) (int64, error) {
	writes := s.writes.Load()
	if r := s.version.Load(); r != nil && r.writes == writes && time.Since(r.at) < s.versionTrust {
		return r.v, nil
	}
	return s.DataVersionNow(ctx)
}

// DataVersionNow reads the data version from the file, whatever
// DataVersion last read (a reload after another process's import: SIGHUP,
// the reload poll), and lets DataVersion answer with it from then on.
func (s *Store) DataVersionNow(ctx context.Context) (int64, error) {
	writes, at := s.writes.Load(), time.Now()
	v, err := s.readDataVersion(ctx)
	if err != nil {
		return 0, err
	}
	s.version.Store(&versionRead{v: v, at: at, writes: writes})
	return v, nil
}

// readDataVersion reads the data version from the file.
func (s *Store) readDataVersion(ctx context.Context) (int64, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM segmap_meta WHERE key='data_version'`).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("data: data version: %w", err)
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("data: data version %q is not a number", v)
	}
	return n, nil
}

// ReadOnly reports whether the store was opened without write access.
func (s *Store) ReadOnly() bool { return s.readOnly }
