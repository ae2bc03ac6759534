package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/data/national"
	"github.com/segmap/segmap/internal/fault"
)

type initConfig struct {
	kommun     string
	boundaries string
	codeField  string
	nameField  string
	layer      string
	dropHoles  bool
	replace    bool
}

// selection is what segmap init keeps: kommun codes and whole län.
type selection struct{ kommuner, lan []string }

// parseSelection reads --kommun: comma-separated 4-digit kommun codes and
// 2-digit län codes.
func parseSelection(s string) (selection, error) {
	var sel selection
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		digits := strings.Trim(p, "0123456789") == ""
		switch {
		case digits && len(p) == 4:
			sel.kommuner = append(sel.kommuner, p)
		case digits && len(p) == 2 && data.LanName(p) != "":
			sel.lan = append(sel.lan, p)
		default:
			return sel, fault.New(fault.Invalid, "--kommun: %q is neither a kommun code (4 digits, e.g. 2080) nor a län code (2 digits, e.g. 20)", p).
				Sv("--kommun: %q är varken en kommunkod (4 siffror, t.ex. 2080) eller en länskod (2 siffror, t.ex. 20)", p)
		}
	}
	if len(sel.kommuner)+len(sel.lan) == 0 {
		return sel, fault.New(fault.Invalid, "--kommun is required: kommun codes or a 2-digit län code, e.g. 2080 or 2080,2081 or 20").
			Sv("--kommun krävs: kommunkoder eller en länskod med 2 siffror, t.ex. 2080, 2080,2081 eller 20")
	}
	return sel, nil
}

// keeps reports whether a DeSO code lies in the selection.
func (sel selection) keeps(code string) bool {
	if len(code) < 4 {
		return false
	}
	for _, k := range sel.kommuner {
		if code[:4] == k {
			return true
		}
	}
	for _, l := range sel.lan {
		if code[:2] == l {
			return true
		}
	}
	return false
}

// runInit makes a complete store for a kommun, a group or a län from DeSO
// boundaries (SCB's national file or any extract) and the embedded national
// reference data.
func runInit(ctx context.Context, args []string, e env) error {
	var c initConfig
	fs := newFlagSet("init", "init --kommun 2080[,2081…|20] --boundaries DeSO_2018_v2.gpkg [flags] STORE.gpkg", e)
	fs.StringVar(&c.kommun, "kommun", "", "kommun codes (comma-separated) or a 2-digit län code whose DeSO to keep, e.g. 2080 or 2080,2081 or 20")
	fs.StringVar(&c.boundaries, "boundaries", "", "DeSO boundaries (GeoPackage or GeoJSON, EPSG:3006 or 4326): SCB's national DeSO file or any extract; DeSO outside --kommun are not stored")
	fs.StringVar(&c.codeField, "code-field", "", "property holding the DeSO code (default: detected)")
	fs.StringVar(&c.nameField, "name-field", "", "property holding the area name (default: detected)")
	fs.StringVar(&c.layer, "layer", "", "GeoPackage layer to read (default: the only feature layer)")
	fs.BoolVar(&c.dropHoles, "drop-invalid-holes", false, "drop holes that cross their polygon's boundary (and report them) instead of refusing the file")
	fs.BoolVar(&c.replace, "replace", false, "overwrite an existing store")
	if err := parseFlags(fs, args, e); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("name the store to create, e.g. segmap init --kommun 2080 --boundaries DeSO_2018_v2.gpkg falun.gpkg (got %d arguments)", fs.NArg())
	}
	if c.boundaries == "" {
		return fault.New(fault.Invalid, "--boundaries is required: a DeSO file (e.g. SCB's DeSO_2018_v2.gpkg)").
			Sv("--boundaries krävs: en DeSO-fil (t.ex. SCB:s DeSO_2018_v2.gpkg)")
	}
	sel, err := parseSelection(c.kommun)
	if err != nil {
		return err
	}
	return initStore(ctx, fs.Arg(0), c, sel, e)
}

// initStore builds the store in a temporary file next to path and renames it
// into place, so a failed or interrupted init leaves nothing behind.
func initStore(ctx context.Context, path string, c initConfig, sel selection, e env) error {
	if _, err := os.Stat(path); err == nil && !c.replace {
		return fault.New(fault.Conflict, "%s exists: choose another name or use --replace", path).
			Sv("%s finns redan: välj ett annat namn eller använd --replace", path)
	}
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".init")
	removeStore(tmp)
	defer removeStore(tmp)
	if err := buildInitStore(ctx, tmp, c, sel, e); err != nil {
		return err
	}
	removeStore(path)
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("init: %w", err)
	}
	fmt.Fprintf(e.stdout, "%s is ready: segmap serve --store %s\n", path, path)
	return nil
}

// removeStore removes a store file and its WAL files; missing files are fine
// (a file that cannot be removed makes the following create or rename fail).
func removeStore(path string) {
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		_ = os.Remove(p)
	}
}

func buildInitStore(ctx context.Context, path string, c initConfig, sel selection, e env) error {
	store, err := data.Open(ctx, path, data.OpenOptions{Create: true})
	if err != nil {
		return err
	}
	defer store.Close()
	p := newProgress(e.stderr, "init "+filepath.Base(c.boundaries))
	rep, err := store.ImportBoundaries(ctx, c.boundaries, data.BoundaryOptions{
		Level: data.LevelDeSO, CodeField: c.codeField, NameField: c.nameField, Layer: c.layer,
		Filter: sel.keeps, Progress: p.Update, DropInvalidHoles: c.dropHoles,
	})
	if err != nil {
		return err
	}
	printBoundaryReport(e.stdout, rep)
	if rep.Features == 0 {
		return fault.New(fault.Invalid, "%s has no DeSO in --kommun %s (codes are read from the field %q)", c.boundaries, c.kommun, rep.CodeField).
			Sv("%s har inga DeSO i --kommun %s (koderna läses från fältet %q)", c.boundaries, c.kommun, rep.CodeField)
	}
	ref, err := national.Complete(ctx, store, national.CompleteOptions{Progress: func(step string) { fmt.Fprintln(e.stderr, "init:", step) }})
	if err != nil {
		return err
	}
	if len(ref.Splits) > 0 {
		fmt.Fprintf(e.stdout, "  %d DeSO 2025 codes split a DeSO 2018 area and follow its RegSO and kommun (e.g. %s)\n", len(ref.Splits), ref.Splits[0])
	}
	home, err := homeKommuner(ctx, store, sel)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "  home: %s\n", strings.Join(home, ","))
	return store.SetHome(ctx, home)
}

// homeKommuner lists the selection's kommuner that have DeSO in the store.
func homeKommuner(ctx context.Context, store *data.Store, sel selection) ([]string, error) {
	desos, err := store.Areas(ctx, data.LevelDeSO, data.AreasOptions{})
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, a := range desos {
		if a.Mapped && sel.keeps(a.Code) && len(a.Code) >= 4 {
			seen[a.Code[:4]] = true
		}
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out, nil
}
