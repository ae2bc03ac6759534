package inequality

import (
	"cmp"
	"math"
	"slices"
)

// Theil returns Theil's multi-group information (entropy) index H
// (Theil & Finizza 1971; Reardon & Firebaugh 2002). groups[m][i] is
// the count of group m in area i:
//
//	E   = Σ_m π_m ln(1/π_m)            (entropy of the whole population)
//	E_i = Σ_m π_im ln(1/π_im)          (entropy of area i, 0·ln(1/0) = 0)
//	H   = Σ_i t_i (E − E_i) / (T E)
//
// H is in [0, 1]: 0 when every area has the overall group mix, 1 when every
// area holds a single group. Natural logarithms (the base cancels).
func Theil(groups [][]float64) (float64, error) {
	const op = "theil"
	tot, shares, T, err := prepareGroups(op, groups)
	if err != nil {
		return 0, err
	}
	E := entropy(shares)
	var s float64
	for i, t := range tot {
		if t == 0 {
			continue
		}
		var ei float64
		for _, g := range groups {
			if p := g[i] / t; p > 0 {
				ei -= p * math.Log(p)
			}
		}
		s += t * (E - ei)
	}
	if E == 0 {
		return 0, errorf(op, "only one group has members", ErrZeroTotal)
	}
	return finish(op, s/(T*E))
}

func entropy(ps []float64) float64 {
	var e float64
	for _, p := range ps {
		if p > 0 {
			e -= p * math.Log(p)
		}
	}
	return e
}

// Gini returns the Gini coefficient of area values (for example each
// area's median income), each area weighted by weights[i] (typically its
// population; nil = every area weight 1):
//
//	G = Σ_i Σ_j w_i w_j |x_i − x_j| / (2 W² μ),   W = Σ w_i, μ = Σ w_i x_i / W.
//
// This is the standard weighted Gini without small-sample correction; with
// unit weights it equals R's ineq::Gini(x, corr = FALSE). Values must be
// non-negative with a positive weighted mean; areas with weight 0 are
// ignored. Computed in O(n log n) by sorting. Range [0, 1) (1 only by
// rounding with extreme weights).
func Gini(values, weights []float64) (float64, error) {
	const op = "gini"
	n := len(values)
	if err := checkNonEmpty(op, n); err != nil {
		return 0, err
	}
	if _, err := checkValues(op, "values", values); err != nil {
		return 0, err
	}
	if weights != nil {
		if len(weights) != n {
			return 0, errorf(op, "weights has %d values, values has %d", ErrLength, len(weights), n)
		}
		if _, err := checkValues(op, "weights", weights); err != nil {
			return 0, err
		}
	}
	w := func(i int) float64 {
		if weights == nil {
			return 1
		}
		return weights[i]
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(p, q int) int { // ties by index: deterministic
		if c := cmp.Compare(values[p], values[q]); c != 0 {
			return c
		}
		return cmp.Compare(p, q)
	})
	// Over sorted values: Σ_{i<j} w_i w_j (x_j − x_i) = Σ_j w_j (x_j C_j − S_j),
	// C_j = Σ_{i<j} w_i, S_j = Σ_{i<j} w_i x_i.
	var W, S, pairs float64
	for _, j := range idx {
		wj, xj := w(j), values[j]
		pairs += wj * (xj*W - S)
		W += wj
		S += wj * xj
	}
	if W == 0 {
		return 0, errorf(op, "weights sum to zero", ErrZeroTotal)
	}
	if S == 0 {
		return 0, errorf(op, "weighted mean is zero", ErrZeroTotal)
	}
	mu := S / W
	return finish(op, pairs/(W*W*mu)) // 2·pairs / (2 W² μ)
}
