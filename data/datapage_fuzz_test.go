package data

import (
	"context"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzDetectIndicators: any bytes give a detection whose mapping parses,
// or an *InputError; never a panic.
func FuzzDetectIndicators(f *testing.F) {
	f.Add([]byte("deso;v\n0114A0010;1,5\n0114A0020;..\n"), "a.csv")
	f.Add([]byte("Titel\n\n\"\",\"2022\"\n\"0180C1010 Stockholm\",\"12\"\n"), "scb.csv")
	f.Add([]byte("kommun,år,värde\n0114,2021,3\n114,2022,4\n"), "k.csv")
	f.Add([]byte{0x44, 0x65, 0x53, 0x4f, 0x3b, 0xe5, 0x0a, 0x30, 0x31, 0x31, 0x34, 0x41, 0x30, 0x30, 0x31, 0x30, 0x3b, 0x31}, "cp.csv")
	f.Fuzz(func(t *testing.T, b []byte, name string) {
		if len(b) > 1<<16 {
			return
		}
		name = "f" + strings.ReplaceAll(name, "/", "") + ".csv"
		d, err := DetectIndicators(name, b, DetectOptions{DefaultYear: 2024})
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("not an InputError: %v", err)
			}
			requireSwedishProblem(t, ie)
			return
		}
		y, err := MappingYAML(d.Mapping)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ParseMapping(name, y); err != nil {
			t.Fatalf("the suggested mapping does not parse: %v\n%s", err, y)
		}
	})
}

// FuzzDecodeCSVText: a decoded text is valid UTF-8, and UTF-8 input comes back unchanged.
func FuzzDecodeCSVText(f *testing.F) {
	f.Add([]byte("a;b\n"))
	f.Add([]byte{0xe5, 0xe4, 0xf6, 0x80, 0x96})
	f.Add([]byte{0x81})
	f.Fuzz(func(t *testing.T, b []byte) {
		out, enc, ok := decodeCSVText(b)
		if !ok {
			return
		}
		if !utf8.Valid(out) {
			t.Fatalf("%s output is not UTF-8", enc)
		}
		if enc == EncodingUTF8 && !strings.HasSuffix(string(b), string(out)) {
			t.Fatal("UTF-8 input changed")
		}
	})
}

// BenchmarkDataPageNational is upload to import of the national 5,984-row
// DeSO table: read and suggest the mapping, preview the join, import.
func BenchmarkDataPageNational(b *testing.B) { benchDataPage(b, "deso_indicators_2022.csv") }

// BenchmarkDataPageSCBTable is upload to import of one SCB table as
// downloaded (000005FB, 5,984 DeSO × 4 columns) into a store with the
// national hierarchy.
func BenchmarkDataPageSCBTable(b *testing.B) { benchDataPage(b, "000005FB_20240813-152341.xlsx") }

// benchDataPage times the data page's steps for one file (detect, preview,
// import) into a store with the national hierarchy.
func benchDataPage(b *testing.B, file string) {
	ctx := context.Background()
	s := newStore(b)
	if _, err := s.ImportHierarchy(ctx, tdir+"deso2018_regso2020_link.csv"); err != nil {
		b.Fatal(err)
	}
	ref := refCodes(b)
	body := readTestFile(b, tdir+file)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		d, err := DetectIndicators(file, body, DetectOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.PreviewIndicators(ctx, file, body, d.Mapping, ref); err != nil {
			b.Fatal(err)
		}
		if _, _, err := s.ImportIndicatorBytes(ctx, file, body, d.Mapping, nil); err != nil {
			b.Fatal(err)
		}
	}
}
