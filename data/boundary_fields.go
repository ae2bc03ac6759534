package data

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// Field names tried, in order, when BoundaryOptions.CodeField/NameField is
// empty. Names are matched case-insensitively. Level-specific names come
// first so that, e.g., a DeSO file with both "deso" and "kommun" columns
// yields the DeSO code.
var (
	boundaryCodeFieldsByLevel = map[string][]string{
		LevelDeSO:   {"deso", "desokod", "deso_kod", "deso_code"},
		LevelRegSO:  {"regso", "regsokod", "regso_kod", "regso_code"},
		LevelKommun: {"kommunkod", "kommun_kod", "kommun", "knkod", "kommun_code", "municipality_code"},
		LevelLan:    {"lan_kod", "lankod", "lanskod", "county_code", "l_id", "lan"},
	}
	boundaryCodeFieldsGeneric = []string{"deso", "desokod", "regsokod", "kommunkod", "kommun_kod", "lan_kod", "county_code", "l_id", "code", "kod", "omradeskod", "id"}
	boundaryNameFieldsByLevel = map[string][]string{
		LevelDeSO:   {"name", "namn", "deso_namn", "desonamn"},
		LevelRegSO:  {"regsonamn", "regso_namn", "name", "namn"},
		LevelKommun: {"kommunnamn", "kommun_namn", "name", "namn", "kommun_name"},
		LevelLan:    {"lannamn", "lan_namn", "county_name", "name", "namn"},
	}
	boundaryNameFieldsGeneric = []string{"name", "namn", "regsonamn", "kommunnamn", "kommun_namn", "county_name"}
	// boundaryCodeRes: the code shape of each built-in level.
	boundaryCodeRes = map[string]*regexp.Regexp{
		LevelDeSO:   regexp.MustCompile(`^\d{4}[A-C]\d{4}$`),
		LevelRegSO:  regexp.MustCompile(`^\d{4}R\d{3}$`),
		LevelKommun: regexp.MustCompile(`^\d{4}$`),
		LevelLan:    regexp.MustCompile(`^\d{2}$`),
		LevelRiket:  regexp.MustCompile(`^SE$`),
	}
	// boundaryZeroPadFields hold integer codes by design; they are zero-padded
	// to the level's width (okfse/sweden-geojson "l_id" is the län number).
	boundaryZeroPadFields = map[string]int{"l_id": 2}
)

// pickField returns the first candidate present in fields (case-insensitive),
// giving back the field's own spelling.
func pickField(fields, candidates []string) string {
	for _, c := range candidates {
		for _, f := range fields {
			if strings.EqualFold(f, c) {
				return f
			}
		}
	}
	return ""
}

func codeFieldCandidates(level string) []string {
	return append(append([]string(nil), boundaryCodeFieldsByLevel[level]...), boundaryCodeFieldsGeneric...)
}

func nameFieldCandidates(level string) []string {
	if c, ok := boundaryNameFieldsByLevel[level]; ok {
		return c
	}
	return boundaryNameFieldsGeneric
}

// boundaryCode reads and checks the code of one feature. It returns the code
// and a note when the value was fixed (zero-padded).
func boundaryCode(file string, place, level, field string, v any) (string, problemText, error) {
	bad := func(problem, problemSV string) error {
		return &InputError{File: file, Place: place, Field: field, Problem: problem, ProblemSV: problemSV}
	}
	var code string
	var note problemText
	switch x := v.(type) {
	case nil:
		return "", problemText{}, bad("the code is empty", "koden är tom")
	case string:
		code = strings.TrimSpace(x)
	case float64, int64:
		f, _ := x.(float64)
		if i, ok := x.(int64); ok {
			f = float64(i)
		}
		if f != math.Trunc(f) || f < 0 || f > 1e15 {
			return "", problemText{}, bad(fmt.Sprintf("the code is the number %v; expected a text code", f), fmt.Sprintf("koden är talet %v; en kod ska vara text", f))
		}
		n := strconv.FormatInt(int64(f), 10)
		if width, ok := boundaryZeroPadFields[strings.ToLower(field)]; ok {
			code = fmt.Sprintf("%0*s", width, n)
			note = problemText{fmt.Sprintf("numeric %s codes zero-padded to %d digits (e.g. %s -> %s)", field, width, n, code),
				fmt.Sprintf("koder i %s som var lagrade som tal har fått inledande nollor till %d siffror (t.ex. %s -> %s)", field, width, n, code)}
			break
		}
		return "", problemText{}, bad(numericCodeProblem(level, field, n), fmt.Sprintf("koden är lagrad som talet %s, så inledande nollor har tappats; lagra kolumnen som text i källfilen (t.ex. fälttyp String i QGIS) eller välj ett annat kodfält, och importera igen", n))
	default:
		return "", problemText{}, bad(fmt.Sprintf("the code has type %T; expected text", v), fmt.Sprintf("koden har typen %T; en kod ska vara text", v))
	}
	if code == "" {
		return "", problemText{}, bad("the code is empty", "koden är tom")
	}
	if p := codeShapeProblem(level, code); p.en != "" {
		return "", problemText{}, bad(p.en, p.sv)
	}
	if re, ok := boundaryCodeRes[level]; ok && !re.MatchString(code) {
		return "", problemText{}, bad(fmt.Sprintf("code %q does not look like a %s code (expected the form %s); check the level and the code field", code, level, re.String()),
			fmt.Sprintf("koden %q ser inte ut som en %s-kod (formen ska vara %s); kontrollera nivån och kodfältet", code, levelSV(level), re.String()))
	}
	return code, note, nil
}

// numericCodeProblem explains a code stored as a number, with the fix for
// the level: zero-padding for kommun and län codes (printf('%04d') /
// printf('%02d')), the code field for DeSO and RegSO, whose codes have a
// letter and so cannot be numbers.
func numericCodeProblem(level, field, n string) string {
	switch level {
	case LevelDeSO, LevelRegSO:
		return fmt.Sprintf("the code is the number %s, but a %s code has a letter (like %q), so this field does not hold %s codes; choose the code field with --code-field, or check the level", n, level, codeShapes[level].example, level)
	case LevelKommun, LevelLan:
		width := len(codeShapes[level].example)
		return fmt.Sprintf("the code is stored as the number %s, so any leading zeros are lost. %s codes are text with leading zeros, like %q. Store the column as text in the source (e.g. in QGIS set the field type to String, or recreate it with ogr2ogr -sql \"SELECT printf('%%0%dd', %s) AS %s, ...\"), then import again", n, level, codeShapes[level].example, width, field, field)
	}
	return fmt.Sprintf("the code is stored as the number %s, so any leading zeros are lost. Store the column as text in the source (e.g. in QGIS set the field type to String), then import again", n)
}

// boundaryName reads a name property as text ("" when missing).
func boundaryName(v any) string {
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x)
	case nil:
		return ""
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

var fourDigits = regexp.MustCompile(`^\d{4}`)

// boundaryParents derives kommun and län codes of an area: from the code's
// prefix for built-in levels, from a kommun property for custom levels.
func boundaryParents(level, code string, props map[string]any) (kommun, lan string) {
	if re, ok := boundaryCodeRes[level]; ok && !re.MatchString(code) {
		return "", ""
	}
	switch level {
	case LevelDeSO, LevelRegSO, LevelKommun:
		return code[:4], code[:2]
	case LevelLan:
		return "", code
	}
	for _, f := range []string{"kommun", "kommunkod", "kommun_kod"} {
		for k, v := range props {
			if s, ok := v.(string); ok && strings.EqualFold(k, f) && len(s) == 4 && fourDigits.MatchString(s) {
				return s, s[:2]
			}
		}
	}
	// No kommun property: a DeSO or RegSO code of another version (e.g. a
	// regso2025 level) names its kommun and län in its first digits.
	if looksLikeCode(LevelDeSO, code) || looksLikeCode(LevelRegSO, code) {
		return code[:4], code[:2]
	}
	return "", ""
}
