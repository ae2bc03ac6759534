package autocorr

import (
	"fmt"
	"math"

	"github.com/segmap/segmap/spatial/weights"
)

// GiResult is Getis–Ord Gi* for one observation (spdep::localG with
// include.self weights).
type GiResult struct {
	G float64 // sum_j w*_ij x_j / sum_j x_j
	Z float64 // the standard deviate spdep returns
	P float64 // two-sided normal p-value
}

// GetisOrdGiStar computes Gi*: every observation is added to its own
// neighbour set (spdep::include.self) and the weights are rebuilt in w's
// style, "B" (all 1) or "W" (1/(card+1)). An island gets only itself, so
// its Z is (x_i - mean)/sd with the population sd.
func GetisOrdGiStar(x []float64, w *weights.W) ([]GiResult, error) {
	if err := checkInput(x, w, 3); err != nil {
		return nil, err
	}
	if w.Style != weights.StyleB && w.Style != weights.StyleW {
		return nil, fmt.Errorf("%w: Gi* needs style %q or %q, got %q", ErrWeights, weights.StyleB, weights.StyleW, w.Style)
	}
	n := float64(len(x))
	sum := 0.0
	for _, v := range x {
		sum += v
	}
	mean := sum / n
	ss := 0.0
	for _, v := range x {
		ss += (v - mean) * (v - mean)
	}
	if ss == 0 {
		return nil, errConstant()
	}
	si2 := ss / n
	out := make([]GiResult, len(x))
	for i, nb := range w.Neighbors {
		c := float64(len(nb) + 1)
		wt := 1.0
		if w.Style == weights.StyleW {
			wt = 1 / c
		}
		lx := wt * x[i]
		for _, j := range nb {
			lx += wt * x[j]
		}
		wi := wt * c
		s1 := wt * wt * c
		eg := wi * mean
		vg := si2 * ((n*s1 - wi*wi) / (n - 1))
		z := (lx - eg) / math.Sqrt(vg)
		out[i] = GiResult{G: lx / sum, Z: z, P: twoSided(z)}
	}
	return out, nil
}
