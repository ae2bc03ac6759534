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
var codeShapes = map[string]struct{ form, formSV, example, digitsFix, digitsFixSV string }{
	LevelDeSO: {"4 digits (the kommun), a letter A, B or C and 4 digits", "4 siffror (kommunen), bokstaven A, B eller C och 4 siffror", "0114A0010",
		"a DeSO code always has a letter, so a code of digits only is not a DeSO code: it may be a kommun code or a number a spreadsheet made of something else. Check that the code column holds DeSO codes (set code_column in the mapping) and that the level is right",
		"en DeSO-kod har alltid en bokstav, så en kod med bara siffror är ingen DeSO-kod: det kan vara en kommunkod eller ett tal som ett kalkylprogram gjort av något annat. Kontrollera att kodkolumnen har DeSO-koder (ange code_column i mappningen) och att nivån är rätt"},
	LevelRegSO: {"4 digits (the kommun), the letter R and 3 digits", "4 siffror (kommunen), bokstaven R och 3 siffror", "0114R001",
		"a RegSO code always has the letter R, so a code of digits only is not a RegSO code. Check that the code column holds RegSO codes (set code_column in the mapping) and that the level is right",
		"en RegSO-kod har alltid bokstaven R, så en kod med bara siffror är ingen RegSO-kod. Kontrollera att kodkolumnen har RegSO-koder (ange code_column i mappningen) och att nivån är rätt"},
	LevelKommun: {"4 digits", "4 siffror", "0114",
		"kommun codes in Stockholms län start with 0, which a spreadsheet drops when it reads the column as a number: format the code column as text (or write the codes with printf('%04d', code)), or check that the level is right",
		"kommunkoder i Stockholms län börjar med 0, som ett kalkylprogram tar bort när det läser kolumnen som tal: formatera kodkolumnen som text (eller skriv koderna med printf('%04d', code)), eller kontrollera att nivån är rätt"},
	LevelLan: {"2 digits", "2 siffror", "01",
		"län codes below 10 start with 0, which a spreadsheet drops when it reads the column as a number: format the code column as text (or write the codes with printf('%02d', code)), or check that the level is right",
		"länskoder under 10 börjar med 0, som ett kalkylprogram tar bort när det läser kolumnen som tal: formatera kodkolumnen som text (eller skriv koderna med printf('%02d', code)), eller kontrollera att nivån är rätt"},
}

// problemText is a problem in English and Swedish ("" when there is none).
type problemText struct{ en, sv string }

// codeShapeProblem says why code does not have the shape of a level's
// codes, with a fix for that level ("" when it has, or the level has no
// known shape). Indicator files and boundary imports share it.
func codeShapeProblem(level, code string) problemText {
	re, ok := codePatterns[level]
	sh, known := codeShapes[level]
	if !ok || !known || re.MatchString(code) {
		return problemText{}
	}
	fix, fixSV := "check the level and the code column", "kontrollera nivån och kodkolumnen"
	if allDigits(code) {
		fix, fixSV = sh.digitsFix, sh.digitsFixSV
	}
	return problemText{
		fmt.Sprintf("code %q does not look like a %s code (a %s code is %s, e.g. %q); %s", trimTo(code, 40), level, level, sh.form, sh.example, fix),
		fmt.Sprintf("koden %q ser inte ut som en %s-kod (en %s-kod är %s, t.ex. %q); %s", trimTo(code, 40), levelSV(level), levelSV(level), sh.formSV, sh.example, fixSV)}
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
		return re.MatchString(s) || re.MatchString(labelledCode(s))
	}
	return s != ""
}

// labelledCode is the code of a cell that SCB writes as code and name
// ("0180C1010 Stockholm", "0180 Stockholm"): the first word when a name
// follows it, else "".
func labelledCode(s string) string {
	i := strings.IndexAny(s, " \t\u00a0")
	if i <= 0 || strings.TrimSpace(s[i:]) == "" {
		return ""
	}
	return s[:i]
}

// checkCode returns the cleaned code, or an error text when the code lost
// its leading zeros (a spreadsheet read it as a number).
func checkCode(level, s string) (string, problemText) {
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(s, ".0")
	re, ok := codePatterns[level]
	if !ok || re.MatchString(s) {
		return s, problemText{}
	}
	if c := labelledCode(s); c != "" && re.MatchString(c) {
		return c, problemText{}
	}
	for pad := 1; pad <= 3; pad++ {
		p := strings.Repeat("0", pad) + s
		if re.MatchString(p) {
			return "", problemText{
				fmt.Sprintf("%s code %q has lost its leading zero (it should be %q): a spreadsheet read the column as a number; format the code column as text before saving, or write the code with its leading zeros", level, s, p),
				fmt.Sprintf("%s-koden %q har tappat sin inledande nolla (den ska vara %q): ett kalkylprogram läste kolumnen som tal; formatera kodkolumnen som text innan du sparar, eller skriv koden med sina inledande nollor", levelSV(level), s, p)}
		}
	}
	return s, problemText{}
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
