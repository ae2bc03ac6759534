package classify

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestErrors(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name   string
		values []float64
		opts   Options
		want   error
	}{
		{"empty", nil, Options{Method: MethodQuantile, K: 5}, ErrEmpty},
		{"all missing", []float64{nan, math.Inf(1)}, Options{Method: MethodFisher, K: 3}, ErrEmpty},
		{"all suppressed", []float64{1, 2}, Options{Method: MethodEqual, K: 2, Suppressed: []bool{true, true}}, ErrEmpty},
		{"k=1", []float64{1, 2, 3}, Options{Method: MethodQuantile, K: 1}, ErrK},
		{"k=0 jenks", []float64{1, 2, 3}, Options{Method: MethodJenks}, ErrK},
		{"unknown", []float64{1, 2, 3}, Options{Method: "kmeans", K: 3}, ErrMethod},
		{"manual short", []float64{1, 2, 3}, Options{Method: MethodManual, Manual: []float64{1, nan}}, ErrManual},
		{"sd step", []float64{1, 2, 3}, Options{Method: MethodSD, SDStep: -1}, ErrSDStep},
		{"threshold", []float64{1, 2, 3}, Options{Method: MethodHeadTails, HeadTailsThreshold: 2}, ErrThreshold},
		{"suppressed len", []float64{1, 2, 3}, Options{Method: MethodEqual, K: 2, Suppressed: []bool{true}}, ErrSuppressedLen},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Classify(tt.values, tt.opts)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "classify: ") {
				t.Errorf("message %q lacks package prefix", err)
			}
		})
	}
	if _, err := Quantile([]float64{1, 2, 3}, 1); err == nil || err.Error() != "classify: k must be >= 2, got 1" {
		t.Errorf("message: %v", err)
	}
}

func TestNoDataAndSuppressed(t *testing.T) {
	v := []float64{1, math.NaN(), 2, math.Inf(1), 3, 100, 4, math.Inf(-1)}
	sup := []bool{false, false, false, false, false, true, false, true}
	r, err := Classify(v, Options{Method: MethodEqual, K: 3, Suppressed: sup})
	if err != nil {
		t.Fatal(err)
	}
	// 100 is suppressed and must not stretch the breaks: 1..4 in 3 classes.
	want := []float64{1, 2, 3, 4}
	for i := range want {
		if math.Abs(r.Breaks[i]-want[i]) > 1e-12 {
			t.Fatalf("breaks %v, want %v", r.Breaks, want)
		}
	}
	wantClasses := []int{0, NoData, 1, NoData, 2, SuppressedClass, 2, SuppressedClass}
	for i, c := range wantClasses {
		if r.Classes[i] != c {
			t.Errorf("value %d: class %d, want %d", i, r.Classes[i], c)
		}
	}
	if r.NoData != 2 || r.Suppressed != 2 || r.Counts[0]+r.Counts[1]+r.Counts[2] != 4 {
		t.Errorf("nodata %d suppressed %d counts %v", r.NoData, r.Suppressed, r.Counts)
	}
}

func TestClosure(t *testing.T) {
	v := []float64{0, 1, 2, 3, 4}
	b := []float64{0, 2, 4}
	left := Assign(v, b, nil)
	right := AssignClosure(v, b, nil, ClosureRight)
	// left: [0,2) [2,4]   right: [0,2] (2,4]
	wantL := []int{0, 0, 1, 1, 1}
	wantR := []int{0, 0, 0, 1, 1}
	for i := range v {
		if left.Classes[i] != wantL[i] || right.Classes[i] != wantR[i] {
			t.Fatalf("left %v right %v", left.Classes, right.Classes)
		}
	}
	if left.Closure != ClosureLeft || right.Closure != ClosureRight {
		t.Error("closure not recorded")
	}
	// duplicate breaks: findInterval puts 2 in the last class starting at 2
	d := Assign([]float64{1, 2, 3}, []float64{1, 2, 2, 3}, nil)
	if d.Classes[1] != 2 || d.Counts[1] != 0 {
		t.Errorf("duplicate breaks: %v %v", d.Classes, d.Counts)
	}
	// outside the breaks: nearest end class, noted
	o := Assign([]float64{-5, 10}, b, nil)
	if o.Classes[0] != 0 || o.Classes[1] != 1 || !Has(o.Notes, NoteOutside) {
		t.Errorf("outside: %v %v", o.Classes, o.Notes)
	}
}

func TestFewDistinctValues(t *testing.T) {
	r, err := Classify([]float64{1, 1, 2, 2, 4}, Options{Method: MethodFisher, K: 5})
	if err != nil {
		t.Fatal(err)
	}
	// classInt "unique": midpoints, ends extended by half the mean gap (1.5)
	want := []float64{0.25, 1.5, 3, 4.75}
	if len(r.Breaks) != len(want) {
		t.Fatalf("breaks %v", r.Breaks)
	}
	for i := range want {
		if math.Abs(r.Breaks[i]-want[i]) > 1e-12 {
			t.Fatalf("breaks %v, want %v", r.Breaks, want)
		}
	}
	if !Has(r.Notes, NoteDistinct) || r.Counts[0] != 2 || r.Counts[1] != 2 || r.Counts[2] != 1 {
		t.Errorf("notes %v counts %v", r.Notes, r.Counts)
	}
	one, err := Classify([]float64{7, 7, math.NaN()}, Options{Method: MethodQuantile, K: 4})
	if err != nil || one.K() != 1 || one.Counts[0] != 2 || one.NoData != 1 {
		t.Errorf("single value: %+v %v", one, err)
	}
}

func TestPooled(t *testing.T) {
	_, cols := scbValues(t)
	x := cols["low_econ_standard_pct"]
	y2 := cols["foreign_born_pct"] // stands in for a second year
	res, err := Pooled([][]float64{x, y2}, nil, Options{Method: MethodJenks, K: 5})
	if err != nil {
		t.Fatal(err)
	}
	all := append(append([]float64(nil), x...), y2...)
	b, _ := Breaks(all, Options{Method: MethodJenks, K: 5})
	for i, r := range res {
		if r.Closure != ClosureRight || len(r.Breaks) != 6 {
			t.Fatalf("year %d: %+v", i, r.Breaks)
		}
		for j := range b {
			if r.Breaks[j] != b[j] {
				t.Fatalf("pooled breaks differ: %v vs %v", r.Breaks, b)
			}
		}
	}
	whole := AssignClosure(all, b, nil, ClosureRight)
	for c := range whole.Counts {
		if res[0].Counts[c]+res[1].Counts[c] != whole.Counts[c] {
			t.Fatalf("class %d: %d+%d != %d", c, res[0].Counts[c], res[1].Counts[c], whole.Counts[c])
		}
	}
}

func TestMethodsOnSCB(t *testing.T) {
	_, cols := scbValues(t)
	x := cols["net_income_median_tkr"]
	for _, m := range Methods() {
		opts := Options{Method: m, K: 5, Manual: []float64{0, 200, 300, 400, 600}}
		r, err := Classify(x, opts)
		if err != nil {
			t.Fatalf("%s: %v", m, err)
		}
		checkInvariants(t, x, nil, r, m != MethodManual)
	}
	// Fisher-Jenks is optimal: no other method has a smaller within-class SSD
	// with 5 classes.
	best := ssd(x, must(FisherJenks(x, 5)))
	for _, m := range []Method{MethodQuantile, MethodEqual} {
		if s := ssd(x, must(Classify(x, Options{Method: m, K: 5}))); s < best {
			t.Errorf("%s SSD %v < fisher %v", m, s, best)
		}
	}
	if j := ssd(x, must(Jenks(x, 5))); math.Abs(j-best) > 1e-6*best {
		t.Errorf("jenks SSD %v != fisher %v", j, best)
	}
}

func must(r Result, err error) Result {
	if err != nil {
		panic(err)
	}
	return r
}

func ssd(x []float64, r Result) float64 {
	k := r.K()
	sum := make([]float64, k)
	n := make([]float64, k)
	for i, c := range r.Classes {
		if c >= 0 {
			sum[c] += x[i]
			n[c]++
		}
	}
	var s float64
	for i, c := range r.Classes {
		if c >= 0 {
			d := x[i] - sum[c]/n[c]
			s += d * d
		}
	}
	return s
}

// checkInvariants: counts add up, breaks non-decreasing, every value lies in
// its class interval (when inside is true).
func checkInvariants(t testing.TB, x []float64, sup []bool, r Result, inside bool) {
	t.Helper()
	if len(r.Classes) != len(x) {
		t.Fatalf("%d classes for %d values", len(r.Classes), len(x))
	}
	total := 0
	for _, c := range r.Counts {
		total += c
	}
	if total != len(x)-r.NoData-r.Suppressed {
		t.Fatalf("counts %v sum %d, want %d-%d-%d", r.Counts, total, len(x), r.NoData, r.Suppressed)
	}
	if len(r.Counts) != r.K() {
		t.Fatalf("%d counts for %d breaks", len(r.Counts), len(r.Breaks))
	}
	for i := 1; i < len(r.Breaks); i++ {
		if !(r.Breaks[i] >= r.Breaks[i-1]) {
			t.Fatalf("breaks decrease: %v", r.Breaks)
		}
	}
	for i, c := range r.Classes {
		v := x[i]
		switch {
		case i < len(sup) && sup[i]:
			if c != SuppressedClass {
				t.Fatalf("value %d suppressed but class %d", i, c)
			}
			continue
		case math.IsNaN(v) || math.IsInf(v, 0):
			if c != NoData {
				t.Fatalf("value %d (%v) class %d", i, v, c)
			}
			continue
		}
		if c < 0 || c >= r.K() {
			t.Fatalf("value %d (%v): class %d of %d", i, v, c, r.K())
		}
		if !inside {
			continue
		}
		lo, hi := r.Breaks[c], r.Breaks[c+1]
		okLo := v > lo || (v == lo && (r.Closure == ClosureLeft || c == 0))
		okHi := v < hi || (v == hi && (r.Closure == ClosureRight || c == r.K()-1))
		if !okLo || !okHi {
			t.Fatalf("value %v in class %d [%v, %v] closure %s, breaks %v", v, c, lo, hi, r.Closure, r.Breaks)
		}
	}
}

func TestSDStepTinyValues(t *testing.T) {
	// subnormal values: the step underflows to 0; must not loop forever
	x := []float64{5e-324, 1e-323, 1.5e-323, 5e-324}
	for _, step := range []float64{0.5, 1} {
		r, err := StdDev(x, step)
		if err != nil {
			t.Fatal(err)
		}
		checkInvariants(t, x, nil, r, true)
	}
}

// Only breaks computed over several groups are called pooled.
func TestPooledNote(t *testing.T) {
	a, b := []float64{1, 2, 3, 4, 5, 6}, []float64{2, 4, 6, 8, 10, 12}
	o := Options{Method: MethodQuantile, K: 3}
	one, err := Pooled([][]float64{a}, nil, o)
	if err != nil {
		t.Fatal(err)
	}
	if Has(one[0].Notes, NotePooled) {
		t.Errorf("one group: notes %v", one[0].Notes)
	}
	two, err := Pooled([][]float64{a, b}, nil, o)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range two {
		if !Has(r.Notes, NotePooled) {
			t.Errorf("two groups, result %d: notes %v", i, r.Notes)
		}
	}
}
