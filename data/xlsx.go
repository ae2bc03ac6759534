package data

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// readXLSX reads one sheet. In "scb" format the sheet is an SCB
// Statistikdatabasen export as downloaded: a title row, header rows (one
// per column dimension, a label written only in the first column it spans),
// data rows whose first or second cell is an area code, then footnotes.
// Column names are the header labels of the column joined with ", "
// (e.g. "2022, Sverige, totalt"); every column can also be named by its
// Excel letter ("B"). Otherwise the first non-empty row is the header.
// xlsxOpenError is a workbook excelize cannot open, said in English and
// Swedish with what was expected; the library's words follow as detail.
func xlsxOpenError(name string, err error) *InputError {
	var en, sv string
	switch {
	case errors.Is(err, excelize.ErrWorkbookFileFormat), errors.Is(err, excelize.ErrWorkbookPassword):
		en = "the file is an Excel 97–2003 workbook (.xls) or protected by a password; save it as an Excel workbook (.xlsx) without a password"
		sv = "filen är en Excel 97–2003-arbetsbok (.xls) eller skyddad med lösenord; spara den som Excel-arbetsbok (.xlsx) utan lösenord"
	case errors.Is(err, zip.ErrFormat), errors.Is(err, zip.ErrChecksum), errors.Is(err, zip.ErrAlgorithm), errors.Is(err, io.ErrUnexpectedEOF):
		en = "the file is not a valid xlsx workbook (the zip archive cannot be read); check that the whole file was uploaded and that it is saved as .xlsx"
		sv = "filen är inte en giltig xlsx-arbetsbok (zip-arkivet kunde inte läsas); kontrollera att hela filen laddades upp och att den är sparad som .xlsx"
	case strings.Contains(err.Error(), "unzip size exceeds"):
		en = fmt.Sprintf("the workbook unpacks to more than %d MiB (a zip bomb, or a workbook too large to read)", xlsxUnzipLimit>>20)
		sv = fmt.Sprintf("arbetsboken packas upp till mer än %d MiB (en zip-bomb, eller en arbetsbok som är för stor att läsa)", xlsxUnzipLimit>>20)
	default:
		en = "the file is not a readable xlsx workbook"
		sv = "filen är inte en läsbar xlsx-arbetsbok"
	}
	return &InputError{File: name, Problem: en + ": " + err.Error(), ProblemSV: sv + ": " + err.Error()}
}

// xlsxUnzipLimit bounds the unzipped size of an XLSX workbook.
const xlsxUnzipLimit = 512 << 20

func readXLSX(name string, b []byte, sheet, format, level string) (*table, error) {
	// Bound what a (hostile or broken) workbook may unzip to: a zip bomb
	// must fail, not fill memory. Indicator workbooks unzip to a few MiB.
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{UnzipSizeLimit: xlsxUnzipLimit})
	if err != nil {
		return nil, xlsxOpenError(name, err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if sheet == "" {
		if len(sheets) == 0 {
			return nil, &InputError{File: name, Problem: "the workbook has no sheets", ProblemSV: "arbetsboken har inga blad"}
		}
		sheet = sheets[0]
	} else if idx, _ := f.GetSheetIndex(sheet); idx < 0 {
		return nil, &InputError{File: name, Field: "sheet", Problem: fmt.Sprintf("no sheet %q; the workbook has %s", sheet, strings.Join(sheets, ", ")),
			ProblemSV: fmt.Sprintf("bladet %q finns inte; arbetsboken har %s", sheet, strings.Join(sheets, ", "))}
	}
	rows, err := f.GetRows(sheet)
	if err != nil {
		return nil, &InputError{File: name, Place: "sheet " + sheet, Problem: "the sheet cannot be read (expected an Excel xlsx worksheet): " + err.Error(),
			ProblemSV: "bladet kan inte läsas (ett kalkylblad i en Excel-arbetsbok (xlsx) väntades): " + err.Error()}
	}
	if format == "scb" {
		return scbTable(name, sheet, rows, level)
	}
	t := &table{file: name, alias: map[string]int{}}
	start := -1
	for i, r := range rows {
		if len(r) > 0 && strings.Join(r, "") != "" {
			start = i
			break
		}
	}
	if start < 0 {
		return nil, &InputError{File: name, Place: "sheet " + sheet, Problem: "the sheet is empty", ProblemSV: "bladet är tomt"}
	}
	for _, h := range rows[start] {
		t.header = append(t.header, strings.TrimSpace(h))
	}
	for j := range t.header {
		l, _ := excelize.ColumnNumberToName(j + 1)
		t.alias[l] = j
	}
	for i := start + 1; i < len(rows); i++ {
		r := padRow(rows[i], len(t.header))
		if strings.Join(r, "") == "" {
			continue
		}
		t.rows = append(t.rows, r)
		t.places = append(t.places, fmt.Sprintf("sheet %s row %d", sheet, i+1))
	}
	return t, nil
}

func padRow(r []string, n int) []string {
	if len(r) >= n {
		return r[:n]
	}
	out := make([]string, n)
	copy(out, r)
	return out
}

func scbTable(name, sheet string, rows [][]string, level string) (*table, error) {
	return scbTableLines(name, sheet, rows, nil, level)
}

// scbTableLines is scbTable with the line number of each row (CSV: a
// quoted field may span lines); nil: row i is line i+1.
func scbTableLines(name, sheet string, rows [][]string, lines []int, level string) (*table, error) {
	where := "sheet " + sheet
	placeOf := func(i int) string {
		n := i + 1
		if lines != nil {
			n = lines[i]
		}
		if sheet == "" {
			return fmt.Sprintf("row %d", n)
		}
		return fmt.Sprintf("sheet %s row %d", sheet, n)
	}
	if sheet == "" {
		where = ""
	}
	first := -1
	for i, r := range rows {
		if (len(r) > 0 && scbCode(level, r[0])) || (len(r) > 1 && scbCode(level, r[1])) {
			first = i
			break
		}
	}
	if first < 0 {
		return nil, &InputError{File: name, Place: where, Problem: fmt.Sprintf(
			"no row whose first or second cell is a %s code; is this the SCB export for level %s?", level, level),
			ProblemSV: fmt.Sprintf("ingen rad vars första eller andra cell är en %s-kod; är detta SCB:s fil för nivån %s?", levelSV(level), levelSV(level))}
	}
	width := 0
	for _, r := range rows[first:] {
		if len(r) > width {
			width = len(r)
		}
	}
	parts := make([][]string, width)
	for i := 0; i < first; i++ {
		r := rows[i]
		nonEmptyAfterA := false
		for j := 1; j < len(r); j++ {
			if strings.TrimSpace(r[j]) != "" {
				nonEmptyAfterA = true
			}
		}
		if !nonEmptyAfterA {
			continue // title or blank row
		}
		cur := ""
		for j := 0; j < width; j++ {
			if j < len(r) && strings.TrimSpace(r[j]) != "" {
				cur = strings.TrimSpace(r[j])
			}
			if cur != "" {
				parts[j] = append(parts[j], cur)
			}
		}
	}
	t := &table{file: name, alias: map[string]int{}}
	for j := 0; j < width; j++ {
		l, _ := excelize.ColumnNumberToName(j + 1)
		h := strings.Join(parts[j], ", ")
		if h == "" {
			h = l
		}
		t.header = append(t.header, h)
		t.alias[l] = j
	}
	// Stub columns (before the data) repeat a label only on its first row: fill down.
	fill := make([]string, width)
	for i := first; i < len(rows); i++ {
		r := padRow(rows[i], width)
		codeAt := -1
		if scbCode(level, r[0]) {
			codeAt = 0
		} else if width > 1 && scbCode(level, r[1]) {
			codeAt = 1
		}
		if codeAt < 0 {
			continue // footnotes, blank rows
		}
		for j := 0; j < codeAt; j++ {
			if strings.TrimSpace(r[j]) == "" {
				r[j] = fill[j]
			}
			fill[j] = r[j]
		}
		t.rows = append(t.rows, r)
		t.places = append(t.places, placeOf(i))
	}
	return t, nil
}

// levelSV is a level's name in Swedish messages.
func levelSV(level string) string {
	switch level {
	case LevelDeSO:
		return "DeSO"
	case LevelRegSO:
		return "RegSO"
	case LevelKommun:
		return "kommun"
	case LevelLan:
		return "län"
	}
	return level
}

// scbCode: s marks a data row of an SCB table: a code of the level, or a
// DeSO or RegSO code that lost its leading zero (the file went through
// Excel), which the row's reading then reports with its fix rather than
// taking the row for a header or a footnote.
func scbCode(level, s string) bool {
	if looksLikeCode(level, s) {
		return true
	}
	if level != LevelDeSO && level != LevelRegSO {
		return false
	}
	s = strings.TrimSpace(s)
	return s != "" && s[0] != '0' && looksLikeCode(level, "0"+s)
}
