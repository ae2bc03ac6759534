package classify

import (
	"encoding/binary"
	"errors"
	"math"
	"testing"
)

// FuzzClassify: Classify never panics and its results keep the invariants
// (counts add up, breaks non-decreasing, values inside their class).
func FuzzClassify(f *testing.F) {
	enc := func(v ...float64) []byte {
		b := make([]byte, 8*len(v))
		for i, x := range v {
			binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(x))
		}
		return b
	}
	f.Add(enc(1, 2, 3, 4, 5, 6), uint8(3), uint8(0), uint8(0))
	f.Add(enc(1, 1, 1, math.NaN(), math.Inf(1)), uint8(5), uint8(2), uint8(1))
	f.Add(enc(-1e300, 1e300, 0, 5e-324), uint8(2), uint8(3), uint8(2))
	f.Add(enc(320, 355, 278.7, 68.8, 563.9, 278.7, 301), uint8(4), uint8(4), uint8(5))
	f.Add([]byte{}, uint8(2), uint8(1), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, k, method, supMask uint8) {
		n := len(data) / 8
		if n > 2000 {
			n = 2000
		}
		x := make([]float64, n)
		sup := make([]bool, n)
		for i := range x {
			x[i] = math.Float64frombits(binary.LittleEndian.Uint64(data[8*i:]))
			sup[i] = supMask&(1<<(i%8)) != 0 && supMask&0x80 != 0
		}
		ms := Methods()
		m := ms[int(method)%len(ms)]
		opts := Options{Method: m, K: int(k % 12), Suppressed: sup}
		if m == MethodManual {
			opts.Manual = []float64{-1, 0, 1, 100}
		}
		if m == MethodSD && k%2 == 1 {
			opts.SDStep = 0.5
		}
		r, err := Classify(x, opts)
		if err != nil {
			if !(errors.Is(err, ErrEmpty) || errors.Is(err, ErrK)) {
				t.Fatalf("unexpected error: %v", err)
			}
			return
		}
		// Extreme magnitudes overflow arithmetic (mean, range) to ±Inf or
		// NaN breaks; the class invariants are checked when breaks are finite.
		finite := true
		for _, b := range r.Breaks {
			finite = finite && !math.IsNaN(b) && !math.IsInf(b, 0)
		}
		checkInvariants(t, x, sup, r, finite && m != MethodManual)
	})
}
