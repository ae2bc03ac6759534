package data

import (
	"fmt"
	"math"
	"path/filepath"
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
