package tiles

import (
	"container/list"
	"sync"
)

// lru is a byte-budget LRU of encoded tiles.
type lru struct {
	mu     sync.Mutex
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
	key  cacheKey
	tile *Tile
	size int64
}

func newLRU(budget int64) *lru {
	return &lru{budget: budget, ll: list.New(), items: map[cacheKey]*list.Element{}}
}

func (c *lru) get(key cacheKey) (*Tile, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		return nil, false
	}
	c.ll.MoveToFront(el)
	return el.Value.(*lruEntry).tile, true
}

func (c *lru) add(key cacheKey, t *Tile) {
	size := int64(len(t.Gzip)+len(t.ETag)+len(key.layer)+len(key.attrs)) + 160
	if c.budget <= 0 || size > c.budget {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.used -= el.Value.(*lruEntry).size
		c.ll.Remove(el)
	}
	c.items[key] = c.ll.PushFront(&lruEntry{key: key, tile: t, size: size})
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
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ll.Len(), c.used
}
