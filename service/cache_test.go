package service

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	"github.com/segmap/segmap/data"
)

var fisherAll = ClassifyQuery{ValuesQuery: ValuesQuery{Level: data.LevelDeSO, Indicator: "low_econ_standard_pct"}, Method: "fisher", K: 5}

// TestCacheHitSameAsCold: a cached answer is the answer a service without
// cache builds, for values, classifications and LISA.
func TestCacheHitSameAsCold(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	warm := New(testStore, nil, Options{})
	cold := New(testStore, nil, Options{Cache: CacheOptions{Disabled: true}})
	lisaQ := LISAQuery{ValuesQuery: ValuesQuery{Level: data.LevelDeSO, Indicator: "low_econ_standard_pct", Kommuner: []string{"0184", "0180"}}, Permutations: 99, Seed: 7}
	cases := []struct {
		name string
		get  func(*Service) (any, error)
	}{
		{"values", func(s *Service) (any, error) {
			return s.Values(ctx, ValuesQuery{Level: data.LevelDeSO, Indicator: "foreign_born_pct", Kommuner: []string{"0180"}})
		}},
		{"classify", func(s *Service) (any, error) { return s.Classify(ctx, fisherAll) }},
		{"lisa", func(s *Service) (any, error) { return s.LISA(ctx, lisaQ) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			first, err := tc.get(warm)
			if err != nil {
				t.Fatal(err)
			}
			builds := warm.CacheBuilds()
			hit, err := tc.get(warm)
			if err != nil {
				t.Fatal(err)
			}
			if warm.CacheBuilds() != builds {
				t.Errorf("second identical call built %d answers", warm.CacheBuilds()-builds)
			}
			if reflect.ValueOf(hit).Pointer() != reflect.ValueOf(first).Pointer() {
				t.Error("second identical call is not the cached answer")
			}
			fresh, err := tc.get(cold)
			if err != nil {
				t.Fatal(err)
			}
			a, _ := json.Marshal(hit)
			b, _ := json.Marshal(fresh)
			if string(a) != string(b) {
				t.Errorf("cached answer differs from a cold build:\n%.300s\n%.300s", a, b)
			}
		})
	}
	// The order of the kommuner does not make another entry.
	builds := warm.CacheBuilds()
	q := lisaQ
	q.Kommuner = []string{"0180", "0184"}
	if _, err := warm.LISA(ctx, q); err != nil {
		t.Fatal(err)
	}
	if warm.CacheBuilds() != builds {
		t.Error("the same kommuner in another order were built again")
	}
}

// TestCacheNewVersion: a change to the store (what every import does)
// makes the next request build its answer again.
func TestCacheNewVersion(t *testing.T) {
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
	c1, err := s.Classify(ctx, fisherAll)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Update(ctx, func(tx *data.Tx) error { tx.MarkChanged(); return nil }); err != nil {
		t.Fatal(err)
	}
	builds := s.CacheBuilds()
	c2, err := s.Classify(ctx, fisherAll)
	if err != nil {
		t.Fatal(err)
	}
	if s.CacheBuilds() == builds || c1 == c2 {
		t.Error("a new data version was answered from the old version's cache")
	}
	if !reflect.DeepEqual(c1.Breaks, c2.Breaks) {
		t.Errorf("breaks %v -> %v without a change of values", c1.Breaks, c2.Breaks)
	}
	if n, _ := s.cache.stats(); n != 3 { // the classification, its values and the level's area list
		t.Errorf("%d entries after the new version, want 3", n)
	}
}

// TestCacheBuildsOnce: identical concurrent requests share one build.
func TestCacheBuildsOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	m := newMemo(CacheOptions{})
	release := make(chan struct{})
	const n = 16
	var wg sync.WaitGroup
	got := make([]any, n)
	for i := range n {
		wg.Go(func() {
			v, err := m.get(ctx, 1, "k", func(context.Context) (any, int64, error) {
				<-release
				return new(int), 8, nil
			})
			if err != nil {
				t.Error(err)
			}
			got[i] = v
		})
	}
	close(release)
	wg.Wait()
	if b := m.builds.Load(); b != 1 {
		t.Errorf("%d builds for %d identical requests", b, n)
	}
	for i := range got {
		if got[i] != got[0] {
			t.Fatalf("request %d got another answer", i)
		}
	}
}

// TestCacheBounds: the least recently used answers go first when a bound
// is reached; an answer over the byte bound is not kept; errors are not
// cached; a newer version empties the cache.
func TestCacheBounds(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	put := func(m *memo, ver int64, key string, size int64) {
		t.Helper()
		if _, err := m.get(ctx, ver, key, func(context.Context) (any, int64, error) { return key, size, nil }); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		name  string
		opts  CacheOptions
		steps func(m *memo)
		keep  []string
		bytes int64
	}{
		{"entries", CacheOptions{MaxEntries: 2}, func(m *memo) { put(m, 1, "a", 1); put(m, 1, "b", 1); put(m, 1, "a", 1); put(m, 1, "c", 1) }, []string{"a", "c"}, 2},
		{"bytes", CacheOptions{MaxBytes: 10}, func(m *memo) { put(m, 1, "a", 4); put(m, 1, "b", 4); put(m, 1, "c", 4) }, []string{"b", "c"}, 8},
		{"too large", CacheOptions{MaxBytes: 10}, func(m *memo) { put(m, 1, "a", 4); put(m, 1, "big", 11) }, []string{"a"}, 4},
		{"new version", CacheOptions{}, func(m *memo) { put(m, 1, "a", 4); put(m, 2, "b", 4); put(m, 1, "c", 4) }, []string{"b"}, 4},
		{"disabled", CacheOptions{Disabled: true}, func(m *memo) { put(m, 1, "a", 4) }, nil, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := newMemo(tc.opts)
			tc.steps(m)
			n, bytes := m.stats()
			if n != len(tc.keep) || bytes != tc.bytes {
				t.Errorf("%d entries, %d bytes; want %d, %d", n, bytes, len(tc.keep), tc.bytes)
			}
			for _, k := range tc.keep {
				if _, ok := m.lookup(m.ver, k); !ok {
					t.Errorf("%q was evicted", k)
				}
			}
		})
	}
	m := newMemo(CacheOptions{})
	boom := errors.New("boom")
	for range 2 {
		if _, err := m.get(ctx, 1, "e", func(context.Context) (any, int64, error) { return nil, 0, boom }); !errors.Is(err, boom) {
			t.Fatalf("error %v, want boom", err)
		}
	}
	if m.builds.Load() != 2 {
		t.Error("an error was cached")
	}
}

// BenchmarkClassifyCache: Fisher–Jenks on every DeSO of the country
// (5,984 areas), built each time (cold: values from the store and the
// classification) and from the cache (warm).
func BenchmarkClassifyCache(b *testing.B) {
	ctx := context.Background()
	for _, bc := range []struct {
		name string
		opts CacheOptions
	}{{"cold", CacheOptions{Disabled: true}}, {"warm", CacheOptions{}}} {
		b.Run(bc.name, func(b *testing.B) {
			s := New(testStore, nil, Options{Cache: bc.opts})
			if _, err := s.Classify(ctx, fisherAll); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Classify(ctx, fisherAll); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
