package data

import (
	"bytes"
	"fmt"
	"math"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/xuri/excelize/v2"
)

// The data page reads an indicator file as downloaded and suggests the
// mapping that segmap import would need for it (DetectIndicators). The
// suggestion goes through ParseMapping, so it is exactly a mapping YAML.

// DetectOptions configure DetectIndicators.
type DetectOptions struct {
	// Sheet of an xlsx file; "" is the first sheet with codes.
	Sheet string
	// DefaultYear is the year of a file that names none (the page asks
	// the planner to check it). 0: such a file is an error.
	DefaultYear int
	// Source is written into the suggested indicators' source ("" = the
	// file's SCB table id when it has one).
	Source string
}

// DetectedColumn is one column of the table as the detection read it.
type DetectedColumn struct {
	Name    string `json:"name"`
	Letter  string `json:"letter"`
	Numeric bool   `json:"numeric"`
	Used    bool   `json:"used"`
}

// Notice is a message for people in both languages.
type Notice struct {
	EN string `json:"en"`
	SV string `json:"sv"`
}

// IndicatorDetection is what DetectIndicators understood of a file.
type IndicatorDetection struct {
	Mapping      *Mapping         `json:"-"`
	Format       string           `json:"format"` // scb or wide
	Sheets       []string         `json:"sheets"`
	Sheet        string           `json:"sheet"`
	Title        string           `json:"title,omitempty"`
	CodeColumn   string           `json:"code_column"`
	Level        string           `json:"level"`
	Years        []int            `json:"years"`
	YearLayout   string           `json:"year_layout"` // columns, rows or fixed
	Columns      []DetectedColumn `json:"columns"`
	HeaderRows   []int            `json:"header_rows"`
	SkippedRows  int              `json:"skipped_rows"`
	Encoding     string           `json:"encoding"`
	Delimiter    string           `json:"delimiter"`
	DecimalComma bool             `json:"decimal_comma"`
	Missing      int              `json:"missing"`
	Suppressed   int              `json:"suppressed"`
	Header       []string         `json:"header"`
	SampleRows   [][]string       `json:"sample_rows"`
	Notes        []Notice         `json:"-"`
}

// maxDetectColumns bounds the columns DetectIndicators reads.
const maxDetectColumns = 400

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
			return nil, &InputError{File: name, Problem: "not a readable xlsx file: " + err.Error(), ProblemSV: "inte en läsbar xlsx-fil: " + err.Error()}
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
				return nil, &InputError{File: name, Place: "sheet " + sh, Problem: err.Error()}
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
	start := text
	if len(start) > 8192 {
		start = start[:8192]
	}
	best, bestN := info.Delimiter, 0
	for _, d := range []rune{';', ',', '\t'} {
		if n := strings.Count(start, string(d)); n > bestN {
			best, bestN = d, n
		}
	}
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

// DetectIndicators reads an indicator file (SCB Statistikdatabasen xlsx or
// CSV as downloaded, or an own xlsx/CSV with a header row) and suggests
// its mapping: level and code column, years, one indicator per value
// column. Nothing is read from or written to a store.
func DetectIndicators(name string, b []byte, opts DetectOptions) (*IndicatorDetection, error) {
	g, err := readGrid(name, b, opts.Sheet)
	if err != nil {
		return nil, err
	}
	level, codeCol, first, _ := codeColumnOf(g.rows)
	if level == "" {
		where := ""
		if g.sheet != "" {
			where = "sheet " + g.sheet
		}
		return nil, &InputError{File: name, Place: where, Problem: "found no column of area codes (DeSO like 0114A0010, RegSO like 0114R001 or kommun like 0114) in the first four columns; put the codes in one of the first columns",
			ProblemSV: "hittade ingen kolumn med områdeskoder (DeSO som 0114A0010, RegSO som 0114R001 eller kommun som 0114) bland de fyra första kolumnerna; lägg koderna i en av de första kolumnerna"}
	}
	d := &IndicatorDetection{Sheets: g.sheets, Sheet: g.sheet, Level: level, Encoding: g.encoding, Delimiter: g.delimiter}
	if g.sheets == nil {
		d.Sheets = []string{}
	}
	if d.Encoding == "" {
		d.Encoding = EncodingUTF8
	}
	// Wide: the first non-empty row is the header and the codes start right under it.
	headerRow := -1
	for i, r := range g.rows {
		if strings.TrimSpace(strings.Join(r, "")) != "" {
			headerRow = i
			break
		}
	}
	d.Format = "scb"
	if headerRow == first-1 && nonEmpty(g.rows[headerRow]) >= 2 && !codeish(level, cell(g.rows[headerRow], codeCol)) {
		d.Format = "wide"
	}
	if first > 0 && len(g.rows[0]) > 0 && nonEmpty(g.rows[0]) == 1 {
		d.Title = strings.TrimSpace(g.rows[0][0])
	}
	m := &Mapping{Path: name, Level: level, Format: d.Format}
	if g.sheet != "" && len(g.sheets) > 1 {
		m.Sheet = g.sheet
	}
	if d.Format == "scb" {
		m.Sheet = g.sheet
	}
	t, err := readTable(name, b, m)
	if err != nil {
		return nil, err
	}
	if d.Format == "scb" && codeCol > 1 {
		codeCol = 1
	}
	letter := func(j int) string { l, _ := excelize.ColumnNumberToName(j + 1); return l }
	m.CodeColumn = columnRef(t, codeCol, letter)
	d.CodeColumn = m.CodeColumn
	for i := 0; i < first && i < len(g.rows); i++ {
		if nonEmpty(g.rows[i]) > 0 {
			d.HeaderRows = append(d.HeaderRows, i+1)
		}
	}
	if d.Format == "wide" {
		d.HeaderRows = []int{headerRow + 1}
	}
	d.SkippedRows = len(g.rows) - len(t.rows)
	for _, r := range g.rows {
		if nonEmpty(r) == 0 {
			d.SkippedRows-- // blank rows are not worth a mention
		}
	}
	d.SkippedRows = max(d.SkippedRows, 0)

	// The year: a year column (a row label), years in the header labels, or none.
	yearCol := -1
	for j, h := range t.header {
		if j == codeCol {
			continue
		}
		if yearHeaderRe.MatchString(strings.TrimSpace(h)) || (d.Format == "scb" && j < codeCol && columnAll(t, j, isYearCell)) {
			yearCol = j
			break
		}
	}
	if len(t.header) > maxDetectColumns {
		return nil, &InputError{File: name, Place: placeSheet(g.sheet), Problem: fmt.Sprintf("the table has %d columns; the data page reads at most %d: split the file, or write the mapping by hand for segmap import", len(t.header), maxDetectColumns),
			ProblemSV: fmt.Sprintf("tabellen har %d kolumner; datasidan läser högst %d: dela upp filen, eller skriv mappningen för hand till segmap import", len(t.header), maxDetectColumns)}
	}
	// Value columns: numbers (or missing markers) in every row.
	type valCol struct {
		j        int
		label    string
		year     int
		integer  bool
		decimals int
		pct      bool
		max      float64
	}
	var vals []valCol
	skipName := map[string]bool{}
	for _, c := range codeColumnCandidates {
		skipName[c] = true
	}
	for _, c := range []string{"namn", "name", "regsonamn", "kommunnamn", "desonamn", "lannamn", "regso_namn", "kommun_namn"} {
		skipName[c] = true
	}
	for j, h := range t.header {
		dc := DetectedColumn{Name: h, Letter: letter(j)}
		if j == codeCol || j == yearCol || (d.Format == "scb" && j < codeCol) || skipName[strings.ToLower(strings.TrimSpace(h))] {
			d.Columns = append(d.Columns, dc)
			continue
		}
		v := valCol{j: j, label: h, integer: true}
		seen, ok := 0, true
		for _, r := range t.rows {
			s := strings.TrimSpace(r[j])
			f, _, good := parseNumber(s)
			if !good {
				ok = false
				break
			}
			if math.IsNaN(f) {
				continue
			}
			seen++
			if f != math.Trunc(f) {
				v.integer = false
				if k := decimalsOf(s); k > v.decimals {
					v.decimals = k
				}
			}
			v.max = math.Max(v.max, math.Abs(f))
		}
		dc.Numeric = ok && seen > 0
		if dc.Numeric {
			dc.Used = true
			vals = append(vals, v)
		}
		d.Columns = append(d.Columns, dc)
	}
	if len(vals) == 0 {
		return nil, &InputError{File: name, Place: placeSheet(g.sheet), Problem: "no column holds numbers for every row; check that the file has value columns beside the code column",
			ProblemSV: "ingen kolumn har tal på varje rad; kontrollera att filen har kolumner med värden bredvid kodkolumnen"}
	}
	// Years.
	years := map[int]bool{}
	switch {
	case yearCol >= 0:
		m.YearColumn = columnRef(t, yearCol, letter)
		d.YearLayout = "rows"
		for _, r := range t.rows {
			if y, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(r[yearCol]), ".0")); err == nil {
				years[y] = true
			}
		}
	default:
		withYear := 0
		for k := range vals {
			vals[k].year = yearOf(vals[k].label)
			if vals[k].year != 0 {
				withYear++
			}
		}
		if withYear*2 >= len(vals) {
			d.YearLayout = "columns"
			latest := 0
			for _, v := range vals {
				latest = max(latest, v.year)
			}
			for k := range vals {
				if vals[k].year == 0 {
					vals[k].year = latest
				}
				years[vals[k].year] = true
			}
			break
		}
		d.YearLayout = "fixed"
		m.Year = yearOf(strings.TrimSuffix(name, filepath.Ext(name)))
		if m.Year == 0 {
			if opts.DefaultYear == 0 {
				return nil, &InputError{File: name, Field: "year", Problem: "the file names no year (no year column, no year in the column names); give the year in the mapping",
					ProblemSV: "filen anger inget år (ingen årskolumn, inget år i kolumnnamnen); ange året i mappningen"}
			}
			m.Year = opts.DefaultYear
			d.Notes = append(d.Notes, Notice{
				EN: fmt.Sprintf("the file names no year; %d is a guess: check the year before importing", opts.DefaultYear),
				SV: fmt.Sprintf("filen anger inget år; %d är en gissning: kontrollera året innan du importerar", opts.DefaultYear)})
		}
		years[m.Year] = true
		for k := range vals {
			if vals[k].year != 0 {
				years[vals[k].year] = true
			}
		}
	}
	for y := range years {
		d.Years = append(d.Years, y)
	}
	sort.Ints(d.Years)
	source := opts.Source
	if source == "" && d.Format == "scb" {
		if id := scbTableID(name); id != "" {
			source = "SCB, " + id
		}
	}
	// A total column per year, for shares.
	totals := map[int]int{}
	for _, v := range vals {
		if isTotalLabel(v.label) && v.integer {
			if _, ok := totals[v.year]; !ok {
				totals[v.year] = v.j
			}
		}
	}
	ids := map[string]bool{}
	for _, v := range vals {
		label := strings.TrimSpace(v.label)
		bare := strings.Trim(strings.TrimSpace(yearRe.ReplaceAllStringFunc(label, func(s string) string {
			return strings.Map(func(r rune) rune {
				if unicode.IsDigit(r) {
					return -1
				}
				return r
			}, s)
		})), " ,;:-_")
		if bare == "" {
			bare = label
		}
		id := slugID(bare, letter(v.j))
		key := fmt.Sprintf("%s\x00%d", id, v.year)
		for n := 2; ids[key]; n++ {
			id = fmt.Sprintf("%s_%d", slugID(bare, letter(v.j)), n)
			key = fmt.Sprintf("%s\x00%d", id, v.year)
		}
		ids[key] = true
		im := IndicatorMapping{ID: id, NameSV: bare, Source: source, Value: Columns{columnRef(t, v.j, letter)}}
		if d.Title != "" {
			im.Description = d.Title
		}
		if v.year != 0 && v.year != m.Year {
			im.Year = v.year
		}
		low := strings.ToLower(label)
		pct := strings.Contains(low, "%") || strings.Contains(low, "procent") || strings.Contains(low, "andel") || strings.HasSuffix(low, "pct") || strings.Contains(low, "_pct")
		dec := 1
		switch {
		case pct:
			im.Unit, im.Aggregation = "%", AggNone
			if tj, ok := totals[v.year]; ok && tj != v.j {
				im.Aggregation, im.Scale = AggRatio, 100
				im.Denominator = Columns{columnRef(t, tj, letter)}
			}
		case strings.Contains(low, "median"), strings.Contains(low, "medel"), strings.Contains(low, "mean"), strings.Contains(low, "genomsnitt"):
			im.Aggregation = AggNone
		case v.integer:
			im.Unit, im.Aggregation, dec = "antal", AggSum, 0
		default:
			im.Aggregation = AggNone
		}
		if strings.Contains(low, "tkr") {
			im.Unit = "tkr"
		} else if im.Unit == "" && strings.Contains(low, "kr") {
			im.Unit = "kr"
		}
		if !v.integer {
			dec = min(max(v.decimals, 1), 3)
		}
		im.Decimals = &dec
		im.HigherIsBetter = higherIsBetter(low)
		m.Indicators = append(m.Indicators, im)
	}
	// Counts of what the file holds in the used columns.
	for _, r := range t.rows {
		for _, v := range vals {
			s := strings.TrimSpace(r[v.j])
			switch f, sup, _ := parseNumber(s); {
			case sup:
				d.Suppressed++
			case math.IsNaN(f):
				d.Missing++
			case strings.Contains(s, ","):
				d.DecimalComma = true
			}
		}
	}
	if d.Format == "scb" && g.delimiter == "" {
		d.Delimiter = ""
	}
	d.Header = t.header
	for i := 0; i < len(t.rows) && i < 10; i++ {
		d.SampleRows = append(d.SampleRows, t.rows[i])
	}
	y, err := MappingYAML(m)
	if err != nil {
		return nil, err
	}
	pm, err := ParseMapping(name, y)
	if err != nil {
		return nil, err
	}
	d.Mapping = pm
	return d, nil
}

func placeSheet(sheet string) string {
	if sheet == "" {
		return ""
	}
	return "sheet " + sheet
}

// columnRef names column j for a mapping: its header when that is unique
// and not empty, else its Excel letter.
func columnRef(t *table, j int, letter func(int) string) string {
	if h := t.header[j]; h != "" && t.col(h) == j {
		return h
	}
	return letter(j)
}

func cell(r []string, j int) string {
	if j < len(r) {
		return r[j]
	}
	return ""
}

func nonEmpty(r []string) int {
	n := 0
	for _, c := range r {
		if strings.TrimSpace(c) != "" {
			n++
		}
	}
	return n
}

func columnAll(t *table, j int, f func(string) bool) bool {
	if len(t.rows) == 0 {
		return false
	}
	for _, r := range t.rows {
		if !f(r[j]) {
			return false
		}
	}
	return true
}

func decimalsOf(s string) int {
	s = strings.TrimSpace(s)
	i := strings.LastIndexAny(s, ".,")
	if i < 0 {
		return 0
	}
	return len(s) - i - 1
}

func isTotalLabel(label string) bool {
	for _, p := range strings.Split(strings.ToLower(label), ",") {
		p = strings.TrimSpace(p)
		if yearOf(p) != 0 {
			continue
		}
		if p != "totalt" && p != "total" && p != "samtliga" && p != "summa" && p != "pop_total" {
			return false
		}
	}
	return true
}

var scbIDRe = regexp.MustCompile(`^([0-9A-Z]{8})_`)

func scbTableID(name string) string {
	if m := scbIDRe.FindStringSubmatch(name); m != nil {
		return m[1]
	}
	return ""
}

// higherIsBetter guesses from words in a column label.
func higherIsBetter(low string) *bool {
	worse := []string{"arbetslös", "unemploy", "låg ekonomisk", "low_econ", "ohälsotal", "trångbodd", "förgymnasial", "pre_upper", "bidrag", "biståndsmottag"}
	better := []string{"förvärvsarbet", "sysselsatt", "employment_rate", "employed", "inkomst", "income", "hög ekonomisk", "high_econ", "eftergymnasial", "post_sec", "behörig", "valdeltagande"}
	for _, w := range worse {
		if strings.Contains(low, w) {
			f := false
			return &f
		}
	}
	for _, w := range better {
		if strings.Contains(low, w) {
			t := true
			return &t
		}
	}
	return nil
}

// slugID makes an indicator id of a label: lower-case ASCII letters,
// digits and '_', starting with a letter, at most 60 characters.
func slugID(label, fallback string) string {
	var b strings.Builder
	under := false
	for _, r := range strings.ToLower(label) {
		switch r {
		case 'å', 'ä', 'á', 'à', 'â':
			r = 'a'
		case 'ö', 'ó', 'ò', 'ô', 'ø':
			r = 'o'
		case 'é', 'è', 'ê', 'ë':
			r = 'e'
		case 'ü', 'ú':
			r = 'u'
		case '%':
			b.WriteString("pct")
			under = false
			continue
		}
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			under = false
		} else if !under && b.Len() > 0 {
			b.WriteByte('_')
			under = true
		}
	}
	s := strings.Trim(b.String(), "_")
	if s == "" {
		s = "kolumn_" + strings.ToLower(fallback)
	}
	if s[0] < 'a' || s[0] > 'z' {
		s = "v_" + s
	}
	if len(s) > 60 {
		s = strings.TrimRight(s[:60], "_")
	}
	return s
}
