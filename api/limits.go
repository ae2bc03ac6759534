package api

// Request limits: body size, query size and list length, LISA
// permutations, and a deadline per request. Refusals are the contract's
// error JSON with a message naming the limit.

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/segmap/segmap/internal/fault"
	"github.com/segmap/segmap/service"
)

// Limits bound what one request may ask of the server. Zero values take
// the defaults; a negative value switches a limit off.
type Limits struct {
	// MaxBodyBytes bounds a request body (write endpoints, uploads).
	// Larger bodies get 413. Default 32 MiB.
	MaxBodyBytes int64
	// RequestTimeout is the deadline of each request's context: store
	// queries and waits for a tile generation end with 503 when it
	// passes. Default 30 s.
	RequestTimeout time.Duration
	// MaxQueryBytes bounds the raw query string (414 beyond). Default 8 KiB.
	MaxQueryBytes int
	// MaxListItems bounds the items of one list parameter (kommun=a,b,…,
	// pooled=, breaks=); Sweden has 290 kommuner. Default 300.
	MaxListItems int
	// MaxPermutations bounds LISA's permutations (CPU per request grows
	// with permutations × areas and is not interruptible). Default 9999.
	MaxPermutations int
	// MaxPicturePixels bounds the pixels of one map picture (PNG:
	// width×dpi/96 × height×dpi/96; the raster takes 4 bytes a pixel).
	// Default 40 million (about 6300 × 6300, 160 MiB of raster).
	MaxPicturePixels int
	// MaxPictures bounds the map pictures rendered at once; others wait
	// (up to RequestTimeout). Default 2.
	MaxPictures int
	// MaxConcurrent bounds the expensive API requests worked on at once
	// (everything under /api/ but metadata, plus /report and /style.json;
	// never health checks, pages or tiles). Beyond it a request waits up to
	// QueueWait, then gets 503 + Retry-After. Default
	// DefaultMaxConcurrent(GOMAXPROCS).
	MaxConcurrent int
	// QueueWait is how long a request waits for one of MaxConcurrent.
	// Default 2 s.
	QueueWait time.Duration
	// OnQueue, when set (tests), is called as a request begins to wait
	// for one of MaxConcurrent.
	OnQueue func()
	// TransferTimeout is the read and write deadline, from the start of
	// the handler, of the downloads and uploads in TransferRoutes, which
	// may take longer than the server's read and write timeouts. Default
	// 5 min.
	TransferTimeout time.Duration
	// TransferRoutes are echo route paths. Default DefaultTransferRoutes().
	TransferRoutes []string
}

// Default limits.
const (
	DefaultMaxBodyBytes     = 32 << 20
	DefaultRequestTimeout   = 30 * time.Second
	DefaultMaxQueryBytes    = 8 << 10
	DefaultMaxListItems     = 300
	DefaultMaxPermutations  = 9999
	DefaultMaxPicturePixels = 40_000_000
	DefaultMaxPictures      = 2
)

func (l *Limits) defaults() {
	l.MaxBodyBytes = cmp.Or(l.MaxBodyBytes, DefaultMaxBodyBytes)
	l.RequestTimeout = cmp.Or(l.RequestTimeout, DefaultRequestTimeout)
	l.MaxQueryBytes = cmp.Or(l.MaxQueryBytes, DefaultMaxQueryBytes)
	l.MaxListItems = cmp.Or(l.MaxListItems, DefaultMaxListItems)
	l.MaxPermutations = cmp.Or(l.MaxPermutations, DefaultMaxPermutations)
	l.MaxPicturePixels = cmp.Or(l.MaxPicturePixels, DefaultMaxPicturePixels)
	l.MaxPictures = cmp.Or(l.MaxPictures, DefaultMaxPictures)
	l.MaxConcurrent = cmp.Or(l.MaxConcurrent, DefaultMaxConcurrent(runtime.GOMAXPROCS(0)))
	l.QueueWait = cmp.Or(l.QueueWait, DefaultQueueWait)
	l.TransferTimeout = cmp.Or(l.TransferTimeout, DefaultTransferTimeout)
	if l.TransferRoutes == nil {
		l.TransferRoutes = DefaultTransferRoutes()
	}
}

// pictureSlot refuses a picture over MaxPicturePixels and waits for one of
// MaxPictures render slots (or the request's end). Call release when done.
func (s *server) pictureSlot(ctx context.Context, opts service.PictureOptions) (release func(), err error) {
	l := s.opts.Limits
	if opts.Format != service.PictureFormatSVG && l.MaxPicturePixels > 0 {
		w, h, dpi := opts.Width, opts.Height, opts.DPI
		if w == 0 {
			w = 1000
		}
		if h == 0 {
			h = 800
		}
		if dpi == 0 {
			dpi = 96
		}
		px := float64(w) * dpi / 96 * float64(h) * dpi / 96
		if px > float64(l.MaxPicturePixels) {
			return nil, bad("the picture would have %.0f million pixels; this server renders at most %.0f million (lower width, height or dpi)", px/1e6, float64(l.MaxPicturePixels)/1e6).
				Sv("bilden skulle få %.0f miljoner pixlar; servern ritar högst %.0f miljoner (minska width, height eller dpi)", px/1e6, float64(l.MaxPicturePixels)/1e6)
		}
	}
	if s.pictures == nil {
		return func() {}, nil
	}
	select {
	case s.pictures <- struct{}{}:
		return func() { <-s.pictures }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// timeoutError is the cause of a request context whose deadline
// (Limits.RequestTimeout) passed.
type timeoutError struct{ limit time.Duration }

func (e *timeoutError) Error() string {
	return fmt.Sprintf("the request took longer than this server's limit of %s; try again, or ask for less (fewer kommuner, a lower level)", e.limit)
}

// limits is the middleware enforcing Limits before a handler runs, and
// the deadline while it runs.
func (s *server) limits(next echo.HandlerFunc) echo.HandlerFunc {
	l := s.opts.Limits
	return func(c echo.Context) error {
		r := c.Request()
		if l.MaxQueryBytes > 0 && len(r.URL.RawQuery) > l.MaxQueryBytes {
			return echo.NewHTTPError(http.StatusRequestURITooLong).SetInternal(
				fault.New(fault.TooLarge, "the query string has %d bytes; this server accepts at most %d", len(r.URL.RawQuery), l.MaxQueryBytes).
					Sv("frågesträngen har %d byte; servern tar emot högst %d", len(r.URL.RawQuery), l.MaxQueryBytes))
		}
		if l.MaxListItems > 0 && r.URL.RawQuery != "" {
			for name, vals := range c.QueryParams() {
				n := 0
				for _, v := range vals {
					n += strings.Count(v, ",") + 1
				}
				if n > l.MaxListItems {
					return bad("%s lists %d items; at most %d are accepted", name, n, l.MaxListItems).
						Sv("%s har %d värden i listan; högst %d tas emot", name, n, l.MaxListItems)
				}
			}
		}
		if l.MaxPermutations > 0 {
			if v := c.QueryParam("permutations"); v != "" {
				if p, err := strconv.Atoi(v); err == nil && p > l.MaxPermutations {
					return bad("permutations must be at most %d on this server, got %d", l.MaxPermutations, p).
						Sv("permutations får vara högst %d på den här servern, inte %d", l.MaxPermutations, p)
				}
			}
		}
		maxBody := l.MaxBodyBytes
		if r.Method == http.MethodPost && c.Path() == "/api/sites" {
			// Site uploads have their own limit (--site-upload-max-mb).
			maxBody = max(maxBody, s.uploadLimit())
		}
		if r.Method == http.MethodPost && c.Path() == "/api/data/uploads" && s.dataPage != nil {
			// Data page uploads have their own limit (datapage.Options.MaxBytes).
			maxBody = max(maxBody, s.dataPage.MaxBytes()+1<<20)
		}
		if maxBody > 0 && r.Body != nil && r.Body != http.NoBody {
			if r.ContentLength > maxBody {
				return bodyTooLarge(maxBody)
			}
			r.Body = http.MaxBytesReader(c.Response(), r.Body, maxBody)
		}
		if l.RequestTimeout > 0 {
			cause := &timeoutError{limit: l.RequestTimeout}
			ctx, cancel := context.WithTimeoutCause(r.Context(), l.RequestTimeout, cause)
			defer cancel()
			c.SetRequest(r.WithContext(ctx))
			err := next(c)
			if err != nil && errors.Is(err, context.DeadlineExceeded) && errors.Is(context.Cause(ctx), cause) {
				return cause
			}
			return err
		}
		return next(c)
	}
}

func bodyTooLarge(limit int64) error {
	return tooLarge(limit)
}

// byteSize formats a byte count for messages ("32 MiB", "512 bytes").
func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// byteSizeSV is byteSize in Swedish ("512 byte").
func byteSizeSV(n int64) string {
	if s := byteSize(n); !strings.HasSuffix(s, " bytes") {
		return s
	}
	return fmt.Sprintf("%d byte", n)
}
