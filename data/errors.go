package data

import (
	"fmt"
	"regexp"

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
//
// Problem is English; ProblemSV says the same in Swedish. Message gives the
// Swedish text by default (place and field in Swedish: "rad 7", "blad
// Tabell1", "fält"), English for lang "en"; Error (the log, the command
// line) is English.
type InputError struct {
	File      string // path or name of the file
	FileSV    string // File in Swedish when it is a word, not a name ("anteckningen" for "note"); "" keeps File
	Place     string // "feature 12", "row 7", "sheet Tabell1 cell B9", "" for the whole file
	Field     string // column, property or member name, "" when not about one field
	Problem   string // what is wrong, what was expected, and a fix when we know one
	ProblemSV string // Problem in Swedish; "" falls back to Problem
}

func (e *InputError) Error() string {
	return "data: " + e.text("en")
}

func (e *InputError) text(lang string) string {
	msg := e.File
	if lang == "sv" {
		if e.FileSV != "" {
			msg = e.FileSV
		}
		if e.Place != "" {
			msg += ": " + PlaceSV(e.Place)
		}
		if e.Field != "" {
			msg += fmt.Sprintf(": fält %q", e.Field)
		}
		p := e.ProblemSV
		if p == "" {
			p = e.Problem
		}
		return msg + ": " + p
	}
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
// field and problem without the package prefix, in Swedish unless lang is "en".
func (e *InputError) Message(lang string) string {
	if lang == "en" {
		return e.text("en")
	}
	return e.text("sv")
}

// placeWords are the English words of places and their Swedish.
var placeWords = []struct {
	re *regexp.Regexp
	sv string
}{
	{regexp.MustCompile(`\bsheet\b`), "blad"},
	{regexp.MustCompile(`\brow\b`), "rad"},
	{regexp.MustCompile(`\bcell\b`), "cell"},
	{regexp.MustCompile(`\bfeature\b`), "objekt"},
	{regexp.MustCompile(`\bindicator\b`), "indikator"},
	{regexp.MustCompile(`\blayer\b`), "lager"},
	{regexp.MustCompile(`\bline\b`), "rad"},
	{regexp.MustCompile(`\bcode\b`), "kod"},
	{regexp.MustCompile(`\brecord\b`), "post"},
	{regexp.MustCompile(`\bshape\b`), "form"},
	{regexp.MustCompile(`\bsite\b`), "plats"},
	{regexp.MustCompile(`\bmember\b`), "medlem"},
	{regexp.MustCompile(`\bentry\b`), "zip-post"},
	{regexp.MustCompile(`\bfield\b`), "fält"},
}

// PlaceSV is a place ("sheet Tabell1 row 7", "feature 12 (code X)") in
// Swedish ("blad Tabell1 rad 7", "objekt 12 (kod X)"). Only the leading
// words and the words before a number or a name are replaced.
func PlaceSV(place string) string {
	out := place
	for _, w := range placeWords {
		out = w.re.ReplaceAllString(out, w.sv)
	}
	return out
}
