// Package national embeds Sweden's national reference statistics so that any
// store, not only the demo, has them: SCB's DeSO 2018 -> RegSO 2020 link
// table with RegSO and kommun names (all 5,984 DeSO), the DeSO indicators
// 2022 for every DeSO (population also 2023) and the official RegSO
// områdestyper 2022. All files are SCB open data (CC0, "Källa: SCB"); see
// files/README.md for provenance.
//
// With them a store needs only a kommun's own DeSO boundaries: RegSO and
// kommun polygons are dissolved from the DeSO, and kommun, län and riket
// values come from the national tables, whichever polygons are present.
package national

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/segmap/segmap/data"
)

//go:embed files/*.csv files/*.yaml
var files embed.FS

// Link is the file name of the DeSO -> RegSO link table.
const Link = "deso2018_regso2020_link.csv"

// tables are the indicator tables, each with its mapping file.
var tables = [...]struct{ file, mapping string }{
	{"deso_indicators_2022.csv", "deso_indicators_2022.mapping.yaml"},
	{"regso_omradestyp_2022.csv", "regso_omradestyp_2022.mapping.yaml"},
	{"regso_omradestyp_2023.csv", "regso_omradestyp_2023.mapping.yaml"},
	{"regso2020_timeseries_2020_2023.csv", "regso2020_timeseries_2020_2023.mapping.yaml"},
}

// Bundle is the embedded reference data, ready for data.Store.ImportReference.
func Bundle() (data.ReferenceBundle, error) {
	link, err := files.ReadFile("files/" + Link)
	if err != nil {
		return data.ReferenceBundle{}, fmt.Errorf("national: %w", err)
	}
	b := data.ReferenceBundle{Hierarchy: data.ReferenceFile{Name: Link, Body: link}}
	for _, t := range tables {
		body, err := files.ReadFile("files/" + t.file)
		if err != nil {
			return data.ReferenceBundle{}, fmt.Errorf("national: %w", err)
		}
		mb, err := files.ReadFile("files/" + t.mapping)
		if err != nil {
			return data.ReferenceBundle{}, fmt.Errorf("national: %w", err)
		}
		m, err := data.ParseMapping(t.mapping, mb)
		if err != nil {
			return data.ReferenceBundle{}, fmt.Errorf("national: %s: %w", t.mapping, err)
		}
		b.Indicators = append(b.Indicators, data.ReferenceFile{Name: t.file, Body: body, Mapping: m})
	}
	return b, nil
}

// Files is the embedded reference data (a folder "files"), e.g. for
// hashing into a cache key.
func Files() fs.FS { return files }

// Import imports the national hierarchy and indicators into the store in one
// transaction (nothing is written on error). Importing again replaces the
// same values, so it is safe to repeat.
func Import(ctx context.Context, s *data.Store) (*data.ReferenceReport, error) {
	b, err := Bundle()
	if err != nil {
		return nil, err
	}
	return s.ImportReference(ctx, b)
}

// CompleteOptions configure Complete.
type CompleteOptions struct {
	// SliverArea is passed to the dissolve (m²; 0 keeps every hole and part).
	SliverArea float64
	// Progress, when set, is told each step.
	Progress func(step string)
}

// Complete makes a store that holds DeSO boundaries complete: it imports the
// national reference data and dissolves RegSO and kommun polygons from the
// DeSO. It returns the reference import's report.
func Complete(ctx context.Context, s *data.Store, opts CompleteOptions) (*data.ReferenceReport, error) {
	step := func(name string) {
		if opts.Progress != nil {
			opts.Progress(name)
		}
	}
	step("national reference data (hierarchy, DeSO indicators 2022, områdestyper 2022)")
	rep, err := Import(ctx, s)
	if err != nil {
		return nil, err
	}
	for _, level := range []string{data.LevelRegSO, data.LevelKommun} {
		step(level + " boundaries (dissolved from DeSO)")
		if _, err := s.DissolveFromDeSO(ctx, level, data.DissolveOptions{SliverArea: opts.SliverArea}); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

// Codes are SCB's national code lists from the link table: every DeSO 2018,
// RegSO 2020 and kommun code (with the kommun's name), for the data page's
// join reports.
func Codes() (*data.ReferenceCodes, error) {
	b, err := files.ReadFile("files/" + Link)
	if err != nil {
		return nil, fmt.Errorf("national: %w", err)
	}
	return data.ParseReferenceCodes(Link, b)
}

// Completion is what a DeSO boundary import needs to complete the store in
// its own transaction (data.BoundaryOptions.Complete): the embedded
// reference data and the dissolve options. It does what Complete does,
// but in the import's transaction, with undo data for all of it.
func Completion(opts CompleteOptions) (*data.CompleteOptions, error) {
	b, err := Bundle()
	if err != nil {
		return nil, err
	}
	return &data.CompleteOptions{Reference: b, Dissolve: data.DissolveOptions{SliverArea: opts.SliverArea}, Progress: opts.Progress}, nil
}
