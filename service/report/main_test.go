package report

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/data/demo"
)

// One demo store (real SCB data for Stockholms län) per test binary,
// read-only; tests that add notes work on a copy (writableStore).
var testStore *data.Store

func TestMain(m *testing.M) {
	os.Exit(demo.WithTestStore(m, func(s *data.Store) { testStore = s }))
}

// writableStore is a copy of the demo store the test may change.
func writableStore(t testing.TB) *data.Store {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "demo.gpkg")
	if err := testStore.CopyTo(ctx, path); err != nil {
		t.Fatal(err)
	}
	s, err := data.Open(ctx, path, data.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// plainStore is a store built as the README's example builds one: DeSO
// boundaries (Dalarna), the DeSO→RegSO link and the national DeSO
// indicators, without the RegSO områdestyp.
func plainStore(t testing.TB) *data.Store {
	t.Helper()
	ctx := context.Background()
	s, err := data.Open(ctx, filepath.Join(t.TempDir(), "plain.gpkg"), data.OpenOptions{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	const td = "../../testdata/"
	if _, err := s.ImportBoundaries(ctx, td+"boundaries/deso_2018_dalarna_3006.gpkg", data.BoundaryOptions{Level: data.LevelDeSO}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportHierarchy(ctx, td+"indicators/deso2018_regso2020_link.csv"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportIndicators(ctx, td+"indicators/deso_indicators_2022.csv", data.IndicatorImportOptions{}); err != nil {
		t.Fatal(err)
	}
	return s
}
