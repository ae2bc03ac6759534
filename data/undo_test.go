package data

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/segmap/segmap/internal/fault"
)

func mustVersion(t testing.TB, s *Store) int64 {
	t.Helper()
	v, err := s.DataVersion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestUndoRestores: undo puts back exactly the state before the last
// import, for a new indicator, a new year of an existing one and a
// boundary layer that replaced another; it refuses when there is nothing
// to undo or when an import without undo data came after.
func TestUndoRestores(t *testing.T) {
	ctx := context.Background()
	s := boundaryStore(t, "deso_2018_dalarna_3006.gpkg")
	const file = "dalarna_2022_cp1252_semikolon.csv"
	b := readTestFile(t, tdir+file)
	d, err := DetectIndicators(file, b, DetectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m := d.Mapping
	// 1. A new indicator.
	s0 := dump(t, s)
	if _, _, err := s.ImportIndicatorBytes(ctx, file, b, m, nil); err != nil {
		t.Fatal(err)
	}
	s1 := dump(t, s)
	if s1 == s0 {
		t.Fatal("the import changed nothing")
	}
	if _, err := s.UndoLastImport(ctx); err != nil {
		t.Fatal(err)
	}
	if dump(t, s) != s0 {
		t.Fatal("undo of a new indicator did not restore the store")
	}
	if _, err := s.UndoLastImport(ctx); !errors.Is(err, fault.Conflict) {
		t.Fatalf("second undo: %v", err)
	}
	// 2. Another year of an existing indicator, with changed metadata.
	if _, _, err := s.ImportIndicatorBytes(ctx, file, b, m, nil); err != nil {
		t.Fatal(err)
	}
	s2 := dump(t, s)
	m2 := *m
	m2.Year = 2023
	m2.Indicators = append([]IndicatorMapping(nil), m.Indicators...)
	m2.Indicators[0].NameSV = "Annat namn"
	if _, _, err := s.ImportIndicatorBytes(ctx, file, b, &m2, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UndoLastImport(ctx); err != nil {
		t.Fatal(err)
	}
	if dump(t, s) != s2 {
		t.Fatal("undo of a new year did not restore the store")
	}
	// 3. A boundary layer replaced by another file.
	if _, _, err := s.ImportBoundaryFile(ctx, bdir+"deso_2025_vaxjo_4326.geojson", "vaxjo.geojson", BoundaryOptions{Level: LevelDeSO}); err != nil {
		t.Fatal(err)
	}
	if dump(t, s) == s2 {
		t.Fatal("the boundary import changed nothing")
	}
	if _, err := s.UndoLastImport(ctx); err != nil {
		t.Fatal(err)
	}
	if dump(t, s) != s2 {
		t.Fatal("undo of a boundary import did not restore the store")
	}
	if areas, err := s.Areas(ctx, LevelDeSO, AreasOptions{WithGeometry: true}); err != nil || len(areas) != 175 || areas[0].Geometry == nil {
		t.Errorf("after undo: %d areas, %v", len(areas), err)
	}
	// 4. An import without undo data (segmap import) after a tracked one.
	if _, _, err := s.ImportIndicatorBytes(ctx, file, b, m, nil); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), file)
	os.WriteFile(path, b, 0o600)
	if _, err := s.ImportIndicators(ctx, path, IndicatorImportOptions{Mapping: &m2}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UndoLastImport(ctx); !errors.Is(err, fault.Conflict) || !strings.Contains(messageSV(err), "kommandoraden") {
		t.Fatalf("undo after a command-line import: %v", err)
	}
	hist, err := s.Imports(ctx, 0)
	if err != nil || len(hist) != 7 || hist[0].Undoable || hist[1].Undoable || !hist[2].Undone || !hist[3].Undone || !hist[5].Undone || hist[4].Undone {
		t.Errorf("history %+v %v", hist, err)
	}
}
