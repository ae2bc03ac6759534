package weights

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
)

type segment struct {
	ax, ay, bx, by float64
	poly           int32
}

// maxCellsPerSegment bounds the grid cells one segment is registered in;
// the cell size grows until every segment fits.
const maxCellsPerSegment = 4096

// edgePairs finds polygon pairs where a vertex of one lies within tol of the
// boundary (vertex or edge) of the other. Queen: one contact; rook: two
// contacts more than tol apart.
func edgePairs(polys []orb.MultiPolygon, vs []vertex, tol float64, rook bool) []uint64 {
	var segs []segment
	maxAbs, sumLen := 0.0, 0.0
	for i, mp := range polys {
		for _, p := range mp {
			for _, r := range p {
				for k := 1; k < len(r); k++ {
					s := segment{r[k-1][0], r[k-1][1], r[k][0], r[k][1], int32(i)}
					segs = append(segs, s)
					sumLen += math.Max(math.Abs(s.bx-s.ax), math.Abs(s.by-s.ay))
					maxAbs = max(maxAbs, math.Abs(s.ax), math.Abs(s.ay))
				}
			}
		}
	}
	if len(segs) == 0 {
		return nil
	}
	c := cellSize(maxAbs, math.Max(tol, sumLen/float64(len(segs))))
	for {
		ok := true
		for _, s := range segs {
			nx := math.Floor((math.Max(s.ax, s.bx)+tol)/c) - math.Floor((math.Min(s.ax, s.bx)-tol)/c) + 1
			ny := math.Floor((math.Max(s.ay, s.by)+tol)/c) - math.Floor((math.Min(s.ay, s.by)-tol)/c) + 1
			if nx*ny > maxCellsPerSegment {
				ok = false
				break
			}
		}
		if ok {
			break
		}
		c *= 4
	}
	grid := map[[2]int64][]int32{}
	for k, s := range segs {
		x0, x1 := int64(math.Floor((math.Min(s.ax, s.bx)-tol)/c)), int64(math.Floor((math.Max(s.ax, s.bx)+tol)/c))
		y0, y1 := int64(math.Floor((math.Min(s.ay, s.by)-tol)/c)), int64(math.Floor((math.Max(s.ay, s.by)+tol)/c))
		for cx := x0; cx <= x1; cx++ {
			for cy := y0; cy <= y1; cy++ {
				key := [2]int64{cx, cy}
				grid[key] = append(grid[key], int32(k))
			}
		}
	}
	contacts := map[uint64][]orb.Point{}
	for _, v := range vs {
		key := [2]int64{int64(math.Floor(v.x / c)), int64(math.Floor(v.y / c))}
		for _, k := range grid[key] {
			s := &segs[k]
			if s.poly == v.poly || pointSegDist(v.x, v.y, s) > tol {
				continue
			}
			pk := pairKey(v.poly, s.poly)
			pts := contacts[pk]
			if len(pts) >= 2 {
				continue
			}
			p := orb.Point{v.x, v.y}
			dup := false
			for _, q := range pts {
				if math.Hypot(q[0]-p[0], q[1]-p[1]) <= tol {
					dup = true
					break
				}
			}
			if !dup {
				contacts[pk] = append(pts, p)
			}
		}
	}
	out := make([]uint64, 0, len(contacts))
	for k, pts := range contacts {
		if !rook || len(pts) >= 2 {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

func pointSegDist(px, py float64, s *segment) float64 {
	dx, dy := s.bx-s.ax, s.by-s.ay
	l2 := dx*dx + dy*dy
	t := 0.0
	if l2 > 0 {
		t = ((px-s.ax)*dx + (py-s.ay)*dy) / l2
		t = math.Max(0, math.Min(1, t))
	}
	return math.Hypot(px-(s.ax+t*dx), py-(s.ay+t*dy))
}
