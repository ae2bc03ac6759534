package service

import (
	"context"
	"math"
	"testing"

	"github.com/segmap/segmap/data"
)

// TestSegregationGiniServed checks that /api/segregation serves the
// segregation Gini index, recomputed here from the store's foreign-born
// counts with the textbook double sum, and not the population-weighted Gini
// of the shares (G·(1 − P)).
func TestSegregationGiniServed(t *testing.T) {
	ctx := context.Background()
	s := New(testStore, nil, Options{})
	for _, kommun := range []string{"2080", "0180"} { // Falun (issue 13), Stockholm
		r, err := s.Segregation(ctx, kommun, 2022)
		if err != nil {
			t.Fatalf("%s: %v", kommun, err)
		}
		vals, err := testStore.Values(ctx, data.ValuesQuery{Level: data.LevelDeSO, Indicator: "foreign_born_pct", Year: 2022, Kommuner: []string{kommun}})
		if err != nil {
			t.Fatal(err)
		}
		var a, tot []float64
		var A, T float64
		for _, v := range vals {
			if v.Denominator > 0 {
				a = append(a, v.Numerator)
				tot = append(tot, v.Denominator)
				A += v.Numerator
				T += v.Denominator
			}
		}
		var sum float64
		for i := range a {
			for j := range a {
				sum += tot[i] * tot[j] * math.Abs(a[i]/tot[i]-a[j]/tot[j])
			}
		}
		P := A / T
		want := sum / (2 * T * T * P * (1 - P))
		if got := float64(r.Indices.Gini); math.Abs(got-want) > 1e-12 {
			t.Errorf("%s: gini = %.15g, want %.15g", kommun, got, want)
		}
		if kommun == "2080" && math.Round(float64(r.Indices.Gini)*1e4) != 3488 {
			t.Errorf("Falun gini = %.6f, want 0.3488", float64(r.Indices.Gini))
		}
	}
}
