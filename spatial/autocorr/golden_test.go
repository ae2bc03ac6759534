package autocorr_test

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/segmap/segmap/spatial/autocorr"
	"github.com/segmap/segmap/spatial/weights"
)

// nfloat is a float that may be JSON null (R NaN/NA).
type nfloat float64

func (f *nfloat) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = nfloat(math.NaN())
		return nil
	}
	var v float64
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*f = nfloat(v)
	return nil
}

type golden struct {
	Codes  []string  `json:"codes"`
	Queen  [][]int   `json:"queen"`
	Values []float64 `json:"values"`
	Moran  struct {
		I, EI, VarI, Z, PNorm                 float64
		VarINormality, ZNormality, PNormality float64
	} `json:"moran"`
	LocalMoran struct {
		Ii, E, Var, Z, P []nfloat
		Quadrant         []string `json:"quadrant"`
	} `json:"localmoran"`
	LocalG struct {
		G, Z, P []nfloat
	} `json:"localG"`
	LocalGB struct {
		Z []nfloat
	} `json:"localG_B"`
}

func load(t testing.TB, layer string) golden {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "weights", "golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		t.Fatal(err)
	}
	var g golden
	if err := json.Unmarshal(all[layer], &g); err != nil {
		t.Fatal(err)
	}
	if len(g.Values) == 0 || len(g.Values) != len(g.Queen) {
		t.Fatalf("%s: golden has %d values for %d areas", layer, len(g.Values), len(g.Queen))
	}
	return g
}

func close(t *testing.T, what string, got float64, want nfloat, tol float64) {
	t.Helper()
	w := float64(want)
	if math.IsNaN(w) {
		if !math.IsNaN(got) {
			t.Errorf("%s = %v, want NaN", what, got)
		}
		return
	}
	if math.IsNaN(got) || math.Abs(got-w) > tol*math.Max(1, math.Abs(w)) {
		t.Errorf("%s = %.17g, want %.17g", what, got, w)
	}
}

var quadrants = map[string]string{"High-High": "HH", "Low-Low": "LL", "High-Low": "HL", "Low-High": "LH"}

func TestMatchesSpdep(t *testing.T) {
	for _, layer := range []string{"dalarna", "islands"} {
		t.Run(layer, func(t *testing.T) {
			g := load(t, layer)
			w, err := weights.FromNeighbors(g.Queen, weights.StyleW)
			if err != nil {
				t.Fatal(err)
			}
			m, err := autocorr.Moran(g.Values, w, autocorr.Options{})
			if err != nil {
				t.Fatal(err)
			}
			const tol = 1e-9
			close(t, "I", m.I, nfloat(g.Moran.I), tol)
			close(t, "EI", m.EI, nfloat(g.Moran.EI), tol)
			close(t, "VarI", m.VarI, nfloat(g.Moran.VarI), tol)
			close(t, "Z", m.Z, nfloat(g.Moran.Z), tol)
			close(t, "PNorm", m.PNorm, nfloat(g.Moran.PNorm), tol)
			close(t, "VarINormality", m.VarINormality, nfloat(g.Moran.VarINormality), tol)
			close(t, "ZNormality", m.ZNormality, nfloat(g.Moran.ZNormality), tol)
			close(t, "PNormality", m.PNormality, nfloat(g.Moran.PNormality), tol)

			lm, err := autocorr.LocalMoran(g.Values, w, autocorr.Options{})
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range lm {
				close(t, "Ii", r.Ii, g.LocalMoran.Ii[i], tol)
				close(t, "E", r.E, g.LocalMoran.E[i], tol)
				close(t, "Var", r.Var, g.LocalMoran.Var[i], tol)
				close(t, "Z", r.Z, g.LocalMoran.Z[i], tol)
				close(t, "P", r.P, g.LocalMoran.P[i], tol)
				if q := quadrants[g.LocalMoran.Quadrant[i]]; q != r.Quadrant {
					t.Errorf("%d: quadrant %s, want %s", i, r.Quadrant, q)
				}
				if r.Cluster != "" && !(r.P < 0.05) {
					t.Errorf("%d: cluster %s with p=%v", i, r.Cluster, r.P)
				}
			}
			gi, err := autocorr.GetisOrdGiStar(g.Values, w)
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range gi {
				close(t, "G", r.G, g.LocalG.G[i], tol)
				close(t, "Gi* Z", r.Z, g.LocalG.Z[i], tol)
				close(t, "Gi* P", r.P, g.LocalG.P[i], tol)
			}
			gb, err := autocorr.GetisOrdGiStar(g.Values, w.Binary())
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range gb {
				close(t, "Gi* (B) Z", r.Z, g.LocalGB.Z[i], tol)
			}
		})
	}
}
