// Package locale is segmap's one place for the two languages: which one a
// request asks for, how numbers are written in it, and the few words that
// lists and notes need.
//
// Swedish is written the way the browser's Intl.NumberFormat("sv-SE")
// writes it (api/web/src/format.js), so server and client agree to the
// character: no-break space (U+00A0) between thousands, decimal comma,
// minus sign U+2212 — "−12 345,6". English is "-12,345.6".
// testdata/locale/numbers.json pins both sides.
package locale

import (
	"math"
	"strconv"
	"strings"
)

// Lang is a language segmap speaks. The zero value is Swedish.
type Lang string

// The languages.
const (
	SV Lang = "sv"
	EN Lang = "en"
)

// Characters of the Swedish number format.
const (
	Group = "\u00a0" // between thousands, as Intl.NumberFormat("sv-SE")
	Minus = "\u2212" // minus sign, as Intl.NumberFormat("sv-SE")
)

// Of returns the language a string names: "en" (any case, with or without
// a region, "en-GB") is English, anything else Swedish.
func Of(s string) Lang {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "en" || strings.HasPrefix(s, "en-") || strings.HasPrefix(s, "en_") {
		return EN
	}
	return SV
}

// Parse returns the language of a request: the lang query parameter when it
// names one ("sv" or "en"), else the first of sv/en in the Accept-Language
// header (quality weights are not ranked: browsers list in preference
// order), else Swedish.
func Parse(query, acceptLanguage string) Lang {
	switch q := strings.ToLower(strings.TrimSpace(query)); q {
	case "sv", "en":
		return Lang(q)
	}
	for _, part := range strings.Split(acceptLanguage, ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		primary, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		switch primary {
		case "sv", "en":
			return Lang(primary)
		}
	}
	return SV
}

// EN reports whether l is English.
func (l Lang) EN() bool { return l == EN }

// String is "sv" or "en".
func (l Lang) String() string {
	if l == EN {
		return "en"
	}
	return "sv"
}

// Pick returns en when l is English, else sv: the small word tables.
func (l Lang) Pick(sv, en string) string {
	if l == EN {
		return en
	}
	return sv
}

// FormatNumber writes v with the given number of decimals (< 0: as few as
// needed to give v back) in lang: Swedish "−12 345,6", English "-12,345.6".
// It rounds as Intl.NumberFormat does: the shortest decimal form of v,
// halves away from zero (1.005 → "1,01", 2.5 → "3").
// A negative value that rounds to zero loses its sign ("0,0", not "−0,0").
// NaN is "–", infinities "∞" and "−∞" ("-∞").
func FormatNumber(v float64, decimals int, l Lang) string {
	minus, group, point := Minus, Group, ","
	if l == EN {
		minus, group, point = "-", ",", "."
	}
	switch {
	case math.IsNaN(v):
		return "–"
	case math.IsInf(v, 1):
		return "∞"
	case math.IsInf(v, -1):
		return minus + "∞"
	}
	s := strconv.FormatFloat(math.Abs(v), 'f', -1, 64)
	if decimals >= 0 {
		s = roundHalfUp(s, decimals)
	}
	neg := v < 0 && strings.Trim(s, "0.") != ""
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if neg {
		b.WriteString(minus)
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(group)
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString(point)
		b.WriteString(frac)
	}
	return b.String()
}

// JoinNames lists names as "A, B och C" ("A, B and C").
func JoinNames(names []string, l Lang) string {
	if len(names) <= 1 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " " + l.Pick("och", "and") + " " + names[len(names)-1]
}

// roundHalfUp rounds the plain decimal s ("123.456") to d decimals, a
// half upwards, and pads with zeros to exactly d decimals.
func roundHalfUp(s string, d int) string {
	intPart, frac, _ := strings.Cut(s, ".")
	if len(frac) <= d {
		frac += strings.Repeat("0", d-len(frac))
	} else {
		up := frac[d] >= '5'
		digits := []byte(intPart + frac[:d])
		for i := len(digits) - 1; up && i >= 0; i-- {
			if digits[i] == '9' {
				digits[i] = '0'
				continue
			}
			digits[i]++
			up = false
		}
		if up {
			digits = append([]byte{'1'}, digits...)
		}
		intPart, frac = string(digits[:len(digits)-d]), string(digits[len(digits)-d:])
	}
	if d == 0 {
		return intPart
	}
	return intPart + "." + frac
}
