package data

import (
	"fmt"

	"github.com/segmap/segmap/internal/fault"
)

// Sentinel errors; wrap them with %w so callers can test with errors.Is.
// Each is of a kind of internal/fault (errors.Is(ErrNotFound, fault.NotFound)).
var (
	ErrNotFound     = fault.Sentinel("data: not found", fault.NotFound)
	ErrInvalid      = fault.Sentinel("data: invalid input", fault.Invalid)
	ErrConflict     = fault.Sentinel("data: conflict", fault.Conflict)
	ErrReadOnly     = fault.Sentinel("data: store is read-only", fault.ReadOnly)
	ErrSchemaTooNew = fault.Sentinel("data: store schema is newer than this program", fault.Unavailable)
)

// notFound is ErrNotFound (kind fault.NotFound) with a message for people
// in English and Swedish; the log reads "<en>: data: not found".
func notFound(en, sv string) error {
	return &fault.Error{Kind: fault.NotFound, EN: en, SV: sv, Err: ErrNotFound}
}

// InputError is bad input in a file a user gave us. It names the file, the
// place (feature, row, sheet cell), the field and what was expected, so the
// message alone tells a person what to fix. It wraps ErrInvalid.
type InputError struct {
	File    string // path or name of the file
	Place   string // "feature 12", "row 7", "sheet Tabell1 cell B9", "" for the whole file
	Field   string // column, property or member name, "" when not about one field
	Problem string // what is wrong, what was expected, and a fix when we know one
}

func (e *InputError) Error() string {
	msg := "data: " + e.File
	if e.Place != "" {
		msg += ": " + e.Place
	}
	if e.Field != "" {
		msg += fmt.Sprintf(": field %q", e.Field)
	}
	return msg + ": " + e.Problem
}

func (e *InputError) Unwrap() error { return ErrInvalid }

// Message is the message for people (fault.Messager): the file, place,
// field and problem without the package prefix.
func (e *InputError) Message(string) string {
	return e.Error()[len("data: "):]
}
