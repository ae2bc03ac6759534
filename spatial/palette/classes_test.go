package palette

import (
	"errors"
	"slices"
	"testing"
)

func TestForClasses(t *testing.T) {
	for _, name := range []string{"YlGnBu", "RdBu", "Blues"} {
		base9, _ := Colors(name, 9)
		_, hi := bounds(brewer[name])
		base, _ := Colors(name, hi)
		for k := 1; k <= 14; k++ {
			c, err := ForClasses(name, k)
			if err != nil {
				t.Fatalf("%s %d: %v", name, k, err)
			}
			if len(c) != k {
				t.Fatalf("%s %d: %d colours", name, k, len(c))
			}
			if len(slices.Compact(slices.Clone(c))) != k {
				t.Errorf("%s %d: repeated colours %v", name, k, c)
			}
			if k > hi {
				// The ends are the scheme's ends, and lightness runs the same way.
				if c[0] != base[0] || c[k-1] != base[hi-1] {
					t.Errorf("%s %d: ends %s..%s, want %s..%s", name, k, c[0], c[k-1], base[0], base[hi-1])
				}
				if s := brewer[name].typ; s == Sequential && !darkening(c) {
					t.Errorf("%s %d: not darkening: %v", name, k, c)
				}
			}
			if k == 9 && !slices.Equal(c, base9) {
				t.Errorf("%s 9: %v, want ColorBrewer's %v", name, c, base9)
			}
		}
	}
	// Stretching a two-colour run at its own size gives it back.
	if got := stretch([]string{"#000000", "#ffffff"}, 3); !slices.Equal(got, []string{"#000000", "#808080", "#ffffff"}) {
		t.Errorf("stretch = %v", got)
	}
	if _, err := ForClasses("Set1", 12); !errors.Is(err, ErrClasses) {
		t.Errorf("qualitative beyond its size: %v", err)
	}
	if _, err := ForClasses("nope", 3); !errors.Is(err, ErrUnknownScheme) {
		t.Errorf("unknown scheme: %v", err)
	}
	if _, err := ForClasses("Blues", 0); !errors.Is(err, ErrClasses) {
		t.Errorf("0 classes: %v", err)
	}
}
