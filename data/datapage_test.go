package data

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/segmap/segmap/internal/fault"
)

func refCodes(t testing.TB) *ReferenceCodes {
	t.Helper()
	b, err := os.ReadFile(tdir + "deso2018_regso2020_link.csv")
	if err != nil {
		t.Fatal(err)
	}
	ref, err := ParseReferenceCodes("link.csv", b)
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

func readTestFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// boundaryStore is an empty store with one DeSO boundary file imported
// through the data page's path (with undo data).
func boundaryStore(t testing.TB, file string) *Store {
	t.Helper()
	s := newStore(t)
	if _, _, err := s.ImportBoundaryFile(context.Background(), bdir+file, file, BoundaryOptions{Level: LevelDeSO}); err != nil {
		t.Fatal(err)
	}
	return s
}

// dump is the store's data as text: every row of the tables imports
// write, with the exact storage class of each value (quote()).
func dump(t testing.TB, s *Store) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	tables := []string{
		`SELECT level, code, indicator, year, breakdown, quote(value), quote(numerator), quote(denominator), suppressed, estimated FROM segmap_values ORDER BY level, indicator, year, breakdown, code`,
		`SELECT id, name_sv, name_en, unit, source, quote(higher_is_better), aggregation, scale, decimals, sort FROM segmap_indicators ORDER BY id`,
		`SELECT level, code, name, quote(parent), quote(regso), quote(kommun), quote(lan) FROM segmap_areas ORDER BY level, code`,
		`SELECT id, name_sv, kind, quote(table_name), source FROM segmap_levels ORDER BY id`,
		`SELECT table_name, data_type, description, min_x, min_y, max_x, max_y FROM gpkg_contents ORDER BY table_name`,
	}
	if ok, _ := s.hasTable(ctx, "deso"); ok {
		tables = append(tables, `SELECT fid, hex(geom), code, quote(name), quote(kommun), quote(lan) FROM deso ORDER BY fid`)
	}
	for _, q := range tables {
		rows, err := s.db.QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintln(&b, vals...)
		}
		rows.Close()
	}
	return b.String()
}

func (s *Store) hasTable(ctx context.Context, name string) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type='table' AND name=?`, name).Scan(&n)
	return n > 0, err
}

func TestDetectSCBFiles(t *testing.T) {
	tests := []struct {
		file, code, yearCol, layout, firstValue string
		years                                   []int
		indicators                              int
	}{
		{"000005FB_20240813-152341.xlsx", "A", "", "columns", "2022, Sverige, totalt", []int{2022}, 4},
		{"000005FC_20240806-102837.xlsx", "B", "A", "rows", "totalt", []int{2023}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			d, err := DetectIndicators(tc.file, readTestFile(t, tdir+tc.file), DetectOptions{})
			if err != nil {
				t.Fatal(err)
			}
			m := d.Mapping
			if d.Format != "scb" || m.Level != LevelDeSO || m.CodeColumn != tc.code || m.YearColumn != tc.yearCol || d.YearLayout != tc.layout {
				t.Errorf("format %s level %s code %q year column %q layout %s", d.Format, m.Level, m.CodeColumn, m.YearColumn, d.YearLayout)
			}
			if fmt.Sprint(d.Years) != fmt.Sprint(tc.years) || len(m.Indicators) != tc.indicators || m.Indicators[0].Value[0] != tc.firstValue {
				t.Errorf("years %v, %d indicators, first reads %v", d.Years, len(m.Indicators), m.Indicators[0].Value)
			}
			if m.Indicators[0].Aggregation != AggSum || m.Indicators[0].Unit != "antal" || !strings.HasPrefix(m.Indicators[0].Source, "SCB, 00000") {
				t.Errorf("suggested %+v", m.Indicators[0])
			}
			if len(d.HeaderRows) == 0 || d.HeaderRows[0] != 1 || d.SkippedRows < 10 || len(d.SampleRows) != 10 {
				t.Errorf("header rows %v, skipped %d, %d sample rows", d.HeaderRows, d.SkippedRows, len(d.SampleRows))
			}
		})
	}
}

// fileValues reads a semicolon CSV with decimal commas independently of
// the package's reader: code (column 0) -> the number in column col.
func fileValues(t *testing.T, text string, col int) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	for i, line := range strings.Split(strings.TrimSpace(text), "\n") {
		if i == 0 {
			continue
		}
		f := strings.Split(strings.TrimRight(line, "\r"), ";")
		v, err := strconv.ParseFloat(strings.ReplaceAll(f[col], ",", "."), 64)
		if err == nil {
			out[f[0]] = v
		}
	}
	return out
}

// TestWindows1252SemicolonDecimalComma: an own CSV as Swedish Excel saves
// it is read (encoding, delimiter, decimal comma, ".."), suggested, and
// imported with the file's values.
func TestWindows1252SemicolonDecimalComma(t *testing.T) {
	const file = "dalarna_2022_cp1252_semikolon.csv"
	b := readTestFile(t, tdir+file)
	d, err := DetectIndicators(file, b, DetectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if d.Encoding != EncodingWindows1252 || d.Delimiter != "semicolon" || !d.DecimalComma || d.Suppressed != 1 || d.Format != "wide" {
		t.Fatalf("encoding %s delimiter %s decimal comma %v suppressed %d format %s", d.Encoding, d.Delimiter, d.DecimalComma, d.Suppressed, d.Format)
	}
	m := d.Mapping
	if m.Year != 2022 || m.CodeColumn != "DeSO" || len(m.Indicators) != 3 {
		t.Fatalf("mapping %+v", m)
	}
	want := []struct {
		name, unit string
		hib        *bool
	}{{"Låg ekonomisk standard, andel (%)", "%", ptr(false)}, {"Medianinkomst (tkr)", "tkr", ptr(true)}, {"Förvärvsarbetande 16–64 år, andel (%)", "%", ptr(true)}}
	for i, w := range want {
		im := m.Indicators[i]
		if im.NameSV != w.name || im.Unit != w.unit || (im.HigherIsBetter == nil) || *im.HigherIsBetter != *w.hib {
			t.Errorf("indicator %d: %q %q %v, want %q %q %v", i, im.NameSV, im.Unit, im.HigherIsBetter, w.name, w.unit, *w.hib)
		}
	}
	s := boundaryStore(t, "deso_2018_dalarna_3006.gpkg")
	ctx := context.Background()
	p, err := s.PreviewIndicators(ctx, file, b, m, refCodes(t))
	if err != nil {
		t.Fatal(err)
	}
	if p.Matched != 40 || p.Unmatched != 0 || p.Geography != GeoDeSO2018 {
		t.Errorf("preview %+v", p)
	}
	if _, _, err := s.ImportIndicatorBytes(ctx, file, b, m, nil); err != nil {
		t.Fatal(err)
	}
	text, _, _ := decodeCSVText(b)
	for col, im := range m.Indicators {
		wantVals := fileValues(t, string(text), col+2)
		got, err := s.Values(ctx, ValuesQuery{Level: LevelDeSO, Indicator: im.ID, Year: 2022})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, v := range got {
			w, ok := wantVals[v.Code]
			switch {
			case !ok && (math.IsNaN(v.Value) && v.Suppressed):
			case !ok || math.Abs(v.Value-w) > 1e-9:
				t.Errorf("%s %s: stored %v, file %v (%v)", im.ID, v.Code, v.Value, w, ok)
			default:
				n++
			}
		}
		if n != len(wantVals) {
			t.Errorf("%s: %d values match the file's %d", im.ID, n, len(wantVals))
		}
	}
}

func ptr[T any](v T) *T { return &v }

// TestPreviewExcelLostZeros: codes that Excel turned into numbers get the
// leading-zero cause with the right code, DeSO 2018 codes in a DeSO 2025
// store get another-version, and the import refuses the file (nothing written).
func TestPreviewExcelLostZeros(t *testing.T) {
	const file = "vaxjo_2022_excel_tappade_nollor.csv"
	b := readTestFile(t, tdir+file)
	s := boundaryStore(t, "deso_2025_vaxjo_4326.geojson")
	ctx := context.Background()
	d, err := DetectIndicators(file, b, DetectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if d.Level != LevelDeSO || d.Mapping.CodeColumn != "deso" {
		t.Fatalf("level %s code column %s", d.Level, d.Mapping.CodeColumn)
	}
	p, err := s.PreviewIndicators(ctx, file, b, d.Mapping, refCodes(t))
	if err != nil {
		t.Fatal(err)
	}
	if p.Causes[CauseLeadingZero] != 10 || p.StoreGeography != GeoDeSO2025 {
		t.Fatalf("causes %v, store geography %s", p.Causes, p.StoreGeography)
	}
	found := false
	for _, u := range p.UnmatchedExamples {
		if u.Code == "780A0010" {
			found = true
			if u.Cause != CauseLeadingZero || u.Suggestion != "0780A0010" || !strings.Contains(u.Message, "inledande nolla") || !strings.HasPrefix(u.Place, "rad ") {
				t.Errorf("example %+v", u)
			}
		}
		if u.Cause == CauseOtherVersion && (u.Code[len(u.Code)-1] != '0' || !strings.Contains(u.Message, "DeSO 2018")) {
			t.Errorf("other version %+v", u)
		}
	}
	if !found || p.Causes[CauseOtherVersion] == 0 {
		t.Errorf("no 780A0010 example or no other-version codes: %+v", p)
	}
	before := dump(t, s)
	_, _, err = s.ImportIndicatorBytes(ctx, file, b, d.Mapping, nil)
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(ie.Message("sv"), "inledande nolla") || !strings.Contains(ie.Message("en"), `should be "0780A0010"`) {
		t.Fatalf("import: %v", err)
	}
	if dump(t, s) != before {
		t.Error("a refused import changed the store")
	}
}

// TestVaxjoDeSO2025Boundaries: the preview of a DeSO 2025 file says so and
// names the split codes as another version of SCB's 2018 list.
func TestVaxjoDeSO2025Boundaries(t *testing.T) {
	s := newStore(t)
	p, err := s.PreviewBoundaries(context.Background(), bdir+"deso_2025_vaxjo_4326.geojson", BoundaryPreviewOptions{Name: "vaxjo.geojson", Ref: refCodes(t)})
	if err != nil {
		t.Fatal(err)
	}
	if p.Level != LevelDeSO || p.CodeField != "desokod" || p.Geography != GeoDeSO2025 || p.Features != 53 || p.SourceSRID != 4326 {
		t.Fatalf("preview: level %s field %s geography %s features %d srid %d", p.Level, p.CodeField, p.Geography, p.Features, p.SourceSRID)
	}
	if p.Join.Matched+p.Join.Unmatched != 53 || p.Join.Causes[CauseOtherVersion] == 0 || p.Join.Causes[CauseOtherVersion] != p.Join.Unmatched {
		t.Errorf("join %+v", p.Join)
	}
	if p.Outline == nil || len(p.Outline.Features) != 53 || p.BBox[0] < 14 || p.BBox[2] > 16 {
		t.Errorf("outline / bbox %v", p.BBox)
	}
}

// TestBrokenFilesLeaveStoreUnchanged: a bad row mid-file and a broken
// GeoPackage are errors naming the place, and the store's data and data
// version are exactly as before.
func TestBrokenFilesLeaveStoreUnchanged(t *testing.T) {
	ctx := context.Background()
	s := boundaryStore(t, "deso_2018_dalarna_3006.gpkg")
	const good = "dalarna_2022_cp1252_semikolon.csv"
	gb := readTestFile(t, tdir+good)
	d, err := DetectIndicators(good, gb, DetectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.ImportIndicatorBytes(ctx, good, gb, d.Mapping, nil); err != nil {
		t.Fatal(err)
	}
	before, v0 := dump(t, s), mustVersion(t, s)
	lines := strings.Split(string(gb), "\r\n")
	f := strings.Split(lines[20], ";")
	f[3] = "3x1,5"
	lines[20] = strings.Join(f, ";")
	bad := []byte(strings.Join(lines, "\r\n"))
	_, _, err = s.ImportIndicatorBytes(ctx, "trasig.csv", bad, d.Mapping, nil)
	var ie *InputError
	if !errors.As(err, &ie) {
		t.Fatalf("bad row: %v", err)
	}
	if sv := ie.Message("sv"); !strings.Contains(sv, "trasig.csv: rad 21: fält \"Medianinkomst (tkr)\"") || !strings.Contains(sv, "är inte ett tal") {
		t.Errorf("Swedish message %q", sv)
	}
	if en := ie.Message("en"); !strings.Contains(en, "row 21") || !strings.Contains(en, "is not a number") {
		t.Errorf("English message %q", en)
	}
	gp := readTestFile(t, bdir+"deso_2018_dalarna_3006.gpkg")
	broken := filepath.Join(t.TempDir(), "trasig.gpkg")
	if err := os.WriteFile(broken, gp[:len(gp)/3], 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err = s.ImportBoundaryFile(ctx, broken, "trasig.gpkg", BoundaryOptions{Level: LevelDeSO})
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "trasig.gpkg") {
		t.Fatalf("broken gpkg: %v", err)
	}
	if dump(t, s) != before || mustVersion(t, s) != v0 {
		t.Error("a failed import changed the store")
	}
	// The undo of the good import still works after the failed ones.
	if _, err := s.UndoLastImport(ctx); err != nil {
		t.Fatal(err)
	}
}

func messageSV(err error) string {
	m, _ := fault.MessageOf(err, "sv")
	return m
}

// TestMappingYAMLRoundTrip: the mapping the page suggests, written as YAML
// and imported by the command line's path (LoadMapping + ImportIndicators),
// gives exactly the values the page's import gives.
func TestMappingYAMLRoundTrip(t *testing.T) {
	ctx := context.Background()
	for _, file := range []string{"000005FC_20240806-102837.xlsx", "000005FB_20240813-152341.xlsx", "dalarna_2022_cp1252_semikolon.csv"} {
		t.Run(file, func(t *testing.T) {
			b := readTestFile(t, tdir+file)
			d, err := DetectIndicators(file, b, DetectOptions{})
			if err != nil {
				t.Fatal(err)
			}
			d.Mapping.Indicators[0].NameSV = "Ändrat namn"
			y, err := MappingYAML(d.Mapping)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, file), b, 0o600)
			os.WriteFile(filepath.Join(dir, "m.yaml"), y, 0o600)
			cli, page := newStore(t), newStore(t)
			m, err := LoadMapping(filepath.Join(dir, "m.yaml"))
			if err != nil {
				t.Fatalf("the YAML does not load: %v\n%s", err, y)
			}
			if _, err := cli.ImportIndicators(ctx, filepath.Join(dir, file), IndicatorImportOptions{Mapping: m}); err != nil {
				t.Fatal(err)
			}
			if _, _, err := page.ImportIndicatorBytes(ctx, file, b, d.Mapping, nil); err != nil {
				t.Fatal(err)
			}
			a, p := dump(t, cli), dump(t, page)
			if a != p || !strings.Contains(a, "Ändrat namn") || strings.Count(a, "\n") < 40 {
				t.Errorf("the command line's import differs from the page's (%d and %d lines)", strings.Count(a, "\n"), strings.Count(p, "\n"))
			}
		})
	}
}

// TestJSONMappingIsTheYAML: a mapping sent as JSON is checked as the YAML
// is; a bad one names the field in both languages.
func TestJSONMappingIsTheYAML(t *testing.T) {
	m, err := ParseMappingJSON("f.csv", []byte(`{"level":"deso","year":2022,"indicators":[{"id":"a","name_sv":"A","aggregation":"sum","value":"x"}]}`))
	if err != nil || m.Indicators[0].Value[0] != "x" || m.Indicators[0].Multiply != 1 {
		t.Fatalf("%+v %v", m, err)
	}
	_, err = ParseMappingJSON("f.csv", []byte(`{"level":"deso","year":2022,"indicators":[{"id":"A b","name_sv":"A","value":"x"}]}`))
	var ie *InputError
	if !errors.As(err, &ie) || ie.Field != "id" || !strings.Contains(ie.Message("sv"), "indikator 1") {
		t.Fatalf("%v", err)
	}
	if _, err := ParseMappingJSON("f.csv", []byte(`{"levels":"deso"}`)); !errors.As(err, &ie) {
		t.Fatalf("unknown key: %v", err)
	}
}

// TestInputErrorLanguages: the message for people is Swedish by default
// (place and field words too) and English for "en"; Error stays English.
func TestInputErrorLanguages(t *testing.T) {
	e := &InputError{File: "f.xlsx", Place: "sheet Tabell1 row 7", Field: "värde", Problem: `"x" is not a number`, ProblemSV: `"x" är inte ett tal`}
	if got, want := e.Message("sv"), `f.xlsx: blad Tabell1 rad 7: fält "värde": "x" är inte ett tal`; got != want {
		t.Errorf("sv: %q, want %q", got, want)
	}
	if got, want := e.Message("en"), `f.xlsx: sheet Tabell1 row 7: field "värde": "x" is not a number`; got != want {
		t.Errorf("en: %q, want %q", got, want)
	}
	if got := e.Error(); got != "data: "+e.Message("en") {
		t.Errorf("Error: %q", got)
	}
	for place, want := range map[string]string{"feature 12 (code 0114A0010)": "objekt 12 (kod 0114A0010)", "indicator 2 (folk_row)": "indikator 2 (folk_row)", "entry a.shp": "zip-post a.shp", "": ""} {
		if got := PlaceSV(place); got != want {
			t.Errorf("PlaceSV(%q) = %q, want %q", place, got, want)
		}
	}
	note := &InputError{File: "note", FileSV: "anteckningen", Field: "text", Problem: "is empty", ProblemSV: "är tom"}
	if sv, en := note.Message("sv"), note.Message("en"); sv != `anteckningen: fält "text": är tom` || en != `note: field "text": is empty` {
		t.Errorf("FileSV: sv %q, en %q", sv, en)
	}
	// More: TestFileMessagesSwedish and checkLanguages (messages_test.go).
	untranslated := &InputError{File: "g.gpkg", Place: "feature 3", Problem: "sqlite: malformed"}
	if got := untranslated.Message("sv"); got != "g.gpkg: objekt 3: sqlite: malformed" {
		t.Errorf("fallback: %q", got)
	}
}

// TestSCBXlsxLostZeros: SCB's 000005FB xlsx after Excel dropped the
// leading zeros of column A (every code of kommuner 01xx–09xx): the
// mangled rows are data rows with the leading-zero cause, not header rows.
func TestSCBXlsxLostZeros(t *testing.T) {
	f, err := excelize.OpenFile(tdir + "000005FB_20240813-152341.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	sh := f.GetSheetList()[0]
	rows, err := f.GetRows(sh)
	if err != nil {
		t.Fatal(err)
	}
	stripped := 0
	for i, r := range rows {
		if len(r) > 0 && len(r[0]) == 9 && strings.HasPrefix(r[0], "0") {
			c, _ := excelize.CoordinatesToCellName(1, i+1)
			f.SetCellValue(sh, c, strings.TrimLeft(r[0], "0"))
			stripped++
		}
	}
	out := filepath.Join(t.TempDir(), "m.xlsx")
	if err := f.SaveAs(out); err != nil {
		t.Fatal(err)
	}
	f.Close()
	b := readTestFile(t, out)
	d, err := DetectIndicators("m.xlsx", b, DetectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if d.Mapping.CodeColumn != "A" || d.Mapping.Indicators[0].Value[0] != "2022, Sverige, totalt" {
		t.Fatalf("code column %q, first column %v", d.Mapping.CodeColumn, d.Mapping.Indicators[0].Value)
	}
	s := boundaryStore(t, "deso_2018_dalarna_3006.gpkg")
	p, err := s.PreviewIndicators(context.Background(), "m.xlsx", b, d.Mapping, refCodes(t))
	if err != nil {
		t.Fatal(err)
	}
	if stripped < 2000 || p.Rows != 5984 || p.Causes[CauseLeadingZero] != stripped || p.Matched != 175 {
		t.Fatalf("stripped %d: rows %d, causes %v, matched %d", stripped, p.Rows, p.Causes, p.Matched)
	}
	found := false
	for _, u := range p.UnmatchedExamples {
		if u.Code == "114A0010" {
			found = true
			if u.Cause != CauseLeadingZero || u.Suggestion != "0114A0010" || u.Place != "blad 000005FB rad 6" {
				t.Errorf("example %+v", u)
			}
		}
	}
	if !found {
		t.Error("no example 114A0010")
	}
}
