package weights_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/segmap/segmap/spatial/weights"
)

var testdata = filepath.Join("..", "..", "testdata", "weights")

type goldenLayer struct {
	File      string   `json:"file"`
	CodeField string   `json:"code_field"`
	Codes     []string `json:"codes"`
	Snap      float64  `json:"snap"`
	Queen     [][]int  `json:"queen"`
	Rook      [][]int  `json:"rook"`
}

func loadGolden(t testing.TB) map[string]goldenLayer {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testdata, "golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	var g map[string]json.RawMessage
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	out := map[string]goldenLayer{}
	for _, k := range []string{"dalarna", "vaxjo", "islands"} {
		var l goldenLayer
		if err := json.Unmarshal(g[k], &l); err != nil {
			t.Fatal(err)
		}
		out[k] = l
	}
	return out
}

// loadPolys reads a GeoJSON file into multipolygons plus the code property.
func loadPolys(t testing.TB, file, codeField string) ([]orb.MultiPolygon, []string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testdata, file))
	if err != nil {
		t.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		t.Fatal(err)
	}
	polys := make([]orb.MultiPolygon, len(fc.Features))
	codes := make([]string, len(fc.Features))
	for i, f := range fc.Features {
		switch g := f.Geometry.(type) {
		case orb.Polygon:
			polys[i] = orb.MultiPolygon{g}
		case orb.MultiPolygon:
			polys[i] = g
		default:
			t.Fatalf("feature %d: unexpected geometry %T", i, g)
		}
		codes[i] = f.Properties.MustString(codeField, "")
	}
	return polys, codes
}

func TestContiguityMatchesSpdep(t *testing.T) {
	g := loadGolden(t)
	for _, name := range []string{"dalarna", "vaxjo"} {
		l := g[name]
		polys, codes := loadPolys(t, l.File, l.CodeField)
		if !slices.Equal(codes, l.Codes) {
			t.Fatalf("%s: feature order differs from golden", name)
		}
		for _, tc := range []struct {
			rule string
			want [][]int
		}{{weights.Queen, l.Queen}, {weights.Rook, l.Rook}} {
			t.Run(name+"/"+tc.rule, func(t *testing.T) {
				w, err := weights.Contiguity(polys, weights.ContiguityOptions{Rule: tc.rule, Tolerance: l.Snap})
				if err != nil {
					t.Fatal(err)
				}
				if len(w.Neighbors) != len(tc.want) {
					t.Fatalf("n = %d, want %d", len(w.Neighbors), len(tc.want))
				}
				links := 0
				for i := range tc.want {
					want := tc.want[i]
					if want == nil {
						want = []int{}
					}
					if !slices.Equal(w.Neighbors[i], want) {
						t.Errorf("%s (%d): got %v, want %v", codes[i], i, w.Neighbors[i], want)
					}
					links += len(want)
				}
				if links == 0 {
					t.Fatal("golden has no links")
				}
				if err := w.Validate(); err != nil {
					t.Fatal(err)
				}
			})
		}
	}
}

// TestSnapToEdgesOnRealCoverage: on a clean coverage, adding vertex-on-edge
// contacts must keep every spdep queen link and may add only links whose
// polygons really touch along an edge.
func TestSnapToEdgesOnRealCoverage(t *testing.T) {
	g := loadGolden(t)
	l := g["dalarna"]
	polys, _ := loadPolys(t, l.File, l.CodeField)
	w, err := weights.Contiguity(polys, weights.ContiguityOptions{Tolerance: 0.01, SnapToEdges: true})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range l.Queen {
		for _, j := range want {
			if _, ok := slices.BinarySearch(w.Neighbors[i], j); !ok {
				t.Errorf("edge mode lost queen link %d-%d", i, j)
			}
		}
	}
}

// subset keeps the polygons whose code is in keep, in keep's order.
func subset(t testing.TB, polys []orb.MultiPolygon, codes, keep []string) []orb.MultiPolygon {
	t.Helper()
	at := map[string]int{}
	for i, c := range codes {
		at[c] = i
	}
	out := make([]orb.MultiPolygon, len(keep))
	for k, c := range keep {
		i, ok := at[c]
		if !ok {
			t.Fatalf("code %s not found", c)
		}
		out[k] = polys[i]
	}
	return out
}

func TestContiguityIslandsSubset(t *testing.T) {
	l := loadGolden(t)["islands"]
	polys, codes := loadPolys(t, l.File, l.CodeField)
	polys = subset(t, polys, codes, l.Codes)
	w, err := weights.Contiguity(polys, weights.ContiguityOptions{Style: weights.StyleW})
	if err != nil {
		t.Fatal(err)
	}
	var wantIslands []int
	for i, want := range l.Queen {
		if len(want) == 0 {
			wantIslands = append(wantIslands, i)
			want = []int{}
		}
		if !slices.Equal(w.Neighbors[i], want) {
			t.Errorf("%d: got %v, want %v", i, w.Neighbors[i], want)
		}
	}
	if got := w.Islands(); len(wantIslands) == 0 || !slices.Equal(got, wantIslands) {
		t.Errorf("islands %v, want %v", got, wantIslands)
	}
	for i, row := range w.Weights {
		s := 0.0
		for _, v := range row {
			s += v
		}
		if len(row) > 0 && (s < 1-1e-12 || s > 1+1e-12) {
			t.Errorf("row %d sums to %v", i, s)
		}
	}
}
