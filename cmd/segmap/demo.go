package main

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/segmap/segmap/data/demo"
)

// storePath returns the store to serve. An empty path means the embedded
// demo in the user cache folder (demo.CachePath), built on first use; a path
// that does not exist becomes a copy of that cached demo. Builds and copies
// are written beside their target and moved into place when complete, so an
// interrupted start never leaves a half-written store behind.
func storePath(ctx context.Context, path string, logger *slog.Logger) (string, error) {
	if _, err := os.Stat(path); path != "" && err == nil {
		return path, nil
	}
	start := time.Now()
	logger.Info("preparing the demo store (Stockholms län, SCB data)", "path", cmp.Or(path, demo.CachePath()))
	if path == "" {
		path = demo.CachePath()
		if _, err := demo.Cached(ctx, path); err != nil {
			return "", fmt.Errorf("build demo: %w", err)
		}
	} else if err := demo.CopyTo(ctx, path); err != nil {
		return "", fmt.Errorf("demo store at %s: %w", path, err)
	}
	logger.Info("demo store ready", "path", path, "took", time.Since(start).Round(time.Millisecond))
	return path, nil
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
	if err := demo.CopyTo(ctx, out); err != nil {
		return fmt.Errorf("demo store at %s: %w", out, err)
	}
	fmt.Fprintf(e.stdout, "wrote %s\n", out)
	return nil
}
