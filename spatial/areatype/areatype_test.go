package areatype

import (
	"errors"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

func TestTypeOfBoundaries(t *testing.T) {
	tests := []struct {
		z    float64
		want int
	}{
		{3, 1}, {2, 1}, {1.9999, 2}, {1, 2}, {0.5, 3}, {0, 3},
		{-0.0001, 4}, {-1, 4}, {-1.0001, 5}, {-5, 5}, {math.NaN(), 0},
	}
	for _, tc := range tests {
		if got := TypeOf(tc.z); got != tc.want {
			t.Errorf("TypeOf(%v) = %d, want %d", tc.z, got, tc.want)
		}
	}
}

func TestClassifyHand(t *testing.T) {
	// Indices (mean of the three shares, each share = x%): 0, 10, 20, 30, 40
	// plus one area without data. Mean 20, σ = sqrt((400+100+0+100+400)/5)
	// = sqrt(200) ≈ 14.142; z = −1.414, −0.707, 0, 0.707, 1.414
	// → types 5, 4, 3, 3, 2.
	mk := func(code string, pct float64) Input {
		return Input{Code: code, LowEcon: pct, LowEconDen: 100, LowEdu: pct, LowEduDen: 100, Unemp: pct, UnempDen: 100, Weight: 1}
	}
	in := []Input{mk("a", 0), mk("b", 10), mk("c", 20), mk("d", 30), mk("e", 40), {Code: "none"}}
	res, st, err := Classify(in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	wantType := []int{5, 4, 3, 3, 2, 0}
	for i, r := range res {
		if r.Type != wantType[i] || r.Code != in[i].Code {
			t.Errorf("%s: type %d, want %d (z %v)", r.Code, r.Type, wantType[i], r.Z)
		}
	}
	if math.Abs(st.Mean-20) > 1e-12 || math.Abs(st.SD-math.Sqrt(200)) > 1e-12 || st.N != 5 || st.Missing != 1 {
		t.Errorf("stats %+v", st)
	}
	if st.Counts != [6]int{1, 0, 1, 2, 1, 1} {
		t.Errorf("counts %v", st.Counts)
	}
	// Mixed components: shares 30, 60, 0 → index 30.
	idx, le, ed, un, ok := Input{LowEcon: 3, LowEconDen: 10, LowEdu: 6, LowEduDen: 10, Unemp: 0, UnempDen: 5}.Index()
	if !ok || idx != 30 || le != 30 || ed != 60 || un != 0 {
		t.Errorf("Index = %v %v %v %v %v", idx, le, ed, un, ok)
	}
	// Weighted: weights 3,1 on indices 0,40 → mean 10, σ = sqrt((3·100+900)/4)
	// = sqrt(300); z(40) = 30/17.32 = 1.732 → type 2, z(0) = −0.577 → type 4.
	w := []Input{mk("x", 0), mk("y", 40)}
	w[0].Weight = 3
	res, st, err = Classify(w, Options{Weighted: true})
	if err != nil || res[0].Type != 4 || res[1].Type != 2 || math.Abs(st.Mean-10) > 1e-12 {
		t.Errorf("weighted: %+v %+v %v", res, st, err)
	}
}

func TestClassifyErrors(t *testing.T) {
	ok := Input{LowEcon: 1, LowEconDen: 10, LowEdu: 1, LowEduDen: 10, Unemp: 1, UnempDen: 10}
	tests := []struct {
		name string
		in   []Input
		want error
	}{
		{"empty", nil, ErrEmpty},
		{"no data", []Input{{Code: "a"}}, ErrEmpty},
		{"no spread", []Input{ok, ok}, ErrNoSpread},
		{"negative", []Input{{LowEcon: -1, LowEconDen: 10}}, ErrInvalid},
		{"nan", []Input{{LowEdu: math.NaN()}}, ErrInvalid},
		{"num > den", []Input{{Unemp: 11, UnempDen: 10, LowEconDen: 1, LowEduDen: 1}}, ErrInvalid},
	}
	for _, tc := range tests {
		if _, _, err := Classify(tc.in, Options{}); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
	if _, err := Aggregate([]Input{ok}, nil); !errors.Is(err, ErrInvalid) {
		t.Errorf("aggregate length: %v", err)
	}
}

func TestAggregate(t *testing.T) {
	in := []Input{
		{Code: "d1", LowEcon: 1, LowEconDen: 10, LowEdu: 2, LowEduDen: 20, Unemp: 3, UnempDen: 30, Weight: 5},
		{Code: "d2", LowEcon: 4, LowEconDen: 40, LowEdu: 5, LowEduDen: 50, Unemp: 6, UnempDen: 60, Weight: 7},
		{Code: "d3", LowEcon: 9, LowEconDen: 9, LowEdu: 9, LowEduDen: 9, Unemp: 9, UnempDen: 9, Weight: 9},
		{Code: "dx", LowEcon: 1, LowEconDen: 1, LowEdu: 1, LowEduDen: 1, Unemp: 1, UnempDen: 1},
	}
	out, err := Aggregate(in, []string{"R2", "R2", "R1", ""})
	if err != nil {
		t.Fatal(err)
	}
	want := []Input{
		{Code: "R1", LowEcon: 9, LowEconDen: 9, LowEdu: 9, LowEduDen: 9, Unemp: 9, UnempDen: 9, Weight: 9},
		{Code: "R2", LowEcon: 5, LowEconDen: 50, LowEdu: 7, LowEduDen: 70, Unemp: 9, UnempDen: 90, Weight: 12},
	}
	if len(out) != len(want) {
		t.Fatalf("got %+v", out)
	}
	for i := range want {
		if out[i] != want[i] {
			t.Errorf("got %+v, want %+v", out[i], want[i])
		}
	}
}

func BenchmarkClassify(b *testing.B) {
	for _, n := range []int{6000, 100000} {
		r := rand.New(rand.NewPCG(1, 1))
		in := make([]Input, n)
		for i := range in {
			in[i] = Input{LowEcon: float64(r.IntN(100)), LowEconDen: 100, LowEdu: float64(r.IntN(100)), LowEduDen: 100,
				Unemp: float64(r.IntN(100)), UnempDen: 100, Weight: 1}
		}
		b.Run("n="+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := Classify(in, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
