package locale

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// TestFormatNumberAsClient pins FormatNumber to what the map client's
// Intl.NumberFormat writes (the same file is checked by
// api/web/test/unit.test.mjs against api/web/src/format.js).
func TestFormatNumberAsClient(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "locale", "numbers.json"))
	if err != nil {
		t.Fatal(err)
	}
	var golden struct {
		Cases []struct {
			V        float64 `json:"v"`
			Decimals int     `json:"decimals"`
			SV, EN   string
		} `json:"cases"`
	}
	if err := json.Unmarshal(b, &golden); err != nil {
		t.Fatal(err)
	}
	if len(golden.Cases) < 10 {
		t.Fatalf("only %d cases in numbers.json", len(golden.Cases))
	}
	for _, c := range golden.Cases {
		if got := FormatNumber(c.V, c.Decimals, SV); got != c.SV {
			t.Errorf("FormatNumber(%v, %d, sv) = %q, client writes %q", c.V, c.Decimals, got, c.SV)
		}
		if got := FormatNumber(c.V, c.Decimals, EN); got != c.EN {
			t.Errorf("FormatNumber(%v, %d, en) = %q, client writes %q", c.V, c.Decimals, got, c.EN)
		}
	}
}

func TestFormatNumber(t *testing.T) {
	for _, c := range []struct {
		v    float64
		dec  int
		lang Lang
		want string
	}{
		{-12345.6, 1, SV, "\u221212\u00a0345,6"},
		{-12345.6, 1, EN, "-12,345.6"},
		{-0.04, 1, SV, "0,0"},
		{0.125, -1, SV, "0,125"},
		{1e6, -1, EN, "1,000,000"},
		{9.99, 1, EN, "10.0"},
		{math.NaN(), 1, SV, "–"},
		{math.Inf(1), 1, SV, "∞"},
		{math.Inf(-1), 1, SV, "\u2212∞"},
		{math.Inf(-1), 1, EN, "-∞"},
		{12, 1, "", "12,0"},
	} {
		if got := FormatNumber(c.v, c.dec, c.lang); got != c.want {
			t.Errorf("FormatNumber(%v, %d, %q) = %q, want %q", c.v, c.dec, c.lang, got, c.want)
		}
	}
}

func TestParse(t *testing.T) {
	for _, c := range []struct {
		query, accept string
		want          Lang
	}{
		{"", "", SV},
		{"en", "", EN},
		{"EN", "sv-SE", EN},
		{"sv", "en-GB,en;q=0.9", SV},
		{"", "en-GB,en;q=0.9", EN},
		{"", "de-DE, sv;q=0.8, en;q=0.5", SV},
		{"", "de-DE, fr", SV},
		{"fi", "en", EN},
	} {
		if got := Parse(c.query, c.accept); got != c.want {
			t.Errorf("Parse(%q, %q) = %q, want %q", c.query, c.accept, got, c.want)
		}
	}
}

func TestOf(t *testing.T) {
	for in, want := range map[string]Lang{"en": EN, "en-GB": EN, "EN": EN, "sv": SV, "": SV, "english": SV} {
		if got := Of(in); got != want {
			t.Errorf("Of(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestJoinNames(t *testing.T) {
	for _, c := range []struct {
		names  []string
		sv, en string
	}{
		{nil, "", ""},
		{[]string{"A"}, "A", "A"},
		{[]string{"A", "B"}, "A och B", "A and B"},
		{[]string{"A", "B", "C"}, "A, B och C", "A, B and C"},
	} {
		if got := JoinNames(c.names, SV); got != c.sv {
			t.Errorf("JoinNames(%q, sv) = %q, want %q", c.names, got, c.sv)
		}
		if got := JoinNames(c.names, EN); got != c.en {
			t.Errorf("JoinNames(%q, en) = %q, want %q", c.names, got, c.en)
		}
	}
}
