package autocorr

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/segmap/segmap/spatial/weights"
)

// recountPSim replays LocalMoran's permutations (same seed, same stream)
// with every simulated Ii recorded and recounts esda's folded pseudo
// p-value by brute force: larger = #{sim >= Ii}; if nsim − larger < larger
// then larger = nsim − larger; p = (larger + 1)/(nsim + 1). It returns the
// recounted p-values and the number of observations with a tie (a simulated
// Ii equal to the observed one), where the old min(#>=, #<=) rule differs.
func recountPSim(t *testing.T, x []float64, w *weights.W, opts Options) (want []float64, got []LocalResult, ties int) {
	t.Helper()
	got, err := LocalMoran(x, w, opts)
	if err != nil {
		t.Fatal(err)
	}
	z, zz := centre(x)
	replay := make([]LocalResult, len(got))
	for i := range replay {
		replay[i].Ii = got[i].Ii
	}
	want = make([]float64, len(x))
	for i := range want {
		want[i] = -1 // islands: never recorded
	}
	permuteLocal(z, zz/float64(len(x)), w, opts, replay, func(i int, sims []float64) {
		if len(sims) != opts.Permutations {
			t.Fatalf("obs %d: %d simulations, want %d", i, len(sims), opts.Permutations)
		}
		larger, tie := 0, false
		for _, s := range sims {
			if s >= got[i].Ii {
				larger++
			}
			tie = tie || s == got[i].Ii
		}
		if opts.Permutations-larger < larger {
			larger = opts.Permutations - larger
		}
		want[i] = float64(larger+1) / float64(opts.Permutations+1)
		if tie {
			ties++
		}
	})
	return want, got, ties
}

func checkRecount(t *testing.T, want []float64, got []LocalResult) {
	t.Helper()
	for i, r := range got {
		if want[i] < 0 {
			if r.PSim == r.PSim {
				t.Errorf("island %d: PSim = %v, want NaN", i, r.PSim)
			}
			continue
		}
		if r.PSim != want[i] {
			t.Errorf("obs %d: PSim = %v, brute-force recount %v", i, r.PSim, want[i])
		}
	}
}

// TestPSimRecountDalarna: real data (low economic standard, 175 DeSO in
// Dalarna, spdep's queen lists), fixed seed, W and B weights.
func TestPSimRecountDalarna(t *testing.T) {
	b, err := os.ReadFile("../../testdata/weights/golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var all map[string]struct {
		Queen  [][]int   `json:"queen"`
		Values []float64 `json:"values"`
	}
	if err := json.Unmarshal(b, &all); err != nil {
		t.Fatal(err)
	}
	d := all["dalarna"]
	if len(d.Values) != 175 {
		t.Fatalf("%d values, want 175", len(d.Values))
	}
	for _, style := range []string{weights.StyleW, weights.StyleB} {
		w, err := weights.FromNeighbors(d.Queen, style)
		if err != nil {
			t.Fatal(err)
		}
		want, got, _ := recountPSim(t, d.Values, w, Options{Permutations: 999, Seed: 7})
		checkRecount(t, want, got)
	}
}

// TestPSimTies: integer values with an integer mean and binary weights make
// every simulated Ii an exact multiple of the same step, so ties with the
// observed Ii are common; the recount must count them on the upper side
// only (the old rule, min(#>=, #<=), counted them on both).
func TestPSimTies(t *testing.T) {
	const side = 8
	n := side * side
	x := make([]float64, n)
	nb := make([][]int, n)
	for i := range x {
		r, c := i/side, i%side
		x[i] = float64((r*3 + c*5) % 4) // 0..3, each 16 times: mean 1.5
		for _, d := range [][2]int{{-1, 0}, {1, 0}, {0, -1}, {0, 1}} {
			rr, cc := r+d[0], c+d[1]
			if rr >= 0 && rr < side && cc >= 0 && cc < side {
				nb[i] = append(nb[i], rr*side+cc)
			}
		}
	}
	nb[0] = nil // one island
	for j := range nb {
		k := 0
		for _, v := range nb[j] {
			if v != 0 {
				nb[j][k] = v
				k++
			}
		}
		nb[j] = nb[j][:k]
	}
	w, err := weights.FromNeighbors(nb, weights.StyleB)
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{Permutations: 199, Seed: 3}
	want, got, ties := recountPSim(t, x, w, opts)
	if ties < n/4 {
		t.Fatalf("only %d observations with ties; the test needs them", ties)
	}
	checkRecount(t, want, got)
}
