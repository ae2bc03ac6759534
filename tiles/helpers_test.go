package tiles

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"

	"github.com/segmap/segmap/spatial/topology"
)

const stockholmFile = "../testdata/tiles/deso_2018_stockholms_lan_4326_simplified.geojson"

// featureID mirrors data.FeatureID (FNV-1a 64 masked to 53 bits, 0 -> 1);
// tiles must not import data.
func featureID(code string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(code))
	v := h.Sum64() & (1<<53 - 1)
	if v == 0 {
		v = 1
	}
	return v
}

type source struct {
	feats []Feature
	geoms []orb.MultiPolygon // WGS 84
	byID  map[uint64]int
}

func loadStockholm(tb testing.TB) *source {
	tb.Helper()
	raw, err := os.ReadFile(stockholmFile)
	if err != nil {
		tb.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(raw)
	if err != nil {
		tb.Fatal(err)
	}
	s := &source{byID: map[uint64]int{}}
	for _, f := range fc.Features {
		code := f.Properties.MustString("id")
		var mp orb.MultiPolygon
		switch g := f.Geometry.(type) {
		case orb.Polygon:
			mp = orb.MultiPolygon{g}
		case orb.MultiPolygon:
			mp = g
		}
		id := featureID(code)
		s.byID[id] = len(s.feats)
		s.feats = append(s.feats, Feature{ID: id, Code: code, Name: "DeSO " + code, Geometry: mp})
		s.geoms = append(s.geoms, mp.Clone())
	}
	return s
}

func (s *source) layer(name string) Layer {
	fs := make([]Feature, len(s.feats))
	copy(fs, s.feats)
	return Layer{Name: name, Features: fs, MinZoom: 0, MaxZoom: 16}
}

// tileCoords projects a WGS 84 point to tile units of tile z/x/y
// (independent formula from the engine: atanh form, not log of (1+s)/(1-s)).
func tileCoords(p orb.Point, z, x, y int, extent float64) orb.Point {
	n := math.Exp2(float64(z)) * extent
	lat := p[1] * math.Pi / 180
	fx := (p[0] + 180) / 360
	fy := 0.5 - math.Atanh(math.Sin(lat))/(2*math.Pi)
	return orb.Point{fx*n - float64(x)*extent, fy*n - float64(y)*extent}
}

func projectMP(mp orb.MultiPolygon, z, x, y int, extent float64) orb.MultiPolygon {
	out := make(orb.MultiPolygon, len(mp))
	for i, p := range mp {
		out[i] = make(orb.Polygon, len(p))
		for j, r := range p {
			out[i][j] = make(orb.Ring, len(r))
			for k, pt := range r {
				out[i][j][k] = tileCoords(pt, z, x, y, extent)
			}
		}
	}
	return out
}

// intersectsBox reports whether a polygon (tile units) meets box.
func intersectsBox(mp orb.MultiPolygon, box orb.Bound) bool {
	if !mp.Bound().Intersects(box) {
		return false
	}
	for _, p := range mp {
		for _, r := range p {
			for _, pt := range r {
				if box.Contains(pt) {
					return true
				}
			}
		}
	}
	for _, c := range []orb.Point{box.Min, box.Max, {box.Min[0], box.Max[1]}, {box.Max[0], box.Min[1]}, box.Center()} {
		if planar.MultiPolygonContains(mp, c) {
			return true
		}
	}
	edges := box.ToRing()
	for _, p := range mp {
		for _, r := range p {
			for i := 0; i+1 < len(r); i++ {
				for j := 0; j+1 < len(edges); j++ {
					if segmentsIntersect(r[i], r[i+1], edges[j], edges[j+1]) {
						return true
					}
				}
			}
		}
	}
	return false
}

func segmentsIntersect(a, b, c, d orb.Point) bool {
	o := func(p, q, r orb.Point) float64 { return (q[0]-p[0])*(r[1]-p[1]) - (q[1]-p[1])*(r[0]-p[0]) }
	d1, d2, d3, d4 := o(a, b, c), o(a, b, d), o(c, d, a), o(c, d, b)
	return d1*d2 <= 0 && d3*d4 <= 0
}

func ungzip(tb testing.TB, b []byte) []byte {
	tb.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		tb.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		tb.Fatal(err)
	}
	return raw
}

// nodeDir returns the folder with the npm decoders, or skips (fails when
// SEGMAP_REQUIRE_TOOLS=1) if node or the modules are missing.
func nodeDir(tb testing.TB) string {
	tb.Helper()
	dir, _ := filepath.Abs("../testdata/tiles/node")
	need := func(msg string) {
		if os.Getenv("SEGMAP_REQUIRE_TOOLS") == "1" {
			tb.Fatalf("%s (SEGMAP_REQUIRE_TOOLS=1); run npm ci --prefix testdata/tiles/node", msg)
		}
		tb.Skip(msg)
	}
	if _, err := exec.LookPath("node"); err != nil {
		need("node not installed")
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@mapbox", "vector-tile")); err != nil {
		need("npm modules missing in testdata/tiles/node")
	}
	return dir
}

type nodeFeature struct {
	ID         uint64         `json:"id"`
	Type       int            `json:"type"`
	Properties map[string]any `json:"properties"`
	Rings      [][][2]float64 `json:"rings"`
}

type nodeLayer struct {
	Extent   int           `json:"extent"`
	Version  int           `json:"version"`
	Features []nodeFeature `json:"features"`
}

// nodeDecode decodes tile files with @mapbox/vector-tile.
func nodeDecode(tb testing.TB, files []string) map[string]map[string]nodeLayer {
	tb.Helper()
	dir := nodeDir(tb)
	cmd := exec.Command("node", append([]string{filepath.Join(dir, "decode-mvt.mjs")}, files...)...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		tb.Fatalf("node decode-mvt: %v\n%s", err, stderr.String())
	}
	res := map[string]map[string]nodeLayer{}
	if err := json.Unmarshal(out, &res); err != nil {
		tb.Fatal(err)
	}
	return res
}

// polygonProblem checks one decoded polygon (tile units): rings closed with
// >= 4 points, exterior positive and holes negative area (MVT, y down), no
// two segments crossing or overlapping (along the clip lines neither: GEOS
// rejects such rings), holes inside the exterior. Returns "" when valid.
func polygonProblem(p orb.Polygon) string {
	type seg struct{ a, b orb.Point }
	var segs []seg
	for k, r := range p {
		if len(r) < 4 {
			return "ring with fewer than 4 points"
		}
		if r[0] != r[len(r)-1] {
			return "ring not closed"
		}
		a := shoelaceTest(r)
		if k == 0 && a <= 0 {
			return "exterior ring not clockwise (positive area)"
		}
		if k > 0 && a >= 0 {
			return "hole not counter-clockwise (negative area)"
		}
		if k > 0 {
			in := false
			for i := 0; i+1 < len(r) && !in; i++ {
				m := orb.Point{(r[i][0] + r[i+1][0]) / 2, (r[i][1] + r[i+1][1]) / 2}
				in = planar.RingContains(p[0], m)
			}
			if !in {
				return "hole outside its exterior"
			}
		}
		for i := 0; i+1 < len(r); i++ {
			segs = append(segs, seg{r[i], r[i+1]})
		}
	}
	for i := range segs {
		for j := i + 1; j < len(segs); j++ {
			if topology.SegmentsConflict(segs[i].a, segs[i].b, segs[j].a, segs[j].b) {
				return fmt.Sprintf("self-intersection near %v", segs[i].a)
			}
		}
	}
	return ""
}

func shoelaceTest(r orb.Ring) float64 {
	var s float64
	for i := 0; i+1 < len(r); i++ {
		s += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
	}
	return s / 2
}
