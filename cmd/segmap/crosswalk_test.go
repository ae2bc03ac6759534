package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/segmap/segmap/data"
)

// RegSO 2025 beside RegSO 2020 from the command line: segmap init with
// Göteborg's DeSO 2025, then SCB's RegSO 2025 imported as a level of its
// own with --crosswalk-from regso; the RegSO panel's years then exist on
// the new level, and the crosswalk is in the store.
func TestImportCrosswalkFromCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a store (30 s on a loaded machine)")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "gbg.gpkg")
	e, stdout, stderr := testEnv(nil)
	if code := run(ctx, []string{"init", "--kommun", "1480", "--boundaries", "../../testdata/boundaries/deso_2025_goteborg_3006.gpkg", path}, e); code != 0 {
		t.Fatalf("init exited %d:\n%s\n%s", code, stdout, stderr)
	}
	e, stdout, stderr = testEnv(nil)
	if code := run(ctx, []string{"import", "boundaries", "--store", path, "--level", "regso2025", "--level-name-sv", "RegSO 2025",
		"--code-field", "regsokod", "--name-field", "regsonamn", "--crosswalk-from", "regso",
		"../../testdata/boundaries/regso_2025_goteborg_3006.gpkg"}, e); code != 0 {
		t.Fatalf("import exited %d:\n%s\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout.String(), "crosswalk regso -> regso2025") {
		t.Errorf("the import does not report the crosswalk:\n%s", stdout)
	}
	st, err := data.Open(ctx, path, data.OpenOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	links, err := st.Crosswalk(ctx, data.LevelRegSO, "regso2025")
	if err != nil || len(links) == 0 {
		t.Fatalf("crosswalk: %d links, %v", len(links), err)
	}
	ind, err := st.Indicator(ctx, "foreign_born_pct")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ind.YearsByLevel["regso2025"], ind.YearsByLevel[data.LevelRegSO]; len(got) == 0 || len(got) != len(want) {
		t.Errorf("foreign_born_pct years on regso2025 %v, on regso %v", got, want)
	}
}
