package data

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/segmap/segmap/internal/fault"
)

// Helpers for the message-language tests (see TestInputErrorLanguages and
// TestFileMessagesSwedish): a message for people is Swedish by default and
// English on request, and the Swedish one is not English in disguise.

// englishWords betray English in a Swedish message: words that are not
// Swedish, looked for outside quoted values and the library's own detail.
var englishWords = regexp.MustCompile(`\b(the|is|are|not|has|have|must|cannot|expected|file|feature|features|row|sheet|field|layer|entry|shape|and|or|of|with|without|only|more|than|limit|empty|missing|unknown|found|truncated|too|should|does|points)\b`)

// quoted are values from the input ("x", 'x'), which stay as they are.
var quoted = regexp.MustCompile(`"[^"]*"|'[^']*'|«[^»]*»`)

// swedishRest is the Swedish problem sv without what it shares with the
// English en at the start and at the end after a colon (a library's own
// words, kept as a suffix in both languages), and without quoted values.
func swedishRest(sv, en string) string {
	p := 0
	for p < len(sv) && p < len(en) && sv[p] == en[p] {
		p++
	}
	s := 0
	for s < len(sv)-p && s < len(en)-p && sv[len(sv)-1-s] == en[len(en)-1-s] {
		s++
	}
	rest := sv[p:]
	if suffix := sv[len(sv)-s:]; s > 0 {
		if i := strings.Index(suffix, ": "); i >= 0 {
			rest = strings.TrimSuffix(rest, suffix[i+2:])
		}
	}
	return quoted.ReplaceAllString(rest, "")
}

// messager is an error with a message for people in a language.
type messager interface {
	Message(lang string) string
}

// checkLanguages fails t when err has no message for people, when its
// Swedish message is its English one or has English words, or when either
// lacks what it must name (sv, en: substrings such as the place, field and
// expectation). It returns both messages.
func checkLanguages(t *testing.T, err error, sv, en []string) (string, string) {
	t.Helper()
	var m messager
	if !errors.As(err, &m) {
		t.Fatalf("error %v (%T) has no message for people", err, err)
	}
	msv, men := m.Message("sv"), m.Message("en")
	// The problem alone: place and field words are Swedish even when the
	// problem fell back to English.
	psv, pen := msv, men
	var ie *InputError
	var fe *fault.Error
	switch {
	case errors.As(err, &ie):
		psv, pen = ie.ProblemSV, ie.Problem
	case errors.As(err, &fe):
		psv, pen = fe.SV, fe.EN
	}
	if psv == "" || psv == pen {
		t.Errorf("no Swedish problem in %q (English %q)", msv, men)
	}
	if w := englishWords.FindString(swedishRest(psv, pen)); w != "" {
		t.Errorf("Swedish message %q has the English word %q", msv, w)
	}
	for _, w := range sv {
		if !strings.Contains(msv, w) {
			t.Errorf("Swedish message %q lacks %q", msv, w)
		}
	}
	for _, w := range en {
		if !strings.Contains(men, w) {
			t.Errorf("English message %q lacks %q", men, w)
		}
	}
	return msv, men
}

// requireSwedishProblem fails t when an input error found by a fuzzer has
// no Swedish problem of its own (a quick check; checkLanguages is the full
// one for the table tests).
func requireSwedishProblem(t *testing.T, ie *InputError) {
	t.Helper()
	if ie.ProblemSV == "" || ie.ProblemSV == ie.Problem {
		t.Fatalf("no Swedish problem: %v", ie)
	}
}

// TestSwedishRest: the check itself finds English left in a Swedish
// message, and lets quoted values and a library's suffix be.
func TestSwedishRest(t *testing.T) {
	for _, tc := range []struct {
		sv, en  string
		english bool
	}{
		{`f.gpkg: lagret "x" is not a plain table`, `f.gpkg: layer "x": the layer is not a plain table`, true},
		{`f.gpkg: lagret "x" är ingen vanlig tabell`, `f.gpkg: layer "x": the layer is not a plain table`, false},
		{`f.xlsx: filen är inte en giltig xlsx-arbetsbok: zip: not a valid zip file`, `f.xlsx: the file is not a valid xlsx workbook: zip: not a valid zip file`, false},
		{`f.xlsx: filen är inte giltig: zip: not a valid zip file`, `f.xlsx: the file is not valid: zip: not a valid zip file`, false},
		{`lagret: is not a plain table (x); segmap reads only tables from a file: export it`, `the layer is not a plain table (x); segmap reads only tables from a file: export it`, true},
		{`anteckningen: fält "text": är tom; skriv "the end"`, `note: field "text": is empty; write "the end"`, false},
	} {
		if got := englishWords.MatchString(swedishRest(tc.sv, tc.en)); got != tc.english {
			t.Errorf("%q: English found %v, want %v (rest %q)", tc.sv, got, tc.english, swedishRest(tc.sv, tc.en))
		}
	}
}
