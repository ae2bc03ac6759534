package classify

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// Method names a classification method.
type Method string

// The methods; see the package documentation for their definitions.
const (
	MethodQuantile  Method = "quantile"
	MethodEqual     Method = "equal"
	MethodFisher    Method = "fisher"
	MethodJenks     Method = "jenks"
	MethodSD        Method = "sd"
	MethodPretty    Method = "pretty"
	MethodHeadTails Method = "headtails"
	MethodManual    Method = "manual"
)

// Methods lists every supported method.
func Methods() []Method {
	return []Method{MethodQuantile, MethodEqual, MethodFisher, MethodJenks, MethodSD, MethodPretty, MethodHeadTails, MethodManual}
}

// Class numbers for values that are not classified.
const (
	NoData          = -1 // NaN or ±Inf
	SuppressedClass = -2 // flagged in Options.Suppressed
)

// Interval closures (Result.Closure).
const (
	ClosureLeft  = "left"  // [a,b) … last [a,b]; classInt default
	ClosureRight = "right" // [a,b] first, then (a,b]; classInt jenks
)

// DefaultHeadTailsThreshold is classInt's default head proportion.
const DefaultHeadTailsThreshold = 0.4

// Errors. They are wrapped with details; test with errors.Is.
var (
	ErrEmpty         = errors.New("classify: no finite values to classify")
	ErrK             = errors.New("classify: k must be >= 2")
	ErrMethod        = errors.New("classify: unknown method")
	ErrManual        = errors.New("classify: manual breaks need at least 2 finite values")
	ErrSDStep        = errors.New("classify: sd step must be a finite number > 0")
	ErrThreshold     = errors.New("classify: head/tail threshold must be in (0, 1]")
	ErrSuppressedLen = errors.New("classify: suppressed flags must be parallel to values")
)

// OptionError is an Options value classify cannot use. Err is the
// sentinel (ErrMethod, ErrK, ErrManual, ErrSDStep or ErrThreshold), and
// Method and Got say what was given, so a caller can word the message.
type OptionError struct {
	Err    error
	Method Method  // the method asked for
	Got    float64 // the k, number of finite manual breaks, sd step or threshold given
}

func (e *OptionError) Error() string {
	if errors.Is(e.Err, ErrMethod) {
		return fmt.Sprintf("%v %q (want one of quantile, equal, fisher, jenks, sd, pretty, headtails, manual)", e.Err, string(e.Method))
	}
	return fmt.Sprintf("%v, got %v", e.Err, e.Got)
}

func (e *OptionError) Unwrap() error { return e.Err }

// Options selects a method and its parameters.
type Options struct {
	Method Method
	K      int       // number of classes (quantile, equal, fisher, jenks, sd, pretty)
	Manual []float64 // breaks for MethodManual
	// SDStep: 0 = classInt "sd" style (pretty z-scores, uses K);
	// 1 or 0.5 = breaks every SDStep standard deviations from the mean.
	SDStep float64
	// Suppressed flags values (parallel to values, optional) that must not be
	// shown (disclosure control); they get SuppressedClass.
	Suppressed []bool
	// HeadTailsThreshold: head proportion limit, 0 = 0.4.
	HeadTailsThreshold float64
}

// Result is a classification of values.
type Result struct {
	Method     Method    `json:"method"`
	Breaks     []float64 `json:"breaks"`  // len = classes+1, non-decreasing
	Closure    string    `json:"closure"` // ClosureLeft or ClosureRight
	Classes    []int     `json:"classes"` // per value: 0..k-1, NoData, SuppressedClass
	Counts     []int     `json:"counts"`  // per class
	NoData     int       `json:"nodata"`
	Suppressed int       `json:"suppressed"`
	Notes      []Note    `json:"notes,omitempty"`
}

// K is the number of classes.
func (r Result) K() int {
	if len(r.Breaks) < 2 {
		return 0
	}
	return len(r.Breaks) - 1
}

// plan is the outcome of computing breaks.
type plan struct {
	breaks  []float64
	closure string
	notes   []Note
}

// Classify computes breaks from the finite, unsuppressed values and assigns
// every value to a class.
func Classify(values []float64, opts Options) (Result, error) {
	p, err := computeBreaks(values, opts)
	if err != nil {
		return Result{}, err
	}
	r := assign(values, p.breaks, opts.Suppressed, p.closure)
	r.Method = opts.Method
	r.Notes = append(append([]Note(nil), p.notes...), r.Notes...)
	return r, nil
}

// Breaks computes the class breaks only (pooled breaks: pass the values of
// all years). The closure to assign with is ClosureFor(opts.Method), except
// in the degenerate "unique" case, which Classify and Pooled handle; prefer
// Pooled for jenks.
func Breaks(values []float64, opts Options) ([]float64, error) {
	p, err := computeBreaks(values, opts)
	if err != nil {
		return nil, err
	}
	return p.breaks, nil
}

// ClosureFor returns the interval closure a method uses (ClosureRight for
// jenks, ClosureLeft otherwise).
func ClosureFor(m Method) string {
	if m == MethodJenks {
		return ClosureRight
	}
	return ClosureLeft
}

// finiteSorted returns the sorted finite, unsuppressed values.
func finiteSorted(values []float64, suppressed []bool) []float64 {
	x := finiteValues(values, suppressed)
	slices.Sort(x)
	return x
}

// fewDistinct reports whether x (non-empty) has at most limit distinct
// values; it stops at the (limit+1)th. Large limits report false (the
// caller then sorts).
func fewDistinct(x []float64, limit int) bool {
	if limit > 64 {
		return false
	}
	seen := make([]float64, 0, limit+1)
	for _, v := range x {
		if !slices.Contains(seen, v) {
			seen = append(seen, v)
			if len(seen) > limit {
				return false
			}
		}
	}
	return true
}

func minMax(x []float64) (float64, float64) {
	lo, hi := x[0], x[0]
	for _, v := range x[1:] {
		lo = min(lo, v)
		hi = max(hi, v)
	}
	return lo, hi
}

// finiteValues returns the finite, unsuppressed values.
func finiteValues(values []float64, suppressed []bool) []float64 {
	x := make([]float64, 0, len(values))
	for i, v := range values {
		if i < len(suppressed) && suppressed[i] {
			continue
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		x = append(x, v)
	}
	return x
}

// distinct returns the distinct values of sorted x and their counts.
func distinct(x []float64) (u []float64, w []float64) {
	for i, v := range x {
		if i == 0 || v != x[i-1] {
			u = append(u, v)
			w = append(w, 1)
		} else {
			w[len(w)-1]++
		}
	}
	return u, w
}

func needsK(o Options) bool {
	switch o.Method {
	case MethodHeadTails, MethodManual:
		return false
	case MethodSD:
		return o.SDStep == 0
	}
	return true
}

func computeBreaks(values []float64, o Options) (plan, error) {
	if o.Suppressed != nil && len(o.Suppressed) != len(values) {
		return plan{}, fmt.Errorf("%w: %d values, %d flags", ErrSuppressedLen, len(values), len(o.Suppressed))
	}
	switch o.Method {
	case MethodQuantile, MethodEqual, MethodFisher, MethodJenks, MethodSD, MethodPretty, MethodHeadTails, MethodManual:
	default:
		return plan{}, &OptionError{Err: ErrMethod, Method: o.Method}
	}
	if o.Method == MethodSD && (math.IsNaN(o.SDStep) || math.IsInf(o.SDStep, 0) || o.SDStep < 0) {
		return plan{}, &OptionError{Err: ErrSDStep, Method: o.Method, Got: o.SDStep}
	}
	thr := o.HeadTailsThreshold
	if thr == 0 {
		thr = DefaultHeadTailsThreshold
	}
	if o.Method == MethodHeadTails && !(thr > 0 && thr <= 1) {
		return plan{}, &OptionError{Err: ErrThreshold, Method: o.Method, Got: o.HeadTailsThreshold}
	}
	if needsK(o) && o.K < 2 {
		return plan{}, &OptionError{Err: ErrK, Method: o.Method, Got: float64(o.K)}
	}
	if o.Method == MethodManual {
		b := finiteSorted(o.Manual, nil)
		if len(b) < 2 {
			return plan{}, &OptionError{Err: ErrManual, Method: o.Method, Got: float64(len(b))}
		}
		return plan{breaks: b, closure: ClosureLeft}, nil
	}
	x := finiteValues(values, o.Suppressed)
	if len(x) == 0 {
		return plan{}, fmt.Errorf("%w (%d values, all missing or suppressed)", ErrEmpty, len(values))
	}
	// Sorting is only needed by some methods and when there are at most K
	// distinct values (one class per value).
	sorted := false
	sortX := func() {
		if !sorted {
			slices.Sort(x)
			sorted = true
		}
	}
	switch o.Method {
	case MethodQuantile, MethodFisher, MethodJenks, MethodHeadTails:
		sortX()
	}
	var u, w []float64
	if sorted || fewDistinct(x, max(o.K, 1)) {
		sortX()
		u, w = distinct(x)
	}
	if sorted {
		if len(u) == 1 {
			return plan{breaks: []float64{u[0], u[0]}, closure: ClosureLeft,
				notes: []Note{{Kind: NoteSingleValue}}}, nil
		}
		if needsK(o) && o.K >= len(u) {
			return plan{breaks: uniqueBreaks(u), closure: ClosureLeft,
				notes: []Note{{Kind: NoteDistinct, K: o.K, N: len(u)}}}, nil
		}
	}
	lo, hi := minMax(x)
	p := plan{closure: ClosureLeft}
	switch o.Method {
	case MethodQuantile:
		p.breaks = quantileBreaks(x, o.K)
	case MethodEqual:
		p.breaks = equalBreaks(lo, hi, o.K)
	case MethodFisher:
		p.breaks = fisherBreaks(u, w, o.K)
	case MethodJenks:
		p.breaks = jenksBreaks(u, w, o.K)
		p.closure = ClosureRight
	case MethodSD:
		if o.SDStep > 0 {
			p.breaks = sdStepBreaks(x, lo, hi, o.SDStep)
		} else {
			p.breaks = sdPrettyBreaks(x, lo, hi, o.K)
		}
	case MethodPretty:
		p.breaks = PrettyBreaks(lo, hi, o.K)
	case MethodHeadTails:
		p.breaks = headTailsBreaks(x, thr)
	}
	if !usable(p.breaks) {
		p.breaks = []float64{lo, hi}
		p.notes = append(p.notes, Note{Kind: NoteFailed, Method: o.Method})
	}
	// Breaks computed by formulas (pretty zaps values near 0, sums overflow
	// near ±MaxFloat64) must still cover the data.
	if len(p.breaks) >= 2 {
		if !(p.breaks[0] <= lo) {
			p.breaks[0] = lo
			p.notes = append(p.notes, Note{Kind: NoteLowestMoved})
		}
		if last := len(p.breaks) - 1; !(p.breaks[last] >= hi) {
			p.breaks[last] = hi
			p.notes = append(p.notes, Note{Kind: NoteHighestMoved})
		}
	}
	if k := len(p.breaks) - 1; needsK(o) && k != o.K {
		p.notes = append(p.notes, Note{Kind: NoteOtherK, Method: o.Method, K: o.K, N: k})
	}
	return p, nil
}

// usable: at least 2 breaks, none NaN, non-decreasing.
func usable(b []float64) bool {
	if len(b) < 2 {
		return false
	}
	for i, v := range b {
		if math.IsNaN(v) || (i > 0 && v < b[i-1]) {
			return false
		}
	}
	return true
}

// uniqueBreaks is classInt's "unique" style for sorted distinct u (len >= 2).
func uniqueBreaks(u []float64) []float64 {
	n := len(u)
	md := (u[n-1] - u[0]) / float64(n-1) // mean of the gaps
	b := make([]float64, 0, n+1)
	b = append(b, u[0]-md/2)
	for i := 0; i < n-1; i++ {
		b = append(b, u[i]+(u[i+1]-u[i])/2)
	}
	return append(b, u[n-1]+md/2)
}
