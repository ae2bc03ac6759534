package service

import (
	"math"
	"testing"
)

func TestChangeClasses(t *testing.T) {
	changes := []float64{-3, -1, 0, 0.5, 2, math.NaN()}
	for i := 0; i < 95; i++ {
		changes = append(changes, float64(i%7)-3) // |c| <= 3
	}
	changes = append(changes, 400, -250, 300, 500, 600) // outliers beyond the 95th percentile
	cc := changeClasses(changes, 4)                     // even k becomes 5
	if len(cc.Colors) != 5 || len(cc.Breaks) != 6 {
		t.Fatalf("%d colours, %d breaks", len(cc.Colors), len(cc.Breaks))
	}
	if cc.Breaks[0] != -cc.Breaks[5] || cc.Breaks[5] != 3 {
		t.Errorf("breaks %v: want symmetric ±3 (the 95th percentile of |change|)", cc.Breaks)
	}
	for _, tc := range []struct {
		v    float64
		want int
	}{{0, 2}, {-0.1, 2}, {2.9, 4}, {600, 4}, {-250, 0}, {math.NaN(), -1}} {
		if got := cc.class(tc.v); got != tc.want {
			t.Errorf("class(%g) = %d, want %d", tc.v, got, tc.want)
		}
	}
	if cc.Colors[2] != "#f7f7f7" || cc.Colors[0] != "#2166ac" || cc.Colors[4] != "#b2182b" {
		t.Errorf("colours %v", cc.Colors)
	}
}
