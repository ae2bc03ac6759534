// Package download writes segmap's downloads — sheets (CSV and XLSX) and
// GeoJSON feature collections — in one way for every export: typed
// columns, text that a spreadsheet would run as a formula neutralised, a
// bound on the size, and the request's context looked at between rows.
//
// A Sheet is plain data built by the service layer (a header per
// language, rows of typed cells, metadata pairs); api/ only picks the
// format. The writers build the whole file in memory (at most
// Limits.MaxBytes) so that a refusal is still an ordinary error response.
package download

import (
	"bytes"
	"context"
	"errors"

	"github.com/segmap/segmap/internal/fault"
)

// DefaultMaxBytes bounds a download when Limits.MaxBytes is 0: 64 MiB,
// well above the largest real export (every DeSO of Sweden with
// geometry is about 20 MiB) and far below what a hostile name repeated on
// every row could grow to.
const DefaultMaxBytes = 64 << 20

// checkEvery is how many rows (or features) pass between two looks at
// the context.
const checkEvery = 64

// Limits bound a download.
type Limits struct {
	MaxBytes int64 // 0: DefaultMaxBytes
}

func (l Limits) max() int64 {
	if l.MaxBytes > 0 {
		return l.MaxBytes
	}
	return DefaultMaxBytes
}

// ErrTooLarge is the kind of the error of a download over Limits.MaxBytes.
var ErrTooLarge = fault.Sentinel("download: over the size limit", fault.TooLarge)

func tooLarge(limit int64) error {
	return fault.Wrap(fault.TooLarge, ErrTooLarge, "the download would be larger than %d MB; ask for fewer areas, sites or buffers", limit>>20).
		Sv("nedladdningen skulle bli större än %d MB; välj färre områden, platser eller buffertar", limit>>20)
}

// boundedBuffer is a bytes.Buffer that refuses to grow past max.
type boundedBuffer struct {
	buf bytes.Buffer
	max int64
}

var errFull = errors.New("download: buffer full")

func (b *boundedBuffer) Write(p []byte) (int, error) {
	if int64(b.buf.Len())+int64(len(p)) > b.max {
		return 0, errFull
	}
	return b.buf.Write(p)
}

func (b *boundedBuffer) WriteString(s string) (int, error) {
	if int64(b.buf.Len())+int64(len(s)) > b.max {
		return 0, errFull
	}
	return b.buf.WriteString(s)
}

// result turns a write error into the download's error.
func (b *boundedBuffer) result(err error) ([]byte, error) {
	if errors.Is(err, errFull) {
		return nil, tooLarge(b.max)
	}
	if err != nil {
		return nil, err
	}
	return b.buf.Bytes(), nil
}

// stopper looks at ctx at the first step and every checkEvery steps after.
type stopper struct {
	ctx context.Context
	n   int
}

func (s *stopper) err() error {
	s.n++
	if s.n%checkEvery != 1 {
		return nil
	}
	return s.ctx.Err()
}
