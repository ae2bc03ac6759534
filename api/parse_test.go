package api

import (
	"strings"
	"testing"
)

func TestAcceptsGzip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		header string
		want   bool
	}{
		{"", false},
		{"gzip", true},
		{"gzip, deflate, br", true},
		{"br;q=1.0, gzip;q=0.8", true},
		{"GZIP", true},
		{"deflate", false},
		{"gzip;q=0", false},
		{"gzip; q=0.0", false},
		{"*", true},
		{"identity", false},
		{"x-gzip", false},
	}
	for _, tt := range tests {
		if got := acceptsGzip(tt.header); got != tt.want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", tt.header, got, tt.want)
		}
	}
}

func TestETagMatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		header, etag string
		want         bool
	}{
		{`"abc"`, `"abc"`, true},
		{`"x", "abc"`, `"abc"`, true},
		{`W/"abc"`, `"abc"`, true},
		{`*`, `"abc"`, true},
		{`"abcd"`, `"abc"`, false},
		{`abc`, `"abc"`, false},
		{``, `"abc"`, false},
	}
	for _, tt := range tests {
		if got := etagMatch(tt.header, tt.etag); got != tt.want {
			t.Errorf("etagMatch(%q, %q) = %v, want %v", tt.header, tt.etag, got, tt.want)
		}
	}
}

func FuzzAcceptsGzip(f *testing.F) {
	for _, s := range []string{"gzip", "gzip;q=0", "br, gzip;q=0.5", "*;q=0", ";;,,q="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		got := acceptsGzip(h)
		if !strings.Contains(strings.ToLower(h), "gzip") && !strings.Contains(h, "*") && got {
			t.Errorf("acceptsGzip(%q) without gzip or *", h)
		}
	})
}

func FuzzETagMatch(f *testing.F) {
	f.Add(`"a", W/"b"`, `"b"`)
	f.Add(`*`, `"x"`)
	f.Fuzz(func(t *testing.T, header, etag string) {
		if etagMatch(header, etag) && !strings.Contains(header, "*") && !strings.Contains(header, etag) {
			t.Errorf("etagMatch(%q, %q) matched a tag not in the header", header, etag)
		}
	})
}

func TestOpenAPIPathsAreUnique(t *testing.T) {
	t.Parallel()
	doc := openAPIDoc()
	paths := doc["paths"].(obj)
	for p, v := range paths {
		if len(v.(obj)) == 0 {
			t.Errorf("%s: no operation", p)
		}
		for method, o := range v.(obj) {
			op, ok := o.(obj)
			if !ok || op["summary"] == "" {
				t.Errorf("%s: %s operation without a summary", p, method)
				continue
			}
			prms, _ := op["parameters"].([]obj)
			for _, prm := range prms {
				if prm["in"] == "path" && !strings.Contains(p, "{"+prm["name"].(string)+"}") {
					t.Errorf("%s: path parameter %s not in the path", p, prm["name"])
				}
			}
		}
	}
}
