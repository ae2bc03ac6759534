package inequality

import (
	"errors"
	"math"
	"testing"

	"github.com/segmap/segmap/internal/testcsv"
)

// giniDoubleSum is the textbook definition written out as the double sum
// over all ordered pairs of areas, independent of SegregationGini's sorted
// single pass.
func giniDoubleSum(a, total []float64) float64 {
	var A, T, s float64
	for i := range a {
		A += a[i]
		T += total[i]
	}
	for i := range a {
		for j := range a {
			if total[i] == 0 || total[j] == 0 {
				continue
			}
			s += total[i] * total[j] * math.Abs(a[i]/total[i]-a[j]/total[j])
		}
	}
	P := A / T
	return s / (2 * T * T * P * (1 - P))
}

func TestSegregationGiniHand(t *testing.T) {
	tests := []struct {
		name     string
		a, total []float64
		want     float64
	}{
		{"complete segregation", []float64{10, 0, 0}, []float64{10, 20, 5}, 1},
		{"even", []float64{1, 2, 3}, []float64{10, 20, 30}, 0},
		// p = 0.2, 0.8; t = 10, 10; T = 20, P = 0.5:
		// 2·10·10·0.6 / (2·400·0.25) = 120/200.
		{"two areas", []float64{2, 8}, []float64{10, 10}, 0.6},
		{"empty area has no weight", []float64{2, 0, 8}, []float64{10, 0, 10}, 0.6},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := SegregationGini(tc.a, tc.total)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(got-tc.want) > 1e-12 {
				t.Errorf("SegregationGini = %.15g, want %.15g", got, tc.want)
			}
		})
	}
}

func TestSegregationGiniErrors(t *testing.T) {
	tests := []struct {
		name     string
		a, total []float64
		want     error
	}{
		{"empty", nil, nil, ErrEmpty},
		{"length", []float64{1}, []float64{1, 2}, ErrLength},
		{"nan", []float64{math.NaN(), 1}, []float64{2, 2}, ErrNaN},
		{"negative", []float64{-1, 1}, []float64{2, 2}, ErrNegative},
		{"no members", []float64{0, 0}, []float64{2, 2}, ErrZeroTotal},
		{"everyone a member", []float64{2, 2}, []float64{2, 2}, ErrZeroTotal},
		{"exceeds", []float64{3, 1}, []float64{2, 2}, ErrExceedsTotal},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := SegregationGini(tc.a, tc.total); !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

// TestRealSegregationGini checks the foreign-born Gini of every kommun (all
// 5,984 DeSO 2022, SCB) against the double sum, that the old
// population-weighted Gini of the shares is G·(1 − P), and the Falun figures
// of the independent check (issue 13): 0.3488 expected, 0.3114 served before.
func TestRealSegregationGini(t *testing.T) {
	type kom struct{ a, total []float64 }
	by := map[string]*kom{}
	for _, r := range testcsv.Rows(t, "../../testdata/indicators/deso_indicators_2022.csv") {
		k := by[r["kommun"]]
		if k == nil {
			k = &kom{}
			by[r["kommun"]] = k
		}
		k.a = append(k.a, num(t, r["born_europe_excl_sweden"])+num(t, r["born_rest_of_world_incl_unknown"]))
		k.total = append(k.total, num(t, r["pop_total"]))
	}
	if len(by) != 290 {
		t.Fatalf("%d kommuner, want 290", len(by))
	}
	for code, k := range by {
		if len(k.a) < 2 {
			continue
		}
		got, err := SegregationGini(k.a, k.total)
		if err != nil {
			t.Fatalf("kommun %s: %v", code, err)
		}
		if want := giniDoubleSum(k.a, k.total); math.Abs(got-want) > 1e-12 {
			t.Errorf("kommun %s: SegregationGini = %.15g, double sum %.15g", code, got, want)
		}
		shares := make([]float64, len(k.a))
		var A, T float64
		for i := range k.a {
			shares[i] = k.a[i] / k.total[i]
			A += k.a[i]
			T += k.total[i]
		}
		gw, err := Gini(shares, k.total)
		if err != nil {
			t.Fatal(err)
		}
		if w := got * (1 - A/T); math.Abs(gw-w) > 1e-12 {
			t.Errorf("kommun %s: weighted Gini of shares %.15g, want G·(1−P) = %.15g", code, gw, w)
		}
	}
	falun := by["2080"]
	g, _ := SegregationGini(falun.a, falun.total)
	if math.Round(g*1e4) != 3488 {
		t.Errorf("Falun SegregationGini = %.6f, want 0.3488", g)
	}
	shares := make([]float64, len(falun.a))
	for i := range shares {
		shares[i] = falun.a[i] / falun.total[i]
	}
	if gw, _ := Gini(shares, falun.total); math.Round(gw*1e4) != 3114 {
		t.Errorf("Falun weighted Gini of shares = %.6f, want 0.3114", gw)
	}
}

func BenchmarkSegregationGini(b *testing.B) {
	var a, total []float64
	for _, r := range testcsv.Rows(b, "../../testdata/indicators/deso_indicators_2022.csv") {
		a = append(a, num(b, r["born_europe_excl_sweden"])+num(b, r["born_rest_of_world_incl_unknown"]))
		total = append(total, num(b, r["pop_total"]))
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := SegregationGini(a, total); err != nil {
			b.Fatal(err)
		}
	}
}
