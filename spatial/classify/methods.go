package classify

import (
	"math"
	"sort"
)

// Quantile classifies values into k quantile classes (R type 7).
func Quantile(values []float64, k int) (Result, error) {
	return Classify(values, Options{Method: MethodQuantile, K: k})
}

// EqualInterval classifies values into k classes of equal width.
func EqualInterval(values []float64, k int) (Result, error) {
	return Classify(values, Options{Method: MethodEqual, K: k})
}

// FisherJenks classifies values into the exact optimal k classes, breaks at
// midpoints between classes (classInt "fisher").
func FisherJenks(values []float64, k int) (Result, error) {
	return Classify(values, Options{Method: MethodFisher, K: k})
}

// Jenks classifies values into the exact optimal k classes, breaks at class
// maxima, closed on the right (classInt "jenks").
func Jenks(values []float64, k int) (Result, error) {
	return Classify(values, Options{Method: MethodJenks, K: k})
}

// StdDev classifies values with breaks every step (1 or 0.5) sample standard
// deviations from the mean. For classInt's "sd" style use Classify with
// SDStep 0 and K.
func StdDev(values []float64, step float64) (Result, error) {
	if !(step > 0) {
		return Result{}, ErrSDStep
	}
	return Classify(values, Options{Method: MethodSD, SDStep: step})
}

// Pretty classifies values with R pretty() breaks for about k classes.
func Pretty(values []float64, k int) (Result, error) {
	return Classify(values, Options{Method: MethodPretty, K: k})
}

// HeadTail classifies values with head/tail breaks (threshold 0.4).
func HeadTail(values []float64) (Result, error) {
	return Classify(values, Options{Method: MethodHeadTails})
}

// Manual classifies values with the given breaks (closed on the left).
func Manual(values []float64, breaks []float64) (Result, error) {
	return Classify(values, Options{Method: MethodManual, Manual: breaks})
}

// quantileBreaks: R quantile(x, seq(0, 1, 1/k)), type 7; x sorted.
func quantileBreaks(x []float64, k int) []float64 {
	n := len(x)
	by := 1 / float64(k)
	b := make([]float64, k+1)
	for i := 0; i <= k; i++ {
		p := math.Min(float64(i)*by, 1)
		index := 1 + float64(n-1)*p
		lo := math.Floor(index)
		hi := math.Ceil(index)
		q := x[int(lo)-1]
		xh := x[int(hi)-1]
		if index > lo && xh != q {
			h := index - lo
			q = (1-h)*q + h*xh
		}
		b[i] = q
	}
	return b
}

// equalBreaks: R seq(lo, hi, length.out = k+1) as classInt's "equal" style
// calls it: b_i = lo + i·((hi − lo)/k), first and last exactly lo and hi.
// The step is (hi − lo)/k, not hi/k − lo/k: the two differ in the last bit,
// and a value lying on a break (published data rounded to one decimal often
// does) then falls in another class than in classInt. When hi − lo
// overflows, R scales by 1/4 first: (lo/4 + i·((hi/4 − lo/4)/k))·4.
func equalBreaks(lo, hi float64, k int) []float64 {
	b := make([]float64, k+1)
	n1 := float64(k)
	if del := hi - lo; !math.IsInf(del, 0) {
		for i := 1; i < k; i++ {
			b[i] = lo + float64(i)*(del/n1)
		}
	} else {
		lo4, hi4 := lo/4, hi/4
		for i := 1; i < k; i++ {
			b[i] = (lo4 + float64(i)*((hi4-lo4)/n1)) * 4
		}
	}
	b[0], b[k] = lo, hi
	return b
}

// meanSD returns the mean and the sample standard deviation (n-1) with
// two-pass sums, as R's mean() and sd().
func meanSD(x []float64) (float64, float64) {
	n := float64(len(x))
	var s float64
	for _, v := range x {
		s += v
	}
	m := s / n
	var c float64
	for _, v := range x {
		c += v - m
	}
	m += c / n
	if len(x) < 2 {
		return m, 0
	}
	// scale by the largest deviation so squares cannot overflow
	var ma float64
	for _, v := range x {
		ma = math.Max(ma, math.Abs(v-m))
	}
	if ma == 0 || math.IsInf(ma, 0) || math.IsNaN(ma) {
		return m, ma
	}
	var ss, sc float64
	for _, v := range x {
		d := (v - m) / ma
		ss += d * d
		sc += d
	}
	return m, ma * math.Sqrt((ss-sc*sc/n)/(n-1))
}

func mean(x []float64) float64 {
	m, _ := meanSD(x)
	return m
}

// sdPrettyBreaks: classInt "sd": pretty(scale(x), k) * sd + mean.
func sdPrettyBreaks(x []float64, lo, hi float64, k int) []float64 {
	m, s := meanSD(x)
	z := PrettyBreaks((lo-m)/s, (hi-m)/s, k)
	for i := range z {
		z[i] = z[i]*s + m
	}
	return z
}

// sdStepBreaks: mean + j*step*sd strictly inside (min, max), plus min, max.
func sdStepBreaks(x []float64, lo, hi, step float64) []float64 {
	m, s := meanSD(x)
	b := []float64{lo}
	d := step * s
	j0 := math.Floor((lo - m) / d)
	j1 := math.Ceil((hi - m) / d)
	// d can underflow to 0 for subnormal data; a sane spread has at most
	// about sqrt(n)/step steps, so anything huge is numerical noise.
	if d > 0 && j1-j0 <= 1e6 {
		for j := j0; j <= j1; j++ {
			v := m + j*d
			if v > lo && v < hi {
				b = append(b, v)
			}
		}
	}
	return append(b, hi)
}

// headTailsBreaks: classInt "headtails" for sorted x.
func headTailsBreaks(x []float64, thr float64) []float64 {
	b := []float64{x[0]}
	head := x
	for i := 0; i < 100; i++ {
		mu := mean(head)
		b = append(b, mu)
		ntot := len(head)
		// x is sorted: the head is the tail of the slice above mu.
		j := len(head)
		for j > 0 && head[j-1] > mu {
			j--
		}
		head = head[j:]
		prop := float64(len(head)) / float64(ntot)
		if !(prop <= thr && len(head) > 1) {
			break
		}
	}
	b = append(b, x[len(x)-1])
	// sort(unique(...))
	sort.Float64s(b)
	out := b[:1]
	for _, v := range b[1:] {
		if v != out[len(out)-1] {
			out = append(out, v)
		}
	}
	return out
}
