package tiles

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/planar"

	"github.com/segmap/segmap/spatial/topology"
)

type tileAddr struct{ z, x, y int }

// invariantTiles: the tiles z5..z14 under the places above.
func invariantTiles() []tileAddr {
	seen := map[tileAddr]bool{}
	var out []tileAddr
	for z := 5; z <= 14; z++ {
		for _, p := range places {
			x, y := tileAt(p, z)
			a := tileAddr{z, x, y}
			if !seen[a] {
				seen[a] = true
				out = append(out, a)
			}
		}
	}
	return out
}

type decoded struct {
	id     uint64
	code   string
	geom   orb.MultiPolygon
	marker bool
}

func asMP(g orb.Geometry) orb.MultiPolygon {
	switch g := g.(type) {
	case orb.Polygon:
		return orb.MultiPolygon{g}
	case orb.MultiPolygon:
		return g
	}
	return nil
}

// isMarker recognises the minimum-size square (1 px = 16 units).
func isMarker(mp orb.MultiPolygon) bool {
	if len(mp) != 1 || len(mp[0]) != 1 || len(mp[0][0]) != 5 {
		return false
	}
	b := mp[0][0].Bound()
	return b.Max[0]-b.Min[0] == 16 && b.Max[1]-b.Min[1] == 16 && math.Abs(shoelaceTest(mp[0][0])) == 256
}

func distToBoundary(mp orb.MultiPolygon, p orb.Point) float64 {
	d := math.Inf(1)
	for _, poly := range mp {
		for _, r := range poly {
			for i := 0; i+1 < len(r); i++ {
				d = math.Min(d, planar.DistanceFromSegment(r[i], r[i+1], p))
			}
		}
	}
	return d
}

func TestInvariantsStockholm(t *testing.T) {
	t.Parallel()
	e, src := newStockholmEngine(t, Options{})
	const ext, buf = 4096.0, 64.0
	const margin = 18.0 // 1 px tolerance (16) + rounding
	srcTopo, err := topology.Build(src.geoms, topology.Options{Quantum: 1e-9})
	if err != nil {
		t.Fatal(err)
	}
	// shared arcs: arc -> the two features using it
	users := make([][]int, len(srcTopo.Arcs))
	for i, g := range srcTopo.Geometries {
		for _, p := range g {
			for _, r := range p {
				for _, ref := range r.Arcs {
					a, _ := topology.Ref(ref)
					users[a] = append(users[a], i)
				}
			}
		}
	}
	dir := t.TempDir()
	var files []string
	decodedByFile := map[string][]decoded{}
	sharedChecked, sharedFailed := 0, 0
	for _, ta := range invariantTiles() {
		tile, err := e.Tile(context.Background(), Request{Layer: "deso", Z: ta.z, X: ta.x, Y: ta.y})
		if err != nil {
			t.Fatal(err)
		}
		raw := ungzip(t, tile.Gzip)
		name := fmt.Sprintf("%d-%d-%d", ta.z, ta.x, ta.y)
		if len(tile.Gzip) > 500_000 || len(raw) > 500_000 {
			t.Errorf("%s: %d bytes gzipped, %d raw: over 500 KB", name, len(tile.Gzip), len(raw))
		}
		file := filepath.Join(dir, name+".mvt")
		if err := os.WriteFile(file, tile.Gzip, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, file)
		ls, err := mvt.Unmarshal(raw)
		if err != nil {
			t.Fatalf("%s: orb decode: %v", name, err)
		}
		if len(ls) != 1 || ls[0].Name != "deso" || ls[0].Extent != 4096 {
			t.Fatalf("%s: layers %v", name, ls)
		}
		var dec []decoded
		present := map[int]bool{}
		for _, f := range ls[0].Features {
			id := idOf(f.ID)
			i, ok := src.byID[id]
			if !ok {
				t.Fatalf("%s: unknown feature id %v", name, f.ID)
			}
			if present[i] {
				t.Errorf("%s: feature %s twice", name, src.feats[i].Code)
			}
			present[i] = true
			if f.Properties["code"] != src.feats[i].Code {
				t.Errorf("%s: id %d has code %v", name, id, f.Properties["code"])
			}
			mp := asMP(f.Geometry)
			for _, p := range mp {
				if msg := polygonProblem(p); msg != "" {
					t.Errorf("%s: %s: invalid polygon: %s", name, src.feats[i].Code, msg)
				}
			}
			dec = append(dec, decoded{id: id, code: src.feats[i].Code, geom: mp, marker: isMarker(mp)})
		}
		decodedByFile[file] = dec
		if tile.Empty != (len(dec) == 0) {
			t.Errorf("%s: Empty=%v with %d features", name, tile.Empty, len(dec))
		}

		// Feature set = areas meeting the buffered tile (sandwich by the
		// simplification tolerance and the marker size).
		inner := orb.Bound{Min: orb.Point{-buf + margin, -buf + margin}, Max: orb.Point{ext + buf - margin, ext + buf - margin}}
		outer := orb.Bound{Min: orb.Point{-buf - margin - 8, -buf - margin - 8}, Max: orb.Point{ext + buf + margin + 8, ext + buf + margin + 8}}
		proj := make([]orb.MultiPolygon, len(src.geoms))
		for i, g := range src.geoms {
			proj[i] = projectMP(g, ta.z, ta.x, ta.y, ext)
			if !proj[i].Bound().Pad(2 * margin).Intersects(outer) {
				if present[i] {
					t.Errorf("%s: %s present but far outside the tile", name, src.feats[i].Code)
				}
				continue
			}
			in := intersectsBox(proj[i], inner)
			if in && !present[i] {
				t.Errorf("%s: %s meets the tile but is missing", name, src.feats[i].Code)
			}
			if present[i] && !intersectsBox(proj[i], outer) {
				t.Errorf("%s: %s present but does not meet the tile", name, src.feats[i].Code)
			}
		}
		if len(dec) == 0 {
			continue
		}

		// Overlaps and gaps on a sample grid, judged against the input.
		decB := make([]orb.Bound, len(dec))
		for k, d := range dec {
			decB[k] = d.geom.Bound()
		}
		projB := make([]orb.Bound, len(proj))
		for i := range proj {
			if proj[i] != nil {
				projB[i] = proj[i].Bound()
			}
		}
		inProj := func(i int, p orb.Point) bool {
			return proj[i] != nil && projB[i].Contains(p) && planar.MultiPolygonContains(proj[i], p)
		}
		unexplained, gaps, samples := 0, 0, 0
		for sy := 0.0; sy < ext; sy += ext / 48 {
			for sx := 0.0; sx < ext; sx += ext / 48 {
				p := orb.Point{sx + 13.37, sy + 7.77}
				var hits []int
				for k, d := range dec {
					if !d.marker && decB[k].Contains(p) && planar.MultiPolygonContains(d.geom, p) {
						hits = append(hits, k)
					}
				}
				samples++
				if len(hits) > 1 {
					explained := false
					for _, k := range hits {
						i := src.byID[dec[k].id]
						if !inProj(i, p) || distToBoundary(proj[i], p) < margin {
							explained = true // near a border the simplification may move it
						}
					}
					n := 0
					for _, k := range hits {
						if inProj(src.byID[dec[k].id], p) {
							n++
						}
					}
					if n > 1 {
						explained = true // the input overlaps here too
					}
					if !explained {
						unexplained++
					}
				}
				if len(hits) == 0 {
					for i := range proj {
						if inProj(i, p) && distToBoundary(proj[i], p) > margin {
							gaps++
							break
						}
					}
				}
			}
		}
		if unexplained > 0 {
			t.Errorf("%s: %d of %d sample points covered by two features without cause", name, unexplained, samples)
		}
		if gaps > 0 {
			t.Errorf("%s: %d of %d sample points deep inside an area are not covered", name, gaps, samples)
		}

		// Shared borders: for arcs fully inside the tile, the two
		// neighbours must contain an identical path between the junctions.
		byIdx := map[int]decoded{}
		for _, d := range dec {
			byIdx[src.byID[d.id]] = d
		}
		for a, us := range users {
			if len(us) != 2 || us[0] == us[1] {
				continue
			}
			da, okA := byIdx[us[0]]
			db, okB := byIdx[us[1]]
			if !okA || !okB || da.marker || db.marker {
				continue
			}
			arc := srcTopo.Arcs[a]
			inside := true
			var pa []orb.Point
			for _, p := range arc {
				q := tileCoords(p, ta.z, ta.x, ta.y, ext)
				if q[0] < margin || q[1] < margin || q[0] > ext-margin || q[1] > ext-margin {
					inside = false
					break
				}
				pa = append(pa, q)
			}
			if !inside || len(pa) < 2 {
				continue
			}
			j1 := orb.Point{math.Round(pa[0][0]), math.Round(pa[0][1])}
			j2 := orb.Point{math.Round(pa[len(pa)-1][0]), math.Round(pa[len(pa)-1][1])}
			if j1 == j2 {
				continue
			}
			pathsA, pathsB := junctionPaths(da.geom, j1, j2), junctionPaths(db.geom, j1, j2)
			if len(pathsA) == 0 || len(pathsB) == 0 {
				continue // junction merged away at this zoom
			}
			sharedChecked++
			if !anyEqual(pathsA, pathsB) {
				sharedFailed++
				if sharedFailed <= 5 {
					t.Errorf("%s: %s and %s: shared border differs: %v vs %v", name, da.code, db.code, pathsA, pathsB)
				}
			}
		}
	}
	if sharedChecked < 200 {
		t.Errorf("only %d shared borders checked", sharedChecked)
	}
	if sharedFailed > 0 {
		t.Errorf("%d of %d shared borders differ between neighbours", sharedFailed, sharedChecked)
	}
	t.Logf("%d tiles, %d shared borders compared", len(files), sharedChecked)
	t.Run("node", func(t *testing.T) { compareWithNode(t, files, decodedByFile) })
}

// junctionPaths returns the vertex paths from j1 to j2 in both directions
// around every ring containing both.
func junctionPaths(mp orb.MultiPolygon, j1, j2 orb.Point) [][]orb.Point {
	var out [][]orb.Point
	for _, p := range mp {
		for _, r := range p {
			n := len(r) - 1
			i1, i2 := -1, -1
			for i := 0; i < n; i++ {
				if r[i] == j1 && i1 < 0 {
					i1 = i
				}
				if r[i] == j2 && i2 < 0 {
					i2 = i
				}
			}
			if i1 < 0 || i2 < 0 {
				continue
			}
			for _, step := range []int{1, n - 1} {
				path := []orb.Point{r[i1]}
				for i := (i1 + step) % n; ; i = (i + step) % n {
					path = append(path, r[i])
					if i == i2 {
						break
					}
				}
				out = append(out, path)
			}
		}
	}
	return out
}

func anyEqual(a, b [][]orb.Point) bool {
	for _, pa := range a {
		for _, pb := range b {
			if orb.LineString(pa).Equal(orb.LineString(pb)) {
				return true
			}
		}
	}
	return false
}

// compareWithNode decodes every tile with @mapbox/vector-tile and checks it
// against orb's decoding: same ids, properties, ring coordinates, winding.
func compareWithNode(t *testing.T, files []string, byFile map[string][]decoded) {
	res := nodeDecode(t, files)
	for _, file := range files {
		want := byFile[file]
		got := res[file]["deso"].Features
		if len(want) == 0 {
			continue
		}
		if res[file]["deso"].Extent != 4096 || len(got) != len(want) {
			t.Fatalf("%s: node sees %d features (extent %d), orb %d", file, len(got), res[file]["deso"].Extent, len(want))
		}
		for k, nf := range got {
			w := want[k]
			if nf.ID != w.id || nf.Properties["code"] != w.code || nf.Type != 3 {
				t.Fatalf("%s: feature %d: node id %d code %v type %d, orb id %d code %s", file, k, nf.ID, nf.Properties["code"], nf.Type, w.id, w.code)
			}
			var rings []orb.Ring
			for _, p := range w.geom {
				rings = append(rings, p...)
			}
			if len(rings) != len(nf.Rings) {
				t.Fatalf("%s: %s: node %d rings, orb %d", file, w.code, len(nf.Rings), len(rings))
			}
			for j, nr := range nf.Rings {
				r := make(orb.Ring, len(nr))
				for i, p := range nr {
					r[i] = orb.Point{p[0], p[1]}
				}
				if r[0] != r[len(r)-1] {
					r = append(r, r[0])
				}
				if !r.Equal(rings[j]) {
					t.Fatalf("%s: %s ring %d differs between node and orb", file, w.code, j)
				}
				if j == 0 && shoelaceTest(r) <= 0 {
					t.Errorf("%s: %s: first ring not an exterior for node", file, w.code)
				}
			}
		}
	}
}

// idOf converts orb's decoded feature id (float64, exact below 2^53).
func idOf(v any) uint64 {
	switch v := v.(type) {
	case uint64:
		return v
	case float64:
		return uint64(v)
	}
	return 0
}
