package classify

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/segmap/segmap/internal/testcsv"
)

// stockholmUnemployment reads unemployment_rate_16_64_pct (SCB 000007A8,
// published with one decimal) of the 1,287 DeSO 2018 in Stockholms län.
func stockholmUnemployment(t *testing.T) []float64 {
	t.Helper()
	recs := testcsv.Records(t, "../../testdata/indicators/deso_indicators_2022.csv")
	col := -1
	for j, h := range recs[0] {
		if h == "unemployment_rate_16_64_pct" {
			col = j
		}
	}
	var x []float64
	for _, r := range recs[1:] {
		if !strings.HasPrefix(r[0], "01") {
			continue
		}
		v, err := strconv.ParseFloat(r[col], 64)
		if err != nil {
			t.Fatal(err)
		}
		x = append(x, v)
	}
	if col < 0 || len(x) != 1287 {
		t.Fatalf("column %d, %d values; want 1287 DeSO", col, len(x))
	}
	return x
}

// TestEqualIntervalOnBreaks: values that lie exactly on a break (1-decimal
// data) must land where classInt puts them. Breaks are recomputed here as
// R's seq(min, max, length.out = k+1) does, min + i·((max − min)/k); classes
// with findInterval(x, breaks, all.inside = TRUE) written out as a count of
// the breaks <= x. The counts are classInt 0.4 classIntervals(style =
// "equal") + findCols from the independent R check in issue 13.
func TestEqualIntervalOnBreaks(t *testing.T) {
	x := stockholmUnemployment(t)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range x {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	const k = 5
	want := []float64{lo}
	for i := 1; i < k; i++ {
		want = append(want, lo+float64(i)*((hi-lo)/k))
	}
	want = append(want, hi)

	r, err := EqualInterval(x, k)
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if r.Breaks[i] != want[i] {
			t.Errorf("break %d = %.17g, want %.17g (R seq)", i, r.Breaks[i], want[i])
		}
	}
	if got, wantCounts := r.Counts, []int{913, 216, 107, 32, 19}; !equalInts(got, wantCounts) {
		t.Errorf("counts %v, classInt %v", got, wantCounts)
	}
	onBreak := 0
	for i, v := range x {
		c := 0
		for _, b := range want[1:k] {
			if b <= v {
				c++
			}
		}
		if r.Classes[i] != c {
			t.Fatalf("value %d (%v) in class %d, findInterval %d", i, v, r.Classes[i], c)
		}
		for _, b := range want[1:k] {
			if v == b {
				onBreak++
			}
		}
	}
	if onBreak == 0 {
		t.Fatal("no value lies on a break: the test would not see the break rule")
	}
}

func TestEqualBreaksOverflow(t *testing.T) {
	b := equalBreaks(-math.MaxFloat64, math.MaxFloat64, 4)
	want := []float64{-math.MaxFloat64, -math.MaxFloat64 / 2, 0, math.MaxFloat64 / 2, math.MaxFloat64}
	for i := range want {
		if math.Abs(b[i]-want[i]) > 1e-15*math.MaxFloat64 || math.IsInf(b[i], 0) {
			t.Errorf("break %d = %g, want %g", i, b[i], want[i])
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
