package data

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseCRSName(t *testing.T) {
	tests := []struct {
		name string
		want int
		ok   bool
	}{
		{"EPSG:3006", 3006, true},
		{"urn:ogc:def:crs:EPSG::3006", 3006, true},
		{"urn:ogc:def:crs:EPSG:6.3:3006", 3006, true},
		{"http://www.opengis.net/def/crs/EPSG/0/3006", 3006, true},
		{"urn:ogc:def:crs:OGC:1.3:CRS84", 4326, true},
		{"EPSG:4326", 4326, true},
		{"SWEREF99 TM", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseCRSName(tt.name)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseCRSName(%q) = %d, %v; want %d, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

// FuzzReadGeoJSON: any input either prepares cleanly or fails with an
// *InputError; it never panics.
func FuzzReadGeoJSON(f *testing.F) {
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"deso":"0780C1210"},"geometry":{"type":"Polygon","coordinates":[[[14,56],[15,56],[15,57],[14,56]]]}}]}`))
	f.Add([]byte(`{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:3006"}},"features":[{"type":"Feature","properties":{"deso":1},"geometry":{"type":"MultiPolygon","coordinates":[[[[674000,6580000],[675000,6580000],[674000,6581000]]]]}}]}`))
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"l_id":3},"geometry":{"type":"Polygon","coordinates":[[]]}}]}`))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(dir, "f.geojson")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, level := range []string{LevelDeSO, LevelLan, "custom"} {
			rep, areas, err := prepareBoundaries(context.Background(), p, BoundaryOptions{Level: level})
			var ie *InputError
			if err != nil {
				if !errors.As(err, &ie) {
					t.Fatalf("error %v is not an *InputError", err)
				}
				continue
			}
			if rep.Features != len(areas) || len(areas) == 0 {
				t.Fatalf("report %d features, %d areas", rep.Features, len(areas))
			}
		}
	})
}

func TestGeoJSONStartProblem(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want string // substring; "" = no problem
	}{
		{"object", []byte(`{"type":"FeatureCollection"}`), ""},
		{"bom and white space", []byte("\xef\xbb\xbf \r\n\t{}"), ""},
		{"array", []byte(" \n[{}]"), "a JSON array, not a FeatureCollection"},
		{"csv", []byte("deso,value\n"), `does not start with '{' (it starts with "deso,value\n")`},
		{"utf-16le bom", []byte{0xFF, 0xFE, '{', 0}, "UTF-16 text"},
		{"utf-16be bom", []byte{0xFE, 0xFF, 0, '{'}, "UTF-16 text"},
		{"utf-16le no bom", []byte{'{', 0, '}', 0}, "UTF-16 text"},
		{"empty", nil, "empty"},
		{"white space", []byte(" \n"), "empty"},
	}
	for _, tc := range tests {
		got := geoJSONStartProblem(tc.in)
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

func FuzzGeoJSONStartProblem(f *testing.F) {
	for _, s := range []string{`{}`, "\xef\xbb\xbf{", "[1]", "\xff\xfe{\x00", "x", ""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p := geoJSONStartProblem(b)
		trim := bytes.TrimLeft(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")), " \t\r\n")
		if ok := !isUTF16(b) && len(trim) > 0 && trim[0] == '{'; ok != (p == "") {
			t.Errorf("%q: problem %q", b, p)
		}
		if p != "" && !utf8.ValidString(p) {
			t.Errorf("message not UTF-8: %q", p)
		}
	})
}
