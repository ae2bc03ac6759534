package service

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/data/demo"
	"github.com/segmap/segmap/spatial/disclosure"
	"github.com/segmap/segmap/tiles"
)

// One demo store (real SCB data for Stockholms län) per test binary.
var testStore *data.Store

func TestMain(m *testing.M) {
	os.Exit(demo.WithTestStore(m, func(s *data.Store) { testStore = s }))
}

func TestDisclosureRule(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rule := disclosure.Default()
	plain := New(testStore, nil, Options{})
	strict := New(testStore, nil, Options{Disclosure: &rule})
	q := ValuesQuery{Level: data.LevelDeSO, Indicator: "unemployment_rate_16_64_pct", Year: 2022}
	a, err := plain.Values(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	b, err := strict.Values(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	hidden := 0
	for i, pa := range a.Areas {
		pb := b.Areas[i]
		if pa.Code != pb.Code {
			t.Fatal("order differs")
		}
		small := pa.Numerator.Valid() && pa.Denominator.Valid() && (float64(pa.Numerator) <= float64(rule.MinCount) || float64(pa.Denominator) <= float64(rule.MinGroup))
		switch {
		case small && !pa.Suppressed:
			hidden++
			if !pb.Suppressed || pb.Value.Valid() || pb.Numerator.Valid() {
				t.Errorf("%s num %v den %v: not suppressed by the rule: %+v", pa.Code, pa.Numerator, pa.Denominator, pb)
			}
		case !small && pa.Value.Valid():
			if pb.Suppressed || pb.Value != pa.Value {
				t.Errorf("%s: value changed by the rule: %v -> %v", pa.Code, pa.Value, pb.Value)
			}
		}
	}
	// Unemployment counts per DeSO are often 5 or fewer: the rule must bite.
	if hidden == 0 {
		t.Error("the disclosure rule hid nothing")
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := New(testStore, nil, Options{})
	tests := []struct {
		name string
		call func() error
		want []error
	}{
		{"unknown indicator", func() error {
			_, err := s.Values(ctx, ValuesQuery{Level: "deso", Indicator: "nope"})
			return err
		}, []error{data.ErrNotFound, ErrNotFound}},
		{"no indicator", func() error {
			_, err := s.Values(ctx, ValuesQuery{Level: "deso"})
			return err
		}, []error{ErrBadRequest}},
		{"unknown level", func() error {
			_, err := s.Areas(ctx, "mars", nil)
			return err
		}, []error{ErrNotFound}},
		{"unknown area", func() error {
			_, err := s.Profile(ctx, "deso", "0180X0000")
			return err
		}, []error{data.ErrNotFound, ErrNotFound}},
		{"bad tile", func() error {
			_, err := s.Tile(ctx, "deso", 3, 99, 0)
			return err
		}, []error{tiles.ErrBadTile}},
		{"unknown tile layer", func() error {
			_, err := s.Tile(ctx, "nope", 3, 0, 0)
			return err
		}, []error{tiles.ErrUnknownLayer}},
		{"bad k", func() error {
			_, err := s.Classify(ctx, ClassifyQuery{ValuesQuery: ValuesQuery{Level: "deso", Indicator: "population"}, K: 1})
			return err
		}, []error{ErrBadRequest}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if err == nil || !slices.ContainsFunc(tt.want, func(w error) bool { return errors.Is(err, w) }) {
				t.Errorf("err %v, want one of %v", err, tt.want)
			}
		})
	}
}

func TestPooledBreaks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := New(testStore, nil, Options{})
	q := ClassifyQuery{ValuesQuery: ValuesQuery{Level: data.LevelDeSO, Indicator: "population", Year: 2022, Kommuner: []string{"0180"}},
		Method: "equal", K: 4, Pooled: []int{2023}}
	c, err := s.Classify(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, y := range []int{2022, 2023} {
		v, err := s.Values(ctx, ValuesQuery{Level: data.LevelDeSO, Indicator: "population", Year: y, Kommuner: []string{"0180"}})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range v.Areas {
			if a.Value.Valid() {
				lo, hi = math.Min(lo, float64(a.Value)), math.Max(hi, float64(a.Value))
			}
		}
	}
	if !slices.Equal(c.Pooled, []int{2022, 2023}) || c.Breaks[0] != lo || c.Breaks[len(c.Breaks)-1] != hi {
		t.Errorf("pooled %v breaks %v, want range [%v, %v] over both years", c.Pooled, c.Breaks, lo, hi)
	}
	counts := 0
	for _, e := range c.Legend {
		counts += e.Count
	}
	if counts != len(c.Areas) {
		t.Errorf("legend counts %d, areas %d", counts, len(c.Areas))
	}
}

func TestTileLayersAndReload(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := New(testStore, nil, Options{})
	layers, err := s.TileLayers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	levels, err := testStore.Levels(ctx)
	if err != nil {
		t.Fatal(err)
	}
	withGeom := 0
	for _, l := range levels {
		if l.FeatureCount > 0 {
			withGeom++
		}
	}
	if len(layers) != withGeom || withGeom == 0 {
		t.Errorf("%d layers, %d levels with geometry", len(layers), withGeom)
	}
	for _, l := range layers {
		for _, f := range l.Features {
			if int64(f.ID) != data.FeatureID(f.Code) {
				t.Fatalf("%s/%s: id %d, FeatureID %d", l.Name, f.Code, f.ID, data.FeatureID(f.Code))
			}
		}
	}
	if s.TileVersion() != -1 {
		t.Error("tiles loaded before Reload")
	}
	v, err := s.Reload(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := testStore.DataVersion(ctx)
	if v != want || s.TileVersion() != want {
		t.Errorf("reload version %d, tile version %d, store %d", v, s.TileVersion(), want)
	}
	if _, err := s.Reload(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestGraphCache(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := New(testStore, nil, Options{})
	g1, err := s.graph(ctx, data.LevelDeSO, []string{"0180", "0114"}, NeighboursSnap)
	if err != nil {
		t.Fatal(err)
	}
	g2, err := s.graph(ctx, data.LevelDeSO, []string{"0114", "0180"}, NeighboursSnap)
	if err != nil {
		t.Fatal(err)
	}
	if g1 != g2 {
		t.Error("same level and kommuner (other order) not cached")
	}
	islands := 0
	for i, nb := range g1.nb {
		if len(nb) == 0 {
			islands++
		}
		for _, j := range nb {
			if !slices.Contains(g1.nb[j], i) {
				t.Fatalf("neighbours not symmetric: %s -> %s", g1.codes[i], g1.codes[j])
			}
		}
	}
	// Stockholm's DeSO form a contiguous coverage: few islands (islands in the archipelago).
	if islands > len(g1.nb)/20 {
		t.Errorf("%d of %d DeSO have no neighbour", islands, len(g1.nb))
	}
}

func BenchmarkClassify(b *testing.B) {
	ctx := context.Background()
	s := New(testStore, nil, Options{})
	q := ClassifyQuery{ValuesQuery: ValuesQuery{Level: data.LevelDeSO, Indicator: "low_econ_standard_pct"}, Method: "fisher", K: 5}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Classify(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
}

// TestReloadAfterChange: a change to the store (new data version) makes
// Reload rebuild the tile layers; without a change it is a no-op.
func TestReloadAfterChange(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "copy.gpkg")
	if err := testStore.CopyTo(ctx, path); err != nil {
		t.Fatal(err)
	}
	st, err := data.Open(ctx, path, data.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s := New(st, nil, Options{})
	v1, err := s.Reload(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.graph(ctx, data.LevelDeSO, []string{"0180"}, NeighboursSnap); err != nil {
		t.Fatal(err)
	}
	if err := st.Update(ctx, func(tx *data.Tx) error { tx.MarkChanged(); return nil }); err != nil {
		t.Fatal(err)
	}
	v2, err := s.Reload(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v2 != v1+1 || s.TileVersion() != v2 {
		t.Errorf("versions %d -> %d, tile version %d", v1, v2, s.TileVersion())
	}
	if n := len(s.weights); n != 0 {
		t.Errorf("%d cached weights survive a data change", n)
	}
	if _, err := s.Tile(ctx, data.LevelDeSO, 0, 0, 0); err != nil {
		t.Errorf("tile after reload: %v", err)
	}
}
