package weights

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

func checkPoints(pts []orb.Point) error {
	if len(pts) == 0 {
		return fmt.Errorf("%w: no points", ErrEmpty)
	}
	for i, p := range pts {
		if math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.IsInf(p[0], 0) || math.IsInf(p[1], 0) {
			return fmt.Errorf("%w: point %d is not finite", ErrBadGeometry, i)
		}
	}
	return nil
}

// byX returns point indices sorted by x, then y, then index.
func byX(pts []orb.Point) []int {
	idx := make([]int, len(pts))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		return cmp.Or(cmp.Compare(pts[a][0], pts[b][0]), cmp.Compare(pts[a][1], pts[b][1]), cmp.Compare(a, b))
	})
	return idx
}

// KNN returns binary ("B") weights linking every point to its k nearest
// other points (Euclidean, planar: project first). Ties at the k-th
// distance are broken by the lower index, so the result is deterministic.
// The relation is not symmetric (like spdep::knn2nb with sym=FALSE).
// Coincident points are each other's neighbours at distance 0.
func KNN(pts []orb.Point, k int) (*W, error) {
	if err := checkPoints(pts); err != nil {
		return nil, err
	}
	if k < 1 || k >= len(pts) {
		return nil, fmt.Errorf("%w: k must be in 1..n-1 (n=%d), got %d", ErrInvalid, len(pts), k)
	}
	order := byX(pts)
	pos := make([]int, len(pts))
	for r, i := range order {
		pos[i] = r
	}
	type cand struct {
		d float64
		j int
	}
	less := func(a, b cand) bool { return a.d < b.d || (a.d == b.d && a.j < b.j) }
	nb := make([][]int, len(pts))
	best := make([]cand, 0, k+1)
	for i, p := range pts {
		best = best[:0]
		consider := func(j int) {
			c := cand{math.Hypot(pts[j][0]-p[0], pts[j][1]-p[1]), j}
			if len(best) == k && !less(c, best[k-1]) {
				return
			}
			at, _ := slices.BinarySearchFunc(best, c, func(e, t cand) int {
				if less(e, t) {
					return -1
				}
				return 1
			})
			best = slices.Insert(best, at, c)
			if len(best) > k {
				best = best[:k]
			}
		}
		lo, hi := pos[i]-1, pos[i]+1
		for lo >= 0 || hi < len(order) {
			worst := math.Inf(1)
			if len(best) == k {
				worst = best[k-1].d
			}
			progressed := false
			if lo >= 0 {
				if p[0]-pts[order[lo]][0] <= worst {
					consider(order[lo])
					lo--
					progressed = true
				} else {
					lo = -1
				}
			}
			if hi < len(order) {
				if pts[order[hi]][0]-p[0] <= worst {
					consider(order[hi])
					hi++
					progressed = true
				} else {
					hi = len(order)
				}
			}
			if !progressed && lo < 0 && hi >= len(order) {
				break
			}
		}
		row := make([]int, len(best))
		for x, c := range best {
			row[x] = c.j
		}
		slices.Sort(row)
		nb[i] = row
	}
	return newBinary(nb), nil
}

// DistanceBand returns binary ("B") weights linking points at Euclidean
// distance 0 <= dist <= d (planar units; self excluded). Points with no
// other point within d are islands.
func DistanceBand(pts []orb.Point, d float64) (*W, error) {
	if err := checkPoints(pts); err != nil {
		return nil, err
	}
	if !(d > 0) || math.IsInf(d, 0) {
		return nil, fmt.Errorf("%w: distance must be a finite number > 0, got %v", ErrInvalid, d)
	}
	order := byX(pts)
	nb := make([][]int, len(pts))
	for a, i := range order {
		for b := a + 1; b < len(order); b++ {
			j := order[b]
			if pts[j][0]-pts[i][0] > d {
				break
			}
			if math.Hypot(pts[j][0]-pts[i][0], pts[j][1]-pts[i][1]) <= d {
				nb[i] = append(nb[i], j)
				nb[j] = append(nb[j], i)
			}
		}
	}
	for i := range nb {
		slices.Sort(nb[i])
		if nb[i] == nil {
			nb[i] = []int{}
		}
	}
	return newBinary(nb), nil
}
