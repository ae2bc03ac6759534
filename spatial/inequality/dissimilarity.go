package inequality

import (
	"math"
	"strconv"
)

// Dissimilarity returns the Duncan & Duncan (1955) index of dissimilarity
// between group a and group b across areas:
//
//	D = ½ Σ_i | a_i/A − b_i/B |,  A = Σ a_i, B = Σ b_i.
//
// D is in [0, 1]: the share of either group that would have to move to
// another area for both groups to be distributed alike. It is symmetric in a
// and b. Both groups must have a positive total.
func Dissimilarity(a, b []float64) (float64, error) {
	const op = "dissimilarity"
	if err := checkNonEmpty(op, len(a)); err != nil {
		return 0, err
	}
	A, err := checkGroup(op, "a", a, len(a))
	if err != nil {
		return 0, err
	}
	B, err := checkGroup(op, "b", b, len(a))
	if err != nil {
		return 0, err
	}
	return finish(op, dissim(a, b, A, B))
}

func dissim(a, b []float64, A, B float64) float64 {
	var s float64
	for i := range a {
		s += math.Abs(a[i]/A - b[i]/B)
	}
	return s / 2
}

func clamp01(v float64) float64 {
	if v < 0 {
		return 0
	}
	if v > 1 {
		return 1
	}
	return v
}

// Ojamlikhetsindex returns Segregationsbarometern's ojämlikhetsindex:
// 100 × D between persons with low economic standard (low[i]) and persons
// with high economic standard (high[i]) across the areas of one kommun. It is
// the percentage of the low-income earners who would have to move for them
// to be distributed across the kommun's areas the same way as the
// high-income earners (0 = same distribution, 100 = complete separation).
// Counts, not percentages: convert shares with share × persons / 100.
func Ojamlikhetsindex(low, high []float64) (float64, error) {
	d, err := Dissimilarity(low, high)
	if err != nil {
		return 0, err
	}
	return 100 * d, nil
}

// MultiGroupDissimilarity returns the multi-group dissimilarity index of
// Reardon & Firebaugh (2002), identical to Sakoda's (1981) generalised
// D. groups[m][i] is the count of group m in area i; the area total is
// t_i = Σ_m groups[m][i]:
//
//	D = Σ_m Σ_i t_i |π_im − π_m| / (2 T I),   I = Σ_m π_m (1 − π_m),
//
// with π_im the share of group m in area i, π_m its overall share and T the
// population. With two groups it equals the two-group Dissimilarity. Every
// group must have a positive total and there must be at least two groups.
func MultiGroupDissimilarity(groups [][]float64) (float64, error) {
	const op = "multi-group dissimilarity"
	tot, shares, T, err := prepareGroups(op, groups)
	if err != nil {
		return 0, err
	}
	var interaction float64
	for _, p := range shares {
		interaction += p * (1 - p)
	}
	var s float64
	for m, g := range groups {
		for i, t := range tot {
			if t == 0 {
				continue
			}
			s += t * math.Abs(g[i]/t-shares[m])
		}
	}
	if interaction == 0 {
		return 0, errorf(op, "only one group has members", ErrZeroTotal)
	}
	return finish(op, s/(2*T*interaction))
}

// prepareGroups validates a [group][area] matrix and returns area totals,
// overall group shares and the population total.
func prepareGroups(op string, groups [][]float64) (tot, shares []float64, T float64, err error) {
	if len(groups) < 2 {
		return nil, nil, 0, errorf(op, "need at least 2 groups, got %d", ErrEmpty, len(groups))
	}
	n := len(groups[0])
	if err := checkNonEmpty(op, n); err != nil {
		return nil, nil, 0, err
	}
	tot = make([]float64, n)
	shares = make([]float64, len(groups))
	for m, g := range groups {
		gs, err := checkGroup(op, groupName(m), g, n)
		if err != nil {
			return nil, nil, 0, err
		}
		shares[m] = gs
		T += gs
		for i, v := range g {
			tot[i] += v
		}
	}
	for m := range shares {
		shares[m] /= T
	}
	return tot, shares, T, nil
}

func groupName(m int) string {
	return "groups[" + strconv.Itoa(m) + "]"
}
