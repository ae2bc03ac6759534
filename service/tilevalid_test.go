package service

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/encoding/wkt"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/tiles"
)

// pyramidRegion is a store whose deso layer's pyramid is checked.
type pyramidRegion struct {
	name  string
	store func(t *testing.T) *data.Store
}

func dalarnaStore(t *testing.T) *data.Store {
	t.Helper()
	ctx := context.Background()
	st, err := data.Open(ctx, filepath.Join(t.TempDir(), "dalarna.gpkg"), data.OpenOptions{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.ImportBoundaries(ctx, "../testdata/boundaries/deso_2018_dalarna_3006.gpkg", data.BoundaryOptions{Level: data.LevelDeSO}); err != nil {
		t.Fatal(err)
	}
	return st
}

// walkDecoded renders every tile of the deso pyramid z0..maxZ and hands
// each decoded feature to fn (one call at a time).
func walkDecoded(t *testing.T, st *data.Store, maxZ int, fn func(z, x, y int, f decodedFeature)) {
	t.Helper()
	ctx := context.Background()
	svc := New(st, nil, Options{})
	if err := svc.ensureTiles(ctx); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	err := tiles.Walk(ctx, svc.engine, tiles.WalkOptions{Layer: data.LevelDeSO, MaxZoom: maxZ}, func(z, x, y int, tile *tiles.Tile) error {
		if tile.Empty {
			return nil
		}
		ls, err := mvt.Unmarshal(tile.Raw)
		if err != nil {
			return fmt.Errorf("%d/%d/%d: %w", z, x, y, err)
		}
		mu.Lock()
		defer mu.Unlock()
		for _, l := range ls {
			for _, f := range l.Features {
				fn(z, x, y, decodedFeature{id: f.ID, geom: f.Geometry})
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

type decodedFeature struct {
	id   any
	geom orb.Geometry
}

// geosCheck is run by a Python with shapely (GEOS): it reads lines of
// "tile<TAB>id<TAB>WKT" and prints one line per feature GEOS finds
// invalid, then "checked N".
const geosCheck = `
import sys
from shapely import wkt
from shapely.validation import explain_validity
n = 0
for line in sys.stdin:
    tile, fid, w = line.rstrip("\n").split("\t")
    g = wkt.loads(w)
    n += 1
    if not g.is_valid:
        print(tile, fid, explain_validity(g))
print("checked", n)
`

// geosPython returns a Python interpreter that has shapely, or skips.
// .ci/install-test-deps installs Debian's python3-shapely.
func geosPython(t *testing.T) string {
	for _, py := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(py, "-c", "import shapely").Run() == nil {
			return py
		}
	}
	t.Skip("no python3 with shapely (GEOS); .ci/install-test-deps installs python3-shapely")
	return ""
}

// TestPyramidValidForGEOS renders the deso pyramid of the Stockholm demo
// store and of Dalarna (z0–z10; z0–z14 without -short), decodes every
// feature and has GEOS check it: none may be invalid (no self-touching
// rings or overlapping edges along the clip buffer, no nested shells), and
// every area is still in the tiles of z0–z2.
func TestPyramidValidForGEOS(t *testing.T) {
	t.Parallel()
	py := geosPython(t)
	maxZ := 14
	if testing.Short() {
		maxZ = 10
	}
	for _, r := range []pyramidRegion{
		{"stockholm", func(*testing.T) *data.Store { return testStore }},
		{"dalarna", dalarnaStore},
	} {
		t.Run(r.name, func(t *testing.T) {
			st := r.store(t)
			var in bytes.Buffer
			n := 0
			perZoom := make([]map[string]bool, maxZ+1)
			walkDecoded(t, st, maxZ, func(z, x, y int, f decodedFeature) {
				fmt.Fprintf(&in, "%d/%d/%d\t%v\t%s\n", z, x, y, f.id, wkt.MarshalString(f.geom))
				n++
				if perZoom[z] == nil {
					perZoom[z] = map[string]bool{}
				}
				perZoom[z][fmt.Sprint(f.id)] = true
			})
			cmd := exec.Command(py, "-c", geosCheck)
			cmd.Stdin = &in
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("GEOS check: %v\n%s", err, out)
			}
			lines := strings.Split(strings.TrimSpace(string(out)), "\n")
			if last := lines[len(lines)-1]; last != fmt.Sprintf("checked %d", n) || n == 0 {
				t.Fatalf("GEOS check ended with %q, want checked %d", last, n)
			}
			if bad := lines[:len(lines)-1]; len(bad) > 0 {
				t.Errorf("%d of %d features invalid for GEOS, e.g.:\n%s", len(bad), n, strings.Join(bad[:min(10, len(bad))], "\n"))
			}
			areas, err := st.Areas(context.Background(), data.LevelDeSO, data.AreasOptions{WithGeometry: true})
			if err != nil {
				t.Fatal(err)
			}
			withGeom := 0
			for _, a := range areas {
				if a.Geometry != nil {
					withGeom++
				}
			}
			for z := 0; z <= 2; z++ {
				if len(perZoom[z]) != withGeom || withGeom == 0 {
					t.Errorf("z%d: %d areas in the tiles, %d in the store", z, len(perZoom[z]), withGeom)
				}
			}
		})
	}
}
