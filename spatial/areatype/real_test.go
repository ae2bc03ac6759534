package areatype

import (
	"strconv"
	"testing"

	"github.com/segmap/segmap/internal/testcsv"
)

const dir = "../../testdata/areatype/"

func f(t testing.TB, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// variant selects how the DeSO columns become Input counts.
type variant struct {
	name           string
	unempOverTotal bool // unemployed / all 16–64 instead of / labour force
	eduKnownOnly   bool // education denominator excludes "unknown"
	weighted       bool // mean and σ weighted by population
}

// regsoInputs aggregates the committed DeSO 2022 data to RegSO 2020.
func regsoInputs(t testing.TB, v variant) []Input {
	t.Helper()
	link := map[string]string{}
	for _, r := range testcsv.Rows(t, dir+"deso2018_regso2020_link.csv") {
		link[r["deso"]] = r["regso"]
	}
	rows := testcsv.Rows(t, dir+"deso_indicators_2022_subset.csv")
	in := make([]Input, len(rows))
	parent := make([]string, len(rows))
	for i, r := range rows {
		n := f(t, r["econ_standard_n_persons"])
		eduDen := f(t, r["edu_25_64_pre_upper_secondary"]) + f(t, r["edu_25_64_upper_secondary"]) +
			f(t, r["edu_25_64_post_sec_lt3y"]) + f(t, r["edu_25_64_post_sec_ge3y"])
		if !v.eduKnownOnly {
			eduDen += f(t, r["edu_25_64_unknown"])
		}
		unDen := f(t, r["lm_16_64_labour_force"])
		if v.unempOverTotal {
			unDen = f(t, r["lm_16_64_total"])
		}
		in[i] = Input{
			Code:       r["deso"],
			LowEcon:    f(t, r["low_econ_standard_pct"]) * n / 100,
			LowEconDen: n,
			LowEdu:     f(t, r["edu_25_64_pre_upper_secondary"]),
			LowEduDen:  eduDen,
			Unemp:      f(t, r["lm_16_64_unemployed"]),
			UnempDen:   unDen,
			Weight:     f(t, r["pop_total"]),
		}
		parent[i] = link[r["deso"]]
		if parent[i] == "" {
			t.Fatalf("DeSO %s has no RegSO", r["deso"])
		}
	}
	out, err := Aggregate(in, parent)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// agreement classifies all RegSO and compares with the official 2022 types:
// confusion[official-1][ours-1].
func agreement(t testing.TB, v variant) (exact float64, confusion [5][5]int, st Stats) {
	t.Helper()
	official := map[string]int{}
	for _, r := range testcsv.Rows(t, dir+"regso_omradestyp_2022.csv") {
		official[r["regso"]] = int(f(t, r["omradestyp_2022"]))
	}
	res, st, err := Classify(regsoInputs(t, v), Options{Weighted: v.weighted})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != len(official) {
		t.Fatalf("%d RegSO classified, %d official", len(res), len(official))
	}
	match := 0
	for _, r := range res {
		o := official[r.Code]
		if o == 0 || r.Type == 0 {
			t.Fatalf("RegSO %s: official %d, ours %d", r.Code, o, r.Type)
		}
		confusion[o-1][r.Type-1]++
		if o == r.Type {
			match++
		}
	}
	return float64(match) / float64(len(res)), confusion, st
}

// TestOfficialAgreementPinned pins how well each variant reproduces SCB's
// official 2022 områdestyper for all 3,363 RegSO (numbers documented in
// testdata/areatype/README.md). The first row is the recommended variant.
func TestOfficialAgreementPinned(t *testing.T) {
	tests := []struct {
		v     variant
		exact float64 // share of RegSO with the official type
	}{
		{variant{name: "unemp/total, unweighted", unempOverTotal: true}, 0.9587},
		{variant{name: "unemp/total, edu known only, unweighted", unempOverTotal: true, eduKnownOnly: true}, 0.9575},
		{variant{name: "unemp/labour force, unweighted"}, 0.9503},
		{variant{name: "unemp/labour force, edu known only, unweighted", eduKnownOnly: true}, 0.9492},
		{variant{name: "unemp/total, pop-weighted", unempOverTotal: true, weighted: true}, 0.9379},
		{variant{name: "unemp/total, edu known only, pop-weighted", unempOverTotal: true, eduKnownOnly: true, weighted: true}, 0.9343},
		{variant{name: "unemp/labour force, pop-weighted", weighted: true}, 0.9254},
		{variant{name: "unemp/labour force, edu known only, pop-weighted", eduKnownOnly: true, weighted: true}, 0.9245},
	}
	for _, tc := range tests {
		t.Run(tc.v.name, func(t *testing.T) {
			exact, c, _ := agreement(t, tc.v)
			if d := exact - tc.exact; d > 0.0005 || d < -0.0005 {
				t.Errorf("exact agreement %.4f, pinned %.4f\nconfusion %v", exact, tc.exact, c)
			}
		})
	}
}

// TestRecommendedConfusion pins the confusion matrix of the recommended
// variant: rows official type 1..5, columns our type 1..5. Every mismatch is
// one type away (the index is continuous; only the cut-points disagree).
func TestRecommendedConfusion(t *testing.T) {
	want := [5][5]int{
		{152, 8, 0, 0, 0},
		{7, 270, 12, 0, 0},
		{0, 13, 808, 34, 0},
		{0, 0, 22, 1723, 25},
		{0, 0, 0, 18, 271},
	}
	_, got, st := agreement(t, variant{unempOverTotal: true})
	for o := range 5 {
		for p := range 5 {
			d := got[o][p] - want[o][p]
			if d > 3 || d < -3 {
				t.Errorf("official %d / ours %d: %d, pinned %d", o+1, p+1, got[o][p], want[o][p])
			}
			if (o-p > 1 || p-o > 1) && got[o][p] != 0 {
				t.Errorf("official %d classified %d times as %d", o+1, got[o][p], p+1)
			}
		}
	}
	if st.N != 3363 || st.Missing != 0 {
		t.Errorf("N = %d, missing = %d", st.N, st.Missing)
	}
	// Official counts 160, 289, 855, 1770, 289.
	official := [5]int{160, 289, 855, 1770, 289}
	for k := range 5 {
		if d := st.Counts[k+1] - official[k]; d > 15 || d < -15 {
			t.Errorf("type %d: %d RegSO, official %d", k+1, st.Counts[k+1], official[k])
		}
	}
}
