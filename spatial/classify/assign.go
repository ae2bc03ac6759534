package classify

import (
	"fmt"
	"math"
	"sort"
)

// Pooled computes one set of breaks over all groups (e.g. years) and
// classifies each group with it. suppressed may be nil or parallel to groups
// (each entry nil or parallel to its group); opts.Suppressed is ignored.
func Pooled(groups [][]float64, suppressed [][]bool, opts Options) ([]Result, error) {
	if suppressed != nil && len(suppressed) != len(groups) {
		return nil, fmt.Errorf("%w: %d groups, %d suppressed lists", ErrSuppressedLen, len(groups), len(suppressed))
	}
	var all []float64
	var allSup []bool
	for i, g := range groups {
		var s []bool
		if suppressed != nil {
			s = suppressed[i]
		}
		if s != nil && len(s) != len(g) {
			return nil, fmt.Errorf("%w: group %d has %d values, %d flags", ErrSuppressedLen, i, len(g), len(s))
		}
		all = append(all, g...)
		for j := range g {
			allSup = append(allSup, s != nil && s[j])
		}
	}
	o := opts
	o.Suppressed = allSup
	p, err := computeBreaks(all, o)
	if err != nil {
		return nil, err
	}
	out := make([]Result, len(groups))
	for i, g := range groups {
		var s []bool
		if suppressed != nil {
			s = suppressed[i]
		}
		r := assign(g, p.breaks, s, p.closure)
		r.Method = opts.Method
		var notes []Note
		if len(groups) > 1 {
			notes = append(notes, Note{Kind: NotePooled})
		}
		r.Notes = append(append(notes, p.notes...), r.Notes...)
		out[i] = r
	}
	return out, nil
}

// Assign classifies values with the given breaks, closed on the left
// (classInt's default, R findInterval(all.inside = TRUE)).
func Assign(values []float64, breaks []float64, suppressed []bool) Result {
	return assign(values, breaks, suppressed, ClosureLeft)
}

// AssignClosure is Assign with an explicit closure (ClosureLeft or
// ClosureRight; anything else is taken as ClosureLeft).
func AssignClosure(values []float64, breaks []float64, suppressed []bool, closure string) Result {
	if closure != ClosureRight {
		closure = ClosureLeft
	}
	return assign(values, breaks, suppressed, closure)
}

func assign(values, breaks []float64, suppressed []bool, closure string) Result {
	b := make([]float64, 0, len(breaks))
	for _, v := range breaks {
		if !math.IsNaN(v) {
			b = append(b, v)
		}
	}
	sort.Float64s(b)
	r := Result{Method: MethodManual, Breaks: b, Closure: closure, Classes: make([]int, len(values))}
	k := len(b) - 1
	if k < 1 {
		k = 0
	}
	r.Counts = make([]int, k)
	outside := 0
	for i, v := range values {
		switch {
		case i < len(suppressed) && suppressed[i]:
			r.Classes[i] = SuppressedClass
			r.Suppressed++
			continue
		case math.IsNaN(v) || math.IsInf(v, 0) || k == 0:
			r.Classes[i] = NoData
			r.NoData++
			continue
		}
		if v < b[0] || v > b[k] {
			outside++
		}
		c := classOf(v, b, closure)
		r.Classes[i] = c
		r.Counts[c]++
	}
	if k == 0 {
		r.Notes = append(r.Notes, Note{Kind: NoteNoBreaks})
	}
	if outside > 0 {
		r.Notes = append(r.Notes, Note{Kind: NoteOutside, N: outside})
	}
	return r
}

// classOf returns the class of finite v for sorted breaks b (len >= 2).
func classOf(v float64, b []float64, closure string) int {
	k := len(b) - 1
	var c int
	if closure == ClosureRight {
		// number of breaks < v, at least 1
		c = sort.Search(len(b), func(i int) bool { return b[i] >= v }) - 1
	} else {
		// findInterval: number of breaks <= v
		c = sort.Search(len(b), func(i int) bool { return b[i] > v }) - 1
	}
	if c < 0 {
		c = 0
	}
	if c > k-1 {
		c = k - 1
	}
	return c
}
