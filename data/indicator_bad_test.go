package data

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const smallMapping = `
level: deso
year: 2022
indicators:
  - id: low_econ_standard_pct
    name_sv: Låg ekonomisk standard
    aggregation: ratio
    scale: 100
    value: low_econ_standard_pct
    denominator: econ_standard_n_persons
`

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func parseMappingT(t *testing.T, y string) *Mapping {
	t.Helper()
	m, err := ParseMapping("test.mapping.yaml", []byte(y))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// storeWithCodes has two real DeSO of Upplands Väsby in its hierarchy.
func storeWithCodes(t *testing.T) *Store {
	s := newStore(t)
	link := "deso,regso,regso_namn,kommun,kommunnamn\n0114A0010,0114R010,Upplands Väsby omland,0114,Upplands Väsby\n0114C1010,0114R001,Bollstanäs,0114,Upplands Väsby\n"
	if _, err := s.ImportHierarchy(context.Background(), writeFile(t, "link.csv", link)); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestImportBadInput(t *testing.T) {
	tests := []struct {
		name, file, content, mapping string
		wantFile, wantField          string
		wantIn                       []string
	}{
		{"wrong delimiter", "a.csv", "deso|low_econ_standard_pct|econ_standard_n_persons\n0114A0010|7|843\n", smallMapping,
			"a.csv", "", []string{"row 1", "comma, semicolon or tab"}},
		{"deso code lost leading zero", "b.csv", "deso,low_econ_standard_pct,econ_standard_n_persons\n0114C1010,4,1542\n114A0010,7,843\n", smallMapping,
			"b.csv", "deso", []string{"row 3", `"0114A0010"`, "text"}},
		{"kommun code lost leading zero", "c.csv", "kommun;population\n180;984748\n", "level: kommun\nyear: 2022\nindicators: [{id: population, name_sv: Folkmängd, aggregation: sum, value: population}]\n",
			"c.csv", "kommun", []string{"row 2", `"0180"`}},
		{"mapping names a missing column", "d.csv", "deso,low_econ,n\n0114A0010,7,843\n", smallMapping,
			"test.mapping.yaml", "low_econ_standard_pct", []string{"indicator low_econ_standard_pct", `"low_econ"`, `"n"`, "d.csv"}},
		{"not a number", "e.csv", "deso,low_econ_standard_pct,econ_standard_n_persons\n0114A0010,sju,843\n", smallMapping,
			"e.csv", "low_econ_standard_pct", []string{"row 2", `"sju"`}},
		{"duplicate row", "f.csv", "deso,low_econ_standard_pct,econ_standard_n_persons\n0114A0010,7,843\n0114A0010,8,843\n", smallMapping,
			"f.csv", "", []string{"row 3", "second value", "row 2"}},
		{"ragged row", "g.csv", "deso;low_econ_standard_pct;econ_standard_n_persons\n0114A0010;7\n", smallMapping,
			"g.csv", "", []string{"row 2", "2 fields", "semicolon"}},
		{"unknown long indicator", "h.csv", "code,indicator,year,value\n0114A0010,x_pct,2022,1\n", "format: long\nindicators: [{id: population, name_sv: Folkmängd, aggregation: sum}]\n",
			"h.csv", "indicator", []string{"row 2", `"x_pct"`, "population"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			s := storeWithCodes(t)
			v0, _ := s.DataVersion(ctx)
			_, err := s.ImportIndicators(ctx, writeFile(t, tc.file, tc.content), IndicatorImportOptions{Mapping: parseMappingT(t, tc.mapping)})
			var ie *InputError
			if !errors.As(err, &ie) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want an InputError", err)
			}
			checkLanguages(t, err, nil, nil)
			if ie.File != tc.wantFile || ie.Field != tc.wantField {
				t.Errorf("file %q field %q, want %q %q (%v)", ie.File, ie.Field, tc.wantFile, tc.wantField, err)
			}
			for _, w := range tc.wantIn {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("message %q lacks %q", err, w)
				}
			}
			assertNothingWritten(t, s, v0)
		})
	}
}

func assertNothingWritten(t *testing.T, s *Store, v0 int64) {
	t.Helper()
	var n int
	s.db.QueryRow(`SELECT (SELECT count(*) FROM segmap_values) + (SELECT count(*) FROM segmap_indicators)`).Scan(&n)
	if v, _ := s.DataVersion(context.Background()); n != 0 || v != v0 {
		t.Errorf("failed import wrote %d rows, data version %d -> %d", n, v0, v)
	}
}

func TestImportDecimalCommaAndMissing(t *testing.T) {
	ctx := context.Background()
	s := storeWithCodes(t)
	csv := "\ufeffdeso;low_econ_standard_pct;econ_standard_n_persons\n0114A0010;7,5;1 000\n0114C1010;..;1542\n"
	rep, err := s.ImportIndicators(ctx, writeFile(t, "sv.csv", csv), IndicatorImportOptions{Mapping: parseMappingT(t, smallMapping)})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Matched != 2 {
		t.Errorf("matched %d", rep.Matched)
	}
	v := one(t, s, LevelDeSO, "0114A0010", "low_econ_standard_pct", 2022, "")
	if v.Value != 7.5 || v.Denominator != 1000 || v.Numerator != 75 {
		t.Errorf("decimal comma: %+v", v)
	}
	m := one(t, s, LevelDeSO, "0114C1010", "low_econ_standard_pct", 2022, "")
	if !math.IsNaN(m.Value) || !m.Suppressed {
		t.Errorf("\"..\" = %+v, want NaN, suppressed", m)
	}
	k := one(t, s, LevelKommun, "0114", "low_econ_standard_pct", 2022, "")
	if k.Value != 7.5 || !k.Estimated {
		t.Errorf("kommun from one present child = %+v, want 7.5 flagged estimated", k)
	}
}

func TestImportLongFormat(t *testing.T) {
	ctx := context.Background()
	s := storeWithCodes(t)
	csv := "code\tindicator\tyear\tbreakdown\tvalue\tnumerator\tdenominator\n" +
		"0114A0010\tpop\t2022\t\t863\t\t\n0114C1010\tpop\t2022\ttotal\t1562\t\t\n" +
		"0114A0010\tshare\t2023\tkvinnor\t\t10\t40\n0114C1010\tshare\t2023\tkvinnor\t\t30\t60\n"
	m := parseMappingT(t, "format: long\nindicators:\n - {id: pop, name_sv: Folkmängd, aggregation: sum}\n - {id: share, name_sv: Andel, aggregation: ratio, scale: 100}\n")
	if _, err := s.ImportIndicators(ctx, writeFile(t, "long.tsv", csv), IndicatorImportOptions{Mapping: m}); err != nil {
		t.Fatal(err)
	}
	if v := one(t, s, LevelRiket, RiketCode, "pop", 2022, ""); v.Value != 863+1562 {
		t.Errorf("riket pop = %v", v.Value)
	}
	if v := one(t, s, LevelDeSO, "0114A0010", "share", 2023, "kvinnor"); v.Value != 25 {
		t.Errorf("deso share = %v, want 25", v.Value)
	}
	if v := one(t, s, LevelKommun, "0114", "share", 2023, "kvinnor"); v.Value != 40 {
		t.Errorf("kommun share = %v, want 40 (= 40/100)", v.Value)
	}
}

func TestImportCancelledWritesNothing(t *testing.T) {
	s := newStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := s.ImportIndicators(ctx, tdir+"deso_indicators_2022.csv", IndicatorImportOptions{
		Mapping:  mustMapping(t, "deso_indicators_2022.mapping.yaml"),
		Progress: func(done, total int) { cancel() },
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	assertNothingWritten(t, s, 0)
}

func TestMappingErrors(t *testing.T) {
	tests := []struct{ name, yaml, field string }{
		{"bad format", "format: json\nyear: 2022\nindicators: [{id: a, name_sv: A, value: x}]", "format"},
		{"no year", "indicators: [{id: a, name_sv: A, value: x}]", "year"},
		{"bad id", "year: 2022\nindicators: [{id: A-1, name_sv: A, value: x}]", "id"},
		{"no value", "year: 2022\nindicators: [{id: a, name_sv: A, aggregation: sum}]", "value"},
		{"bad aggregation", "year: 2022\nindicators: [{id: a, name_sv: A, aggregation: avg, value: x}]", "aggregation"},
		{"unknown key", "year: 2022\nindicators: [{id: a, name_sv: A, value: x, colour: red}]", ""},
		{"no indicators", "year: 2022\n", "indicators"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseMapping("m.yaml", []byte(tc.yaml))
			var ie *InputError
			if !errors.As(err, &ie) || ie.File != "m.yaml" || ie.Field != tc.field {
				t.Errorf("err = %v, want InputError on field %q", err, tc.field)
			}
			checkLanguages(t, err, nil, nil)
		})
	}
}

func FuzzReadCSV(f *testing.F) {
	f.Add([]byte("deso,low_econ_standard_pct,econ_standard_n_persons\n0114A0010,7,843\n"))
	f.Add([]byte("deso;low_econ_standard_pct;econ_standard_n_persons\n114A0010;7,5;..\n"))
	f.Add([]byte("\"deso\"\t\"x\"\n\"0114A0010\"\t\"1 000\"\n"))
	m, err := ParseMapping("m.yaml", []byte(smallMapping))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		tab, err := readCSV("f.csv", b)
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("non-input error %v", err)
			}
			return
		}
		for _, r := range tab.rows {
			if len(r) != len(tab.header) {
				t.Fatal("ragged row accepted")
			}
		}
		if _, err := tab.records(m); err != nil {
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("non-input error %v", err)
			}
		}
	})
}

func FuzzParseMapping(f *testing.F) {
	for _, name := range []string{"deso_indicators_2022.mapping.yaml", "scb_000005FB.mapping.yaml", "stockholm_2024_subset.mapping.yaml"} {
		b, err := os.ReadFile(tdir + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(smallMapping))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseMapping("m.yaml", b)
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("non-input error %v", err)
			}
			return
		}
		if m.Level == "" || len(m.Indicators) == 0 {
			t.Fatal("accepted mapping without level or indicators")
		}
		for _, im := range m.Indicators {
			if im.Scale == 0 || im.Multiply == 0 || im.Breakdown == "" {
				t.Fatalf("defaults not applied: %+v", im)
			}
		}
	})
}

func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"1", "7,5", "1 234,5", "..", "-", "", "−3", "1e5", "0x10"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, sup, ok := parseNumber(s)
		if sup && !math.IsNaN(v) {
			t.Fatal("suppressed with a value")
		}
		if !ok && !math.IsNaN(v) {
			t.Fatal("invalid with a value")
		}
		if math.IsInf(v, 0) {
			t.Fatal("infinite value")
		}
	})
}

// TestImportCodeShape: a code that does not have its level's shape (a DeSO
// code that lost its leading zero and its letter part to a spreadsheet, a
// kommun code with five digits) is an error naming the row and a fix for
// that level, not an "unmatched" code of a valid import.
func TestImportCodeShape(t *testing.T) {
	kommunMapping := "level: kommun\nyear: 2022\nindicators: [{id: population, name_sv: Folkmängd, aggregation: sum, value: population}]\n"
	regsoMapping := strings.Replace(kommunMapping, "level: kommun", "level: regso", 1)
	lanMapping := strings.Replace(kommunMapping, "level: kommun", "level: lan", 1)
	tests := []struct {
		name, content, mapping string
		wantIn, wantNot        []string
	}{
		{"deso code of digits only", "deso,low_econ_standard_pct,econ_standard_n_persons\n0114A0010,7,843\n114,4,1542\n", smallMapping,
			[]string{"row 3", `field "deso"`, `code "114" does not look like a deso code`, `"0114A0010"`, "always has a letter", "code_column"}, []string{"printf", "%04d"}},
		{"deso code of another shape", "deso,low_econ_standard_pct,econ_standard_n_persons\n0114A0010,7,843\n0114X0010,4,1542\n", smallMapping,
			[]string{"row 3", `"0114X0010"`, "a letter A, B or C", "check the level and the code column"}, []string{"printf"}},
		{"regso code of digits only", "regso;population\n0114R001;10\n0114001;984748\n", regsoMapping,
			[]string{"row 3", `"0114001"`, "regso", `"0114R001"`, "letter R"}, []string{"printf"}},
		{"kommun code with five digits", "kommun;population\n01800;984748\n", kommunMapping,
			[]string{"row 2", `"01800"`, "4 digits", "printf('%04d', code)"}, []string{"%02d"}},
		{"län code with three digits", "lan;population\n001;2400000\n", lanMapping,
			[]string{"row 2", `"001"`, "2 digits", "printf('%02d', code)"}, []string{"%04d"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			s := storeWithCodes(t)
			v0, _ := s.DataVersion(ctx)
			_, err := s.ImportIndicators(ctx, writeFile(t, "x.csv", tc.content), IndicatorImportOptions{Mapping: parseMappingT(t, tc.mapping)})
			var ie *InputError
			if !errors.As(err, &ie) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want an InputError", err)
			}
			checkLanguages(t, err, nil, nil)
			for _, w := range tc.wantIn {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("message %q lacks %q", err, w)
				}
			}
			for _, w := range tc.wantNot {
				if strings.Contains(err.Error(), w) {
					t.Errorf("message %q has %q", err, w)
				}
			}
			assertNothingWritten(t, s, v0)
		})
	}
}

func TestCodeShapeProblem(t *testing.T) {
	tests := []struct {
		level, code string
		ok          bool
	}{
		{LevelDeSO, "0114A0010", true}, {LevelDeSO, "0180C1010", true}, {LevelDeSO, "114", false}, {LevelDeSO, "0114D0010", false},
		{LevelRegSO, "0114R001", true}, {LevelRegSO, "0114R01", false},
		{LevelKommun, "0114", true}, {LevelKommun, "114", false}, {LevelKommun, "0114A", false},
		{LevelLan, "01", true}, {LevelLan, "1", false},
		{"stadsdel", "anything", true}, // custom levels have no shape
	}
	for _, tc := range tests {
		p := codeShapeProblem(tc.level, tc.code).en
		if (p == "") != tc.ok {
			t.Errorf("%s %q: %q", tc.level, tc.code, p)
		}
		if !tc.ok && (tc.level == LevelDeSO || tc.level == LevelRegSO) && strings.Contains(p, "printf") {
			t.Errorf("%s %q: a printf zero-padding hint for a %s code: %q", tc.level, tc.code, tc.level, p)
		}
	}
}

// TestMappingYAMLErrorsNameFileAndLine: a mapping the YAML decoder refuses
// (a key it does not know, broken YAML, a wrong type) is reported with
// its file and the line of the problem, so a kommun's analyst can fix it.
func TestMappingYAMLErrorsNameFileAndLine(t *testing.T) {
	tests := []struct{ name, yaml, want string }{
		{"unknown key", "year: 2022\nindicators:\n  - {id: a, name_sv: A, value: x, colour: red}\n", "line 3: field colour not found"},
		{"unknown top-level key", "year: 2022\nyears: 2023\n", "line 2: field years not found"},
		{"broken YAML", "year: 2022\nindicators: [\n", "line 2"},
		{"wrong type", "year: twenty\n", "line 1"},
		{"bad columns", "year: 2022\nindicators:\n  - id: a\n    value: {a: b}\n", "line 4: expected a column name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseMapping("m.yaml", []byte(tc.yaml))
			var ie *InputError
			if !errors.As(err, &ie) || ie.File != "m.yaml" {
				t.Fatalf("err = %v, want an InputError in m.yaml", err)
			}
			checkLanguages(t, err, nil, nil)
			if !strings.Contains(err.Error(), "m.yaml") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %q, want the file and %q", err, tc.want)
			}
		})
	}
}
