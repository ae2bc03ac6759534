package tiles

import (
	"container/list"
	"sync"
	"sync/atomic"
)

// lru is a byte-budget LRU of encoded tiles (both encodings count). Hits take only the read lock:
// an entry is moved to the front only once it has drifted into the older
// half of the list (more moves and insertions since its last one than half
// the entries), so the hot tiles of a busy map are served without writers
// queueing on one lock, and only entries nobody asked for in that long are
// evicted.
type lru struct {
	mu     sync.RWMutex
	ticks  atomic.Uint64 // moves to the front and insertions so far
	budget int64
	used   int64
	ll     *list.List
	items  map[cacheKey]*list.Element
}

// cacheKey addresses a tile within one state (one data version): a
// comparable struct, so a lookup allocates nothing.
type cacheKey struct {
	layer   string
	z, x, y int
	attrs   string // Attributes.Key; "" without attributes
}

type lruEntry struct {
	key   cacheKey
	tile  *Tile
	size  int64
	stamp atomic.Uint64 // ticks at its last move to the front
}

func newLRU(budget int64) *lru {
	return &lru{budget: budget, ll: list.New(), items: map[cacheKey]*list.Element{}}
}

func (c *lru) get(key cacheKey) (*Tile, bool) {
	c.mu.RLock()
	el, ok := c.items[key]
	n := uint64(len(c.items))
	c.mu.RUnlock()
	if !ok {
		return nil, false
	}
	en := el.Value.(*lruEntry)
	if c.ticks.Load()-en.stamp.Load() > n/2 {
		c.mu.Lock()
		if c.items[key] == el { // not evicted meanwhile
			c.ll.MoveToFront(el)
			en.stamp.Store(c.ticks.Add(1))
		}
		c.mu.Unlock()
	}
	return en.tile, true
}

func (c *lru) add(key cacheKey, t *Tile) {
	size := int64(len(t.Gzip)+len(t.ETag)+len(t.Raw)+len(t.RawETag)+len(key.layer)+len(key.attrs)) + 160
	if c.budget <= 0 || size > c.budget {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.used -= el.Value.(*lruEntry).size
		c.ll.Remove(el)
	}
	en := &lruEntry{key: key, tile: t, size: size}
	en.stamp.Store(c.ticks.Add(1))
	c.items[key] = c.ll.PushFront(en)
	c.used += size
	for c.used > c.budget {
		el := c.ll.Back()
		en := el.Value.(*lruEntry)
		c.ll.Remove(el)
		delete(c.items, en.key)
		c.used -= en.size
	}
}

func (c *lru) stats() (int, int64) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.ll.Len(), c.used
}
