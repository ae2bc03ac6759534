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
