package classify

import "math"

// optimalPartition returns the start index (into u) of every class of the
// exact minimum within-class sum of squares partition of the distinct sorted
// values u with weights w into k classes (2 <= k <= len(u)).
//
// Dynamic programming over classes; each row is filled by divide and conquer
// because the optimal start of the last class is monotone in the end index:
// O(k·m·log m) for m = len(u). Ties take the earliest start.
func optimalPartition(u, w []float64, k int) []int {
	m := len(u)
	// prefix sums of weights, w*(x-shift), w*(x-shift)^2; shifting by the
	// median keeps the sums small and the differences accurate.
	shift := u[m/2]
	sw := make([]float64, m+1)
	s1 := make([]float64, m+1)
	s2 := make([]float64, m+1)
	for i, v := range u {
		d := v - shift
		sw[i+1] = sw[i] + w[i]
		s1[i+1] = s1[i] + w[i]*d
		s2[i+1] = s2[i] + w[i]*d*d
	}
	// cost of the class u[i..j] inclusive
	cost := func(i, j int) float64 {
		n := sw[j+1] - sw[i]
		a := s1[j+1] - s1[i]
		c := s2[j+1] - s2[i] - a*a/n
		if c < 0 {
			return 0
		}
		return c
	}
	prev := make([]float64, m)
	cur := make([]float64, m)
	for j := 0; j < m; j++ {
		prev[j] = cost(0, j)
	}
	// back[c][j]: start of the last class when u[0..j] is split in c+1 classes
	back := make([][]int32, k)
	for c := 1; c < k; c++ {
		bc := make([]int32, m)
		back[c] = bc
		// fill cur[j] for j in [c, m-1]; start i in [c, j]
		var solve func(jlo, jhi, ilo, ihi int)
		solve = func(jlo, jhi, ilo, ihi int) {
			for jlo <= jhi {
				mid := (jlo + jhi) / 2
				best := math.Inf(1)
				bi := ilo
				top := min(ihi, mid)
				for i := max(ilo, c); i <= top; i++ {
					v := prev[i-1] + cost(i, mid)
					if v < best {
						best, bi = v, i
					}
				}
				cur[mid] = best
				bc[mid] = int32(bi)
				// left half recursively, right half iteratively
				solve(jlo, mid-1, ilo, bi)
				jlo, ilo = mid+1, bi
			}
		}
		solve(c, m-1, c, m-1)
		prev, cur = cur, prev
	}
	starts := make([]int, k)
	j := m - 1
	for c := k - 1; c >= 1; c-- {
		starts[c] = int(back[c][j])
		j = starts[c] - 1
	}
	return starts
}

// fisherBreaks: min, midpoints between adjacent classes, max.
func fisherBreaks(u, w []float64, k int) []float64 {
	st := optimalPartition(u, w, k)
	b := make([]float64, 0, k+1)
	b = append(b, u[0])
	for c := 1; c < k; c++ {
		b = append(b, (u[st[c]-1]+u[st[c]])/2)
	}
	return append(b, u[len(u)-1])
}

// jenksBreaks: min, the maximum of every class but the last, max.
func jenksBreaks(u, w []float64, k int) []float64 {
	st := optimalPartition(u, w, k)
	b := make([]float64, 0, k+1)
	b = append(b, u[0])
	for c := 1; c < k; c++ {
		b = append(b, u[st[c]-1])
	}
	return append(b, u[len(u)-1])
}
