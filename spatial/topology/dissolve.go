package topology

import (
	"fmt"
	"math"
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// Dissolve merges polygons that share a group key (e.g. DeSO -> RegSO via
// the link table) by dropping the arcs interior to each group. Parent
// borders are made of the children's arcs, so they match the children
// exactly. Uses the default Options.
func Dissolve(polys []orb.MultiPolygon, groups []string) (map[string]orb.MultiPolygon, error) {
	return DissolveWith(polys, groups, Options{})
}

// DissolveWith is Dissolve with explicit Build options (snapping quantum).
func DissolveWith(polys []orb.MultiPolygon, groups []string, opts Options) (map[string]orb.MultiPolygon, error) {
	if len(polys) != len(groups) {
		return nil, fmt.Errorf("%w: %d polygons but %d group keys", ErrInvalid, len(polys), len(groups))
	}
	oriented := make([]orb.MultiPolygon, len(polys))
	for i, mp := range polys {
		oriented[i] = orientCopy(mp)
	}
	t, err := Build(oriented, opts)
	if err != nil {
		return nil, err
	}
	q := opts.Quantum
	if q <= 0 {
		q = 1e-7
	}
	snap := func(p orb.Point) key { return key{int64(math.Round(p[0] / q)), int64(math.Round(p[1] / q))} }

	// Net use of each arc per group: +1 forwards, -1 reversed.
	net := map[string]map[int]int{}
	var order []string
	for i, g := range t.Geometries {
		grp := groups[i]
		m, ok := net[grp]
		if !ok {
			m = map[int]int{}
			net[grp] = m
			order = append(order, grp)
		}
		for _, p := range g {
			for _, r := range p {
				for _, ref := range r.Arcs {
					a, rev := Ref(ref)
					if rev {
						m[a]--
					} else {
						m[a]++
					}
				}
			}
		}
	}
	out := make(map[string]orb.MultiPolygon, len(net))
	for _, grp := range order {
		m := net[grp]
		arcs := make([]int, 0, len(m))
		for a := range m {
			arcs = append(arcs, a)
		}
		sort.Ints(arcs)
		var refs []int
		for _, a := range arcs {
			for n := m[a]; n > 0; n-- {
				refs = append(refs, a)
			}
			for n := m[a]; n < 0; n++ {
				refs = append(refs, ^a)
			}
		}
		rings := chain(t, refs, snap)
		out[grp] = assemble(rings)
	}
	return out, nil
}

// orientCopy copies mp with exteriors counter-clockwise and holes clockwise.
func orientCopy(mp orb.MultiPolygon) orb.MultiPolygon {
	out := make(orb.MultiPolygon, len(mp))
	for i, p := range mp {
		np := make(orb.Polygon, len(p))
		for j, r := range p {
			nr := r.Clone()
			want := orb.CCW
			if j > 0 {
				want = orb.CW
			}
			if nr.Orientation() != want {
				nr.Reverse()
			}
			np[j] = nr
		}
		out[i] = np
	}
	return out
}

func endpoints(t *Topology, ref int) (orb.Point, orb.Point) {
	a, rev := Ref(ref)
	ls := t.Arcs[a]
	if rev {
		return ls[len(ls)-1], ls[0]
	}
	return ls[0], ls[len(ls)-1]
}

// chain links directed boundary arcs into closed rings.
func chain(t *Topology, refs []int, snap func(orb.Point) key) []orb.Ring {
	byStart := map[key][]int{}
	for i, ref := range refs {
		s, _ := endpoints(t, ref)
		k := snap(s)
		byStart[k] = append(byStart[k], i)
	}
	used := make([]bool, len(refs))
	var rings []orb.Ring
	for i := range refs {
		if used[i] {
			continue
		}
		start, _ := endpoints(t, refs[i])
		startKey := snap(start)
		var r Ring
		cur := i
		for steps := 0; steps <= len(refs); steps++ {
			used[cur] = true
			r.Arcs = append(r.Arcs, refs[cur])
			_, end := endpoints(t, refs[cur])
			ek := snap(end)
			if ek == startKey {
				break
			}
			next := -1
			for _, c := range byStart[ek] {
				if !used[c] {
					next = c
					break
				}
			}
			if next < 0 {
				break // open chain: not closed, dropped below
			}
			cur = next
		}
		pts := t.RingPoints(r)
		if len(pts) >= 4 && pts[0] == pts[len(pts)-1] {
			rings = append(rings, pts)
		} else if len(pts) >= 4 && snap(pts[0]) == snap(pts[len(pts)-1]) {
			pts[len(pts)-1] = pts[0]
			rings = append(rings, pts)
		}
	}
	return rings
}

// assemble sorts rings into exteriors (CCW) and holes (CW) and puts each
// hole in the smallest exterior containing it.
func assemble(rings []orb.Ring) orb.MultiPolygon {
	var mp orb.MultiPolygon
	var areas []float64
	var holes []orb.Ring
	for _, r := range rings {
		a := signedArea(r)
		switch {
		case a > 0:
			mp = append(mp, orb.Polygon{r})
			areas = append(areas, a)
		case a < 0:
			holes = append(holes, r)
		}
	}
	for _, h := range holes {
		best := -1
		for i, p := range mp {
			if areas[i] <= -signedArea(h) {
				continue
			}
			if ringContainsRing(p[0], h) && (best < 0 || areas[i] < areas[best]) {
				best = i
			}
		}
		if best >= 0 {
			mp[best] = append(mp[best], h)
		}
	}
	return mp
}

func ringContainsRing(outer, inner orb.Ring) bool {
	for i := 0; i+1 < len(inner); i++ {
		m := orb.Point{(inner[i][0] + inner[i+1][0]) / 2, (inner[i][1] + inner[i+1][1]) / 2}
		if planar.RingContains(outer, m) {
			return true
		}
	}
	return false
}

// signedArea is the shoelace area: positive for counter-clockwise (y up).
func signedArea(r orb.Ring) float64 {
	var s float64
	for i := 0; i+1 < len(r); i++ {
		s += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
	}
	return s / 2
}
