package api

// Load shedding and per-route transfer deadlines.
//
// Expensive API work (queries, classifications, statistics, exports, the
// report, pictures) runs at most Limits.MaxConcurrent at once; a request
// beyond it waits up to Limits.QueueWait for a slot, then gets 503 with
// Retry-After and the contract's error JSON, well before the request
// deadline, so an overload ends in quick refusals rather than in every
// request timing out together. Cheap answers are never shed: /healthz,
// /readyz, metadata, the pages and their assets, and tiles (cached tiles
// are answered before routing; tile generation has its own bound,
// --tile-max-generations).
//
// Downloads and uploads (Limits.TransferRoutes) may take longer to send or
// receive than the server's read and write timeouts allow a tile or a
// JSON answer: their connection's deadlines are moved to TransferTimeout
// from the start of the handler (http.ResponseController).

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/segmap/segmap/internal/fault"
)

// DefaultTransferRoutes are the routes whose answers are downloads (or
// whose requests are uploads) and get Limits.TransferTimeout.
func DefaultTransferRoutes() []string {
	return []string{
		"/api/export.csv", "/api/export.xlsx", "/api/export.geojson",
		"/api/map.png", "/api/map.svg", "/report",
		"/api/sites", "/api/sites/:id/geojson",
		"/api/sites/:id/summary.csv", "/api/sites/:id/summary.xlsx", "/api/sites/:id/summary.geojson",
		"/api/data/uploads",
	}
}

// Default shedding and transfer limits.
const (
	DefaultQueueWait       = 2 * time.Second
	DefaultTransferTimeout = 5 * time.Minute
)

// DefaultMaxConcurrent is the default of Limits.MaxConcurrent for procs
// CPUs: 4 per CPU (work waits for the store and the CPU in turns), at
// least 8.
func DefaultMaxConcurrent(procs int) int { return max(8, 4*procs) }

// shedRoute reports whether the route (echo's c.Path()) is expensive API
// work that may be shed. Metadata, the OpenAPI document and oEmbed answer
// from memory and are never shed; the Nulägesbild has its own bounded FIFO
// queue (service/report: builds shared, refusals with Busy when the queue
// is full), which a second limit in front would only starve.
func shedRoute(route string) bool {
	switch route {
	case "/api/meta", "/api/openapi.json", "/api/oembed", "/report":
		return false
	case "/style.json":
		return true
	}
	return strings.HasPrefix(route, "/api/")
}

// admission holds the slots of expensive work and the transfer routes.
type admission struct {
	slots     chan struct{} // nil: no limit
	wait      time.Duration
	onQueue   func()
	transfer  map[string]bool
	transferT time.Duration
}

func newAdmission(l Limits) *admission {
	a := &admission{wait: l.QueueWait, onQueue: l.OnQueue, transfer: map[string]bool{}, transferT: l.TransferTimeout}
	if l.MaxConcurrent > 0 {
		a.slots = make(chan struct{}, l.MaxConcurrent)
	}
	for _, r := range l.TransferRoutes {
		a.transfer[r] = true
	}
	return a
}

// middleware extends the deadlines of transfers and sheds expensive work
// beyond the slots.
func (a *admission) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		route := c.Path()
		if a.transferT > 0 && a.transfer[route] {
			extendDeadlines(c.Response(), a.transferT)
		}
		if a.slots == nil || !shedRoute(route) {
			return next(c)
		}
		release, err := a.acquire(c.Request().Context())
		if err != nil {
			if errors.Is(err, fault.Busy) {
				c.Response().Header().Set("Retry-After", RetryAfterBusy)
			}
			return err
		}
		defer release()
		return next(c)
	}
}

// acquire takes a slot, waiting up to a.wait; past it the error is of kind
// fault.Busy.
func (a *admission) acquire(ctx context.Context) (release func(), err error) {
	release = func() { <-a.slots }
	select {
	case a.slots <- struct{}{}:
		return release, nil
	default:
	}
	t := time.NewTimer(a.wait)
	defer t.Stop()
	if a.onQueue != nil {
		a.onQueue()
	}
	select {
	case a.slots <- struct{}{}:
		return release, nil
	case <-t.C:
		return nil, fault.New(fault.Busy, "the server is busy with %d requests; try again in a second", cap(a.slots)).
			Sv("servern arbetar redan med %d förfrågningar; försök igen om en sekund", cap(a.slots))
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// extendDeadlines moves the read and write deadlines of w's connection to
// d from now: the read deadline too, since net/http cancels a request's
// context when a read deadline passes while its handler still runs.
// Writers that cannot (test recorders) are left as they are.
func extendDeadlines(w http.ResponseWriter, d time.Duration) {
	rc := http.NewResponseController(w)
	at := time.Now().Add(d)
	_ = rc.SetReadDeadline(at)
	_ = rc.SetWriteDeadline(at)
}
