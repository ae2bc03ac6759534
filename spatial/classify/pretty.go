package classify

import "math"

// PrettyBreaks returns R's pretty(c(lo, hi), n) (R 4.2, bounds = TRUE, default
// biases): about n+1 equally spaced round values covering [lo, hi], the step
// being 1, 2 or 5 times a power of 10.
func PrettyBreaks(lo, hi float64, n int) []float64 {
	const (
		h           = 1.5
		h5          = 0.5 + 1.5*h
		fMin        = 1.0 / (1 << 20)
		shrinkSml   = 0.75
		roundingEps = 1e-10
		dblEps      = 2.220446049250313e-16
		dblMin      = 2.2250738585072014e-308
	)
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return nil
	}
	if lo > hi {
		lo, hi = hi, lo
	}
	if n < 0 {
		n = 0
	}
	minN := n / 3
	ndiv := n
	dx := hi - lo
	var cell float64
	var iSmall bool
	if dx == 0 && hi == 0 {
		cell = 1
		iSmall = true
	} else {
		cell = math.Max(math.Abs(lo), math.Abs(hi))
		var u float64
		if h5 >= 1.5*h+0.5 {
			u = 1 + 1/(1+h)
		} else {
			u = 1 + 1.5/(1+h5)
		}
		u *= float64(max(1, ndiv)) * dblEps
		iSmall = dx < cell*u*3
	}
	if iSmall {
		if cell > 10 {
			cell = 9 + cell/10
		}
		cell *= shrinkSml
		if minN > 1 {
			cell /= float64(minN)
		}
	} else {
		cell = dx
		if ndiv > 1 {
			cell /= float64(ndiv)
		}
	}
	if sub := fMin * dblMin; cell < sub {
		cell = sub
	}
	base := math.Pow(10, math.Floor(math.Log10(cell)))
	unit := base
	if ns := 2 * base; ns-cell < h*(cell-unit) {
		unit = ns
		if ns := 5 * base; ns-cell < h5*(cell-unit) {
			unit = ns
			if ns := 10 * base; ns-cell < h*(cell-unit) {
				unit = ns
			}
		}
	}
	ns := math.Floor(lo/unit + roundingEps)
	nu := math.Ceil(hi/unit - roundingEps)
	for ns*unit > lo+roundingEps*unit {
		ns--
	}
	for nu*unit < hi-roundingEps*unit {
		nu++
	}
	k := int(0.5 + nu - ns)
	if k < minN {
		k = minN - k
		if ns >= 0 {
			nu += float64(k / 2)
			ns -= float64(k/2 + k%2)
		} else {
			ns -= float64(k / 2)
			nu += float64(k/2 + k%2)
		}
		ndiv = minN
	} else {
		ndiv = k
	}
	l, u := lo, hi
	if ns*unit < l {
		l = ns * unit
	}
	if nu*unit > u {
		u = nu * unit
	}
	if ndiv == 0 {
		return []float64{l}
	}
	// seq.int(l, u, length.out = ndiv+1)
	s := make([]float64, ndiv+1)
	by := (u - l) / float64(ndiv)
	s[0] = l
	for i := 1; i < ndiv; i++ {
		s[i] = l + float64(i)*by
	}
	s[ndiv] = u
	delta := (u - l) / float64(ndiv)
	for i, v := range s {
		if math.Abs(v) < 1e-14*delta {
			s[i] = 0
		}
	}
	return s
}
