package demo

import (
	"context"
	"os"
	"path/filepath"
)

// TestStorePath returns a demo store for tests: the file named by the
// environment variable SEGMAP_TEST_STORE when set (built there when
// missing, so repeated local runs skip the build), else a new store built in
// dir. Test binaries call it once from TestMain.
func TestStorePath(ctx context.Context, dir string) (string, error) {
	path := os.Getenv("SEGMAP_TEST_STORE")
	if path == "" {
		path = filepath.Join(dir, "demo.gpkg")
	}
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	if err := Build(ctx, path, Options{}); err != nil {
		return "", err
	}
	return path, nil
}
