package service

import (
	"context"
	"errors"
	"math"
	"reflect"
	"sync"
	"testing"

	"github.com/segmap/segmap/data"
)

// stockholmXY is the z-11 tile over Stockholm city.
func stockholmXY() (int, int) {
	n := math.Exp2(11)
	lat := 59.33 * math.Pi / 180
	return int((18.07 + 180) / 360 * n), int((1 - math.Log(math.Tan(lat)+1/math.Cos(lat))/math.Pi) / 2 * n)
}

// TestTileWithValuesClassifiesOnce: the tiles of one map view share one
// classification, however many are asked for at once; a cached tile is
// answered as it was; each other query is classified once more, and only
// the last few queries are kept.
func TestTileWithValuesClassifiesOnce(t *testing.T) {
	ctx := context.Background()
	s := New(testStore, nil, Options{})
	x, y := stockholmXY()
	q := ClassifyQuery{ValuesQuery: ValuesQuery{Indicator: "low_econ_standard_pct", Year: 2022}}
	first, err := s.TileWithValues(ctx, "deso", 11, x, y, q)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.TileWithValues(ctx, "deso", 11, x+i%3, y+i/3, q); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	again, err := s.TileWithValues(ctx, "deso", 11, x, y, q)
	if err != nil {
		t.Fatal(err)
	}
	if again != first {
		t.Error("the cached tile was made again")
	}
	if n := s.valueAttrsBuilt.Load(); n != 1 {
		t.Errorf("9 tiles of one query classified %d times, want 1", n)
	}
	// Another query at once from many tiles: one more classification.
	q4 := q
	q4.K = 4
	for i := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.TileWithValues(ctx, "deso", 11, x+i%2, y+i/2, q4); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := s.valueAttrsBuilt.Load(); n != 2 {
		t.Errorf("two queries classified %d times, want 2", n)
	}
	four, err := s.TileWithValues(ctx, "deso", 11, x, y, q4)
	if err != nil || four.ETag == first.ETag {
		t.Errorf("k=4 tile: %v, same ETag as k=5: %v", err, four != nil && four.ETag == first.ETag)
	}
	// Errors are not kept: each bad query is refused again.
	bad := q
	bad.Indicator = "nope"
	for range 2 {
		if _, err := s.TileWithValues(ctx, "deso", 11, x, y, bad); !errors.Is(err, ErrNotFound) && !errors.Is(err, data.ErrNotFound) {
			t.Errorf("unknown indicator: %v", err)
		}
	}
	// Many queries: only the last maxValueAttrs are kept.
	for k := 2; k < 2+maxValueAttrs+3; k++ {
		qk := q
		qk.K, qk.Method = k, "equal"
		if _, err := s.TileWithValues(ctx, "deso", 11, x, y, qk); err != nil {
			t.Fatal(err)
		}
	}
	s.valueAttrs.mu.Lock()
	kept := len(s.valueAttrs.byKey)
	s.valueAttrs.mu.Unlock()
	if kept != maxValueAttrs {
		t.Errorf("%d classified queries kept, want %d", kept, maxValueAttrs)
	}
}

// TestIndicatorFromMeta: the indicator read from the cached Meta is the
// store's own record of it, and a caller changing its copy changes nothing
// for the next.
func TestIndicatorFromMeta(t *testing.T) {
	ctx := context.Background()
	s := New(testStore, nil, Options{})
	all, err := testStore.Indicators(ctx)
	if err != nil || len(all) == 0 {
		t.Fatalf("%d indicators, %v", len(all), err)
	}
	for _, want := range all {
		direct, err := testStore.Indicator(ctx, want.ID)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.indicator(ctx, want.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, direct) {
			t.Errorf("%s: from Meta %+v, from the store %+v", want.ID, got, direct)
		}
		if len(got.Years) > 0 {
			got.Years[0] = -1
			if again, _ := s.indicator(ctx, want.ID); again.Years[0] == -1 {
				t.Fatalf("%s: a caller's change reached the shared Meta", want.ID)
			}
		}
	}
	if _, err := s.indicator(ctx, "nope"); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("unknown indicator: %v", err)
	}
}
