// Package inequality computes segregation and inequality indices over a set
// of areas: two-group and multi-group dissimilarity, isolation and exposure,
// Theil's entropy index, the population-weighted Gini of area values,
// Morrill's spatially adjusted dissimilarity and Segregationsbarometern's
// ojämlikhetsindex.
//
// All functions take counts per area as parallel slices (index i = area i).
// Inputs are validated; every failure is returned as an error wrapping one of
// the sentinel errors below, so callers can use errors.Is.
package inequality

import (
	"errors"
	"fmt"
	"math"
)

// Sentinel errors. Returned errors wrap one of these with context, e.g.
// "inequality: dissimilarity: b has 3 values, a has 4: length mismatch".
var (
	// ErrLength: parallel slices of different length.
	ErrLength = errors.New("length mismatch")
	// ErrEmpty: no areas (or no groups).
	ErrEmpty = errors.New("no areas")
	// ErrNegative: a count or value below zero.
	ErrNegative = errors.New("negative value")
	// ErrNaN: a NaN or ±Inf value.
	ErrNaN = errors.New("NaN or infinite value")
	// ErrZeroTotal: a group (or the whole population) sums to zero, so
	// shares are undefined.
	ErrZeroTotal = errors.New("group total is zero")
	// ErrExceedsTotal: a group count exceeds the area total it belongs to.
	ErrExceedsTotal = errors.New("group count exceeds area total")
	// ErrNeighbour: a neighbour index outside 0..n-1.
	ErrNeighbour = errors.New("neighbour index out of range")
)

func errorf(op, format string, sentinel error, args ...any) error {
	return fmt.Errorf("inequality: %s: "+format+": %w", append(append([]any{op}, args...), sentinel)...)
}

// checkValues rejects NaN, ±Inf and negatives and returns the sum.
func checkValues(op, name string, xs []float64) (float64, error) {
	var sum float64
	for i, v := range xs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, errorf(op, "%s[%d] = %v", ErrNaN, name, i, v)
		}
		if v < 0 {
			return 0, errorf(op, "%s[%d] = %v", ErrNegative, name, i, v)
		}
		sum += v
	}
	if math.IsInf(sum, 0) {
		return 0, errorf(op, "%s sum overflows", ErrNaN, name)
	}
	return sum, nil
}

// checkGroup validates one group of counts against n areas and returns its
// total, failing with ErrZeroTotal when it is zero.
func checkGroup(op, name string, xs []float64, n int) (float64, error) {
	if len(xs) != n {
		return 0, errorf(op, "%s has %d values, want %d", ErrLength, name, len(xs), n)
	}
	sum, err := checkValues(op, name, xs)
	if err != nil {
		return 0, err
	}
	if sum == 0 {
		return 0, errorf(op, "%s sums to zero", ErrZeroTotal, name)
	}
	return sum, nil
}

func checkNonEmpty(op string, n int) error {
	if n == 0 {
		return errorf(op, "empty input", ErrEmpty)
	}
	return nil
}

// finish rejects a NaN result (numerically undefined, e.g. shares that
// underflow to zero) and clamps to [0, 1].
func finish(op string, v float64) (float64, error) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, errorf(op, "result is numerically undefined (extreme magnitudes)", ErrNaN)
	}
	return clamp01(v), nil
}
