package download

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/xuri/excelize/v2"

	"github.com/segmap/segmap/internal/fault"
)

// hostile are names an uploaded file or an imported table may carry.
var hostile = []string{`=cmd|"/c calc"!A1`, "+1+2", "@SUM(1)", "-2+3+cmd|' /C calc'!A0", "\t=1", "\r=1", "=HYPERLINK(\"http://x\")"}

func TestNeutralise(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Alby", "Alby"},
		{"", ""},
		{`=cmd|"/c calc"!A1`, `'=cmd|"/c calc"!A1`},
		{"+1+2", "'+1+2"},
		{"@SUM(1)", "'@SUM(1)"},
		{"-2+3", "'-2+3"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"-12", "-12"},     // a plain number is read as the number
		{"-0,5", "-0,5"},   // with decimal comma
		{"-1.25", "-1.25"}, // with decimal point
		{"-1e5", "'-1e5"},  // not plain: exponent
		{"-Inf", "'-Inf"},
		{"a=b", "a=b"},
		{"'=1", "'=1"},
	}
	for _, tc := range tests {
		if got := Neutralise(tc.in); got != tc.want {
			t.Errorf("Neutralise(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// FuzzNeutralise: what comes out never starts a formula unless it is a
// plain number, and dropping the added apostrophe gives the input back.
func FuzzNeutralise(f *testing.F) {
	for _, h := range hostile {
		f.Add(h)
	}
	f.Add("-12,5")
	f.Fuzz(func(t *testing.T, s string) {
		out := Neutralise(s)
		if out != s && out != "'"+s {
			t.Fatalf("Neutralise(%q) = %q changes the text", s, out)
		}
		if out != "" && strings.ContainsRune("=+-@\t\r", rune(out[0])) {
			if strings.ContainsAny(out, "=@()|!\"' \t\r:;$&") {
				t.Fatalf("Neutralise(%q) = %q still starts a formula", s, out)
			}
		}
	})
}

func testSheet(names []string) Sheet {
	sh := Sheet{Columns: []Column{{"id", Integer}, {"namn", Text}, {"värde", Number}, {"år", Integer}}, Meta: [][2]string{{"källa", "SCB"}, {"lager", names[0]}}}
	for i, n := range names {
		sh.Rows = append(sh.Rows, []any{int64(i + 1), n, -1.5 * float64(i+1), nil})
	}
	return sh
}

// TestWriteCSVHostileNames: every hostile name is neutralised, negative
// numbers stay numbers with a decimal comma, empty cells are empty.
func TestWriteCSVHostileNames(t *testing.T) {
	for _, d := range []CSV{{}, {Comma: ','}} {
		b, err := WriteCSV(context.Background(), testSheet(hostile), d, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte("\ufeff")) {
			t.Errorf("no byte-order mark")
		}
		r := csv.NewReader(bytes.NewReader(b[3:]))
		r.Comma = ';'
		if d.Comma == ',' {
			r.Comma = ','
		}
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != len(hostile)+1 || recs[0][1] != "namn" {
			t.Fatalf("%d records, header %v", len(recs), recs[0])
		}
		for i, h := range hostile {
			rec := recs[i+1]
			// (with CRLF line ends the CSV writer drops a bare carriage return)
			if rec[1] != "'"+strings.TrimPrefix(h, "\r") {
				t.Errorf("name %q written as %q", h, rec[1])
			}
			want := strconv.FormatFloat(-1.5*float64(i+1), 'f', -1, 64)
			if d.Comma != ',' {
				want = strings.Replace(want, ".", ",", 1)
			}
			if rec[2] != want || rec[3] != "" {
				t.Errorf("row %d: value %q (want %q), year %q", i, rec[2], want, rec[3])
			}
		}
	}
}

// TestWriteXLSXHostileNames: names are string cells with the text as it
// was (never a formula), numbers are number cells.
func TestWriteXLSXHostileNames(t *testing.T) {
	b, err := WriteXLSX(context.Background(), testSheet(hostile), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for i, h := range hostile {
		cell, _ := excelize.CoordinatesToCellName(2, i+2)
		v, _ := f.GetCellValue(SheetData, cell)
		typ, _ := f.GetCellType(SheetData, cell)
		formula, _ := f.GetCellFormula(SheetData, cell)
		if v != h || formula != "" || typ == excelize.CellTypeNumber || typ == excelize.CellTypeFormula {
			t.Errorf("%s: %q (type %v, formula %q), want the text %q", cell, v, typ, formula, h)
		}
		num, _ := excelize.CoordinatesToCellName(3, i+2)
		if typ, _ := f.GetCellType(SheetData, num); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
			t.Errorf("%s: type %v, want a number", num, typ)
		}
	}
	if v, _ := f.GetCellValue(SheetMeta, "B2"); v != hostile[0] {
		t.Errorf("metadata %q", v)
	}
}

// TestDownloadLimits: a download stops at a cancelled context and at the
// size limit, with errors of the right kind, in every format.
func TestDownloadLimits(t *testing.T) {
	big := strings.Repeat("x", 64<<10)
	names := make([]string, 100)
	for i := range names {
		names[i] = big
	}
	sh := testSheet(names)
	fs := make([]*geojson.Feature, 100)
	for i := range fs {
		fs[i] = geojson.NewFeature(orb.Point{18, 59})
		fs[i].Properties = geojson.Properties{"name": big}
	}
	lim := Limits{MaxBytes: 1 << 20}
	dead, cancel := context.WithCancel(context.Background())
	cancel()
	writers := map[string]func(context.Context, Limits) ([]byte, error){
		"csv":  func(ctx context.Context, l Limits) ([]byte, error) { return WriteCSV(ctx, sh, CSV{}, l) },
		"xlsx": func(ctx context.Context, l Limits) ([]byte, error) { return WriteXLSX(ctx, sh, l) },
		"geojson": func(ctx context.Context, l Limits) ([]byte, error) {
			return WriteFeatureCollection(ctx, fs, map[string]any{"name": "n"}, l)
		},
	}
	for name, w := range writers {
		if _, err := w(context.Background(), lim); !errors.Is(err, fault.TooLarge) {
			t.Errorf("%s over the limit: %v, want TooLarge", name, err)
		}
		if _, err := w(dead, Limits{}); !errors.Is(err, context.Canceled) {
			t.Errorf("%s cancelled: %v", name, err)
		}
		if b, err := w(context.Background(), Limits{MaxBytes: 100 << 20}); err != nil || len(b) == 0 {
			t.Errorf("%s within a larger limit: %d bytes, %v", name, len(b), err)
		}
	}
}

// TestWriteFeatureCollection: the output is the GeoJSON orb writes, with
// the extra members.
func TestWriteFeatureCollection(t *testing.T) {
	f := geojson.NewFeature(orb.Point{18, 59})
	f.ID = 7
	f.Properties = geojson.Properties{"name": "=1"}
	b, err := WriteFeatureCollection(context.Background(), []*geojson.Feature{f, f}, map[string]any{"name": "lager", "method": "m"}, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	if len(fc.Features) != 2 || fc.Features[0].Properties["name"] != "=1" || fc.ExtraMembers["name"] != "lager" || fc.ExtraMembers["method"] != "m" {
		t.Errorf("%s", b)
	}
}

func BenchmarkWriteCSV(b *testing.B) {
	names := make([]string, 6000)
	for i := range names {
		names[i] = "Område " + strings.Repeat("x", i%20)
	}
	sh := testSheet(names)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := WriteCSV(context.Background(), sh, CSV{}, Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}
