package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/segmap/segmap/data"
)

// CachePath is where the demo store this binary builds is kept between
// runs: the user's cache folder (or the temporary folder), named by Version
// so a binary never picks up a store another version built.
func CachePath() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "segmap", "demo-"+Version()+".gpkg")
}

// Cached returns path, building the demo store there first when it is
// missing. The build goes to a temporary file in the same folder that is
// linked into place only when complete, so an interrupted build never leaves
// a half-written store. Processes that ask at the same time wait for one
// builder (a lock file beside path) and use its file.
func Cached(ctx context.Context, path string) (built bool, err error) {
	if _, err := os.Stat(path); err == nil {
		return false, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return false, fmt.Errorf("demo: %w", err)
	}
	// One builder at a time: the others wait for its file (test binaries of
	// several packages start together on a fresh machine).
	unlock, err := lockBuild(ctx, path)
	if err != nil {
		return false, err
	}
	defer unlock()
	if _, err := os.Stat(path); err == nil {
		return false, nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".demo-*.gpkg")
	if err != nil {
		return false, fmt.Errorf("demo: %w", err)
	}
	tmpPath := tmp.Name()
	tmp.Close()
	os.Remove(tmpPath)
	defer func() {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(tmpPath + suffix)
		}
	}()
	if err := Build(ctx, tmpPath, Options{}); err != nil {
		return false, err
	}
	if err := os.Link(tmpPath, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return false, nil // another process finished first: same store
		}
		// A file system without hard links: rename (last one wins; the
		// stores are identical).
		if err := os.Rename(tmpPath, path); err != nil {
			return false, fmt.Errorf("demo: %w", err)
		}
	}
	return true, nil
}

// staleLock is how old a build lock may be before it is taken as left by
// a builder that died (a build takes seconds to a minute).
const staleLock = 10 * time.Minute

// lockBuild takes path's build lock (a file created exclusively), waiting
// while another process holds it.
func lockBuild(ctx context.Context, path string) (unlock func(), err error) {
	lock := path + ".lock"
	for {
		f, err := os.OpenFile(lock, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err == nil {
			f.Close()
			return func() { os.Remove(lock) }, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("demo: %w", err)
		}
		if st, err := os.Stat(lock); err == nil && time.Since(st.ModTime()) > staleLock {
			os.Remove(lock)
			continue
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("demo: waiting for another build of %s: %w", path, ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// CopyTo writes a private copy of the demo store to path (which must not
// exist), building the cached store (CachePath) first when it is missing:
// a copy takes milliseconds where a build takes seconds. The copy is written
// beside path and renamed into place when complete; an existing path is an
// error.
func CopyTo(ctx context.Context, path string) error {
	cached := CachePath()
	if _, err := Cached(ctx, cached); err != nil {
		return err
	}
	tmp := path + ".partial"
	if err := copyFile(cached, tmp); err != nil {
		os.Remove(tmp)
		return err
	}
	defer os.Remove(tmp)
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("demo: %s exists", path)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	return nil
}

// TestStorePath returns a demo store for tests: the file named by the
// environment variable SEGMAP_TEST_STORE when set (built there when
// missing), else a private copy in dir of the cached demo store (CopyTo),
// so a test that writes never changes the store other tests read. Test
// binaries call it once from TestMain.
func TestStorePath(ctx context.Context, dir string) (string, error) {
	if path := os.Getenv("SEGMAP_TEST_STORE"); path != "" {
		if _, err := Cached(ctx, path); err != nil {
			return "", err
		}
		return path, nil
	}
	path := filepath.Join(dir, "demo.gpkg")
	return path, CopyTo(ctx, path)
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("demo: copy %s: %w", from, err)
	}
	if err := out.Close(); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	return nil
}

// WithTestStore runs a test binary with a read-only private copy of the
// demo store (TestStorePath) open: setup gets the store, then m runs; the
// copy is closed and removed after. It returns the exit code, for
//
//	func TestMain(m *testing.M) { os.Exit(demo.WithTestStore(m, func(s *data.Store) { testStore = s })) }
func WithTestStore(m interface{ Run() int }, setup func(*data.Store)) int {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "segmap-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	path, err := TestStorePath(ctx, dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "demo store:", err)
		return 1
	}
	s, err := data.Open(ctx, path, data.OpenOptions{ReadOnly: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer s.Close()
	setup(s)
	return m.Run()
}
