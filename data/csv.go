package data

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// table is a parsed input table: a header and rows of raw cells.
type table struct {
	file   string
	header []string
	rows   [][]string
	// place gives the human place of row i ("row 7", "sheet X row 9").
	places []string
	// letters: extra column aliases (Excel letters) -> index, for xlsx.
	alias map[string]int
	// lenientCodes (previews): a code that is not of the level's shape is
	// kept as it is and listed in badCodes (code -> place) instead of failing.
	lenientCodes bool
	badCodes     map[string]string
}

func (t *table) col(name string) int {
	for i, h := range t.header {
		if h == name {
			return i
		}
	}
	for i, h := range t.header {
		if strings.EqualFold(strings.TrimSpace(h), strings.TrimSpace(name)) {
			return i
		}
	}
	if i, ok := t.alias[strings.ToUpper(name)]; ok {
		return i
	}
	return -1
}

// detectDelimiter picks , ; or tab: the one that splits the header line into
// the most fields (quotes respected roughly by counting outside quotes).
func detectDelimiter(line string) rune {
	best, bestN := ',', 0
	for _, d := range []rune{',', ';', '\t'} {
		n, inQ := 0, false
		for _, r := range line {
			if r == '"' {
				inQ = !inQ
			} else if r == d && !inQ {
				n++
			}
		}
		if n > bestN {
			best, bestN = d, n
		}
	}
	return best
}

func delimName(d rune) string {
	switch d {
	case '\t':
		return "tab"
	case ';':
		return "semicolon"
	}
	return "comma"
}

// readCSV parses CSV bytes (UTF-8 with an optional BOM, or Windows-1252),
// auto-detecting the delimiter. A header that splits into one column is an
// error that says which delimiters were tried.
func readCSV(name string, b []byte) (*table, error) {
	t, _, err := readCSVInfo(name, b)
	return t, err
}

// csvInfo is what readCSVInfo found out about the text.
type csvInfo struct {
	Encoding  string
	Delimiter rune
}

func csvText(name string, b []byte) (string, csvInfo, error) {
	text, enc, ok := decodeCSVText(b)
	if !ok {
		return "", csvInfo{}, &InputError{File: name, Problem: "the file is not text in UTF-8 or Windows-1252 (is it UTF-16 or a binary file?); save it as CSV UTF-8 (Excel: \"CSV UTF-8 (kommaavgränsad)\")",
			ProblemSV: "filen är inte text i UTF-8 eller Windows-1252 (är den UTF-16 eller en binärfil?); spara den som CSV UTF-8 (Excel: \"CSV UTF-8 (kommaavgränsad)\")"}
	}
	first := string(text)
	if i := strings.IndexAny(first, "\r\n"); i >= 0 {
		first = first[:i]
	}
	if strings.TrimSpace(first) == "" {
		return "", csvInfo{}, &InputError{File: name, Place: "row 1", Problem: "the file is empty or has no header row",
			ProblemSV: "filen är tom eller saknar rubrikrad"}
	}
	return string(text), csvInfo{Encoding: enc, Delimiter: detectDelimiter(first)}, nil
}

// csvRecords reads every record of CSV text with the delimiter, with the
// line each starts on.
func csvRecords(name, text string, d rune) ([][]string, []int, error) {
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = d
	r.FieldsPerRecord = -1
	r.LazyQuotes = false
	var recs [][]string
	var lines []int
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, csvErr(name, err)
		}
		p, _ := r.FieldPos(0)
		recs = append(recs, rec)
		lines = append(lines, p)
	}
	return recs, lines, nil
}

func readCSVInfo(name string, b []byte) (*table, csvInfo, error) {
	text, info, err := csvText(name, b)
	if err != nil {
		return nil, info, err
	}
	d := info.Delimiter
	first := text
	if i := strings.IndexAny(first, "\r\n"); i >= 0 {
		first = first[:i]
	}
	recs, lines, err := csvRecords(name, text, d)
	if err != nil {
		return nil, info, err
	}
	header := recs[0]
	if len(header) < 2 {
		return nil, info, &InputError{File: name, Place: "row 1", Problem: fmt.Sprintf(
			"the header %q does not split into columns with comma, semicolon or tab; separate the columns with one of them", trimTo(first, 80)),
			ProblemSV: fmt.Sprintf("rubrikraden %q delas inte upp i kolumner av komma, semikolon eller tabb; skilj kolumnerna åt med något av dem", trimTo(first, 80))}
	}
	for i := range header {
		header[i] = strings.TrimSpace(header[i])
	}
	t := &table{file: name, header: header, alias: map[string]int{}}
	for j := range header {
		t.alias[columnLetter(j)] = j
	}
	for k, rec := range recs[1:] {
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		p := lines[k+1]
		if len(rec) != len(header) {
			return nil, info, &InputError{File: name, Place: fmt.Sprintf("row %d", p), Problem: fmt.Sprintf(
				"has %d fields but the header has %d (delimiter %s); check for a stray %s or an unquoted value", len(rec), len(header), delimName(d), delimName(d)),
				ProblemSV: fmt.Sprintf("har %d fält men rubrikraden har %d (avgränsare %s); leta efter ett extra %s eller ett värde utan citattecken", len(rec), len(header), delimNameSV(d), delimNameSV(d))}
		}
		t.rows = append(t.rows, rec)
		t.places = append(t.places, fmt.Sprintf("row %d", p))
	}
	return t, info, nil
}

// readSCBCSV reads a CSV downloaded from SCB's Statistikdatabasen like an
// SCB xlsx (see scbTable): title and header rows, then data rows whose
// first or second cell is a code of the level.
func readSCBCSV(name string, b []byte, level string) (*table, csvInfo, error) {
	text, info, err := csvText(name, b)
	if err != nil {
		return nil, info, err
	}
	// The title line often has no delimiter: pick it from the whole start.
	best := mostFrequent(text, 4096, info.Delimiter, ',', ';', '\t')
	info.Delimiter = best
	recs, lines, err := csvRecords(name, text, best)
	if err != nil {
		return nil, info, err
	}
	t, err := scbTableLines(name, "", recs, lines, level)
	return t, info, err
}

func delimNameSV(d rune) string {
	switch d {
	case '\t':
		return "tabb"
	case ';':
		return "semikolon"
	}
	return "komma"
}

func csvErr(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &InputError{File: name, Place: fmt.Sprintf("row %d", pe.Line), Problem: "not valid CSV: " + pe.Err.Error(), ProblemSV: "inte giltig CSV: " + pe.Err.Error()}
	}
	return &InputError{File: name, Problem: "not valid CSV: " + err.Error(), ProblemSV: "inte giltig CSV: " + err.Error()}
}

func trimTo(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// columnLetter is the spreadsheet letter of column j (0 = A).
func columnLetter(j int) string {
	s := ""
	for n := j + 1; n > 0; n = (n - 1) / 26 {
		s = string(rune('A'+(n-1)%26)) + s
	}
	return s
}

// mostFrequent is the candidate occurring most often in the first limit
// bytes of text (the earlier candidate on a tie), or fallback when none
// occurs: the delimiter of a file whose first line may not show it.
func mostFrequent(text string, limit int, fallback rune, candidates ...rune) rune {
	if len(text) > limit {
		text = text[:limit]
	}
	best, bestN := fallback, 0
	for _, d := range candidates {
		if n := strings.Count(text, string(d)); n > bestN {
			best, bestN = d, n
		}
	}
	return best
}
