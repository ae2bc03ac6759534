package autocorr

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/segmap/segmap/spatial/weights"
)

// MoranResult is a global Moran's I test.
type MoranResult struct {
	I  float64
	EI float64 // -1/(n-1)
	// VarI, Z, PNorm: spdep moran.test(randomisation=TRUE,
	// alternative="greater").
	VarI, Z, PNorm float64
	// Under the normality assumption (randomisation=FALSE).
	VarINormality, ZNormality, PNormality float64
	// PSim = (#{I_sim >= I} + 1) / (Permutations + 1) (one-sided,
	// "greater"); NaN without permutations.
	PSim         float64
	Permutations int
	// N is the n used in the moments: observations with neighbours.
	N       int
	Islands int
}

type wconst struct{ n, s0, s1, s2 float64 }

// constants mirrors spdep::spweights.constants(adjust.n=TRUE).
func constants(w *weights.W) wconst {
	n := len(w.Neighbors)
	var c wconst
	rs := make([]float64, n)
	cs := make([]float64, n)
	for i, nb := range w.Neighbors {
		if len(nb) == 0 {
			continue
		}
		c.n++
		for k, j := range nb {
			wij := w.Weights[i][k]
			rs[i] += wij
			cs[j] += wij
			c.s0 += wij
			wji := 0.0
			for kk, jj := range w.Neighbors[j] {
				if jj == i {
					wji = w.Weights[j][kk]
					break
				}
			}
			c.s1 += wij*wij + wij*wji
		}
	}
	for i := range rs {
		c.s2 += (rs[i] + cs[i]) * (rs[i] + cs[i])
	}
	return c
}

// Moran computes global Moran's I with analytic (randomisation and
// normality) and optional permutation inference.
func Moran(x []float64, w *weights.W, opts Options) (MoranResult, error) {
	if err := opts.check(); err != nil {
		return MoranResult{}, err
	}
	if err := checkInput(x, w, 4); err != nil {
		return MoranResult{}, err
	}
	c := constants(w)
	if c.n < 4 || c.s0 == 0 {
		return MoranResult{}, fmt.Errorf("%w: need at least 4 observations with neighbours, got %v", ErrTooFew, c.n)
	}
	z, zz := centre(x)
	if zz == 0 {
		return MoranResult{}, errConstant()
	}
	z4 := 0.0
	for _, v := range z {
		z4 += v * v * v * v
	}
	k := float64(len(x)) * z4 / (zz * zz)
	lz := make([]float64, len(x))
	stat := func(z []float64) float64 {
		lag(w, z, lz)
		s := 0.0
		for i := range z {
			s += z[i] * lz[i]
		}
		return (c.n / c.s0) * (s / zz)
	}
	n := c.n
	res := MoranResult{I: stat(z), EI: -1 / (n - 1), N: int(n), PSim: math.NaN()}
	res.Islands = len(x) - int(n)
	s02 := c.s0 * c.s0
	nn := n * n
	vi := n * (c.s1*(nn-3*n+3) - n*c.s2 + 3*s02)
	tmp := k * (c.s1*(nn-n) - 2*n*c.s2 + 6*s02)
	vi = (vi-tmp)/((n-1)*(n-2)*(n-3)*s02) - res.EI*res.EI
	res.VarI = vi
	res.Z = (res.I - res.EI) / math.Sqrt(vi)
	res.PNorm = upper(res.Z)
	vn := (nn*c.s1-n*c.s2+3*s02)/(s02*(nn-1)) - res.EI*res.EI
	res.VarINormality = vn
	res.ZNormality = (res.I - res.EI) / math.Sqrt(vn)
	res.PNormality = upper(res.ZNormality)
	if opts.Permutations > 0 {
		r := rand.New(rand.NewPCG(opts.Seed, pcgStream))
		zp := make([]float64, len(z))
		copy(zp, z)
		ge := 0
		for range opts.Permutations {
			r.Shuffle(len(zp), func(i, j int) { zp[i], zp[j] = zp[j], zp[i] })
			if stat(zp) >= res.I {
				ge++
			}
		}
		res.Permutations = opts.Permutations
		res.PSim = float64(ge+1) / float64(opts.Permutations+1)
	}
	return res, nil
}

// pcgStream is the fixed second PCG seed word.
const pcgStream = 0x5e6_a11_c0de
