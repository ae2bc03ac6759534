// Package demo builds the embedded Stockholm demo store: Stockholms län
// DeSO 2018 boundaries, RegSO and kommun boundaries dissolved from them, the
// 21 län, the national reference data of package national (DeSO -> RegSO
// -> kommun -> län hierarchy, DeSO indicators 2022 for all of Sweden, so
// kommun, län and riket comparisons are real, RegSO områdestyper 2022 and
// 2023, the RegSO panel 2020–2023) and
// 2024 income and unemployment for Stockholms län. All files are SCB open
// data (CC0, "Källa: SCB"); see files/README.md for provenance.
package demo

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/data/national"
)

//go:embed files/*.geojson files/*.csv files/*.yaml
var files embed.FS

// Options configure Build.
type Options struct {
	// Replace removes an existing file at path first (default: error).
	Replace bool
	// Progress, when set, is told each step ("boundaries deso", ...).
	Progress func(step string)
}

type boundaryStep struct {
	file string
	opts data.BoundaryOptions
}

type indicatorStep struct{ file, mapping string }

var errExists = errors.New("demo: store file exists")

// Build creates the demo store at path.
func Build(ctx context.Context, path string, opts Options) error {
	if _, err := os.Stat(path); err == nil {
		if !opts.Replace {
			return fmt.Errorf("%w: %s (use Replace to overwrite)", errExists, path)
		}
		for _, p := range []string{path, path + "-wal", path + "-shm"} {
			if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("demo: %w", err)
			}
		}
	}
	dir, err := os.MkdirTemp("", "segmap-demo-")
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	defer os.RemoveAll(dir)
	if err := extract(dir); err != nil {
		return err
	}
	s, err := data.Open(ctx, path, data.OpenOptions{Create: true})
	if err != nil {
		return err
	}
	defer s.Close()
	step := func(name string) {
		if opts.Progress != nil {
			opts.Progress(name)
		}
	}
	boundaries := []boundaryStep{
		{"deso_2018_stockholms_lan_4326_simplified.geojson", data.BoundaryOptions{Level: data.LevelDeSO, CodeField: "id"}},
		{"lan_okfse_tiny_4326.geojson", data.BoundaryOptions{Level: data.LevelLan, CodeField: "l_id", NameField: "name"}},
	}
	for _, b := range boundaries {
		step("boundaries " + b.opts.Level)
		if _, err := s.ImportBoundaries(ctx, filepath.Join(dir, b.file), b.opts); err != nil {
			return fmt.Errorf("demo: %s: %w", b.file, err)
		}
	}
	// The national reference data (hierarchy, DeSO indicators 2022,
	// områdestyper 2022) and RegSO and kommun polygons dissolved from the
	// DeSO, so their borders are exactly DeSO borders at every zoom.
	if _, err := national.Complete(ctx, s, national.CompleteOptions{SliverArea: sliverArea, Progress: opts.Progress}); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	indicators := []indicatorStep{
		{"stockholm_deso2025_income_unemployment_2024.csv", "stockholm_deso2025_income_unemployment_2024.mapping.yaml"},
	}
	for _, in := range indicators {
		step("indicators " + in.file)
		m, err := data.LoadMapping(filepath.Join(dir, in.mapping))
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		if _, err := s.ImportIndicators(ctx, filepath.Join(dir, in.file), data.IndicatorImportOptions{Mapping: m}); err != nil {
			return fmt.Errorf("demo: %s: %w", in.file, err)
		}
	}
	return nil
}

func extract(dir string) error {
	entries, err := files.ReadDir("files")
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	for _, e := range entries {
		b, err := files.ReadFile("files/" + e.Name())
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o600); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}
	return nil
}

// sliverArea is the area (m²) under which holes and extra parts left by
// dissolving the demo's DeSO are dropped. The demo's DeSO file was
// simplified one polygon at a time by its publisher, so neighbours do not
// share identical borders and the dissolve leaves thin gaps; real holes and
// parts in Stockholms län are far larger than 2 ha.
const sliverArea = 20000
