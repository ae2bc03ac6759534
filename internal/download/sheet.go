package download

import (
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Kind is the type of a column's cells.
type Kind int

const (
	Text    Kind = iota // string; neutralised in CSV (see Neutralise)
	Number              // float64 (NaN, ±Inf: empty cell); decimal comma in CSV
	Integer             // int or int64 (nil: empty cell)
)

// Column is one column of a sheet.
type Column struct {
	Name string // the header, in the language asked for
	Kind Kind
}

// Sheet is a table to download: the data (columns and rows; a cell is a
// string, float64, int, int64 or nil for empty, as its column's Kind says)
// and metadata (label–value pairs: the XLSX sheet Metadata).
type Sheet struct {
	Columns []Column
	Rows    [][]any
	Meta    [][2]string
}

// XLSX sheet names.
const (
	SheetData = "Data"
	SheetMeta = "Metadata"
)

// CSV is the dialect of CSV downloads. The zero value is what Swedish
// Excel opens with a double click: UTF-8 with a byte-order mark, ";"
// between cells, decimal comma, CRLF line ends, no thousands separators.
type CSV struct {
	Comma rune // 0: ';'. With ',' numbers get a decimal point.
}

// Neutralise defuses text that a spreadsheet would run as a formula (the
// OWASP CSV-injection rule): a cell starting with = + - @, a tab or a
// carriage return gets a leading apostrophe. Text that is a plain number
// ("-12", "-0,5") is left alone: it is read as that number, not run.
func Neutralise(s string) string {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return s
	}
	if _, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64); err == nil && !strings.ContainsAny(s, "eEnNiI") {
		return s
	}
	return "'" + s
}

// WriteCSV writes sh as CSV (header and rows; no metadata), looking at
// ctx between rows and refusing to grow past lim.
func WriteCSV(ctx context.Context, sh Sheet, d CSV, lim Limits) ([]byte, error) {
	b := &boundedBuffer{max: lim.max()}
	return b.result(writeCSV(ctx, b, sh, d))
}

func writeCSV(ctx context.Context, b *boundedBuffer, sh Sheet, d CSV) error {
	comma := d.Comma
	if comma == 0 {
		comma = ';'
	}
	if _, err := b.WriteString("\ufeff"); err != nil {
		return err
	}
	w := csv.NewWriter(b)
	w.Comma, w.UseCRLF = comma, true
	head := make([]string, len(sh.Columns))
	for i, c := range sh.Columns {
		head[i] = Neutralise(c.Name)
	}
	if err := w.Write(head); err != nil {
		return err
	}
	st := stopper{ctx: ctx}
	rec := make([]string, len(sh.Columns))
	for _, row := range sh.Rows {
		if err := st.err(); err != nil {
			return err
		}
		for i := range sh.Columns {
			rec[i] = csvCell(cell(row, i), comma)
		}
		if err := w.Write(rec); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}

func cell(row []any, i int) any {
	if i < len(row) {
		return row[i]
	}
	return nil
}

func csvCell(v any, comma rune) string {
	switch x := v.(type) {
	case nil:
		return ""
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return ""
		}
		s := strconv.FormatFloat(x, 'f', -1, 64)
		if comma != ',' {
			s = strings.Replace(s, ".", ",", 1)
		}
		return s
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case string:
		return Neutralise(x)
	}
	return Neutralise(fmt.Sprint(v))
}

// xlsxValue is a cell for excelize: numbers as numbers, text as text
// (an XLSX string cell is never a formula, so text is kept as it is),
// invalid UTF-8 repaired.
func xlsxValue(v any) any {
	switch x := v.(type) {
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
	case string:
		if !utf8.ValidString(x) {
			return strings.ToValidUTF8(x, "\uFFFD")
		}
	}
	return v
}

// WriteXLSX writes sh as an XLSX workbook: sheet Data (header and rows,
// streamed) and sheet Metadata (label–value pairs). Text cells are string
// cells, which a spreadsheet never runs; the same ctx and size rules as
// WriteCSV apply (the size counts the cell text written, which bounds the
// file, as the zipped sheet is smaller).
func WriteXLSX(ctx context.Context, sh Sheet, lim Limits) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetData); err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(SheetData)
	if err != nil {
		return nil, err
	}
	max, size := lim.max(), int64(0)
	head := make([]any, len(sh.Columns))
	for i, c := range sh.Columns {
		head[i] = c.Name
	}
	if err := sw.SetRow("A1", head); err != nil {
		return nil, err
	}
	st := stopper{ctx: ctx}
	vals := make([]any, len(sh.Columns))
	for n, row := range sh.Rows {
		if err := st.err(); err != nil {
			return nil, err
		}
		for i := range sh.Columns {
			vals[i] = xlsxValue(cell(row, i))
			if s, ok := vals[i].(string); ok {
				size += int64(len(s))
			} else {
				size += 8
			}
		}
		if size > max {
			return nil, tooLarge(max)
		}
		name, _ := excelize.CoordinatesToCellName(1, n+2)
		if err := sw.SetRow(name, vals); err != nil {
			return nil, err
		}
	}
	if err := sw.Flush(); err != nil {
		return nil, err
	}
	if _, err := f.NewSheet(SheetMeta); err != nil {
		return nil, err
	}
	for i, m := range sh.Meta {
		if err := f.SetSheetRow(SheetMeta, fmt.Sprintf("A%d", i+1), &[]any{xlsxValue(m[0]), xlsxValue(m[1])}); err != nil {
			return nil, err
		}
	}
	b := &boundedBuffer{max: max}
	_, err = f.WriteTo(b)
	return b.result(err)
}
