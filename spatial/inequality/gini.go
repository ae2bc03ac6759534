package inequality

import (
	"cmp"
	"slices"
)

// SegregationGini returns the Gini segregation index of group a across areas
// (Duncan & Duncan 1955; Massey & Denton 1988, eq. 4), a[i] being the count
// of the group and total[i] the population of area i:
//
//	G = Σ_i Σ_j t_i t_j |p_i − p_j| / (2 T² P (1 − P)),
//
// with p_i = a_i/t_i, T = Σ t_i and P = Σ a_i / T. G is in [0, 1]: the mean
// absolute difference between the group's shares in all pairs of areas,
// weighted by population, as a fraction of the largest it could be. Unlike
// the population-weighted Gini of the shares (Gini(p, total), which equals
// G·(1 − P)) it reaches 1 when every area holds a single group. Areas with
// t_i = 0 carry no weight. The group and the rest must both have members
// (0 < P < 1).
func SegregationGini(a, total []float64) (float64, error) {
	const op = "segregation gini"
	n := len(a)
	if err := checkNonEmpty(op, n); err != nil {
		return 0, err
	}
	A, err := checkGroup(op, "a", a, n)
	if err != nil {
		return 0, err
	}
	T, err := checkGroup(op, "total", total, n)
	if err != nil {
		return 0, err
	}
	idx := make([]int, 0, n)
	for i := range a {
		if a[i] > total[i] {
			return 0, errorf(op, "a[%d] = %v exceeds total[%d] = %v", ErrExceedsTotal, i, a[i], i, total[i])
		}
		if total[i] > 0 {
			idx = append(idx, i)
		}
	}
	if A >= T {
		return 0, errorf(op, "every person is in group a, so the rest is empty", ErrZeroTotal)
	}
	share := func(i int) float64 { return a[i] / total[i] }
	slices.SortFunc(idx, func(p, q int) int {
		return cmp.Or(cmp.Compare(share(p), share(q)), cmp.Compare(p, q))
	})
	// Over ascending shares: Σ_{i<j} t_i t_j (p_j − p_i) = Σ_j t_j (p_j W_j − S_j),
	// W_j = Σ_{i<j} t_i, S_j = Σ_{i<j} t_i p_i = Σ_{i<j} a_i.
	var W, S, pairs float64
	for _, j := range idx {
		pairs += total[j] * (share(j)*W - S)
		W += total[j]
		S += a[j]
	}
	P := A / T
	return finish(op, pairs/(T*T*P*(1-P))) // 2·pairs / (2 T² P (1 − P))
}
