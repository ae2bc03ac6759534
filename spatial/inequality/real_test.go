package inequality

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/segmap/segmap/internal/testcsv"
)

func num(t testing.TB, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestRealKommunIndices compares ojämlikhetsindex, the population-weighted
// Gini of DeSO median income, multi-group D and Theil H (four education
// levels) per kommun, computed from all 5,984 DeSO 2022, with the
// independent R implementation in testdata/inequality/gen.R.
func TestRealKommunIndices(t *testing.T) {
	deso := testcsv.Rows(t, "../../testdata/areatype/deso_indicators_2022_subset.csv")
	type kom struct {
		low, high, inc, pop, fb, sb, tb []float64
		edu                             [4][]float64
	}
	by := map[string]*kom{}
	eduCols := []string{"edu_25_64_pre_upper_secondary", "edu_25_64_upper_secondary",
		"edu_25_64_post_sec_lt3y", "edu_25_64_post_sec_ge3y"}
	for _, r := range deso {
		k := by[r["deso"][:4]]
		if k == nil {
			k = &kom{}
			by[r["deso"][:4]] = k
		}
		n := num(t, r["econ_standard_n_persons"])
		k.low = append(k.low, num(t, r["low_econ_standard_pct"])*n/100)
		k.high = append(k.high, num(t, r["high_econ_standard_pct"])*n/100)
		k.inc = append(k.inc, num(t, r["net_income_median_tkr"]))
		k.pop = append(k.pop, num(t, r["pop_total"]))
		k.fb = append(k.fb, num(t, r["foreign_background"]))
		k.sb = append(k.sb, num(t, r["swedish_background"]))
		k.tb = append(k.tb, num(t, r["pop_total_bg"]))
		for j, c := range eduCols {
			k.edu[j] = append(k.edu[j], num(t, r[c]))
		}
	}
	golden := testcsv.Rows(t, "../../testdata/inequality/kommun_indices_2022.csv")
	if len(golden) != 290 {
		t.Fatalf("golden has %d kommuner, want 290", len(golden))
	}
	const tol = 1e-9
	for _, g := range golden {
		k := by[g["kommun"]]
		if k == nil || len(k.low) != int(num(t, g["n"])) {
			t.Fatalf("kommun %s: DeSO count mismatch", g["kommun"])
		}
		check := func(name string, got float64, err error, want string) {
			if err != nil {
				t.Errorf("kommun %s %s: %v", g["kommun"], name, err)
				return
			}
			if w := num(t, want); math.Abs(got-w) > tol*math.Max(1, math.Abs(w)) {
				t.Errorf("kommun %s %s = %.12g, R %.12g", g["kommun"], name, got, w)
			}
		}
		oj, err := Ojamlikhetsindex(k.low, k.high)
		check("ojamlikhetsindex", oj, err, g["ojamlikhetsindex"])
		gi, err := Gini(k.inc, k.pop)
		check("gini", gi, err, g["gini_income_pop"])
		md, err := MultiGroupDissimilarity(k.edu[:])
		check("multi-group D", md, err, g["edu_multigroup_d"])
		h, err := Theil(k.edu[:])
		check("theil", h, err, g["edu_theil"])
		d, err := Dissimilarity(k.fb, k.sb)
		check("D background", d, err, g["bg_dissimilarity"])
		iso, err := Isolation(k.fb, k.tb)
		check("isolation", iso, err, g["bg_isolation"])
		exp, err := Exposure(k.fb, k.sb, k.tb)
		check("exposure", exp, err, g["bg_exposure"])
	}
}

// TestRealMorrill compares MorrillD (foreign vs Swedish background) per
// kommun in Stockholms län with gen.R, using the committed spdep queen
// neighbour lists restricted to each kommun.
func TestRealMorrill(t *testing.T) {
	counts := map[string][2]float64{}
	for _, r := range testcsv.Rows(t, "../../testdata/areatype/deso_indicators_2022_subset.csv") {
		counts[r["deso"]] = [2]float64{num(t, r["foreign_background"]), num(t, r["swedish_background"])}
	}
	type kom struct {
		codes []string
		nb    [][]string
	}
	by := map[string]*kom{}
	for _, r := range testcsv.Rows(t, "../../testdata/inequality/stockholm_deso2018_queen_nb.csv") {
		k := by[r["deso"][:4]]
		if k == nil {
			k = &kom{}
			by[r["deso"][:4]] = k
		}
		k.codes = append(k.codes, r["deso"])
		k.nb = append(k.nb, strings.Fields(r["neighbours"]))
	}
	golden := testcsv.Rows(t, "../../testdata/inequality/stockholm_morrill_2022.csv")
	if len(golden) != 26 {
		t.Fatalf("golden has %d kommuner, want 26", len(golden))
	}
	for _, g := range golden {
		k := by[g["kommun"]]
		pos := map[string]int{}
		for i, c := range k.codes {
			pos[c] = i
		}
		a, b := make([]float64, len(k.codes)), make([]float64, len(k.codes))
		nb := make([][]int, len(k.codes))
		pairs := 0
		for i, c := range k.codes {
			cnt, ok := counts[c]
			if !ok {
				t.Fatalf("no counts for %s", c)
			}
			a[i], b[i] = cnt[0], cnt[1]
			for _, n := range k.nb[i] {
				if j, ok := pos[n]; ok {
					nb[i] = append(nb[i], j)
					pairs++
				}
			}
		}
		if pairs != int(num(t, g["pairs"])) {
			t.Errorf("kommun %s: %d neighbour pairs, R %s", g["kommun"], pairs, g["pairs"])
		}
		got, err := MorrillD(a, b, nb)
		if want := num(t, g["morrill_d"]); err != nil || math.Abs(got-want) > 1e-9 {
			t.Errorf("kommun %s: D(adj) = %.12g (%v), R %.12g", g["kommun"], got, err, want)
		}
		if d, _ := Dissimilarity(a, b); got > d {
			t.Errorf("kommun %s: D(adj) %v > D %v", g["kommun"], got, d)
		}
	}
}

func benchData(n int) (a, b, tot []float64, nb [][]int) {
	r := rand.New(rand.NewPCG(7, 8))
	a, b, tot = make([]float64, n), make([]float64, n), make([]float64, n)
	nb = make([][]int, n)
	for i := range a {
		a[i] = float64(r.IntN(500))
		b[i] = float64(r.IntN(500))
		tot[i] = a[i] + b[i] + float64(r.IntN(500))
		for _, d := range []int{-2, -1, 1, 2} {
			if j := i + d; j >= 0 && j < n {
				nb[i] = append(nb[i], j)
			}
		}
	}
	a[0]++
	b[0]++
	return a, b, tot, nb
}

func BenchmarkIndices(b *testing.B) {
	for _, n := range []int{6000, 100000} {
		x, y, tot, nb := benchData(n)
		groups := [][]float64{x, y, tot}
		cases := []struct {
			name string
			fn   func() (float64, error)
		}{
			{"Dissimilarity", func() (float64, error) { return Dissimilarity(x, y) }},
			{"Ojamlikhetsindex", func() (float64, error) { return Ojamlikhetsindex(x, y) }},
			{"MultiGroupDissimilarity", func() (float64, error) { return MultiGroupDissimilarity(groups) }},
			{"Isolation", func() (float64, error) { return Isolation(x, tot) }},
			{"Exposure", func() (float64, error) { return Exposure(x, y, tot) }},
			{"Theil", func() (float64, error) { return Theil(groups) }},
			{"Gini", func() (float64, error) { return Gini(x, tot) }},
			{"MorrillD", func() (float64, error) { return MorrillD(x, y, nb) }},
		}
		for _, c := range cases {
			b.Run(c.name+"/n="+strconv.Itoa(n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := c.fn(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
