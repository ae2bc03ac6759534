package data

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/segmap/segmap/internal/fault"
)

// nationalBundle is the reference data that package national embeds, read
// from its folder (package data cannot import national): the link table
// and every indicator table with its mapping.
func nationalBundle(t testing.TB) ReferenceBundle {
	t.Helper()
	const dir = "national/files/"
	b := ReferenceBundle{Hierarchy: ReferenceFile{Name: "deso2018_regso2020_link.csv", Body: readTestFile(t, dir+"deso2018_regso2020_link.csv")}}
	maps, err := filepath.Glob(dir + "*.mapping.yaml")
	if err != nil || len(maps) < 2 {
		t.Fatalf("mappings %v %v", maps, err)
	}
	sort.Strings(maps)
	for _, mp := range maps {
		m, err := ParseMapping(filepath.Base(mp), readTestFile(t, mp))
		if err != nil {
			t.Fatal(err)
		}
		csv := strings.TrimSuffix(mp, ".mapping.yaml") + ".csv"
		b.Indicators = append(b.Indicators, ReferenceFile{Name: filepath.Base(csv), Body: readTestFile(t, csv), Mapping: m})
	}
	return b
}

// smallBundle is the link table with one small indicator table: enough
// for what does not depend on the bundle's size, at a fraction of its time.
func smallBundle(t testing.TB) ReferenceBundle {
	b := nationalBundle(t)
	for _, f := range b.Indicators {
		if f.Name == "regso_omradestyp_2022.csv" {
			b.Indicators = []ReferenceFile{f}
			return b
		}
	}
	t.Fatal("no regso_omradestyp_2022.csv in the bundle")
	return b
}

func indicatorIDs(b ReferenceBundle) map[string]bool {
	ids := map[string]bool{}
	for _, f := range b.Indicators {
		for _, im := range f.Mapping.Indicators {
			ids[im.ID] = true
		}
	}
	return ids
}

// cliImport does what `segmap import boundaries --level deso FILE` does:
// the DeSO, then the reference import and the RegSO and kommun dissolves,
// each in its own transaction (national.Complete).
func cliImport(t testing.TB, s *Store, path string, ref ReferenceBundle) {
	t.Helper()
	ctx := context.Background()
	if _, err := s.ImportBoundaries(ctx, path, BoundaryOptions{Level: LevelDeSO}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportReference(ctx, ref); err != nil {
		t.Fatal(err)
	}
	for _, l := range completedLevels {
		if _, err := s.DissolveFromDeSO(ctx, l, DissolveOptions{}); err != nil {
			t.Fatal(err)
		}
	}
}

var rtreeShadow = regexp.MustCompile(`^rtree_.*_geom_(node|parent|rowid)$`)

// fullDump is every table of the store, one line each: its name, row
// count and a hash of its rows (sorted, each value with its storage class
// and, for blobs, its bytes), so geometries are compared exactly. Left out:
// the undo data itself, the import history (it only grows), the data
// version, gpkg_contents.last_change (a time stamp) and the R*Tree's
// internal node tables (their bytes follow insertion order; the index's
// rows are compared instead).
func fullDump(t testing.TB, s *Store) string {
	t.Helper()
	ctx := context.Background()
	rows, err := s.db.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
		AND name NOT LIKE 'segmap_undo%' AND name NOT IN ('segmap_imports', 'segmap_undone') ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		if !rtreeShadow.MatchString(n) {
			tables = append(tables, n)
		}
	}
	rows.Close()
	var out strings.Builder
	for _, tb := range tables {
		q := `SELECT * FROM ` + boundaryQuote(tb)
		switch tb {
		case "gpkg_contents":
			q = `SELECT table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id FROM gpkg_contents`
		case "segmap_meta":
			q = `SELECT * FROM segmap_meta WHERE key != 'data_version'`
		}
		r, err := s.db.QueryContext(ctx, q)
		if err != nil {
			t.Fatalf("%s: %v", tb, err)
		}
		cols, _ := r.Columns()
		var lines []string
		for r.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := r.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			lines = append(lines, fmt.Sprintf("%#v", vals))
		}
		r.Close()
		sort.Strings(lines)
		h := sha256.Sum256([]byte(strings.Join(lines, "\n")))
		fmt.Fprintf(&out, "%s: %d rows %x\n", tb, len(lines), h[:8])
	}
	return out.String()
}

func diffLines(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	in := map[string]bool{}
	for _, l := range bl {
		in[l] = true
	}
	var d []string
	for _, l := range al {
		if !in[l] {
			d = append(d, "- "+l)
		}
	}
	in = map[string]bool{}
	for _, l := range al {
		in[l] = true
	}
	for _, l := range bl {
		if !in[l] {
			d = append(d, "+ "+l)
		}
	}
	return strings.Join(d, "\n")
}

// TestCompleteDeSOImport: a DeSO import with completion (the data page's)
// makes exactly the store the command line makes from the same file, in
// one transaction and one history row, and its undo restores the store as
// it was, table by table, geometries included. DeSO 2018 (Dalarna, SWEREF
// 99 TM) and DeSO 2025 (Växjö, whose six split codes follow their 2018
// parents) alike.
func TestCompleteDeSOImport(t *testing.T) {
	t.Parallel()
	ref, minValues := nationalBundle(t), 200000
	if testing.Short() {
		// The same steps with one small indicator table; the full run
		// imports the whole bundle.
		ref, minValues = smallBundle(t), 1
	}
	tests := []struct {
		file           string
		deso, regso, k int
		splits         int
		slow           bool
	}{
		{"deso_2018_dalarna_3006.gpkg", 175, 119, 15, 0, false},
		{"deso_2025_vaxjo_4326.geojson", 53, 23, 1, 6, true},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			if tc.slow && testing.Short() {
				t.Skip("a second region; the full run covers it (Dalarna stays)")
			}
			t.Parallel()
			ctx := context.Background()
			path := bdir + tc.file
			page := newStore(t)
			before := fullDump(t, page)
			var steps []string
			rep, id, err := page.ImportBoundaryFile(ctx, path, path, BoundaryOptions{Level: LevelDeSO,
				Complete: &CompleteOptions{Reference: ref, Progress: func(s string) { steps = append(steps, s) }}})
			if err != nil {
				t.Fatal(err)
			}
			c := rep.Completed
			if c == nil || c.Areas(LevelRegSO) != tc.regso || c.Areas(LevelKommun) != tc.k || len(c.Splits) != tc.splits ||
				c.Linked != tc.deso || len(c.Unlinked) != 0 || c.Indicators != len(indicatorIDs(ref)) || c.Values < minValues || len(steps) != 3 {
				t.Fatalf("completion %+v, steps %q", c, steps)
			}
			notes := strings.Join(c.Notes("sv"), "\n")
			if (tc.splits > 0) != strings.Contains(notes, fmt.Sprintf("%d DeSO 2025-koder delar ett DeSO 2018-område", tc.splits)) {
				t.Errorf("notes %q", notes)
			}
			cli := newStore(t)
			cliImport(t, cli, path, ref)
			if got, want := fullDump(t, page), fullDump(t, cli); got != want {
				t.Fatalf("the page's import differs from the command line's:\n%s", diffLines(want, got))
			}
			levels, err := page.Levels(ctx)
			if err != nil {
				t.Fatal(err)
			}
			counts := map[string]int{}
			for _, l := range levels {
				counts[l.ID] = l.FeatureCount
			}
			if counts[LevelDeSO] != tc.deso || counts[LevelRegSO] != tc.regso || counts[LevelKommun] != tc.k {
				t.Errorf("feature counts %v", counts)
			}
			hist, err := page.Imports(ctx, 0)
			if err != nil || len(hist) != 1 || hist[0].ID != id || !hist[0].Undoable || hist[0].Kind != "boundaries" ||
				!strings.Contains(hist[0].Summary, fmt.Sprintf("regso=%d kommun=%d", tc.regso, tc.k)) {
				t.Fatalf("history %+v %v", hist, err)
			}
			if _, err := page.UndoLastImport(ctx); err != nil {
				t.Fatal(err)
			}
			if after := fullDump(t, page); after != before {
				t.Fatalf("undo did not restore the empty store:\n%s", diffLines(before, after))
			}
		})
	}
}

// TestCompleteUndoOverData: over a store that already has DeSO, RegSO and
// kommun layers and the reference data (Växjö, made on the command line),
// another kommun's DeSO import with completion replaces them all, and undo
// puts every table back exactly.
func TestCompleteUndoOverData(t *testing.T) {
	if testing.Short() {
		t.Skip("two full imports; TestCompleteDeSOImport covers the undo under -short")
	}
	t.Parallel()
	ctx := context.Background()
	ref := nationalBundle(t)
	s := newStore(t)
	cliImport(t, s, bdir+"deso_2025_vaxjo_4326.geojson", ref)
	before, v0 := fullDump(t, s), mustVersion(t, s)
	rep, _, err := s.ImportBoundaryFile(ctx, bdir+"deso_2018_dalarna_3006.gpkg", "dalarna.gpkg", BoundaryOptions{Level: LevelDeSO, Complete: &CompleteOptions{Reference: ref}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Completed.Areas(LevelRegSO) != 119 || fullDump(t, s) == before {
		t.Fatalf("the import changed nothing: %+v", rep.Completed)
	}
	if _, err := s.UndoLastImport(ctx); err != nil {
		t.Fatal(err)
	}
	if after := fullDump(t, s); after != before {
		t.Fatalf("undo did not restore the Växjö store:\n%s", diffLines(before, after))
	}
	if v := mustVersion(t, s); v <= v0 {
		t.Errorf("data version %d after undo, %d before: caches would keep the undone data", v, v0)
	}
	areas, err := s.Areas(ctx, LevelRegSO, AreasOptions{WithGeometry: true})
	if err != nil {
		t.Fatal(err)
	}
	mapped := 0
	for _, a := range areas {
		if a.Geometry != nil {
			mapped++
		}
	}
	if mapped != 23 {
		t.Errorf("%d RegSO with polygons after undo, want Växjö's 23", mapped)
	}
}

// vaxjoWith is the Växjö DeSO 2025 file with its codes rewritten by fn.
func vaxjoWith(t *testing.T, name string, fn func(i int, code string) string) string {
	t.Helper()
	b := readTestFile(t, bdir+"deso_2025_vaxjo_4326.geojson")
	re := regexp.MustCompile(`"desokod": "(0780[ABC]\d{4})"`)
	i := 0
	b = re.ReplaceAllFunc(b, func(m []byte) []byte {
		code := re.FindSubmatch(m)[1]
		i++
		return []byte(`"desokod": "` + fn(i-1, string(code)) + `"`)
	})
	if i != 53 {
		t.Fatalf("rewrote %d codes", i)
	}
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestCompleteFailureLeavesStore: a step that fails inside the import's
// transaction (the dissolve, refusing a DeSO of a kommun SCB does not
// have; a context cancelled between the reference import and the
// dissolves) leaves the store exactly as it was, data version included,
// and the undo of the import before still works.
func TestCompleteFailureLeavesStore(t *testing.T) {
	t.Parallel()
	ref := smallBundle(t)
	unknownKommun := vaxjoWith(t, "okand_kommun.geojson", func(i int, code string) string {
		if i == 7 {
			return "9999" + code[4:]
		}
		return code
	})
	tests := []struct {
		name   string
		path   string
		cancel string // the progress step at which the context is cancelled
		want   error
		msg    string
	}{
		{"dissolve refuses an unknown kommun", unknownKommun, "", fault.Invalid, "kommun kan inte göras av DeSO: DeSO-områdena anger 1 kommun-koder som hierarkin saknar (9999)"},
		{"cancelled before the dissolves", bdir + "deso_2025_vaxjo_4326.geojson", "regso boundaries (dissolved from DeSO)", context.Canceled, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := boundaryStore(t, "deso_2018_dalarna_3006.gpkg")
			before, v0 := fullDump(t, s), mustVersion(t, s)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			_, _, err := s.ImportBoundaryFile(ctx, tc.path, filepath.Base(tc.path), BoundaryOptions{Level: LevelDeSO, Complete: &CompleteOptions{Reference: ref,
				Progress: func(step string) {
					if step == tc.cancel {
						cancel()
					}
				}}})
			if !errors.Is(err, tc.want) {
				t.Fatalf("error %v, want %v", err, tc.want)
			}
			if tc.msg != "" && !strings.Contains(messageSV(err), tc.msg) {
				t.Errorf("message %q, want %q", messageSV(err), tc.msg)
			}
			if after := fullDump(t, s); after != before || mustVersion(t, s) != v0 {
				t.Fatalf("a failed import changed the store:\n%s", diffLines(before, after))
			}
			if _, err := s.UndoLastImport(context.Background()); err != nil {
				t.Errorf("the undo of the import before: %v", err)
			}
		})
	}
}

// TestCompleteWithoutLinks: DeSO codes that SCB's link table does not
// have (and that split no DeSO 2018 area) get no RegSO: the RegSO layer
// cannot be made, which the report says in Swedish and English; the
// kommun layer is made all the same. It is not an error.
func TestCompleteWithoutLinks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := vaxjoWith(t, "nya_koder.geojson", func(i int, code string) string { return fmt.Sprintf("0780C9%02d0", i) })
	s := newStore(t)
	rep, _, err := s.ImportBoundaryFile(ctx, path, "nya_koder.geojson", BoundaryOptions{Level: LevelDeSO, Complete: &CompleteOptions{Reference: smallBundle(t)}})
	if err != nil {
		t.Fatal(err)
	}
	c := rep.Completed
	if c.Areas(LevelRegSO) != 0 || c.Areas(LevelKommun) != 1 || c.Linked != 0 || len(c.Unlinked) != 53 || c.Unlinked[0] != "0780C9000" || c.Indicators != 1 {
		t.Fatalf("completion %+v", c)
	}
	sv, en := strings.Join(c.Notes("sv"), "\n"), strings.Join(c.Notes("en"), "\n")
	if !strings.Contains(sv, "RegSO: inga områden kunde göras av DeSO") || !strings.Contains(en, "RegSO: no area could be made from the DeSO") {
		t.Errorf("notes sv %q en %q", sv, en)
	}
	levels, _ := s.Levels(ctx)
	for _, l := range levels {
		if l.ID == LevelRegSO && l.Table != "" {
			t.Errorf("a RegSO layer was made: %+v", l)
		}
	}
}

// BenchmarkPageImportDalarna: the data page's import of the Dalarna DeSO
// GeoPackage into an empty store, DeSO only (the page before completion)
// and with completion (national reference data, RegSO and kommun dissolved,
// undo data), each into a new store; "complete-again" imports it into a
// store that has it all already (the undo snapshot then copies every
// reference value).
func BenchmarkPageImportDalarna(b *testing.B) {
	ref := nationalBundle(b)
	for _, bc := range []struct {
		name     string
		complete *CompleteOptions
		again    bool
	}{
		{"deso-only", nil, false},
		{"complete", &CompleteOptions{Reference: ref}, false},
		{"complete-again", &CompleteOptions{Reference: ref}, true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			ctx := context.Background()
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				s, err := Open(ctx, filepath.Join(b.TempDir(), fmt.Sprintf("s%d.gpkg", i)), OpenOptions{Create: true})
				if err != nil {
					b.Fatal(err)
				}
				if bc.again {
					if _, _, err := s.ImportBoundaryFile(ctx, bdir+"deso_2018_dalarna_3006.gpkg", "dalarna.gpkg", BoundaryOptions{Level: LevelDeSO, Complete: bc.complete}); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
				if _, _, err := s.ImportBoundaryFile(ctx, bdir+"deso_2018_dalarna_3006.gpkg", "dalarna.gpkg", BoundaryOptions{Level: LevelDeSO, Complete: bc.complete}); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				s.Close()
				b.StartTimer()
			}
		})
	}
}
