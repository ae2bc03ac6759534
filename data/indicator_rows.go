package data

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// record is one parsed value before it is joined with the store.
type record struct {
	code, indicator, breakdown string
	year                       int
	value, num, den            float64
	suppressed, estimated      bool
	place                      string
}

// colRef is an indicator entry with its columns resolved to indexes.
type colRef struct {
	im              IndicatorMapping
	value, num, den []int
	year            int
}

var codeColumnCandidates = []string{"deso", "desokod", "deso_kod", "regso", "regsokod", "regso_kod", "kommun", "kommunkod", "kommun_kod", "lan", "lanskod", "lan_kod", "code", "kod", "region"}

func missingColumn(m *Mapping, t *table, place, col string) error {
	cols := make([]string, len(t.header))
	for i, h := range t.header {
		cols[i] = strconv.Quote(h)
	}
	return &InputError{File: m.Path, Place: place, Field: col, Problem: fmt.Sprintf(
		"column %q is not in %s; its columns are: %s", col, t.file, strings.Join(cols, ", ")),
		ProblemSV: fmt.Sprintf("kolumnen %q finns inte i %s; dess kolumner är: %s", col, t.file, strings.Join(cols, ", "))}
}

func (t *table) resolve(m *Mapping, place string, cols []string) ([]int, error) {
	out := make([]int, 0, len(cols))
	for _, c := range cols {
		i := t.col(c)
		if i < 0 {
			return nil, missingColumn(m, t, place, c)
		}
		out = append(out, i)
	}
	return out, nil
}

func (t *table) codeColumn(m *Mapping) (int, error) {
	if m.CodeColumn != "" {
		i := t.col(m.CodeColumn)
		if i < 0 {
			return 0, missingColumn(m, t, "", m.CodeColumn)
		}
		return i, nil
	}
	if m.Format == "scb" && len(t.rows) > 0 {
		if looksLikeCode(m.Level, t.rows[0][0]) {
			return 0, nil
		}
		return 1, nil
	}
	if i := t.col(m.Level); i >= 0 {
		return i, nil
	}
	for _, c := range codeColumnCandidates {
		if i := t.col(c); i >= 0 {
			return i, nil
		}
	}
	return 0, &InputError{File: m.Path, Field: "code_column", Problem: fmt.Sprintf(
		"cannot tell which column of %s holds the %s code; set code_column (columns: %s)", t.file, m.Level, strings.Join(t.header, ", ")),
		ProblemSV: fmt.Sprintf("kan inte avgöra vilken kolumn i %s som har %s-koden; ange code_column (kolumner: %s)", t.file, levelSV(m.Level), strings.Join(t.header, ", "))}
}

// records turns the table into records as the mapping says.
func (t *table) records(m *Mapping) ([]record, error) {
	codeCol, err := t.codeColumn(m)
	if err != nil {
		return nil, err
	}
	yearCol := -1
	if m.YearColumn != "" {
		if yearCol = t.col(m.YearColumn); yearCol < 0 {
			return nil, missingColumn(m, t, "", m.YearColumn)
		}
	}
	num := func(place, field, s string) (float64, bool, error) {
		v, sup, ok := parseNumber(s)
		if !ok {
			return 0, false, &InputError{File: t.file, Place: place, Field: field, Problem: fmt.Sprintf("%q is not a number (missing values may be empty, \"..\" or \"-\")", trimTo(s, 40)),
				ProblemSV: fmt.Sprintf("%q är inte ett tal (saknade värden får vara tomma, \"..\" eller \"-\")", trimTo(s, 40))}
		}
		return v, sup, nil
	}
	rowYear := func(i int) (int, error) {
		if yearCol < 0 {
			return m.Year, nil
		}
		s := strings.TrimSpace(t.rows[i][yearCol])
		s = strings.TrimSuffix(s, ".0")
		y, err := strconv.Atoi(s)
		if err != nil || y < 1900 || y > 2200 {
			return 0, &InputError{File: t.file, Place: t.places[i], Field: t.header[yearCol], Problem: fmt.Sprintf("%q is not a year", s), ProblemSV: fmt.Sprintf("%q är inget årtal", s)}
		}
		return y, nil
	}
	rowCode := func(i int) (string, error) {
		code, problem := checkCode(m.Level, t.rows[i][codeCol])
		if problem.en == "" && code != "" {
			// A code that is not of the level's shape would only be
			// "unmatched"; say what is wrong with it instead.
			problem = codeShapeProblem(m.Level, code)
		}
		if problem.en != "" && t.lenientCodes {
			raw := strings.TrimSuffix(strings.TrimSpace(t.rows[i][codeCol]), ".0")
			if t.badCodes == nil {
				t.badCodes = map[string]string{}
			}
			t.badCodes[raw] = t.places[i]
			return raw, nil
		}
		if problem.en != "" {
			return "", &InputError{File: t.file, Place: t.places[i], Field: t.header[codeCol], Problem: problem.en, ProblemSV: problem.sv}
		}
		return code, nil
	}
	if m.Format == "long" {
		return t.longRecords(m, rowCode, rowYear, num)
	}
	refs := make([]colRef, len(m.Indicators))
	for k, im := range m.Indicators {
		place := "indicator " + im.ID
		r := colRef{im: im, year: im.Year}
		if r.value, err = t.resolve(m, place, im.Value); err != nil {
			return nil, err
		}
		if r.num, err = t.resolve(m, place, im.Numerator); err != nil {
			return nil, err
		}
		if r.den, err = t.resolve(m, place, im.Denominator); err != nil {
			return nil, err
		}
		refs[k] = r
	}
	sumCols := func(i int, cols []int) (float64, bool, error) {
		if len(cols) == 0 {
			return math.NaN(), false, nil
		}
		total, supp := 0.0, false
		for _, c := range cols {
			v, s, err := num(t.places[i], t.header[c], t.rows[i][c])
			if err != nil {
				return 0, false, err
			}
			total += v
			supp = supp || s
		}
		return total, supp, nil
	}
	out := make([]record, 0, len(t.rows)*len(refs))
	for i := range t.rows {
		code, err := rowCode(i)
		if err != nil {
			return nil, err
		}
		if code == "" {
			continue
		}
		y, err := rowYear(i)
		if err != nil {
			return nil, err
		}
		for _, r := range refs {
			rec := record{code: code, indicator: r.im.ID, breakdown: r.im.Breakdown, year: y, place: t.places[i]}
			if r.year != 0 {
				rec.year = r.year
			}
			var s1, s2, s3 bool
			if rec.value, s1, err = sumCols(i, r.value); err != nil {
				return nil, err
			}
			if rec.num, s2, err = sumCols(i, r.num); err != nil {
				return nil, err
			}
			if rec.den, s3, err = sumCols(i, r.den); err != nil {
				return nil, err
			}
			rec.suppressed = s1 || s2 || s3
			derive(&rec, r.im)
			out = append(out, rec)
		}
	}
	return out, nil
}

// derive fills value from numerator/denominator (ratio) or the numerator
// from value and denominator, and applies Multiply.
func derive(rec *record, im IndicatorMapping) {
	if len(im.Value) > 0 && !math.IsNaN(rec.value) {
		rec.value *= im.Multiply
	}
	if im.Aggregation != AggRatio {
		return
	}
	switch {
	case len(im.Value) == 0:
		rec.value = math.NaN()
		if rec.den > 0 && !math.IsNaN(rec.num) {
			rec.value = rec.num / rec.den * im.Scale
		}
	case len(im.Numerator) == 0 && !math.IsNaN(rec.value) && !math.IsNaN(rec.den):
		rec.num = math.Round(rec.value * rec.den / im.Scale)
	}
}

func (t *table) longRecords(m *Mapping, rowCode func(int) (string, error), rowYear func(int) (int, error),
	num func(place, field, s string) (float64, bool, error)) ([]record, error) {
	meta := map[string]IndicatorMapping{}
	for _, im := range m.Indicators {
		if _, ok := meta[im.ID]; !ok {
			meta[im.ID] = im
		}
	}
	need := func(name string) (int, error) {
		i := t.col(name)
		if i < 0 {
			return 0, missingColumn(m, t, "long", name)
		}
		return i, nil
	}
	optional := func(name, def string) (int, error) {
		if name == "" {
			return t.col(def), nil
		}
		return need(name)
	}
	indCol, err := need(m.Long.Indicator)
	if err != nil {
		return nil, err
	}
	valCol, err := need(m.Long.Value)
	if err != nil {
		return nil, err
	}
	bdCol, err := optional(m.Long.Breakdown, "breakdown")
	if err != nil {
		return nil, err
	}
	numCol, err := optional(m.Long.Numerator, "numerator")
	if err != nil {
		return nil, err
	}
	denCol, err := optional(m.Long.Denominator, "denominator")
	if err != nil {
		return nil, err
	}
	cell := func(i, c int) (float64, bool, error) {
		if c < 0 {
			return math.NaN(), false, nil
		}
		return num(t.places[i], t.header[c], t.rows[i][c])
	}
	var out []record
	for i, row := range t.rows {
		code, err := rowCode(i)
		if err != nil {
			return nil, err
		}
		id := strings.TrimSpace(row[indCol])
		im, ok := meta[id]
		if !ok {
			ids := make([]string, 0, len(meta))
			for k := range meta {
				ids = append(ids, k)
			}
			sort.Strings(ids)
			return nil, &InputError{File: t.file, Place: t.places[i], Field: t.header[indCol], Problem: fmt.Sprintf(
				"indicator %q is not described in the mapping %s (it describes %s); add it to indicators:", id, m.Path, strings.Join(ids, ", ")),
				ProblemSV: fmt.Sprintf("indikatorn %q beskrivs inte i mappningen %s (den beskriver %s); lägg till den under indicators:", id, m.Path, strings.Join(ids, ", "))}
		}
		y, err := rowYear(i)
		if err != nil {
			return nil, err
		}
		rec := record{code: code, indicator: id, breakdown: BreakdownTotal, year: y, place: t.places[i]}
		if bdCol >= 0 && strings.TrimSpace(row[bdCol]) != "" {
			rec.breakdown = strings.TrimSpace(row[bdCol])
		}
		var s1, s2, s3 bool
		if rec.value, s1, err = cell(i, valCol); err != nil {
			return nil, err
		}
		if rec.num, s2, err = cell(i, numCol); err != nil {
			return nil, err
		}
		if rec.den, s3, err = cell(i, denCol); err != nil {
			return nil, err
		}
		rec.suppressed = s1 || s2 || s3
		im.Value = Columns{m.Long.Value}
		if math.IsNaN(rec.value) && !s1 && !math.IsNaN(rec.num) {
			im.Value = nil // value = numerator/denominator*scale
		}
		if numCol >= 0 {
			im.Numerator = Columns{"numerator"}
		}
		derive(&rec, im)
		out = append(out, rec)
	}
	return out, nil
}
