package service

import (
	"fmt"
	"math"
	"strconv"

	"github.com/segmap/segmap/spatial/palette"
)

// classColors returns n colours of the scheme for a classification that
// produced n classes. ColorBrewer defines each scheme for 3..9 (or 3..12)
// classes only, but methods can give fewer (pretty or equal intervals on
// few distinct values, one area) or more (standard deviations, pretty);
// that is the data's answer, not the user's error, so: fewer classes take
// evenly spread colours of the smallest set (one class: its middle), more
// classes interpolate the largest set in RGB.
func classColors(scheme string, n int) ([]string, error) {
	if c, err := palette.Colors(scheme, n); err == nil {
		return c, nil
	}
	lo, hi := 0, 0
	for _, in := range palette.Schemes() {
		if in.Name == scheme {
			lo, hi = in.MinK, in.MaxK
		}
	}
	if lo == 0 || n < 1 {
		return palette.Colors(scheme, n) // the palette's own error
	}
	if n < lo {
		base, err := palette.Colors(scheme, lo)
		if err != nil {
			return nil, err
		}
		if n == 1 {
			return []string{base[lo/2]}, nil
		}
		out := make([]string, n)
		for i := range out {
			out[i] = base[int(math.Round(float64(i)*float64(lo-1)/float64(n-1)))]
		}
		return out, nil
	}
	base, err := palette.Colors(scheme, hi)
	if err != nil {
		return nil, err
	}
	out := make([]string, n)
	for i := range out {
		t := float64(i) * float64(hi-1) / float64(n-1)
		j := min(int(t), hi-2)
		out[i] = mixHex(base[j], base[j+1], t-float64(j))
	}
	return out, nil
}

// mixHex mixes two "#rrggbb" colours, f = 0 gives a, 1 gives b.
func mixHex(a, b string, f float64) string {
	pa, pb := parseHex(a), parseHex(b)
	var c [3]int
	for k := range c {
		c[k] = int(math.Round(float64(pa[k])*(1-f) + float64(pb[k])*f))
	}
	return fmt.Sprintf("#%02x%02x%02x", c[0], c[1], c[2])
}

func parseHex(h string) [3]int {
	var c [3]int
	if len(h) != 7 {
		return c
	}
	for k := range c {
		v, _ := strconv.ParseUint(h[1+2*k:3+2*k], 16, 8)
		c[k] = int(v)
	}
	return c
}
