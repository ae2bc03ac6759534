package service

import (
	"math"
	"testing"
)

func TestChangeClasses(t *testing.T) {
	t.Parallel()
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

// Every class of a spread of changes is used (not one colour for all), and
// no change at all gets a unit limit, not zero.
func TestChangeClassesSpread(t *testing.T) {
	t.Parallel()
	var changes []float64
	for i := 0; i < 100; i++ {
		changes = append(changes, -1+2*float64(i)/99)
	}
	changes = append(changes, 50, math.NaN())
	for _, k := range []int{4, 5, 7} {
		cc := changeClasses(changes, k)
		used := map[int]bool{}
		for _, v := range changes {
			if c := cc.class(v); c >= 0 {
				used[c] = true
			}
		}
		if len(used) != len(cc.Colors) || cc.Breaks[len(cc.Breaks)-1] > 1.01 {
			t.Errorf("k=%d: %d of %d classes used, breaks %v", k, len(used), len(cc.Colors), cc.Breaks)
		}
	}
	for _, c := range [][]float64{{0, 0}, nil} {
		if cc := changeClasses(c, 5); cc.Breaks[5] != 1 {
			t.Errorf("changes %v: limit %v, want 1", c, cc.Breaks[5])
		}
	}
}

func TestClassifyChanges(t *testing.T) {
	t.Parallel()
	c := &Change{Areas: []ChangeArea{{Change: Num(-2)}, {Change: Num(0)}, {Change: Num(nan)}, {Change: Num(2)}}}
	classifyChanges(c, 3)
	if len(c.Classes.Colors) != 3 {
		t.Fatalf("colours %v", c.Classes.Colors)
	}
	for i, want := range []int{0, 1, -1, 2} {
		if c.Areas[i].Class != want {
			t.Errorf("area %d: class %d, want %d", i, c.Areas[i].Class, want)
		}
	}
	classifyChanges(c, 0)
	if len(c.Classes.Colors) != 5 {
		t.Errorf("k=0: %d colours, want the default 5", len(c.Classes.Colors))
	}
}
