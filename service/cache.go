package service

import (
	"container/list"
	"context"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"
)

// CacheOptions bound the analysis cache (values, classifications, LISA and
// their encoded JSON), which holds answers that change only with the data
// version. Zero values take the defaults in brackets.
type CacheOptions struct {
	MaxEntries int   // answers kept [512]
	MaxBytes   int64 // their estimated size [128 MiB]
	// MaxProfiles bounds the area profiles kept (encoded), in a cache of
	// their own so that browsing areas never evicts the analysis answers
	// [2048; their bytes: MaxBytes / 4].
	MaxProfiles int
	// Disabled turns the cache off: every call builds its answer (still
	// one build for identical concurrent calls).
	Disabled bool
}

func (o *CacheOptions) defaults() {
	if o.MaxEntries <= 0 {
		o.MaxEntries = 512
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = 128 << 20
	}
	if o.MaxProfiles <= 0 {
		o.MaxProfiles = 2048
	}
}

// profileCache is the options of the profiles' cache (MaxProfiles).
func (o CacheOptions) profileCache() CacheOptions {
	o.defaults()
	return CacheOptions{MaxEntries: o.MaxProfiles, MaxBytes: o.MaxBytes / 4, Disabled: o.Disabled}
}

// cacheBuildTimeout bounds one build, which runs detached from the request
// that started it (others may be waiting for it).
const cacheBuildTimeout = 2 * time.Minute

// memo is a bounded, least-recently-used cache of answers of one data
// version. A call with a newer version empties it; identical concurrent
// misses share one build (singleflight). Cached values are shared by every
// caller and must not be modified.
type memo struct {
	opts    CacheOptions
	mu      sync.Mutex
	ver     int64
	entries map[string]*list.Element // of *memoEntry
	lru     list.List                // front: most recently used
	bytes   int64
	group   singleflight.Group
	builds  atomic.Int64 // builds run (tests, benchmarks)
}

type memoEntry struct {
	key  string
	val  any
	size int64
}

func newMemo(opts CacheOptions) *memo {
	opts.defaults()
	return &memo{opts: opts, entries: map[string]*list.Element{}}
}

// builder makes an answer and estimates its size in bytes.
type builder func(ctx context.Context) (val any, size int64, err error)

// get returns the answer for key at data version ver, building it once.
func (m *memo) get(ctx context.Context, ver int64, key string, build builder) (any, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if v, ok := m.lookup(ver, key); ok {
		return v, nil
	}
	ch := m.group.DoChan(strconv.FormatInt(ver, 10)+"\x00"+key, func() (v any, err error) {
		// A panic would otherwise be re-raised where nothing recovers it.
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("service: analysis build panicked: %v", r)
			}
		}()
		if v, ok := m.lookup(ver, key); ok {
			return v, nil
		}
		bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cacheBuildTimeout)
		defer cancel()
		m.builds.Add(1)
		v, size, err := build(bctx)
		if err != nil {
			return nil, err
		}
		m.store(ver, key, v, size)
		return v, nil
	})
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case r := <-ch:
		return r.Val, r.Err
	}
}

// lookup returns a cached answer, emptying the cache first when ver is
// newer than what it holds.
func (m *memo) lookup(ver int64, key string) (any, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.advance(ver)
	el, ok := m.entries[key]
	if !ok || m.ver != ver {
		return nil, false
	}
	m.lru.MoveToFront(el)
	return el.Value.(*memoEntry).val, true
}

// advance empties the cache when ver is newer than its version. Callers
// hold m.mu.
func (m *memo) advance(ver int64) {
	if ver <= m.ver {
		return
	}
	m.ver = ver
	clear(m.entries)
	m.lru.Init()
	m.bytes = 0
}

// store keeps an answer of version ver unless the cache is off, has moved
// on to a newer version or the answer alone is over the byte bound; then
// evicts the least recently used answers beyond the bounds.
func (m *memo) store(ver int64, key string, val any, size int64) {
	if m.opts.Disabled || size > m.opts.MaxBytes {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.advance(ver)
	if m.ver != ver {
		return
	}
	if _, dup := m.entries[key]; dup {
		return
	}
	m.entries[key] = m.lru.PushFront(&memoEntry{key: key, val: val, size: size})
	m.bytes += size
	for len(m.entries) > m.opts.MaxEntries || m.bytes > m.opts.MaxBytes {
		el := m.lru.Back()
		e := el.Value.(*memoEntry)
		m.lru.Remove(el)
		delete(m.entries, e.key)
		m.bytes -= e.size
	}
}

// stats returns the entries and estimated bytes held (tests).
func (m *memo) stats() (int, int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.entries), m.bytes
}

// cached returns the answer of kind and key at the current data version
// from the analysis cache, building it with build on a miss.
func cached[T any](ctx context.Context, s *Service, key string, size func(T) int64, build func(context.Context) (T, error)) (T, error) {
	return cachedIn(ctx, s, s.cache, key, size, build)
}

// cachedIn is cached with the answers kept in m.
func cachedIn[T any](ctx context.Context, s *Service, m *memo, key string, size func(T) int64, build func(context.Context) (T, error)) (T, error) {
	var zero T
	ver, err := s.store.DataVersion(ctx)
	if err != nil {
		return zero, err
	}
	v, err := m.get(ctx, ver, key, func(ctx context.Context) (any, int64, error) {
		t, err := build(ctx)
		if err != nil {
			return nil, 0, err
		}
		return t, size(t), nil
	})
	if err != nil {
		return zero, err
	}
	return v.(T), nil
}

// areaBytes is the estimated size of an answer's per-area rows.
const areaBytes = 200

// CacheBuilds is the number of analysis answers built (not found in the
// cache) since the service started; for tests and benchmarks.
func (s *Service) CacheBuilds() int64 { return s.cache.builds.Load() }
