package inequality

import (
	"encoding/binary"
	"math"
	"testing"
)

// floatsFrom decodes pairs of little-endian float64 from fuzz bytes.
func floatsFrom(data []byte) (a, b []float64) {
	for len(data) >= 16 {
		a = append(a, math.Float64frombits(binary.LittleEndian.Uint64(data)))
		b = append(b, math.Float64frombits(binary.LittleEndian.Uint64(data[8:])))
		data = data[16:]
	}
	return a, b
}

// FuzzIndices: on arbitrary input the indices never panic and, when they
// succeed, stay in range.
func FuzzIndices(f *testing.F) {
	seed := make([]byte, 0, 64)
	for _, v := range []float64{10, 40, 20, 30, 0, 5, 7, 0} {
		seed = binary.LittleEndian.AppendUint64(seed, math.Float64bits(v))
	}
	f.Add(seed)
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		a, b := floatsFrom(data)
		if d, err := Dissimilarity(a, b); err == nil && (d < 0 || d > 1 || math.IsNaN(d)) {
			t.Fatalf("D = %v", d)
		}
		if g, err := Gini(a, b); err == nil && (g < 0 || g > 1 || math.IsNaN(g)) {
			t.Fatalf("Gini = %v", g)
		}
		if h, err := Theil([][]float64{a, b}); err == nil && (h < 0 || h > 1 || math.IsNaN(h)) {
			t.Fatalf("H = %v", h)
		}
		tot := make([]float64, len(a))
		for i := range a {
			tot[i] = a[i] + b[i]
		}
		if x, err := Isolation(a, tot); err == nil && (x < 0 || x > 1 || math.IsNaN(x)) {
			t.Fatalf("xPx = %v", x)
		}
		nb := make([][]int, len(a))
		for i := range nb {
			nb[i] = []int{(i + 1) % len(a)}
		}
		if m, err := MorrillD(a, b, nb); err == nil && (m < -1 || m > 1 || math.IsNaN(m)) {
			t.Fatalf("D(adj) = %v", m)
		}
	})
}
