package correlate

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/segmap/segmap/internal/testcsv"
)

func TestHand(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name    string
		x, y, w []float64
		method  Method
		want    float64
		n       int
		wantErr error
	}{
		// x̄ = 2, ȳ = 4: Σdxdy = 2·... perfectly linear.
		{"linear", []float64{1, 2, 3}, []float64{2, 4, 6}, nil, MethodPearson, 1, 3, nil},
		{"anti", []float64{1, 2, 3}, []float64{3, 2, 1}, nil, MethodPearson, -1, 3, nil},
		// x = (1,2,3,4), y = (1,3,2,4): dx = (−1.5,−.5,.5,1.5), dy same set
		// reordered; Σdxdy = 2.25+(−.25)+(−.25)+2.25 = 4, Σdx² = 5 → r = .8.
		{"hand", []float64{1, 2, 3, 4}, []float64{1, 3, 2, 4}, nil, MethodPearson, 0.8, 4, nil},
		// NaN pair dropped: same as "hand".
		{"nan dropped", []float64{1, 2, nan, 3, 4}, []float64{1, 3, 5, 2, 4}, nil, MethodPearson, 0.8, 4, nil},
		// Spearman of a monotone non-linear relation is 1.
		{"spearman monotone", []float64{1, 2, 3, 4}, []float64{1, 8, 27, 64}, nil, MethodSpearman, 1, 4, nil},
		// Ties: x ranks (1.5,1.5,3,4), y ranks (1,2,3,4): dx = (−1,−1,.5,1.5),
		// dy = (−1.5,−.5,.5,1.5): Σdxdy = 1.5+.5+.25+2.25 = 4.5,
		// Σdx² = 1+1+.25+2.25 = 4.5, Σdy² = 5 → r = 4.5/√22.5 = .948683.
		{"spearman ties", []float64{7, 7, 8, 9}, []float64{1, 2, 3, 4}, nil, MethodSpearman, 4.5 / math.Sqrt(22.5), 4, nil},
		// Integer weights = replication: w = (2,1,1) on (1,1),(2,3),(3,2) is
		// the unweighted (1,1),(1,1),(2,3),(3,2): x̄ = 1.75, ȳ = 1.75,
		// dx = (−.75,−.75,.25,1.25), dy = (−.75,−.75,1.25,.25):
		// Σdxdy = .5625·2+.3125·2 = 1.75, Σdx² = .5625·2+.0625+1.5625 = 2.75.
		{"weighted", []float64{1, 2, 3}, []float64{1, 3, 2}, []float64{2, 1, 1}, MethodPearson, 1.75 / 2.75, 3, nil},
		// Zero weight drops the pair.
		{"zero weight", []float64{1, 2, 3, 100}, []float64{2, 4, 6, -5}, []float64{1, 1, 1, 0}, MethodPearson, 1, 3, nil},
		{"constant", []float64{1, 1, 1}, []float64{1, 2, 3}, nil, MethodPearson, 0, 3, ErrConstant},
		{"too few", []float64{1, nan}, []float64{1, 2}, nil, MethodPearson, 0, 1, ErrTooFew},
		{"length", []float64{1, 2}, []float64{1}, nil, MethodPearson, 0, 0, ErrLength},
		{"weights length", []float64{1, 2}, []float64{1, 2}, []float64{1}, MethodPearson, 0, 0, ErrLength},
		{"negative weight", []float64{1, 2}, []float64{1, 2}, []float64{1, -1}, MethodPearson, 0, 0, ErrWeight},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Correlate(tc.x, tc.y, Options{Method: tc.method, Weights: tc.w})
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if err != nil {
				return
			}
			if math.Abs(res.R-tc.want) > 1e-12 || res.N != tc.n || len(res.Used) != tc.n {
				t.Errorf("r = %v n = %d, want %v n = %d", res.R, res.N, tc.want, tc.n)
			}
		})
	}
	res, _ := Correlate([]float64{1, 2, nan, 3, 4}, []float64{1, 3, 5, 2, 4}, Options{})
	if !slices.Equal(res.Used, []int{0, 1, 3, 4}) {
		t.Errorf("used = %v", res.Used)
	}
}

func TestRanks(t *testing.T) {
	got := Ranks([]float64{30, 10, 20, 10, 30, 30})
	want := []float64{5, 1.5, 3, 1.5, 5, 5}
	if !slices.Equal(got, want) {
		t.Errorf("Ranks = %v, want %v", got, want)
	}
}

// TestAgainstR compares with R's cor() and cov.wt() on all 5,984 DeSO 2022
// (golden from testdata/inequality/gen.R).
func TestAgainstR(t *testing.T) {
	cols := testcsv.Columns(t, "../../testdata/areatype/deso_indicators_2022_subset.csv")
	golden := testcsv.Columns(t, "../../testdata/inequality/correlations_2022.csv")
	if len(golden["x"]) != 3 {
		t.Fatalf("golden rows: %d", len(golden["x"]))
	}
	w := floats(t, cols["pop_total"])
	for i := range golden["x"] {
		x, y := floats(t, cols[golden["x"][i]]), floats(t, cols[golden["y"][i]])
		name := golden["x"][i] + "~" + golden["y"][i]
		for _, c := range []struct {
			col string
			fn  func() (float64, error)
		}{
			{"pearson", func() (float64, error) { return Pearson(x, y, nil) }},
			{"spearman", func() (float64, error) { return Spearman(x, y) }},
			{"pearson_pop_weighted", func() (float64, error) { return Pearson(x, y, w) }},
		} {
			got, err := c.fn()
			want, _ := strconv.ParseFloat(golden[c.col][i], 64)
			if err != nil || math.Abs(got-want) > 1e-12 {
				t.Errorf("%s %s = %.15g (%v), R %.15g", name, c.col, got, err, want)
			}
		}
	}
}

func floats(t testing.TB, ss []string) []float64 {
	t.Helper()
	if ss == nil {
		t.Fatal("missing column")
	}
	out := make([]float64, len(ss))
	for i, s := range ss {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = v
	}
	return out
}

func BenchmarkCorrelate(b *testing.B) {
	for _, n := range []int{6000, 100000} {
		r := rand.New(rand.NewPCG(2, 2))
		x, y, w := make([]float64, n), make([]float64, n), make([]float64, n)
		for i := range x {
			x[i] = r.NormFloat64()
			y[i] = x[i] + r.NormFloat64()
			w[i] = float64(1 + r.IntN(100))
		}
		for _, m := range []Method{MethodPearson, MethodSpearman} {
			b.Run(string(m)+"/n="+strconv.Itoa(n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := Correlate(x, y, Options{Method: m, Weights: w}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// FuzzCorrelate: arbitrary input never panics; r is in [-1, 1] or an error.
func FuzzCorrelate(f *testing.F) {
	f.Add(1.0, 2.0, 3.0, 2.0, 4.0, 7.0, 1.0)
	f.Add(math.NaN(), 1.0, 1.0, 1.0, 1.0, 1.0, 0.0)
	f.Fuzz(func(t *testing.T, x1, x2, x3, y1, y2, y3, w float64) {
		x, y := []float64{x1, x2, x3}, []float64{y1, y2, y3}
		for _, opts := range []Options{{}, {Method: MethodSpearman}, {Weights: []float64{w, 1, 2}}} {
			res, err := Correlate(x, y, opts)
			if err == nil && !(res.R >= -1 && res.R <= 1) {
				t.Fatalf("%+v: r = %v", opts, res.R)
			}
		}
	})
}

func TestDeterminism(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	x, y := make([]float64, 6000), make([]float64, 6000)
	for i := range x {
		x[i], y[i] = float64(r.IntN(50)), r.NormFloat64()
	}
	first, _ := Spearman(x, y)
	for range 3 {
		if s, _ := Spearman(x, y); s != first {
			t.Fatal("Spearman not deterministic")
		}
	}
}

func TestExtreme(t *testing.T) {
	_, err := Pearson([]float64{1e308, -1e308, 0}, []float64{1, 2, 3}, nil)
	if !errors.Is(err, ErrNumeric) {
		t.Errorf("err = %v, want ErrNumeric", err)
	}
}
