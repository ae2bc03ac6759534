// Package autocorr computes spatial autocorrelation statistics that match R
// spdep (1.2.x) with zero.policy=TRUE: global Moran's I (moran.test,
// moran.mc), local Moran's I (localmoran) and Getis–Ord Gi* (localG on
// include.self weights).
//
// Islands (observations without neighbours) stay in the data: they count in
// the mean and variance of x (n = all observations for the local
// statistics), have a spatial lag of 0, and for global Moran's I the n in
// n/S0 and in the moments is the number of observations WITH neighbours
// (spdep adjust.n=TRUE). A local Moran's I of an island is Ii = 0, E = 0,
// Var = 0, so Z and P are NaN (spdep returns NaN too) and its cluster is "".
//
// Missing values are not allowed (spdep na.fail): drop them first with
// weights.W.Subset and pass the matching x.
package autocorr

import (
	"errors"
	"fmt"
	"math"

	"github.com/segmap/segmap/spatial/weights"
)

// Errors; every returned error wraps one of these.
var (
	ErrLength   = errors.New("autocorr: length mismatch")
	ErrTooFew   = errors.New("autocorr: too few observations")
	ErrNaN      = errors.New("autocorr: non-finite value")
	ErrConstant = errors.New("autocorr: x is constant")
	ErrWeights  = errors.New("autocorr: invalid weights")
	ErrOptions  = errors.New("autocorr: invalid options")
)

// Options configures the tests.
type Options struct {
	// Permutations for pseudo p-values (0 = none). 999 is usual.
	Permutations int
	// Seed of the PCG generator (math/rand/v2): same seed, same result.
	Seed uint64
	// FDR applies Benjamini–Hochberg to the local p-values before they are
	// compared with Alpha to label clusters.
	FDR bool
	// Alpha is the significance level for cluster labels (0 = 0.05).
	Alpha float64
}

func (o Options) alpha() float64 {
	if o.Alpha == 0 {
		return 0.05
	}
	return o.Alpha
}

func (o Options) check() error {
	if o.Permutations < 0 || o.Permutations > 1_000_000 {
		return fmt.Errorf("%w: permutations must be in 0..1000000, got %d", ErrOptions, o.Permutations)
	}
	if a := o.alpha(); !(a > 0 && a < 1) {
		return fmt.Errorf("%w: alpha must be in (0,1), got %v", ErrOptions, o.Alpha)
	}
	return nil
}

func checkInput(x []float64, w *weights.W, minN int) error {
	if w == nil {
		return fmt.Errorf("%w: nil weights", ErrWeights)
	}
	if err := w.Validate(); err != nil {
		return fmt.Errorf("%w: %w", ErrWeights, err)
	}
	if len(x) != w.N() {
		return fmt.Errorf("%w: %d values but %d observations in the weights", ErrLength, len(x), w.N())
	}
	if len(x) < minN {
		return fmt.Errorf("%w: need at least %d, got %d", ErrTooFew, minN, len(x))
	}
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%w: x[%d] = %v", ErrNaN, i, v)
		}
	}
	for i, row := range w.Weights {
		for _, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("%w: non-finite weight in row %d", ErrWeights, i)
			}
		}
	}
	return nil
}

// centre returns z = x - mean(x) and sum(z^2).
func centre(x []float64) ([]float64, float64) {
	m := 0.0
	for _, v := range x {
		m += v
	}
	m /= float64(len(x))
	z := make([]float64, len(x))
	zz := 0.0
	for i, v := range x {
		z[i] = v - m
		zz += z[i] * z[i]
	}
	return z, zz
}

func lag(w *weights.W, z []float64, out []float64) {
	for i, nb := range w.Neighbors {
		s := 0.0
		for k, j := range nb {
			s += w.Weights[i][k] * z[j]
		}
		out[i] = s
	}
}

// upper returns P(Z > z) for a standard normal Z.
func upper(z float64) float64 { return 0.5 * math.Erfc(z/math.Sqrt2) }

// twoSided returns 2 P(Z > |z|).
func twoSided(z float64) float64 { return 2 * upper(math.Abs(z)) }

func errConstant() error {
	return fmt.Errorf("%w: every value is the same, so the statistic is undefined", ErrConstant)
}
