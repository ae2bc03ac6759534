package data

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Mapping tells ImportIndicators how to read one indicator table: which
// level and code column it has, which year, its layout and, per indicator,
// the metadata and the columns holding value, numerator and denominator.
// See testdata/indicators/README.md and example.mapping.yaml for a commented
// example.
type Mapping struct {
	// Path is the file the mapping was loaded from (for error messages).
	Path string `yaml:"-" json:"-"`
	// Level of the codes: deso (default), regso, kommun, lan.
	Level string `yaml:"level,omitempty" json:"level"`
	// Format: "wide" (default: one column per indicator), "long" (one row per
	// code, indicator and year) or "scb" (an SCB Statistikdatabasen xlsx as downloaded).
	Format string `yaml:"format,omitempty" json:"format"`
	// Sheet of an xlsx file; "" is the first sheet.
	Sheet string `yaml:"sheet,omitempty" json:"sheet"`
	// CodeColumn holds the area code. "" = auto-detect (deso, desokod, regso,
	// regsokod, kommun, kommunkod, lan, code); scb: the first or second cell.
	CodeColumn string `yaml:"code_column,omitempty" json:"code_column"`
	// Year of every value, unless YearColumn (or an indicator's own year) is set.
	Year       int    `yaml:"year,omitempty" json:"year"`
	YearColumn string `yaml:"year_column,omitempty" json:"year_column"`
	// Deso2025 says what to do with DeSO 2025 codes that were split from a
	// 2018 area: "report" (default: only list them in JoinReport.SplitParents)
	// or "parent_mean" (store the mean of the children on the 2018 parent,
	// flagged estimated).
	Deso2025 string `yaml:"deso2025,omitempty" json:"deso2025"`
	// Long names the columns of a long-format file.
	Long LongColumns `yaml:"long,omitempty" json:"long"`
	// Indicators: in wide/scb format one entry per (indicator, breakdown); in
	// long format the metadata of every indicator id the file uses.
	Indicators []IndicatorMapping `yaml:"indicators,omitempty" json:"indicators"`
}

// LongColumns names the columns of a long-format table. Empty names take the
// defaults indicator, value, breakdown, numerator, denominator (the last
// three are optional in the file).
type LongColumns struct {
	Indicator   string `yaml:"indicator,omitempty" json:"indicator"`
	Value       string `yaml:"value,omitempty" json:"value"`
	Breakdown   string `yaml:"breakdown,omitempty" json:"breakdown"`
	Numerator   string `yaml:"numerator,omitempty" json:"numerator"`
	Denominator string `yaml:"denominator,omitempty" json:"denominator"`
}

// IndicatorMapping is one indicator (and breakdown) in a mapping.
//
// An entry with only id (no name_sv, no aggregation) reuses the metadata of
// an indicator already in the store, e.g. a new year of a known indicator.
type IndicatorMapping struct {
	ID             string      `yaml:"id,omitempty" json:"id"`
	NameSV         string      `yaml:"name_sv,omitempty" json:"name_sv"`
	NameEN         string      `yaml:"name_en,omitempty" json:"name_en"`
	Unit           string      `yaml:"unit,omitempty" json:"unit"`
	Description    string      `yaml:"description,omitempty" json:"description"`
	DescriptionEN  string      `yaml:"description_en,omitempty" json:"description_en"`
	Source         string      `yaml:"source,omitempty" json:"source"`
	HigherIsBetter *bool       `yaml:"higher_is_better,omitempty" json:"higher_is_better"`
	Aggregation    Aggregation `yaml:"aggregation,omitempty" json:"aggregation"`
	Scale          float64     `yaml:"scale,omitempty" json:"scale"`
	Decimals       *int        `yaml:"decimals,omitempty" json:"decimals"`
	// Breakdown of this entry ("" = total).
	Breakdown string `yaml:"breakdown,omitempty" json:"breakdown"`
	// Year overrides the mapping's year for this entry.
	Year int `yaml:"year,omitempty" json:"year"`
	// Value, Numerator and Denominator are column names (or lists of columns
	// that are summed). A ratio needs value or numerator+denominator; a ratio
	// with value and denominator but no numerator gets
	// numerator = round(value*denominator/scale). Parent areas of ratio and
	// weighted_mean indicators need the denominator (the weight); without it
	// they get no value.
	Value       Columns `yaml:"value,omitempty" json:"value"`
	Numerator   Columns `yaml:"numerator,omitempty" json:"numerator"`
	Denominator Columns `yaml:"denominator,omitempty" json:"denominator"`
	// Multiply converts the value column (e.g. 0.001 for SEK to tkr); 0 = 1.
	Multiply float64 `yaml:"multiply,omitempty" json:"multiply"`
}

// Columns is one column name or a list of column names whose values are summed.
type Columns []string

// UnmarshalYAML accepts a scalar or a sequence.
func (c *Columns) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Value == "" {
			*c = nil
			return nil
		}
		*c = Columns{n.Value}
		return nil
	case yaml.SequenceNode:
		var s []string
		if err := n.Decode(&s); err != nil {
			return err
		}
		*c = s
		return nil
	}
	return fmt.Errorf("line %d: expected a column name or a list of column names", n.Line)
}

// Indicator is the metadata part of the entry.
func (im IndicatorMapping) Indicator() Indicator {
	ind := Indicator{
		ID: im.ID, NameSV: im.NameSV, NameEN: im.NameEN, Unit: im.Unit,
		DescriptionSV: im.Description, DescriptionEN: im.DescriptionEN, Source: im.Source,
		HigherIsBetter: im.HigherIsBetter, Aggregation: im.Aggregation, Scale: im.Scale, Decimals: 1,
	}
	if im.Decimals != nil {
		ind.Decimals = *im.Decimals
	}
	if ind.NameEN == "" {
		ind.NameEN = ind.NameSV
	}
	if ind.Scale == 0 {
		ind.Scale = 1
	}
	if ind.Aggregation == "" {
		ind.Aggregation = AggNone
	}
	return ind
}

// LoadMapping reads and checks a mapping file. Column names are checked
// against the table later, by ImportIndicators.
func LoadMapping(path string) (*Mapping, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("data: mapping: %w", err)
	}
	return ParseMapping(filepath.Base(path), b)
}

var indicatorIDRe = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)

// ParseMapping parses mapping YAML; name is used in error messages.
func ParseMapping(name string, b []byte) (*Mapping, error) {
	m := &Mapping{Path: name}
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(m); err != nil {
		return nil, &InputError{File: name, Problem: "not a valid mapping: " + err.Error(), ProblemSV: "ingen giltig mappning: " + err.Error()}
	}
	m.Path = name
	if m.Level == "" {
		m.Level = LevelDeSO
	}
	if m.Format == "" {
		m.Format = "wide"
	}
	bad := func(place, field, problem, problemSV string) error {
		return &InputError{File: name, Place: place, Field: field, Problem: problem, ProblemSV: problemSV}
	}
	switch m.Level {
	case LevelDeSO, LevelRegSO, LevelKommun, LevelLan:
	default:
		if !indicatorIDRe.MatchString(m.Level) {
			return nil, bad("", "level", fmt.Sprintf("%q is not a level id (deso, regso, kommun, lan or a custom level id)", m.Level),
				fmt.Sprintf("%q är ingen nivå (deso, regso, kommun, lan eller en egen nivå)", m.Level))
		}
	}
	switch m.Format {
	case "wide", "long", "scb":
	default:
		return nil, bad("", "format", fmt.Sprintf("%q is not a format: use wide, long or scb", m.Format), fmt.Sprintf("%q är inget format: använd wide, long eller scb", m.Format))
	}
	switch m.Deso2025 {
	case "", "report", "parent_mean":
	default:
		return nil, bad("", "deso2025", fmt.Sprintf("%q: use report or parent_mean", m.Deso2025), fmt.Sprintf("%q: använd report eller parent_mean", m.Deso2025))
	}
	if m.Year != 0 && (m.Year < 1900 || m.Year > 2200) {
		return nil, bad("", "year", fmt.Sprintf("%d is not a plausible year", m.Year), fmt.Sprintf("%d är inget rimligt årtal", m.Year))
	}
	if len(m.Indicators) == 0 {
		return nil, bad("", "indicators", "the mapping lists no indicators", "mappningen har inga indikatorer")
	}
	if m.Long.Indicator == "" {
		m.Long.Indicator = "indicator"
	}
	if m.Long.Value == "" {
		m.Long.Value = "value"
	}
	if m.Format == "long" && m.YearColumn == "" && m.Year == 0 {
		m.YearColumn = "year"
	}
	seen := map[string]bool{}
	first := map[string]int{}
	for i := range m.Indicators {
		im := &m.Indicators[i]
		place := fmt.Sprintf("indicator %d (%s)", i+1, im.ID)
		if j, ok := first[im.ID]; ok && im.NameSV == "" && im.Aggregation == "" {
			im.inherit(m.Indicators[j])
		} else if !ok {
			first[im.ID] = i
		}
		if !indicatorIDRe.MatchString(im.ID) {
			return nil, bad(place, "id", fmt.Sprintf("%q is not an indicator id: use lower-case letters, digits and _", im.ID),
				fmt.Sprintf("%q är ingen giltig indikator-id: använd små bokstäver a–z, siffror och _", im.ID))
		}
		if im.NameSV == "" && im.Aggregation != "" {
			return nil, bad(place, "name_sv", "give the Swedish name, or only the id to reuse an indicator already in the store",
				"ange det svenska namnet, eller bara id för att återanvända en indikator som redan finns i databasen")
		}
		switch im.Aggregation {
		case AggRatio, AggSum, AggWeightedMean, AggNone, "":
		default:
			return nil, bad(place, "aggregation", fmt.Sprintf("%q: use ratio, sum, weighted_mean or none", im.Aggregation), fmt.Sprintf("%q: använd ratio, sum, weighted_mean eller none", im.Aggregation))
		}
		if im.Scale == 0 {
			im.Scale = 1
		}
		if im.Multiply == 0 {
			im.Multiply = 1
		}
		if im.Breakdown == "" {
			im.Breakdown = BreakdownTotal
		}
		key := im.ID + "\x00" + im.Breakdown + fmt.Sprint(im.Year)
		if seen[key] {
			return nil, bad(place, "breakdown", fmt.Sprintf("indicator %s breakdown %s is listed twice", im.ID, im.Breakdown), fmt.Sprintf("indikator %s uppdelning %s står två gånger", im.ID, im.Breakdown))
		}
		seen[key] = true
		if m.Format == "long" {
			continue
		}
		if m.Year == 0 && m.YearColumn == "" && im.Year == 0 {
			return nil, bad(place, "year", "no year: set year or year_column in the mapping, or year on the indicator", "inget år: ange year eller year_column i mappningen, eller year på indikatorn")
		}
		if len(im.Value) == 0 && (len(im.Numerator) == 0 || len(im.Denominator) == 0) {
			return nil, bad(place, "value", "name the value column, or numerator and denominator columns", "ange värdekolumnen, eller kolumner för täljare och nämnare")
		}
		if len(im.Value) == 0 && im.Aggregation != AggRatio {
			return nil, bad(place, "value", "only a ratio indicator can be computed from numerator and denominator; name the value column",
				"bara en kvot (ratio) kan räknas fram ur täljare och nämnare; ange värdekolumnen")
		}
	}
	return m, nil
}

// inherit copies the metadata of an earlier entry with the same id (a
// further breakdown or year of the same indicator).
func (im *IndicatorMapping) inherit(p IndicatorMapping) {
	im.NameSV, im.NameEN, im.Unit, im.Description, im.DescriptionEN = p.NameSV, p.NameEN, p.Unit, p.Description, p.DescriptionEN
	im.Source, im.HigherIsBetter, im.Aggregation, im.Scale, im.Decimals = p.Source, p.HigherIsBetter, p.Aggregation, p.Scale, p.Decimals
	if im.Multiply == 0 {
		im.Multiply = p.Multiply
	}
}

// columnsUsed lists every column an entry reads.
func (im IndicatorMapping) columnsUsed() []string {
	var out []string
	out = append(out, im.Value...)
	out = append(out, im.Numerator...)
	return append(out, im.Denominator...)
}

// UnmarshalJSON accepts a string or a list of strings, like UnmarshalYAML.
func (c *Columns) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*c = nil
		if s != "" {
			*c = Columns{s}
		}
		return nil
	}
	var l []string
	if err := json.Unmarshal(b, &l); err != nil {
		return errors.New("expected a column name or a list of column names")
	}
	*c = l
	return nil
}

// MarshalYAML writes one column as a scalar, several as a list.
func (c Columns) MarshalYAML() (any, error) {
	if len(c) == 1 {
		return c[0], nil
	}
	return []string(c), nil
}

// MappingYAML is m as the YAML that segmap import reads (ParseMapping).
func MappingYAML(m *Mapping) ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(m); err != nil {
		return nil, fmt.Errorf("data: mapping yaml: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("data: mapping yaml: %w", err)
	}
	return buf.Bytes(), nil
}

// ParseMappingJSON reads a mapping sent as JSON (the keys of the YAML) and
// checks it exactly as segmap import does: it goes through MappingYAML and
// ParseMapping, so a mapping accepted here is the YAML that the command
// line takes. name is the file it describes (for messages).
func ParseMappingJSON(name string, b []byte) (*Mapping, error) {
	var m Mapping
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, &InputError{File: name, Field: "mapping", Problem: "not a valid mapping: " + err.Error(),
			ProblemSV: "ingen giltig mappning: " + err.Error()}
	}
	y, err := MappingYAML(&m)
	if err != nil {
		return nil, err
	}
	return ParseMapping(name, y)
}
