package inequality

import "math"

// MorrillD returns Morrill's (1991) spatially adjusted index of
// dissimilarity D(adj) for groups a and b, given binary contiguity as
// neighbour lists (neighbours[i] = indices of the areas adjacent to area i):
//
//	D(adj) = D − Σ_i Σ_j c_ij |z_i − z_j| / Σ_i Σ_j c_ij,
//
// where D = Dissimilarity(a, b), c_ij = 1 when j is listed in neighbours[i]
// (else 0) and z_i = a_i/(a_i + b_i) is group a's share of the two groups in
// area i. The boundary term is the mean absolute difference in composition
// across shared borders: a sharp contrast between neighbouring areas means
// the groups are not mixing across the border, so D(adj) < D.
//
// Conventions (document when reporting): neighbour lists may be symmetric or
// not — each listed (i, j) counts once, so symmetric lists count every border
// twice in both sums and the ratio is unchanged; duplicates count again;
// self-neighbours (j == i) are ignored; pairs where either area has
// a_i + b_i = 0 are left out of both sums (z is undefined); with no usable
// pair the boundary term is 0 and D(adj) = D. D(adj) is not clamped and can
// be negative when the border contrast exceeds D. len(neighbours) must equal
// len(a).
func MorrillD(a, b []float64, neighbours [][]int) (float64, error) {
	const op = "morrill D(adj)"
	d, err := Dissimilarity(a, b)
	if err != nil {
		return 0, err
	}
	n := len(a)
	if len(neighbours) != n {
		return 0, errorf(op, "neighbours has %d lists, a has %d", ErrLength, len(neighbours), n)
	}
	var num, den float64
	for i, nb := range neighbours {
		ti := a[i] + b[i]
		for _, j := range nb {
			if j < 0 || j >= n {
				return 0, errorf(op, "neighbours[%d] contains %d (n = %d)", ErrNeighbour, i, j, n)
			}
			if j == i {
				continue
			}
			tj := a[j] + b[j]
			if ti == 0 || tj == 0 {
				continue
			}
			num += math.Abs(a[i]/ti - a[j]/tj)
			den++
		}
	}
	if den == 0 {
		return d, nil
	}
	v := d - num/den
	if math.IsNaN(v) {
		return 0, errorf(op, "result is numerically undefined (extreme magnitudes)", ErrNaN)
	}
	return v, nil
}
