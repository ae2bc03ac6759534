package autocorr

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/segmap/segmap/spatial/weights"
)

// Cluster labels of local Moran's I.
const (
	HighHigh = "HH"
	LowLow   = "LL"
	HighLow  = "HL" // high value, low neighbours
	LowHigh  = "LH" // low value, high neighbours
)

// LocalResult is local Moran's I for one observation, as
// spdep::localmoran (conditional=TRUE, mlvar=TRUE,
// alternative="two.sided").
type LocalResult struct {
	Ii, E, Var, Z, P float64
	// PSim is the folded conditional-permutation pseudo p-value of PySAL
	// esda (Moran_Local.p_sim; the same rule as spdep localmoran_perm's
	// "Pr(folded) Sim"): with ge = #{Ii_sim >= Ii} over nsim permutations,
	//
	//	PSim = (min(ge, nsim − ge) + 1) / (nsim + 1).
	//
	// A tie (Ii_sim == Ii) counts on the upper side only. It is in
	// [1/(nsim+1), 0.5 + 1/(nsim+1)]: a one-sided p-value in the direction
	// of the observed Ii. NaN without permutations or for islands.
	PSim float64
	// PAdj is the p-value used for the cluster label after the optional
	// Benjamini–Hochberg adjustment (PSim when permutations were run,
	// otherwise P).
	PAdj float64
	// Quadrant is the Moran-scatterplot quadrant of (x - mean, lag(x - mean))
	// with 0 counted as low (spdep's "pysal" quadrant): HH, LL, HL, LH.
	Quadrant string
	// Cluster is Quadrant when PAdj < Alpha, else "" (not significant,
	// island, or undefined p).
	Cluster string
	Island  bool
}

// LocalMoran computes local Moran's I for every observation.
func LocalMoran(x []float64, w *weights.W, opts Options) ([]LocalResult, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	if err := checkInput(x, w, 3); err != nil {
		return nil, err
	}
	nI := len(x)
	n := float64(nI)
	z, zz := centre(x)
	if zz == 0 {
		return nil, errConstant()
	}
	m2 := zz / n // s2 with mlvar=TRUE
	lz := make([]float64, nI)
	lag(w, z, lz)
	out := make([]LocalResult, nI)
	for i := range out {
		wi, wi2 := 0.0, 0.0
		for _, v := range w.Weights[i] {
			wi += v
			wi2 += v * v
		}
		r := &out[i]
		r.Island = len(w.Neighbors[i]) == 0
		r.Ii = z[i] / m2 * lz[i]
		r.E = -(z[i] * z[i] * wi) / ((n - 1) * m2)
		r.Var = (z[i] / m2) * (z[i] / m2) * (n / (n - 2)) * (wi2 - wi*wi/(n-1)) * (m2 - z[i]*z[i]/(n-1))
		r.Z = (r.Ii - r.E) / math.Sqrt(r.Var)
		r.P = twoSided(r.Z)
		r.PSim = math.NaN()
		r.Quadrant = quadrant(z[i], lz[i])
	}
	if opts.Permutations > 0 {
		permuteLocal(z, m2, w, opts, out, nil)
	}
	p := make([]float64, nI)
	for i, r := range out {
		p[i] = r.P
		if opts.Permutations > 0 {
			p[i] = r.PSim
		}
		if r.Island {
			p[i] = math.NaN()
		}
	}
	if opts.FDR {
		p = BenjaminiHochberg(p)
	}
	a := opts.alpha()
	for i := range out {
		out[i].PAdj = p[i]
		if p[i] < a {
			out[i].Cluster = out[i].Quadrant
		}
	}
	return out, nil
}

func quadrant(z, lz float64) string {
	hx, hl := z > 0, lz > 0
	switch {
	case hx && hl:
		return HighHigh
	case !hx && !hl:
		return LowLow
	case hx:
		return HighLow
	default:
		return LowHigh
	}
}

// permuteLocal fills PSim by conditional permutation: for observation i the
// other n-1 centred values are sampled without replacement onto i's
// neighbours (as esda's crand). One PCG stream (Options.Seed) is consumed in
// observation order, so results are reproducible. record, when not nil,
// gets every observation's simulated Ii (for tests).
func permuteLocal(z []float64, m2 float64, w *weights.W, opts Options, out []LocalResult, record func(i int, sims []float64)) {
	r := rand.New(rand.NewPCG(opts.Seed, pcgStream))
	n := len(z)
	pool := make([]int, n-1)
	for i := range out {
		k := len(w.Neighbors[i])
		if k == 0 {
			continue
		}
		for j, q := 0, 0; j < n; j++ {
			if j != i {
				pool[q] = j
				q++
			}
		}
		obs := out[i].Ii
		ge := 0
		var sims []float64
		row := w.Weights[i]
		for range opts.Permutations {
			s := 0.0
			for t := range k {
				u := t + r.IntN(n-1-t)
				pool[t], pool[u] = pool[u], pool[t]
				s += row[t] * z[pool[t]]
			}
			v := z[i] / m2 * s
			if v >= obs {
				ge++
			}
			if record != nil {
				sims = append(sims, v)
			}
		}
		if record != nil {
			record(i, sims)
		}
		out[i].PSim = foldedPSim(ge, opts.Permutations)
	}
}

// foldedPSim is esda's folded pseudo p-value from ge = #{sim >= observed}
// of nsim permutations: (min(ge, nsim − ge) + 1) / (nsim + 1).
func foldedPSim(ge, nsim int) float64 {
	return float64(min(ge, nsim-ge)+1) / float64(nsim+1)
}

// BenjaminiHochberg returns Benjamini–Hochberg adjusted p-values (R
// p.adjust(method="BH")). NaN entries stay NaN and do not count in m.
func BenjaminiHochberg(p []float64) []float64 {
	out := make([]float64, len(p))
	var idx []int
	for i, v := range p {
		out[i] = math.NaN()
		if !math.IsNaN(v) {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case p[a] > p[b]:
			return -1
		case p[a] < p[b]:
			return 1
		}
		return 0
	})
	m := float64(len(idx))
	run := math.Inf(1)
	for r, i := range idx {
		rank := m - float64(r) // descending order: first has rank m
		v := math.Min(1, p[i]*m/rank)
		run = math.Min(run, v)
		out[i] = run
	}
	return out
}
