package tiles

import (
	"fmt"
	"sync"
	"testing"
)

func lruTile(i int) *Tile { return &Tile{Gzip: make([]byte, 100), ETag: fmt.Sprintf(`"%d"`, i)} }

// entrySize is what add charges for lruTile(i) under key z=i.
func entrySize(i int) int64 {
	return int64(100+len(fmt.Sprintf(`"%d"`, i))+len("deso")) + 160
}

// TestLRUKeepsHotTiles: a tile asked for between insertions survives any
// number of them; the others leave oldest first; the budget holds.
func TestLRUKeepsHotTiles(t *testing.T) {
	t.Parallel()
	budget := 10 * entrySize(99)
	c := newLRU(budget)
	key := func(i int) cacheKey { return cacheKey{layer: "deso", z: i} }
	for i := 0; i < 10; i++ {
		c.add(key(i), lruTile(i))
	}
	for i := 10; i < 200; i++ {
		if _, ok := c.get(key(0)); !ok {
			t.Fatalf("the hot tile was evicted after %d insertions", i-10)
		}
		c.add(key(i), lruTile(i))
		if n, used := c.stats(); used > budget || n > 10 {
			t.Fatalf("%d tiles, %d bytes over a budget of %d", n, used, budget)
		}
	}
	if _, ok := c.get(key(1)); ok {
		t.Error("a tile nobody asked for outlived 190 insertions")
	}
	if _, ok := c.get(key(199)); !ok {
		t.Error("the newest tile is missing")
	}
	// Order of eviction among untouched tiles: oldest first.
	n, _ := c.stats()
	for i := 199; i > 199-(n-1); i-- {
		if _, ok := c.get(key(i)); !ok {
			t.Errorf("tile %d of the %d newest is missing", i, n-1)
		}
	}
}

// TestLRUConcurrent: gets and adds from many goroutines (run with -race).
func TestLRUConcurrent(t *testing.T) {
	t.Parallel()
	c := newLRU(50 * entrySize(999))
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 2000; i++ {
				k := cacheKey{layer: "deso", z: (i * (g + 1)) % 120}
				if tl, ok := c.get(k); ok && tl.ETag != fmt.Sprintf(`"%d"`, k.z) {
					t.Errorf("key %d holds tile %s", k.z, tl.ETag)
					return
				}
				c.add(k, lruTile(k.z))
			}
		}()
	}
	wg.Wait()
	if n, used := c.stats(); used > 50*entrySize(999) || n == 0 {
		t.Errorf("%d tiles, %d bytes", n, used)
	}
}
