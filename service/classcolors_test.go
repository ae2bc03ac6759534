package service

import (
	"slices"
	"testing"

	"github.com/segmap/segmap/spatial/palette"
)

// TestClassColors: inside the scheme's range the ColorBrewer set itself;
// outside it n distinct colours in order from the scheme's ends.
func TestClassColors(t *testing.T) {
	for _, in := range palette.Schemes() {
		if in.Type != palette.Sequential {
			continue
		}
		lowest, _ := palette.Colors(in.Name, in.MinK)
		highest, _ := palette.Colors(in.Name, in.MaxK)
		for n := 1; n <= in.MaxK+4; n++ {
			c, err := classColors(in.Name, n)
			if err != nil || len(c) != n {
				t.Fatalf("%s n=%d: %v, %d colours", in.Name, n, err, len(c))
			}
			if want, err := palette.Colors(in.Name, n); err == nil && !slices.Equal(c, want) {
				t.Errorf("%s n=%d: %v, want ColorBrewer's %v", in.Name, n, c, want)
			}
			if n >= 2 {
				first, last := lowest[0], lowest[len(lowest)-1]
				if n > in.MaxK {
					first, last = highest[0], highest[len(highest)-1]
				}
				if n < in.MinK || n > in.MaxK {
					if c[0] != first || c[n-1] != last {
						t.Errorf("%s n=%d: ends %s..%s, want %s..%s", in.Name, n, c[0], c[n-1], first, last)
					}
				}
				if len(slices.Compact(slices.Clone(c))) != n {
					t.Errorf("%s n=%d: repeated colours %v", in.Name, n, c)
				}
			}
		}
	}
	if _, err := classColors("NoSuchScheme", 5); err == nil {
		t.Error("unknown scheme accepted")
	}
}
