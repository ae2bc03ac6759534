package report

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/segmap/segmap/internal/fault"
	"github.com/segmap/segmap/service"
	"github.com/segmap/segmap/service/notes"
)

// A report takes a second or more of both cores. Unbounded, a dozen at once
// made every one of them miss the request deadline together; the Reporter
// bounds them as the map pictures are bounded: a few builds at a time, the
// others wait in a short first-come-first-served queue, and beyond it a
// request is refused at once with a fault.Busy error. Identical requests
// share one build, and the last few reports built are kept per data
// version and notes version.

// Options configure a Reporter. Zero values take the defaults in brackets.
type Options struct {
	MaxBuilds int // reports built at once [2]
	MaxQueue  int // builds waiting for a slot; one more is refused with fault.Busy [16]
	Cache     int // reports kept, the most recently used first [16]; < 0: none
}

func (o *Options) defaults() {
	if o.MaxBuilds <= 0 {
		o.MaxBuilds = 2
	}
	if o.MaxQueue <= 0 {
		o.MaxQueue = 16
	}
	if o.Cache == 0 {
		o.Cache = 16
	}
}

// Reporter builds Nulägesbilder over the shared analysis of a
// service.Service and owns what a report needs beyond it: the build slots,
// the builds in flight and the cache. Safe for concurrent use.
type Reporter struct {
	svc   *service.Service
	slots *fifoSlots

	mu      sync.Mutex
	flights map[string]*flight
	cache   *lru

	// builds counts reports built (not served from the cache or shared); tests.
	builds int64
}

// New returns a Reporter over svc.
func New(svc *service.Service, opts Options) *Reporter {
	opts.defaults()
	return &Reporter{svc: svc, slots: newFIFOSlots(opts.MaxBuilds, opts.MaxQueue),
		flights: map[string]*flight{}, cache: newLRU(opts.Cache)}
}

// Build returns the Nulägesbild of the kommuner in q. The report may be
// shared with other callers (the cache, identical requests in flight):
// treat it as read-only. A full queue is a fault.Busy error; ctx bounds the
// wait and the build.
func (rp *Reporter) Build(ctx context.Context, q Query) (*Report, error) {
	q, err := normalize(q, rp.svc.Options())
	if err != nil {
		return nil, err
	}
	store := rp.svc.Store()
	dv, err := store.DataVersion(ctx)
	if err != nil {
		return nil, err
	}
	var nv int64
	if q.WithNotes {
		if nv, err = notes.New(rp.svc).Version(ctx); err != nil {
			return nil, err
		}
	}
	key := cacheKey(q, dv, nv)
	rp.mu.Lock()
	if r, ok := rp.cache.get(key); ok {
		rp.mu.Unlock()
		return r, nil
	}
	f, ok := rp.flights[key]
	if !ok {
		f = rp.start(key, q, dv)
	}
	f.waiters++
	rp.mu.Unlock()
	return rp.wait(ctx, key, f)
}

// Builds is the number of reports built so far (not counting those served
// from the cache or shared with an identical request).
func (rp *Reporter) Builds() int64 {
	rp.mu.Lock()
	defer rp.mu.Unlock()
	return rp.builds
}

// cacheKey names a report: the normalized query (the day of Now, not the
// instant) with the versions of the data and the notes it was built from.
func cacheKey(q Query, dataVersion, notesVersion int64) string {
	day := q.Now.Format("2006-01-02")
	q.Now = time.Time{}
	return fmt.Sprintf("%d/%d/%s/%#v", dataVersion, notesVersion, day, q)
}

// flight is one build that several identical requests wait for.
type flight struct {
	done    chan struct{}
	r       *Report
	err     error
	waiters int                // requests still waiting (guarded by Reporter.mu)
	cancel  context.CancelFunc // stops the build when every waiter has gone
}

// start begins the build of key; rp.mu is held. The build runs on its own
// context, cancelled when the last request waiting for it goes away, so
// one client leaving does not fail the others.
func (rp *Reporter) start(key string, q Query, dataVersion int64) *flight {
	ctx, cancel := context.WithCancel(context.Background())
	f := &flight{done: make(chan struct{}), cancel: cancel}
	rp.flights[key] = f
	go func() {
		defer cancel()
		r, err := rp.buildInSlot(ctx, q, dataVersion)
		rp.mu.Lock()
		if rp.flights[key] == f {
			delete(rp.flights, key)
		}
		if err == nil {
			rp.cache.put(key, r)
		}
		f.r, f.err = r, err
		rp.mu.Unlock()
		close(f.done)
	}()
	return f
}

func (rp *Reporter) buildInSlot(ctx context.Context, q Query, dataVersion int64) (*Report, error) {
	if err := rp.slots.acquire(ctx); err != nil {
		return nil, err
	}
	defer rp.slots.release()
	rp.mu.Lock()
	rp.builds++
	rp.mu.Unlock()
	return build(ctx, rp.svc, q, dataVersion)
}

// wait waits for f or for ctx; the last waiter to leave cancels the build.
func (rp *Reporter) wait(ctx context.Context, key string, f *flight) (*Report, error) {
	select {
	case <-f.done:
		rp.mu.Lock()
		f.waiters--
		rp.mu.Unlock()
		return f.r, f.err
	case <-ctx.Done():
		rp.mu.Lock()
		f.waiters--
		if f.waiters == 0 {
			f.cancel()
			// A new request must not join a cancelled build.
			if rp.flights[key] == f {
				delete(rp.flights, key)
			}
		}
		rp.mu.Unlock()
		return nil, waitErr(ctx.Err())
	}
}

// waitErr is the error of a request that stopped waiting for its report.
func waitErr(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return fault.Wrap(fault.Timeout, err, "the report was not ready in time; try again in a minute").
			Sv("rapporten blev inte klar i tid; försök igen om en minut")
	}
	return err
}

// ErrBusy is the error of a report request refused because every build
// slot and queue place is taken; it is of kind fault.Busy.
var ErrBusy = fault.Sentinel("report: too many reports are being built", fault.Busy)

// busyErr tells a person what ErrBusy means.
func busyErr() error {
	return fault.Wrap(fault.Busy, ErrBusy, "too many reports are being made right now; try again in a few seconds").
		Sv("just nu skapas för många nulägesbilder; försök igen om några sekunder")
}

// fifoSlots is a counting semaphore whose waiters are served first come,
// first served, with a bounded queue.
type fifoSlots struct {
	mu       sync.Mutex
	n        int // slots
	free     int
	maxQueue int
	queue    []chan struct{}
}

func newFIFOSlots(n, maxQueue int) *fifoSlots {
	return &fifoSlots{n: n, free: n, maxQueue: maxQueue}
}

// inUse is the number of slots taken.
func (s *fifoSlots) inUse() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n - s.free
}

// queued is the number of waiters in line.
func (s *fifoSlots) queued() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue)
}

// acquire takes a slot, waiting in line for one; a full line is busyErr at
// once, ctx ending while in line is ctx's error.
func (s *fifoSlots) acquire(ctx context.Context) error {
	s.mu.Lock()
	if s.free > 0 && len(s.queue) == 0 {
		s.free--
		s.mu.Unlock()
		return nil
	}
	if len(s.queue) >= s.maxQueue {
		s.mu.Unlock()
		return busyErr()
	}
	ch := make(chan struct{})
	s.queue = append(s.queue, ch)
	s.mu.Unlock()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		s.mu.Lock()
		for i, w := range s.queue {
			if w == ch {
				s.queue = append(s.queue[:i], s.queue[i+1:]...)
				s.mu.Unlock()
				return ctx.Err()
			}
		}
		s.mu.Unlock()
		// The slot was handed over as ctx ended: pass it on.
		s.release()
		return ctx.Err()
	}
}

// release hands the slot to the first in line, or frees it.
func (s *fifoSlots) release() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.queue) > 0 {
		ch := s.queue[0]
		s.queue = s.queue[1:]
		close(ch)
		return
	}
	s.free++
}

// lru keeps the n most recently used reports; guarded by Reporter.mu.
type lru struct {
	n    int
	keys []string // most recently used last
	m    map[string]*Report
}

func newLRU(n int) *lru { return &lru{n: n, m: map[string]*Report{}} }

func (c *lru) get(key string) (*Report, bool) {
	r, ok := c.m[key]
	if ok {
		c.touch(key)
	}
	return r, ok
}

func (c *lru) put(key string, r *Report) {
	if c.n <= 0 {
		return
	}
	if _, ok := c.m[key]; !ok && len(c.keys) >= c.n {
		delete(c.m, c.keys[0])
		c.keys = c.keys[1:]
	}
	c.m[key] = r
	c.touch(key)
}

func (c *lru) touch(key string) {
	for i, k := range c.keys {
		if k == key {
			c.keys = append(c.keys[:i], c.keys[i+1:]...)
			break
		}
	}
	c.keys = append(c.keys, key)
}
