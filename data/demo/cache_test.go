package demo

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Two processes (here goroutines) that ask for the cached store at once
// both end with the one complete file, built once; copies are private and byte-identical, and
// no temporary file is left behind.
func TestCachedAndCopyTo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the demo store")
	}
	ctx := context.Background()
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	cached := CachePath()
	var wg sync.WaitGroup
	errs := make([]error, 2)
	builds := make([]bool, 2)
	for i := range errs {
		wg.Go(func() { builds[i], errs[i] = Cached(ctx, cached) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if builds[0] == builds[1] {
		t.Errorf("builds %v: want exactly one builder", builds)
	}
	if built, err := Cached(ctx, cached); err != nil || built {
		t.Errorf("third Cached: built %v, err %v; want the existing file", built, err)
	}
	entries, _ := os.ReadDir(filepath.Dir(cached))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".demo-") || strings.HasSuffix(e.Name(), ".lock") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
	dst := filepath.Join(t.TempDir(), "copy.gpkg")
	if err := CopyTo(ctx, dst); err != nil {
		t.Fatal(err)
	}
	a, _ := os.ReadFile(cached)
	b, _ := os.ReadFile(dst)
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Errorf("copy differs from the cached store (%d vs %d bytes)", len(b), len(a))
	}
	if err := CopyTo(ctx, dst); err == nil {
		t.Error("CopyTo over an existing file succeeded")
	}
}
