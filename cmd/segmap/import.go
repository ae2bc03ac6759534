package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/data/national"
	"github.com/segmap/segmap/service"
)

const importSynopsis = `import boundaries|hierarchy|indicators [flags] FILE

  boundaries   area polygons from GeoJSON or GeoPackage (any of EPSG:4326, EPSG:3006)
  hierarchy    SCB's DeSO -> RegSO link table (CSV: deso, regso, regso_namn, kommun, kommunnamn)
  indicators   indicator values from CSV, XLSX or an SCB Statistikdatabasen export, with --mapping`

// importFlags are the flags shared by import and validate.
type importFlags struct {
	store     string
	level     string
	kind      string
	nameSV    string
	nameEN    string
	codeField string
	nameField string
	layer     string
	mapping   string
	dropHoles bool
	national  bool
	crossFrom string
}

func (f *importFlags) register(fs *flag.FlagSet, withStore bool) {
	if withStore {
		fs.StringVar(&f.store, "store", "segmap.gpkg", "the store (a GeoPackage) to import into; created when missing")
	}
	fs.StringVar(&f.level, "level", "", "boundaries: the level the areas belong to: deso, regso, kommun, lan, or an id of your own (e.g. nyko, sites)")
	fs.StringVar(&f.kind, "kind", "", "boundaries: builtin, custom or overlay (default: builtin for deso/regso/kommun/lan, else custom)")
	fs.StringVar(&f.nameSV, "level-name-sv", "", "boundaries: Swedish name of a custom level")
	fs.StringVar(&f.nameEN, "level-name-en", "", "boundaries: English name of a custom level")
	fs.StringVar(&f.codeField, "code-field", "", "boundaries: property holding the area code (default: detected: deso, desokod, regsokod, kommunkod, ...)")
	fs.StringVar(&f.nameField, "name-field", "", "boundaries: property holding the area name (default: detected)")
	fs.StringVar(&f.layer, "layer", "", "boundaries: GeoPackage layer to read (default: the only feature layer)")
	fs.BoolVar(&f.dropHoles, "drop-invalid-holes", false, "boundaries: drop holes that cross their polygon's boundary (and report them) instead of refusing the file")
	fs.BoolVar(&f.national, "national", true, "boundaries --level deso: also import the embedded national reference data (hierarchy, DeSO indicators 2022, områdestyper 2022) and dissolve RegSO and kommun polygons from the DeSO; --national=false to skip")
	fs.StringVar(&f.crossFrom, "crosswalk-from", "", "boundaries: a level of another geography version already in the store (e.g. regso beside --level regso2025): map its areas onto the new ones by area overlap and show its statistics on them where that is exact (unchanged areas 1:1, merged or split areas summed)")
	fs.StringVar(&f.mapping, "mapping", "", "indicators: YAML mapping file naming indicators, years, units, numerators and denominators")
}

func (f *importFlags) boundaryOptions(p *progress) data.BoundaryOptions {
	return data.BoundaryOptions{
		Level:       f.level,
		Kind:        data.LevelKind(f.kind),
		LevelNameSV: f.nameSV,
		LevelNameEN: f.nameEN,
		CodeField:   f.codeField,
		NameField:   f.nameField,
		Layer:       f.layer,
		Progress:    p.Update,

		DropInvalidHoles: f.dropHoles,
	}
}

func parseImportArgs(name string, args []string, e env, withStore bool) (what, file string, f importFlags, err error) {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fs := newFlagSet(name, strings.Replace(importSynopsis, "import", name, 1), e)
		f.register(fs, withStore)
		if err := parseFlags(fs, args, e); err != nil {
			return "", "", f, err
		}
		fs.Usage()
		return "", "", f, fmt.Errorf("say what to %s: boundaries, hierarchy or indicators", name)
	}
	what = args[0]
	fs := newFlagSet(name+" "+what, strings.Replace(importSynopsis, "import", name, 1), e)
	f.register(fs, withStore)
	if err := parseFlags(fs, args[1:], e); err != nil {
		return "", "", f, err
	}
	if fs.NArg() != 1 {
		return "", "", f, fmt.Errorf("name exactly one file to %s (got %d)", name, fs.NArg())
	}
	return what, fs.Arg(0), f, nil
}

func runImport(ctx context.Context, args []string, e env) error {
	what, file, f, err := parseImportArgs("import", args, e, true)
	if err != nil {
		return err
	}
	if err := checkImportable(f.store); err != nil {
		return err
	}
	store, err := data.Open(ctx, f.store, data.OpenOptions{Create: true})
	if err != nil {
		return err
	}
	defer store.Close()
	return importInto(ctx, store, what, file, f, e)
}

func importInto(ctx context.Context, store *data.Store, what, file string, f importFlags, e env) error {
	p := newProgress(e.stderr, "import "+filepath.Base(file))
	switch what {
	case "boundaries":
		if f.level == "" {
			return fmt.Errorf("--level is required for boundaries (deso, regso, kommun, lan or your own id)")
		}
		rep, err := store.ImportBoundaries(ctx, file, f.boundaryOptions(p))
		if err != nil {
			return err
		}
		printBoundaryReport(e.stdout, rep)
		if f.national && f.level == data.LevelDeSO {
			step := func(s string) { fmt.Fprintln(e.stderr, "import:", s) }
			if _, err := national.Complete(ctx, store, national.CompleteOptions{Progress: step}); err != nil {
				return fmt.Errorf("the DeSO were imported, but completing the store failed (run the import again): %w", err)
			}
		}
		if f.crossFrom != "" {
			cw, err := service.New(store, nil, service.Options{}).BuildCrosswalk(ctx, f.crossFrom, f.level)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "  crosswalk %s -> %s: %d overlaps, %d areas take the statistics exactly, %d values\n", cw.FromLevel, cw.ToLevel, cw.Links, cw.Exact, cw.Values)
		}
	case "hierarchy":
		rep, err := store.ImportHierarchy(ctx, file)
		if err != nil {
			return err
		}
		printJoinReport(e.stdout, rep)
	case "indicators":
		if f.mapping == "" {
			return fmt.Errorf("--mapping is required for indicators: a YAML file that names the indicators (see README, 'Import formats')")
		}
		m, err := data.LoadMapping(f.mapping)
		if err != nil {
			return err
		}
		rep, err := store.ImportIndicators(ctx, file, data.IndicatorImportOptions{Mapping: m, Progress: p.Update})
		if err != nil {
			return err
		}
		printJoinReport(e.stdout, rep)
	default:
		return fmt.Errorf("unknown kind %q: use boundaries, hierarchy or indicators", what)
	}
	return nil
}

// runValidate checks a file without touching the user's store: boundaries are
// validated in memory, hierarchy and indicators are imported into a
// throw-away copy of the store so the join report is real.
func runValidate(ctx context.Context, args []string, e env) error {
	what, file, f, err := parseImportArgs("validate", args, e, true)
	if err != nil {
		return err
	}
	tmpDir, err := os.MkdirTemp("", "segmap-validate-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmpDir)
	scratch := filepath.Join(tmpDir, "scratch.gpkg")
	if _, err := os.Stat(f.store); err == nil && what != "boundaries" {
		if err := copyStore(ctx, f.store, scratch); err != nil {
			return err
		}
	}
	store, err := data.Open(ctx, scratch, data.OpenOptions{Create: true})
	if err != nil {
		return err
	}
	defer store.Close()
	if what == "boundaries" {
		if f.level == "" {
			return fmt.Errorf("--level is required for boundaries (deso, regso, kommun, lan or your own id)")
		}
		rep, err := store.ValidateBoundaries(ctx, file, f.boundaryOptions(newProgress(e.stderr, "validate "+filepath.Base(file))))
		if err != nil {
			return err
		}
		printBoundaryReport(e.stdout, rep)
		fmt.Fprintln(e.stdout, "valid: nothing was written")
		return nil
	}
	if err := importInto(ctx, store, what, file, f, e); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "valid: nothing was written to", f.store)
	return nil
}

// copyStore copies a store with SQLite's VACUUM INTO, which is consistent
// even while a server has the store open.
func copyStore(ctx context.Context, from, to string) error {
	src, err := data.Open(ctx, from, data.OpenOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer src.Close()
	return src.CopyTo(ctx, to)
}

func printBoundaryReport(w io.Writer, r *data.BoundaryReport) {
	fmt.Fprintf(w, "%s: %d features as level %q (source CRS EPSG:%d)\n", r.File, r.Features, r.Level, r.SourceSRID)
	printList(w, "fixed", r.Fixed)
	printList(w, "repaired", r.Repaired)
	printList(w, "warning", r.Warnings)
}

func printJoinReport(w io.Writer, r *data.JoinReport) {
	fmt.Fprintf(w, "%s: %d rows, %d matched codes at level %q\n", r.File, r.Rows, r.Matched, r.Level)
	printList(w, "in the file but not in the store", r.UnmatchedInFile)
	printList(w, "in the store but not in the file", r.UnmatchedInStore)
	if len(r.SplitParents) > 0 {
		codes := make([]string, 0, len(r.SplitParents))
		for c := range r.SplitParents {
			codes = append(codes, c)
		}
		sort.Strings(codes)
		fmt.Fprintf(w, "  %d DeSO 2025 codes are splits of a DeSO 2018 area (2018 parent = last digit replaced by 0):\n", len(codes))
		for _, c := range codes {
			fmt.Fprintf(w, "    %s -> %s\n", c, r.SplitParents[c])
		}
	}
}

func printList(w io.Writer, label string, items []string) {
	if len(items) == 0 {
		return
	}
	const show = 20
	fmt.Fprintf(w, "  %d %s:\n", len(items), label)
	for i, it := range items {
		if i == show {
			fmt.Fprintf(w, "    ... and %d more\n", len(items)-show)
			break
		}
		fmt.Fprintf(w, "    %s\n", it)
	}
}
