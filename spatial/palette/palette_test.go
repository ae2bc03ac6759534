package palette

import (
	"errors"
	"regexp"
	"strconv"
	"testing"
)

// Reference values copied from ColorBrewer's colorbrewer_schemes.js
// (axismaps/colorbrewer, rgb() strings converted to hex by hand).
func TestColorsMatchColorBrewer(t *testing.T) {
	tests := []struct {
		name string
		k    int
		want []string
	}{
		{"YlGnBu", 5, []string{"#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"}},
		{"RdYlBu", 5, []string{"#d7191c", "#fdae61", "#ffffbf", "#abd9e9", "#2c7bb6"}},
		{"Blues", 9, []string{"#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b"}},
		{"PuOr", 3, []string{"#f1a340", "#f7f7f7", "#998ec3"}},
		{"YlOrRd", 9, []string{"#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#bd0026", "#800026"}},
		{"Set1", 3, []string{"#e41a1c", "#377eb8", "#4daf4a"}},
	}
	for _, tt := range tests {
		got, err := Colors(tt.name, tt.k)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(tt.want) {
			t.Fatalf("%s %d: %v", tt.name, tt.k, got)
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("%s %d [%d]: %s, ColorBrewer %s", tt.name, tt.k, i, got[i], tt.want[i])
			}
		}
	}
	if c, _ := Colors("Paired", 12); c[11] != "#b15928" {
		t.Errorf("Paired 12 last = %s", c[11])
	}
	if c, _ := Colors("Set3", 12); c[11] != "#ffed6f" {
		t.Errorf("Set3 12 last = %s", c[11])
	}
}

func TestSchemesComplete(t *testing.T) {
	want := map[string][]string{
		Sequential:  {"Blues", "BuGn", "BuPu", "GnBu", "Greens", "Greys", "Oranges", "OrRd", "PuBu", "PuBuGn", "PuRd", "Purples", "RdPu", "Reds", "YlGn", "YlGnBu", "YlOrBr", "YlOrRd"},
		Diverging:   {"BrBG", "PiYG", "PRGn", "PuOr", "RdBu", "RdGy", "RdYlBu", "RdYlGn", "Spectral"},
		Qualitative: {"Accent", "Dark2", "Paired", "Pastel1", "Pastel2", "Set1", "Set2", "Set3"},
	}
	got := map[string]Info{}
	for _, s := range Schemes() {
		got[s.Name] = s
	}
	n := 0
	hex := regexp.MustCompile(`^#[0-9a-f]{6}$`)
	for typ, names := range want {
		for _, name := range names {
			n++
			s, ok := got[name]
			if !ok || s.Type != typ || s.MinK != 3 || s.MaxK < 8 {
				t.Errorf("%s: %+v", name, s)
				continue
			}
			for k := 3; k <= s.MaxK; k++ {
				c, err := Colors(name, k)
				if err != nil || len(c) != k {
					t.Fatalf("%s %d: %v %v", name, k, c, err)
				}
				seen := map[string]bool{}
				for _, h := range c {
					if !hex.MatchString(h) || seen[h] {
						t.Errorf("%s %d: bad or repeated colour %q", name, k, h)
					}
					seen[h] = true
				}
				if typ == Sequential && !darkening(c) {
					t.Errorf("%s %d: sequential scheme not light to dark: %v", name, k, c)
				}
			}
		}
	}
	if len(got) != n {
		t.Errorf("%d schemes, want %d", len(got), n)
	}
}

func luminance(h string) float64 {
	r, _ := strconv.ParseUint(h[1:3], 16, 8)
	g, _ := strconv.ParseUint(h[3:5], 16, 8)
	b, _ := strconv.ParseUint(h[5:7], 16, 8)
	return 0.2126*float64(r) + 0.7152*float64(g) + 0.0722*float64(b)
}

func darkening(c []string) bool {
	for i := 1; i < len(c); i++ {
		if luminance(c[i]) >= luminance(c[i-1]) {
			return false
		}
	}
	return true
}

func TestColorBlindFlags(t *testing.T) {
	for _, s := range Schemes() {
		wantSafe := s.Type == Sequential
		switch s.Name {
		case "BrBG", "PiYG", "PRGn", "PuOr", "RdBu", "RdYlBu":
			wantSafe = true
		}
		if s.ColorBlindSafe != wantSafe {
			t.Errorf("%s: ColorBlindSafe %v", s.Name, s.ColorBlindSafe)
		}
	}
	for _, tt := range []struct {
		name string
		k    int
		want bool
	}{{"Dark2", 3, true}, {"Dark2", 4, false}, {"Paired", 4, true}, {"Paired", 5, false}, {"Spectral", 5, false}, {"Blues", 9, true}, {"Blues", 10, false}, {"Nope", 5, false}} {
		if got := ColorBlindSafe(tt.name, tt.k); got != tt.want {
			t.Errorf("ColorBlindSafe(%s, %d) = %v", tt.name, tt.k, got)
		}
	}
	var def Info
	for _, s := range Schemes() {
		if s.Name == Default {
			def = s
		}
	}
	if def.Type != Sequential || !def.ColorBlindSafe || def.MaxK < 9 {
		t.Errorf("Default %q: %+v", Default, def)
	}
}

func TestColorsErrors(t *testing.T) {
	if _, err := Colors("Nope", 5); !errors.Is(err, ErrUnknownScheme) {
		t.Errorf("unknown scheme: %v", err)
	}
	for _, k := range []int{-1, 0, 2, 10} {
		if _, err := Colors("Blues", k); !errors.Is(err, ErrClasses) {
			t.Errorf("Blues %d: %v", k, err)
		}
	}
	c, _ := Colors("Blues", 5)
	c[0] = "#000000"
	if d, _ := Colors("Blues", 5); d[0] == "#000000" {
		t.Error("Colors returned shared storage")
	}
}

func TestOmradestyper(t *testing.T) {
	o := Omradestyper()
	if len(o) != 5 {
		t.Fatalf("%d colours", len(o))
	}
	ref, _ := Colors("RdYlBu", 5)
	for i := range o {
		if o[i] != ref[i] {
			t.Errorf("type %d: %s, want RdYlBu %s", i+1, o[i], ref[i])
		}
	}
	if !ColorBlindSafe("RdYlBu", 5) {
		t.Error("områdestyper scheme must be colour-blind safe")
	}
	o[0] = "#000000"
	if Omradestyper()[0] == "#000000" {
		t.Error("shared storage")
	}
}
