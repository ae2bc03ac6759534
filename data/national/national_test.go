package national

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/segmap/segmap/data"
)

func openStore(t *testing.T) *data.Store {
	t.Helper()
	s, err := data.Open(context.Background(), filepath.Join(t.TempDir(), "s.gpkg"), data.OpenOptions{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// The bundle is imported in one transaction: a broken table anywhere in it
// leaves the store without the hierarchy too.
func TestImportReferenceAtomic(t *testing.T) {
	if testing.Short() {
		t.Skip("three national imports; the full run covers it (TestImportEmptyStore stays)")
	}
	ctx := context.Background()
	b, err := Bundle()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		mutate func(*data.ReferenceBundle)
	}{
		{"broken indicator table", func(b *data.ReferenceBundle) {
			b.Indicators[1].Body = []byte("regso,omradestyp_2022\n0114R001,1\n0114R001,2\n")
		}},
		{"missing mapping", func(b *data.ReferenceBundle) { b.Indicators[0].Mapping = nil }},
		{"link table without regso", func(b *data.ReferenceBundle) { b.Hierarchy.Body = []byte("deso,kommun\n0114A0010,0114\n") }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := openStore(t)
			bad := b
			bad.Indicators = append([]data.ReferenceFile(nil), b.Indicators...)
			tc.mutate(&bad)
			if _, err := s.ImportReference(ctx, bad); !errors.Is(err, data.ErrInvalid) {
				t.Fatalf("error %v, want one of kind invalid", err)
			}
			areas, err := s.Areas(ctx, data.LevelDeSO, data.AreasOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(areas) != 0 {
				t.Errorf("%d DeSO written by a failed import", len(areas))
			}
		})
	}
}

// Into an empty store: every DeSO, RegSO and kommun is known and riket's
// population 2022 is Sweden's (10,521,556 on 31 December 2022, SCB).
func TestImportEmptyStore(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	rep, err := Import(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Hierarchy.Rows != 5984 || len(rep.Indicators) != 4 { // DeSO 2022, områdestyper 2022 and 2023, the RegSO panel
		t.Errorf("hierarchy rows %d, %d indicator tables", rep.Hierarchy.Rows, len(rep.Indicators))
	}
	for level, want := range map[string]int{data.LevelDeSO: 5984, data.LevelKommun: 290, data.LevelLan: 21} {
		areas, err := s.Areas(ctx, level, data.AreasOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(areas) != want {
			t.Errorf("%s: %d areas, want %d", level, len(areas), want)
		}
	}
	vals, err := s.Values(ctx, data.ValuesQuery{Level: data.LevelRiket, Indicator: "population", Year: 2022, Breakdown: data.BreakdownTotal})
	if err != nil {
		t.Fatal(err)
	}
	if len(vals) != 1 || vals[0].Value != 10521556 {
		t.Errorf("riket population 2022: %+v", vals)
	}
}
