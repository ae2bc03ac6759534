package inequality

// Isolation returns Bell's (1954) / Lieberson's (1981) isolation index xPx:
// the probability that a randomly drawn member of group a shares an area
// with another member of a,
//
//	xPx = Σ_i (a_i/A) (a_i/t_i),
//
// where total[i] is the area's whole population (a_i ≤ t_i). Areas with
// t_i = 0 contribute nothing. Range [0, 1]; it is not symmetric and depends
// on the group's overall share.
func Isolation(a, total []float64) (float64, error) {
	return exposure("isolation", a, a, total)
}

// Exposure returns Lieberson's interaction (exposure) index xPy: the
// probability that a randomly drawn member of group a shares an area with a
// member of group b,
//
//	xPy = Σ_i (a_i/A) (b_i/t_i),
//
// where total[i] is the area's whole population (a_i, b_i ≤ t_i). Areas with
// t_i = 0 contribute nothing. When a and b make up the whole population,
// xPx + xPy = 1. Not symmetric: xPy·A/T = yPx·B/T.
func Exposure(a, b, total []float64) (float64, error) {
	return exposure("exposure", a, b, total)
}

func exposure(op string, a, b, total []float64) (float64, error) {
	if err := checkNonEmpty(op, len(a)); err != nil {
		return 0, err
	}
	A, err := checkGroup(op, "a", a, len(a))
	if err != nil {
		return 0, err
	}
	if _, err := checkGroup(op, "b", b, len(a)); err != nil {
		return 0, err
	}
	if _, err := checkGroup(op, "total", total, len(a)); err != nil {
		return 0, err
	}
	var s float64
	for i, t := range total {
		if a[i] > t {
			return 0, errorf(op, "a[%d] = %v > total %v", ErrExceedsTotal, i, a[i], t)
		}
		if b[i] > t {
			return 0, errorf(op, "b[%d] = %v > total %v", ErrExceedsTotal, i, b[i], t)
		}
		if t == 0 {
			continue
		}
		s += (a[i] / A) * (b[i] / t)
	}
	return finish(op, s)
}
