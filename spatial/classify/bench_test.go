package classify

import "testing"

// benchValues: n=6,000 = the 5,984 real DeSO median net incomes (+16
// repeated); n=100,000 = those values repeated, copy c shifted by c*0.001
// (the same construction as bench.R).
func benchValues(b *testing.B, n int) []float64 {
	_, cols := scbValues(b)
	v := cols["net_income_median_tkr"]
	x := make([]float64, n)
	for i := range x {
		x[i] = v[i%len(v)] + float64(i/len(v))*0.001
	}
	return x
}

func BenchmarkClassify(b *testing.B) {
	for _, n := range []int{6000, 100000} {
		x := benchValues(b, n)
		for _, m := range Methods() {
			opts := Options{Method: m, K: 5, Manual: []float64{0, 200, 300, 400, 600}}
			b.Run(string(m)+"/n="+itoa(n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := Classify(x, opts); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func itoa(n int) string {
	if n == 6000 {
		return "6000"
	}
	return "100000"
}
