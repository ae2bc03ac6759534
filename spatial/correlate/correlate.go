// Package correlate computes Pearson (optionally weighted) and Spearman
// rank correlation between two area indicators. Pairs where x, y (or the
// weight) is NaN or ±Inf are dropped, like R's cor(use = "complete.obs");
// the result reports how many pairs were used and which.
package correlate

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
)

// Errors returned (wrapped) by this package.
var (
	ErrLength   = errors.New("length mismatch")
	ErrTooFew   = errors.New("fewer than 2 complete pairs")
	ErrConstant = errors.New("zero variance")
	ErrWeight   = errors.New("negative weight")
	ErrNumeric  = errors.New("numerically undefined (values too extreme)")
)

// Method names a correlation coefficient.
type Method string

const (
	MethodPearson  Method = "pearson"
	MethodSpearman Method = "spearman"
)

// Options for Correlate.
type Options struct {
	Method Method // "" = pearson
	// Weights (optional, parallel to x and y) for a weighted Pearson
	// correlation (weighted means, covariance and variances; equal to R's
	// cov.wt(cbind(x, y), wt = w, cor = TRUE)). Pairs with weight 0 or NaN
	// are dropped. Spearman ignores weights.
	Weights []float64
}

// Result of a correlation.
type Result struct {
	Method Method
	R      float64
	N      int   // pairs used
	Used   []int // indices into x/y of the pairs used, ascending
}

// Pearson returns the Pearson correlation of x and y; w (nil = unweighted)
// weights each pair.
func Pearson(x, y, w []float64) (float64, error) {
	r, err := Correlate(x, y, Options{Method: MethodPearson, Weights: w})
	return r.R, err
}

// Spearman returns Spearman's rank correlation of x and y: the Pearson
// correlation of their ranks, ties given the average rank (as R's
// cor(method = "spearman")).
func Spearman(x, y []float64) (float64, error) {
	r, err := Correlate(x, y, Options{Method: MethodSpearman})
	return r.R, err
}

// Correlate computes the correlation selected by opts.
func Correlate(x, y []float64, opts Options) (Result, error) {
	m := opts.Method
	if m == "" {
		m = MethodPearson
	}
	res := Result{Method: m, R: math.NaN()}
	if m != MethodPearson && m != MethodSpearman {
		return res, fmt.Errorf("correlate: unknown method %q", m)
	}
	if len(x) != len(y) {
		return res, fmt.Errorf("correlate: x has %d values, y has %d: %w", len(x), len(y), ErrLength)
	}
	w := opts.Weights
	if m == MethodSpearman {
		w = nil
	}
	if w != nil && len(w) != len(x) {
		return res, fmt.Errorf("correlate: %d weights for %d pairs: %w", len(w), len(x), ErrLength)
	}
	used := make([]int, 0, len(x))
	for i := range x {
		if !finite(x[i]) || !finite(y[i]) {
			continue
		}
		if w != nil {
			if !finite(w[i]) || w[i] == 0 {
				continue
			}
			if w[i] < 0 {
				return res, fmt.Errorf("correlate: weight[%d] = %v: %w", i, w[i], ErrWeight)
			}
		}
		used = append(used, i)
	}
	res.Used, res.N = used, len(used)
	if len(used) < 2 {
		return res, fmt.Errorf("correlate: %d complete pairs: %w", len(used), ErrTooFew)
	}
	xs, ys := make([]float64, len(used)), make([]float64, len(used))
	var ws []float64
	if w != nil {
		ws = make([]float64, len(used))
	}
	for k, i := range used {
		xs[k], ys[k] = x[i], y[i]
		if ws != nil {
			ws[k] = w[i]
		}
	}
	if m == MethodSpearman {
		xs, ys = Ranks(xs), Ranks(ys)
	}
	r, err := pearson(xs, ys, ws)
	if err != nil {
		return res, err
	}
	res.R = r
	return res, nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// pearson on complete data, two-pass for accuracy.
func pearson(x, y, w []float64) (float64, error) {
	wt := func(i int) float64 {
		if w == nil {
			return 1
		}
		return w[i]
	}
	var sw, sx, sy float64
	for i := range x {
		sw += wt(i)
		sx += wt(i) * x[i]
		sy += wt(i) * y[i]
	}
	mx, my := sx/sw, sy/sw
	var sxx, syy, sxy float64
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxx += wt(i) * dx * dx
		syy += wt(i) * dy * dy
		sxy += wt(i) * dx * dy
	}
	if sxx == 0 || syy == 0 {
		return math.NaN(), fmt.Errorf("correlate: %d pairs: %w", len(x), ErrConstant)
	}
	r := sxy / (math.Sqrt(sxx) * math.Sqrt(syy))
	if math.IsNaN(r) || math.IsInf(sxx, 0) || math.IsInf(syy, 0) {
		return math.NaN(), fmt.Errorf("correlate: %d pairs: %w", len(x), ErrNumeric)
	}
	return math.Max(-1, math.Min(1, r)), nil
}

// Ranks returns the 1-based ranks of xs, ties given their average rank.
// xs must not contain NaN.
func Ranks(xs []float64) []float64 {
	idx := make([]int, len(xs))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		if c := cmp.Compare(xs[a], xs[b]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	r := make([]float64, len(xs))
	for i := 0; i < len(idx); {
		j := i + 1
		for j < len(idx) && xs[idx[j]] == xs[idx[i]] {
			j++
		}
		avg := float64(i+j+1) / 2 // ranks i+1..j
		for k := i; k < j; k++ {
			r[idx[k]] = avg
		}
		i = j
	}
	return r
}
