package data

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
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

// readCSV parses CSV bytes (UTF-8, optional BOM), auto-detecting the delimiter.
// A header that splits into one column is an error that says which delimiters were tried.
func readCSV(name string, b []byte) (*table, error) {
	b = bytes.TrimPrefix(b, []byte(utf8BOM))
	if !utf8.Valid(b) {
		return nil, &InputError{File: name, Problem: "the file is not UTF-8 text; save it as CSV UTF-8 (Excel: \"CSV UTF-8 (kommaavgränsad)\")"}
	}
	first := string(b)
	if i := strings.IndexAny(first, "\r\n"); i >= 0 {
		first = first[:i]
	}
	if strings.TrimSpace(first) == "" {
		return nil, &InputError{File: name, Place: "row 1", Problem: "the file is empty or has no header row"}
	}
	d := detectDelimiter(first)
	r := csv.NewReader(bytes.NewReader(b))
	r.Comma = d
	r.FieldsPerRecord = -1
	r.ReuseRecord = false
	header, err := r.Read()
	if err != nil {
		return nil, csvErr(name, err)
	}
	if len(header) < 2 {
		return nil, &InputError{File: name, Place: "row 1", Problem: fmt.Sprintf(
			"the header %q does not split into columns with comma, semicolon or tab; separate the columns with one of them", trimTo(first, 80))}
	}
	for i := range header {
		header[i] = strings.TrimSpace(header[i])
	}
	t := &table{file: name, header: header}
	line := 1
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvErr(name, err)
		}
		line++
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != len(header) {
			p, _ := r.FieldPos(0)
			return nil, &InputError{File: name, Place: fmt.Sprintf("row %d", p), Problem: fmt.Sprintf(
				"has %d fields but the header has %d (delimiter %s); check for a stray %s or an unquoted value", len(rec), len(header), delimName(d), delimName(d))}
		}
		p, _ := r.FieldPos(0)
		t.rows = append(t.rows, rec)
		t.places = append(t.places, fmt.Sprintf("row %d", p))
	}
	return t, nil
}

func csvErr(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &InputError{File: name, Place: fmt.Sprintf("row %d", pe.Line), Problem: "not valid CSV: " + pe.Err.Error()}
	}
	return &InputError{File: name, Problem: "not valid CSV: " + err.Error()}
}

func trimTo(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
