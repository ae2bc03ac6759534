package data_test

import (
	"context"
	"testing"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/data/demo"
)

// BenchmarkAreaValues is one area's every value (what an area profile
// reads), on the demo store: a DeSO, its RegSO and its kommun.
func BenchmarkAreaValues(b *testing.B) {
	ctx := context.Background()
	path, err := demo.TestStorePath(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	s, err := data.Open(ctx, path, data.OpenOptions{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	areas := [][2]string{{data.LevelDeSO, "0180C1090"}, {data.LevelRegSO, ""}, {data.LevelKommun, "0180"}}
	a, err := s.Area(ctx, data.LevelDeSO, areas[0][1])
	if err != nil {
		b.Fatal(err)
	}
	areas[1][1] = a.RegSO
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		l := areas[i%len(areas)]
		vs, err := s.AreaValues(ctx, l[0], l[1])
		if err != nil || len(vs) == 0 {
			b.Fatalf("%s %s: %d values, %v", l[0], l[1], len(vs), err)
		}
	}
}
