package palette

import (
	"fmt"
	"strconv"
)

// ForClasses returns k colours of the named scheme for a classification
// whose number of classes was decided by the data (pretty breaks, a single
// distinct value) rather than asked for. Inside the scheme's sizes it is
// Colors. Below them (1 or 2 classes) it takes the smallest set's first
// colour for one class and its ends for two. Above them it interpolates
// the largest set linearly in sRGB, which keeps the order of a sequential
// or diverging scheme; qualitative schemes have no order to stretch and
// are refused.
func ForClasses(name string, k int) ([]string, error) {
	s, ok := brewer[name]
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrUnknownScheme, name)
	}
	lo, hi := bounds(s)
	switch {
	case k < 1:
		return nil, fmt.Errorf("%w: %d classes", ErrClasses, k)
	case k >= lo && k <= hi:
		return Colors(name, k)
	case k < lo:
		c := s.colors[lo]
		if k == 1 {
			return []string{c[0]}, nil
		}
		return []string{c[0], c[len(c)-1]}, nil
	case s.typ == Qualitative:
		return nil, fmt.Errorf("%w: %s has at most %d colours, asked for %d", ErrClasses, name, hi, k)
	}
	return stretch(s.colors[hi], k), nil
}

// stretch interpolates k colours evenly along the colours c.
func stretch(c []string, k int) []string {
	out := make([]string, k)
	for i := range k {
		t := float64(i) / float64(k-1) * float64(len(c)-1)
		j := min(int(t), len(c)-2)
		f := t - float64(j)
		a, b := rgb(c[j]), rgb(c[j+1])
		var m [3]uint8
		for ch := range 3 {
			m[ch] = uint8(float64(a[ch])*(1-f) + float64(b[ch])*f + 0.5)
		}
		out[i] = fmt.Sprintf("#%02x%02x%02x", m[0], m[1], m[2])
	}
	return out
}

func rgb(h string) [3]uint8 {
	var out [3]uint8
	for i := range 3 {
		v, _ := strconv.ParseUint(h[1+2*i:3+2*i], 16, 8)
		out[i] = uint8(v)
	}
	return out
}
