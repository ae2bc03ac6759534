// Package fault is segmap's one vocabulary of error kinds.
//
// Every package that can fail in a way a client should hear about (data,
// tiles, service and its sub-packages) wraps one of the kinds below, and
// the HTTP layer maps each kind to a status in one table. What a person
// reads travels apart from the log text: an *Error carries a Message in
// Swedish and English, while Error() keeps the full chain for the log.
//
//	var ErrNotFound = fault.Sentinel("data: not found", fault.NotFound)
//	return fault.New(fault.Invalid, "k must be 2..9, got %d", k).Sv("k måste vara 2–9, inte %d", k)
//	errors.Is(err, fault.Invalid) // true for both, and for anything wrapping them
package fault

import (
	"errors"
	"fmt"
)

// The kinds. Test with errors.Is; never compare messages.
var (
	Invalid      = errors.New("invalid")      // the request or file is wrong; the caller can fix it
	NotFound     = errors.New("not found")    // no such layer, area, indicator, note, site
	Conflict     = errors.New("conflict")     // the change clashes with the data as it is now
	ReadOnly     = errors.New("read-only")    // the store was opened read-only
	Unauthorized = errors.New("unauthorized") // a token is needed and was missing or wrong
	TooLarge     = errors.New("too large")    // body, file, field or result over a limit
	Busy         = errors.New("busy")         // every slot for this kind of work is taken; retry soon
	Timeout      = errors.New("timeout")      // the work took longer than allowed
	Unavailable  = errors.New("unavailable")  // a dependency (the store) does not answer
)

// Kinds lists every kind, for tables and tests.
var Kinds = []error{Invalid, NotFound, Conflict, ReadOnly, Unauthorized, TooLarge, Busy, Timeout, Unavailable}

// KindOf returns the first kind err wraps, or nil when it wraps none
// (an internal error).
func KindOf(err error) error {
	for _, k := range Kinds {
		if errors.Is(err, k) {
			return k
		}
	}
	return nil
}

// Sentinel returns a package sentinel error with its own text that is of
// kind: errors.Is(Sentinel("data: not found", NotFound), NotFound) holds.
func Sentinel(text string, kind error) error { return &sentinel{text: text, kind: kind} }

type sentinel struct {
	text string
	kind error
}

func (s *sentinel) Error() string { return s.text }
func (s *sentinel) Unwrap() error { return s.kind }

// Error is an error of one kind with a message for people.
type Error struct {
	Kind error // one of the kinds of this package (or a Sentinel of one)
	EN   string
	SV   string // "" falls back to EN
	Err  error  // the cause, for the log; may be nil
}

// New returns an error of kind whose message (English) is made by
// fmt.Sprintf(format, args...). Add the Swedish with Sv.
func New(kind error, format string, args ...any) *Error {
	return &Error{Kind: kind, EN: fmt.Sprintf(format, args...)}
}

// Wrap is New with a cause kept for the log (and for errors.Is/As).
func Wrap(kind, cause error, format string, args ...any) *Error {
	e := New(kind, format, args...)
	e.Err = cause
	return e
}

// Sv sets the Swedish message and returns e.
func (e *Error) Sv(format string, args ...any) *Error {
	e.SV = fmt.Sprintf(format, args...)
	return e
}

// Error is the log text: the English message and the cause.
func (e *Error) Error() string {
	if e.Err == nil {
		return e.EN
	}
	return e.EN + ": " + e.Err.Error()
}

// Unwrap lets errors.Is see both the kind and the cause.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

// Message is the message for people in lang ("sv" or "en").
func (e *Error) Message(lang string) string {
	if lang == "sv" && e.SV != "" {
		return e.SV
	}
	return e.EN
}

// Messager is an error that carries its own message for people, such as
// *Error or data.InputError.
type Messager interface {
	error
	Message(lang string) string
}

// MessageOf returns the message for people of the outermost Messager in
// err's chain, and false when there is none (the caller then says
// something generic for the kind and logs err).
func MessageOf(err error, lang string) (string, bool) {
	var m Messager
	if errors.As(err, &m) {
		return m.Message(lang), true
	}
	return "", false
}
