package data

import (
	"context"
	"testing"
)

// BenchmarkImportNational imports the national 5,984 x 66 DeSO table (10
// mapping entries, 59,840 DeSO values plus the parent levels) into a store
// that has the hierarchy.
func BenchmarkImportNational(b *testing.B) {
	ctx := context.Background()
	m := mustMapping(b, "deso_indicators_2022.mapping.yaml")
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		s := newStore(b)
		if _, err := s.ImportHierarchy(ctx, tdir+"deso2018_regso2020_link.csv"); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := s.ImportIndicators(ctx, tdir+"deso_indicators_2022.csv", IndicatorImportOptions{Mapping: m}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadRecords is the parsing part alone (no SQLite).
func BenchmarkReadRecords(b *testing.B) {
	m := mustMapping(b, "deso_indicators_2022.mapping.yaml")
	raw := mustRead(b, tdir+"deso_indicators_2022.csv")
	b.ReportAllocs()
	for b.Loop() {
		t, err := readCSV("x.csv", raw)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := t.records(m); err != nil {
			b.Fatal(err)
		}
	}
}
