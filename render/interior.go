package render

import "math"

// insidePoly reports whether q lies inside the polygon (even-odd over all rings).
func insidePoly(poly [][]pt, q pt) bool {
	in := false
	for _, r := range poly {
		n := len(r)
		for i, j := 0, n-1; i < n; j, i = i, i+1 {
			a, b := r[i], r[j]
			if (a.Y > q.Y) != (b.Y > q.Y) && q.X < (b.X-a.X)*(q.Y-a.Y)/(b.Y-a.Y)+a.X {
				in = !in
			}
		}
	}
	return in
}

// edgeDist2 is the squared distance from q to the nearest ring edge. It
// stops early once the distance is at most floor2, since the caller only
// wants points farther than that.
func edgeDist2(poly [][]pt, q pt, floor2 float64) float64 {
	best := math.Inf(1)
	for _, r := range poly {
		n := len(r)
		for i, j := 0, n-1; i < n; j, i = i, i+1 {
			if d := segDist2(q, r[j], r[i]); d < best {
				best = d
				if best <= floor2 {
					return best
				}
			}
		}
	}
	return best
}

func segDist2(q, a, b pt) float64 {
	dx, dy := b.X-a.X, b.Y-a.Y
	l2 := dx*dx + dy*dy
	t := 0.0
	if l2 > 0 {
		t = ((q.X-a.X)*dx + (q.Y-a.Y)*dy) / l2
		if t < 0 {
			t = 0
		} else if t > 1 {
			t = 1
		}
	}
	ex, ey := a.X+t*dx-q.X, a.Y+t*dy-q.Y
	return ex*ex + ey*ey
}

// decimate drops ring points closer than tol to the last kept point.
func decimate(poly [][]pt, tol float64) [][]pt {
	out := make([][]pt, 0, len(poly))
	for i, r := range poly {
		k := []pt{r[0]}
		for _, q := range r[1:] {
			l := k[len(k)-1]
			if (q.X-l.X)*(q.X-l.X)+(q.Y-l.Y)*(q.Y-l.Y) >= tol*tol {
				k = append(k, q)
			}
		}
		if len(k) >= 3 {
			out = append(out, k)
		} else if i == 0 {
			return nil // the outer ring is below the tolerance
		}
	}
	return out
}

// interiorPoint finds a point well inside the shape's largest-clearance
// polygon by a coarse-to-fine grid search (an approximate pole of
// inaccessibility). It returns the point and its distance to the nearest
// edge; ok is false for a shape without area.
func interiorPoint(s shape) (best pt, clearance float64, ok bool) {
	clearance = -1
	for _, full := range s.polys {
		poly := decimate(full, 0.25)
		if len(poly) == 0 {
			continue
		}
		minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
		for _, q := range poly[0] {
			minX, maxX = math.Min(minX, q.X), math.Max(maxX, q.X)
			minY, maxY = math.Min(minY, q.Y), math.Max(maxY, q.Y)
		}
		if !(maxX > minX && maxY > minY) {
			continue
		}
		const n = 16
		cx, cy := (minX+maxX)/2, (minY+maxY)/2
		hw, hh := (maxX-minX)/2, (maxY-minY)/2
		local, localD := pt{}, -1.0
		for round := 0; round < 4; round++ {
			for i := 0; i <= n; i++ {
				for j := 0; j <= n; j++ {
					q := pt{cx - hw + 2*hw*float64(i)/n, cy - hh + 2*hh*float64(j)/n}
					if !insidePoly(poly, q) {
						continue
					}
					floor2 := math.Max(localD, 0)
					if d := edgeDist2(poly, q, floor2*floor2); d > floor2*floor2 {
						local, localD = q, math.Sqrt(d)
					}
				}
			}
			if localD < 0 {
				break
			}
			cx, cy = local.X, local.Y
			hw, hh = hw/4, hh/4
		}
		if localD > clearance {
			best, clearance, ok = local, localD, true
		}
	}
	return best, clearance, ok
}
