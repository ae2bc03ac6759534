package data

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

var codePatterns = map[string]*regexp.Regexp{
	LevelDeSO:   regexp.MustCompile(`^\d{4}[A-C]\d{4}$`),
	LevelRegSO:  regexp.MustCompile(`^\d{4}R\d{3}$`),
	LevelKommun: regexp.MustCompile(`^\d{4}$`),
	LevelLan:    regexp.MustCompile(`^\d{2}$`),
}

// codeShapes describe the code of each built-in level for messages, with
// the fix for a code of digits only (what a spreadsheet makes of a code).
var codeShapes = map[string]struct{ form, example, digitsFix string }{
	LevelDeSO: {"4 digits (the kommun), a letter A, B or C and 4 digits", "0114A0010",
		"a DeSO code always has a letter, so a code of digits only is not a DeSO code: it may be a kommun code or a number a spreadsheet made of something else. Check that the code column holds DeSO codes (set code_column in the mapping) and that the level is right"},
	LevelRegSO: {"4 digits (the kommun), the letter R and 3 digits", "0114R001",
		"a RegSO code always has the letter R, so a code of digits only is not a RegSO code. Check that the code column holds RegSO codes (set code_column in the mapping) and that the level is right"},
	LevelKommun: {"4 digits", "0114",
		"kommun codes in Stockholms län start with 0, which a spreadsheet drops when it reads the column as a number: format the code column as text (or write the codes with printf('%04d', code)), or check that the level is right"},
	LevelLan: {"2 digits", "01",
		"län codes below 10 start with 0, which a spreadsheet drops when it reads the column as a number: format the code column as text (or write the codes with printf('%02d', code)), or check that the level is right"},
}

// codeShapeProblem says why code does not have the shape of a level's
// codes, with a fix for that level ("" when it has, or the level has no
// known shape). Indicator files and boundary imports share it.
func codeShapeProblem(level, code string) string {
	re, ok := codePatterns[level]
	sh, known := codeShapes[level]
	if !ok || !known || re.MatchString(code) {
		return ""
	}
	fix := "check the level and the code column"
	if allDigits(code) {
		fix = sh.digitsFix
	}
	return fmt.Sprintf("code %q does not look like a %s code (a %s code is %s, e.g. %q); %s", trimTo(code, 40), level, level, sh.form, sh.example, fix)
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// looksLikeCode reports whether s is a well-formed code of the level
// (any non-empty string for levels without a known pattern).
func looksLikeCode(level, s string) bool {
	s = strings.TrimSpace(s)
	if re, ok := codePatterns[level]; ok {
		return re.MatchString(s)
	}
	return s != ""
}

// checkCode returns the cleaned code, or an error text when the code lost
// its leading zeros (a spreadsheet read it as a number).
func checkCode(level, s string) (string, string) {
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(s, ".0")
	re, ok := codePatterns[level]
	if !ok || re.MatchString(s) {
		return s, ""
	}
	for pad := 1; pad <= 3; pad++ {
		p := strings.Repeat("0", pad) + s
		if re.MatchString(p) {
			return "", fmt.Sprintf("%s code %q has lost its leading zero (it should be %q): a spreadsheet read the column as a number; format the code column as text before saving, or write the code with its leading zeros", level, s, p)
		}
	}
	return s, ""
}

// parseNumber reads a number as SCB and Swedish spreadsheets write it:
// decimal comma or point, spaces / no-break spaces as thousands separators,
// a leading U+2212 minus. Missing markers ("", "..", ".", "-", "–", "NA")
// give NaN; suppressed reports SCB's ".." (withheld).
func parseNumber(s string) (v float64, suppressed, ok bool) {
	s = strings.TrimSpace(s)
	switch s {
	case "..", "…":
		return math.NaN(), true, true
	case "", ".", "-", "–", "NA", "na", "NaN", "null":
		return math.NaN(), false, true
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsInf(f, 0) {
		return f, false, true
	}
	s = cleanNumber(s)
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) {
		return math.NaN(), false, false
	}
	return f, false, true
}

// cleanNumber drops thousands separators (spaces), turns U+2212 into '-'
// and a single decimal comma into a point.
func cleanNumber(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	commas := strings.Count(s, ",")
	point := strings.Contains(s, ".")
	for _, r := range s {
		switch r {
		case ' ', '\u00a0', '\u2009', '\u202f':
		case '\u2212':
			b.WriteByte('-')
		case ',':
			if commas == 1 && !point {
				b.WriteByte('.')
			} else {
				b.WriteRune(r)
			}
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
