package data

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// grid is a file's raw cells before a layout is chosen.
type grid struct {
	rows      [][]string
	sheets    []string
	sheet     string
	encoding  string
	delimiter string
}

func readGrid(name string, b []byte, sheet string) (*grid, error) {
	if isXLSX(name, b) {
		f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{UnzipSizeLimit: xlsxUnzipLimit})
		if err != nil {
			return nil, xlsxOpenError(name, err)
		}
		defer f.Close()
		g := &grid{sheets: f.GetSheetList()}
		if len(g.sheets) == 0 {
			return nil, &InputError{File: name, Problem: "the workbook has no sheets", ProblemSV: "arbetsboken har inga blad"}
		}
		if sheet != "" {
			if idx, _ := f.GetSheetIndex(sheet); idx < 0 {
				return nil, &InputError{File: name, Field: "sheet", Problem: fmt.Sprintf("no sheet %q; the workbook has %s", sheet, strings.Join(g.sheets, ", ")),
					ProblemSV: fmt.Sprintf("bladet %q finns inte; arbetsboken har %s", sheet, strings.Join(g.sheets, ", "))}
			}
			g.sheet = sheet
		}
		for _, sh := range g.sheets {
			if g.sheet != "" && sh != g.sheet {
				continue
			}
			rows, err := f.GetRows(sh)
			if err != nil {
				return nil, &InputError{File: name, Place: "sheet " + sh, Problem: "the sheet cannot be read (expected an Excel xlsx worksheet): " + err.Error(),
					ProblemSV: "bladet kan inte läsas (ett kalkylblad i en Excel-arbetsbok (xlsx) väntades): " + err.Error()}
			}
			if g.sheet != "" || hasCodes(rows) {
				g.sheet, g.rows = sh, rows
				break
			}
		}
		if g.sheet == "" { // no sheet with codes: the first, for the message
			g.sheet = g.sheets[0]
			g.rows, _ = f.GetRows(g.sheet)
		}
		return g, nil
	}
	text, info, err := csvText(name, b)
	if err != nil {
		return nil, err
	}
	best := mostFrequent(text, 8192, info.Delimiter, ';', ',', '\t')
	recs, _, err := csvRecords(name, text, best)
	if err != nil {
		return nil, err
	}
	return &grid{rows: recs, encoding: info.Encoding, delimiter: delimName(best)}, nil
}

// detectLevels are the levels whose codes a file may hold, most specific first.
var detectLevels = []string{LevelDeSO, LevelRegSO, LevelKommun}

func hasCodes(rows [][]string) bool {
	for i, r := range rows {
		if i > 200 {
			break
		}
		for j := 0; j < len(r) && j < 3; j++ {
			for _, l := range detectLevels[:2] {
				if codeish(l, r[j]) {
					return true
				}
			}
		}
	}
	return len(rows) > 0
}

// codeish: s is a code of the level, maybe one that lost its leading zeros.
func codeish(level, s string) bool {
	if looksLikeCode(level, s) {
		return true
	}
	// A code that lost one leading zero (Excel: "114A0010", "114").
	s = strings.TrimSuffix(strings.TrimSpace(s), ".0")
	return s != "" && s[0] != '0' && looksLikeCode(level, "0"+s)
}

// codeColumnOf finds the level and the column of the codes: the column
// among the first four whose cells are most often codes.
func codeColumnOf(rows [][]string) (level string, col, first, count int) {
	col, first = -1, -1
	for _, l := range detectLevels {
		for j := 0; j < 4; j++ {
			n, f := 0, -1
			for i, r := range rows {
				if j < len(r) && codeish(l, r[j]) && !(l == LevelKommun && isYearCell(r[j])) {
					n++
					if f < 0 {
						f = i
					}
				}
			}
			if n > count {
				level, col, first, count = l, j, f, n
			}
		}
		if count > 0 {
			return level, col, first, count
		}
	}
	return "", -1, -1, 0
}

var yearRe = regexp.MustCompile(`(?:^|[^0-9])((?:19[5-9][0-9])|(?:20[0-9][0-9]))(?:$|[^0-9])`)

func isYearCell(s string) bool {
	s = strings.TrimSuffix(strings.TrimSpace(s), ".0")
	y, err := strconv.Atoi(s)
	return err == nil && y >= 1950 && y <= 2099
}

func yearOf(label string) int {
	m := yearRe.FindStringSubmatch(label)
	if m == nil {
		return 0
	}
	y, _ := strconv.Atoi(m[1])
	return y
}

var yearHeaderRe = regexp.MustCompile(`(?i)^(år|ar|year|årtal|artal|period|tid)$`)
