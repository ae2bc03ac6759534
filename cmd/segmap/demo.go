package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/segmap/segmap/data/demo"
)

// storePath returns the store to serve. An empty path means the embedded
// demo in the user cache folder; a path that does not exist is built from the
// demo. Building writes a temporary file and renames it into place, so an
// interrupted build never leaves a half-written store behind.
func storePath(ctx context.Context, path string, logger *slog.Logger) (string, error) {
	if path == "" {
		dir, err := os.UserCacheDir()
		if err != nil {
			dir = os.TempDir()
		}
		path = filepath.Join(dir, "segmap", "demo-"+demo.Version()+".gpkg")
	}
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	logger.Info("building the demo store (Stockholms län, SCB data)", "path", path)
	start := time.Now()
	if err := buildDemo(ctx, path); err != nil {
		return "", err
	}
	logger.Info("demo store ready", "path", path, "took", time.Since(start).Round(time.Millisecond))
	return path, nil
}

func buildDemo(ctx context.Context, path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".demo-*.gpkg")
	if err != nil {
		return err
	}
	tmpPath := tmp.Name()
	tmp.Close()
	os.Remove(tmpPath)
	defer func() {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(tmpPath + suffix)
		}
	}()
	if err := demo.Build(ctx, tmpPath, demo.Options{}); err != nil {
		return fmt.Errorf("build demo: %w", err)
	}
	return os.Rename(tmpPath, path)
}

func runDemo(ctx context.Context, args []string, e env) error {
	fs := newFlagSet("demo", "demo [flags] OUT.gpkg", e)
	if err := parseFlags(fs, args, e); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return fmt.Errorf("name the file to write, e.g. segmap demo demo.gpkg")
	}
	out := fs.Arg(0)
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("%s exists; remove it first or choose another name", out)
	}
	if err := buildDemo(ctx, out); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s\n", out)
	return nil
}
