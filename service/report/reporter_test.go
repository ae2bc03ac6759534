package report

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/internal/fault"
	"github.com/segmap/segmap/service"
)

// small is a quick report (Salem: few DeSO, few permutations).
func small(kommun string) Query {
	return Query{Kommuner: []string{kommun}, Permutations: 99, Now: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)}
}

// TestBuildSharedAndCached: many concurrent requests for one report make
// one build; later ones come from the cache.
func TestBuildSharedAndCached(t *testing.T) {
	t.Parallel()
	rp := New(service.New(testStore, nil, service.Options{}), Options{})
	const n = 8
	reports := make([]*Report, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			reports[i], errs[i] = rp.Build(context.Background(), small("0128"))
		}()
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil || reports[i] != reports[0] {
			t.Fatalf("request %d: %v (report %p, first %p)", i, errs[i], reports[i], reports[0])
		}
	}
	if _, err := rp.Build(context.Background(), small("0128")); err != nil {
		t.Fatal(err)
	}
	if got := rp.Builds(); got != 1 {
		t.Errorf("%d builds for %d identical requests and one more, want 1", got, n)
	}
	// Another day is another report (its date is on the page).
	q := small("0128")
	q.Now = q.Now.AddDate(0, 0, 1)
	if _, err := rp.Build(context.Background(), q); err != nil {
		t.Fatal(err)
	}
	if got := rp.Builds(); got != 2 {
		t.Errorf("%d builds after a request on another day, want 2", got)
	}
}

// TestBuildNotesVersion: a note added, changed or deleted makes the next
// report a new build that shows it; a report without notes needs no
// rebuild for them.
func TestBuildNotesVersion(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds five reports; the full run covers it")
	}
	ctx := context.Background()
	store := writableStore(t)
	rp := New(service.New(store, nil, service.Options{}), Options{})
	q := small("0128")
	q.WithNotes = true
	noteText := func() string {
		t.Helper()
		r, err := rp.Build(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Notes) == 0 {
			return ""
		}
		return r.Notes[0].Text
	}
	if got := noteText(); got != "" {
		t.Fatalf("note %q before any was added", got)
	}
	n, err := store.AddNote(ctx, data.Note{Level: data.LevelKommun, Code: "0128", Year: 2023, Text: "ny skola"})
	if err != nil {
		t.Fatal(err)
	}
	if got := noteText(); got != "ny skola" {
		t.Errorf("after adding: note %q", got)
	}
	text := "ny skola och bibliotek"
	if _, err := store.UpdateNote(ctx, n.ID, data.NotePatch{Text: &text}); err != nil {
		t.Fatal(err)
	}
	if got := noteText(); got != text {
		t.Errorf("after changing: note %q", got)
	}
	if got := noteText(); got != text || rp.Builds() != 3 {
		t.Errorf("unchanged notes: note %q, %d builds, want 3", got, rp.Builds())
	}
	if err := store.DeleteNote(ctx, n.ID); err != nil {
		t.Fatal(err)
	}
	if got := noteText(); got != "" || rp.Builds() != 4 {
		t.Errorf("after deleting: note %q, %d builds, want 4", got, rp.Builds())
	}
	// Without notes: one build, whatever the notes do.
	q.WithNotes = false
	for range 2 {
		r, err := rp.Build(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Notes) != 0 || r.NotesHidden == "" {
			t.Errorf("report without notes: %d notes, hidden %q", len(r.Notes), r.NotesHidden)
		}
		if _, err := store.AddNote(ctx, data.Note{Level: data.LevelKommun, Code: "0128", Year: 2024, Text: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	if rp.Builds() != 5 {
		t.Errorf("%d builds, want 5", rp.Builds())
	}
}

// TestBuildBusy: with one build slot and one place in the queue, a third
// different report is refused at once with fault.Busy; the queued one is
// built when the first is done.
func TestBuildBusy(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds two reports; the full run covers it (TestFIFOSlots stays)")
	}
	rp := New(service.New(testStore, nil, service.Options{}), Options{MaxBuilds: 1, MaxQueue: 1, Cache: -1})
	type result struct {
		r   *Report
		err error
	}
	first, second := make(chan result, 1), make(chan result, 1)
	go func() { r, err := rp.Build(context.Background(), small("0128")); first <- result{r, err} }()
	waitFor(t, "the first build to take the slot", func() bool { return rp.slots.inUse() == 1 })
	go func() { r, err := rp.Build(context.Background(), small("0127")); second <- result{r, err} }()
	waitFor(t, "the second build to queue", func() bool { return rp.slots.queued() == 1 })
	_, err := rp.Build(context.Background(), small("0126"))
	if !errors.Is(err, fault.Busy) || !errors.Is(err, ErrBusy) {
		t.Fatalf("third report while one is built and one queued: %v, want Busy", err)
	}
	if msg, ok := fault.MessageOf(err, "sv"); !ok || msg == "" {
		t.Errorf("Busy without a Swedish message: %q", msg)
	}
	for _, ch := range []chan result{first, second} {
		if res := <-ch; res.err != nil || res.r == nil {
			t.Errorf("queued build: %v", res.err)
		}
	}
	if rp.Builds() != 2 {
		t.Errorf("%d builds, want 2", rp.Builds())
	}
}

// TestBuildCancel: a request that goes away while its report waits for a
// slot returns its context's error, and the build it was alone waiting for
// is not made.
func TestBuildCancel(t *testing.T) {
	if testing.Short() {
		t.Skip("builds reports; the full run covers it (TestFIFOSlots stays)")
	}
	rp := New(service.New(testStore, nil, service.Options{}), Options{MaxBuilds: 1, Cache: -1})
	done := make(chan error, 1)
	go func() { _, err := rp.Build(context.Background(), small("0128")); done <- err }()
	waitFor(t, "the first build to take the slot", func() bool { return rp.slots.inUse() == 1 })
	ctx, cancel := context.WithCancel(context.Background())
	waited := make(chan error, 1)
	go func() { _, err := rp.Build(ctx, small("0127")); waited <- err }()
	waitFor(t, "the second build to queue", func() bool { return rp.slots.queued() == 1 })
	cancel()
	if err := <-waited; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled request: %v", err)
	}
	waitFor(t, "the cancelled build to leave the queue", func() bool { return rp.slots.queued() == 0 })
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if rp.Builds() != 1 {
		t.Errorf("%d builds, want 1 (the cancelled one must not be built)", rp.Builds())
	}
	// A deadline is a Timeout with a message.
	ctx, cancel = context.WithTimeout(context.Background(), time.Nanosecond)
	defer cancel()
	<-ctx.Done()
	if _, err := rp.Build(ctx, small("0127")); err == nil {
		t.Error("a report for an expired context")
	}
}

// TestFIFOSlots: at most n holders at once, waiters served in the order
// they came, a full queue refused at once, a cancelled waiter leaves its
// place.
func TestFIFOSlots(t *testing.T) {
	t.Parallel()
	tests := []struct{ slots, waiters int }{{1, 5}, {2, 7}, {3, 3}}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%d slots %d waiters", tc.slots, tc.waiters), func(t *testing.T) {
			s := newFIFOSlots(tc.slots, tc.waiters)
			for range tc.slots {
				if err := s.acquire(context.Background()); err != nil {
					t.Fatal(err)
				}
			}
			var order []int
			var mu sync.Mutex
			var active, peak atomic.Int32
			var wg sync.WaitGroup
			for i := range tc.waiters {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if err := s.acquire(context.Background()); err != nil {
						t.Error(err)
						return
					}
					a := active.Add(1)
					for p := peak.Load(); a > p && !peak.CompareAndSwap(p, a); p = peak.Load() {
					}
					mu.Lock()
					order = append(order, i)
					mu.Unlock()
					active.Add(-1)
					s.release()
				}()
				waitFor(t, "the waiter to queue", func() bool { return s.queued() == i+1 })
			}
			if err := s.acquire(context.Background()); !errors.Is(err, fault.Busy) {
				t.Errorf("acquire with a full queue: %v, want Busy", err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			for range tc.slots {
				s.release()
			}
			wg.Wait()
			for i, w := range order {
				if w != i && tc.slots == 1 {
					t.Errorf("served %v, want first come first served", order)
					break
				}
			}
			if len(order) != tc.waiters || int(peak.Load()) > tc.slots {
				t.Errorf("%d served, %d at once (slots %d)", len(order), peak.Load(), tc.slots)
			}
			if s.inUse() != 0 || s.queued() != 0 {
				t.Errorf("after all: %d in use, %d queued", s.inUse(), s.queued())
			}
			// A cancelled waiter neither takes a slot nor keeps its place.
			for range tc.slots {
				_ = s.acquire(context.Background())
			}
			if err := s.acquire(ctx); !errors.Is(err, context.Canceled) || s.queued() != 0 {
				t.Errorf("cancelled acquire: %v, %d queued", err, s.queued())
			}
		})
	}
}

// waitFor polls cond until it holds (the test's own deadline bounds it).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for !cond() {
		select {
		case <-t.Context().Done():
			t.Fatalf("gave up waiting for %s", what)
		case <-time.After(time.Millisecond):
		}
	}
}

// BenchmarkReportCached compares a report built (uncached: every
// iteration builds Stockholm's) with one served from the cache.
func BenchmarkReportCached(b *testing.B) {
	ctx := context.Background()
	svc := service.New(testStore, nil, service.Options{})
	q := Query{Kommuner: []string{"0180"}, Now: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)}
	for _, bc := range []struct {
		name  string
		cache int
	}{{"uncached", -1}, {"cached", 16}} {
		b.Run(bc.name, func(b *testing.B) {
			rp := New(svc, Options{Cache: bc.cache})
			if _, err := rp.Build(ctx, q); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := rp.Build(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkWriteHTML is the page of a built (cached) report, which /report
// renders for every HTML request.
func BenchmarkWriteHTML(b *testing.B) {
	rp := New(service.New(testStore, nil, service.Options{}), Options{})
	r, err := rp.Build(context.Background(), Query{Kommuner: []string{"0180"}, Now: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		var buf bytes.Buffer
		if err := r.WriteHTML(&buf); err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(buf.Len()))
	}
}
