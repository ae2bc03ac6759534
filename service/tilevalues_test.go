package service

import (
	"context"
	"errors"
	"math"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/tiles"
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
	t.Parallel()
	ctx := context.Background()
	s := New(testStore, nil, Options{})
	x, y := stockholmXY()
	q := ClassifyQuery{ValuesQuery: ValuesQuery{Indicator: "low_econ_standard_pct", Year: 2022}}
	var wg sync.WaitGroup
	for i := range 9 { // from cold, at once: one classification for all
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.TileWithValues(ctx, "deso", 11, x+i%3, y+i/3, q); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	first, err := s.TileWithValues(ctx, "deso", 11, x, y, q)
	if err != nil {
		t.Fatal(err)
	}
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
	t.Parallel()
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

// TestValuesKeyUnambiguous: no list of kommuner or other field can be
// written so that its query reads as another's (a client could otherwise
// fill the cache with a wrong tile for everyone).
func TestValuesKeyUnambiguous(t *testing.T) {
	t.Parallel()
	base := ClassifyQuery{ValuesQuery: ValuesQuery{Level: "deso", Indicator: "low_econ_standard_pct", Year: 2022}}
	variants := []func(*ClassifyQuery){
		func(q *ClassifyQuery) {},
		func(q *ClassifyQuery) { q.Kommuner = []string{"0180 0184"} },
		func(q *ClassifyQuery) { q.Kommuner = []string{"0180", "0184"} },
		func(q *ClassifyQuery) { q.Kommuner = []string{"0180,0184"} },
		func(q *ClassifyQuery) { q.Breakdown = "kvinnor" },
		func(q *ClassifyQuery) { q.Breakdown = `kvinnor" kom "x` },
		func(q *ClassifyQuery) { q.Indicator = "low_econ_standard_pct|year 2022" },
		func(q *ClassifyQuery) { q.Manual = []float64{1, 2} },
		func(q *ClassifyQuery) { q.Pooled = []int{2021} },
		func(q *ClassifyQuery) { q.K = 4 },
		func(q *ClassifyQuery) { q.Lang = "en" },
	}
	seen := map[string]int{}
	for i, f := range variants {
		q := base
		f(&q)
		k := valuesKey("7", q)
		if j, dup := seen[k]; dup {
			t.Errorf("variants %d and %d share the key %s", j, i, k)
		}
		seen[k] = i
	}
	if valuesKey("7", base) == valuesKey("8", base) {
		t.Error("the key does not hold the version")
	}
	// End to end: the two readings of "0180 0184" give different tiles.
	ctx := context.Background()
	s := New(testStore, nil, Options{})
	x, y := stockholmXY()
	q := base
	q.Kommuner = []string{"0180 0184"}
	odd, err := s.TileWithValues(ctx, "deso", 11, x, y, q)
	if err != nil {
		t.Fatal(err)
	}
	q.Kommuner = []string{"0180", "0184"}
	real, err := s.TileWithValues(ctx, "deso", 11, x, y, q)
	if err != nil {
		t.Fatal(err)
	}
	if odd.ETag == real.ETag {
		t.Error("kommun=0180 0184 and kommun=0180,0184 got the same tile")
	}
}

// TestAttrsCacheFailures: a panicking or failing build is an error for
// every waiting caller (not a crash, not kept); a caller already gone does
// not start one.
func TestAttrsCacheFailures(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	errs := make([]error, 4)
	var joined atomic.Int32
	allJoined := make(chan struct{})
	c := attrsCache{joined: func() {
		if joined.Add(1) == int32(len(errs)) {
			close(allJoined)
		}
	}}
	release := make(chan struct{})
	var builds atomic.Int32
	var wg sync.WaitGroup
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = c.get(ctx, "k", func(context.Context) (*tiles.Attributes, error) {
				builds.Add(1)
				<-release
				panic("boom")
			})
		}()
	}
	<-allJoined // every caller waits on a build, which cannot end before release
	close(release)
	wg.Wait()
	if n := builds.Load(); n != 1 {
		t.Errorf("%d builds for 4 callers at once, want 1", n)
	}
	for i, err := range errs {
		if err == nil || !strings.Contains(err.Error(), "boom") {
			t.Errorf("caller %d: %v, want the panic as an error", i, err)
		}
	}
	built := 0
	a, err := c.get(ctx, "k", func(context.Context) (*tiles.Attributes, error) {
		built++
		return &tiles.Attributes{Key: "k"}, nil
	})
	if err != nil || a.Key != "k" || built != 1 {
		t.Errorf("after a failure: %v %v, built %d", a, err, built)
	}
	gone, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := c.get(gone, "other", func(context.Context) (*tiles.Attributes, error) {
		t.Error("built for a cancelled caller")
		return nil, nil
	}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled caller: %v", err)
	}
}

// TestMetaBuiltOnce: requests meeting a new data version at once share one
// Meta (one build), as the indicator lookups of every query now read it.
func TestMetaBuiltOnce(t *testing.T) {
	t.Parallel()
	s := New(testStore, nil, Options{})
	metas := make([]*Meta, 8)
	var wg sync.WaitGroup
	for i := range metas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m, err := s.Meta(context.Background())
			if err != nil {
				t.Error(err)
			}
			metas[i] = m
		}()
	}
	wg.Wait()
	for i, m := range metas {
		if m == nil || m != metas[0] {
			t.Fatalf("request %d got another Meta: built more than once", i)
		}
	}
}
