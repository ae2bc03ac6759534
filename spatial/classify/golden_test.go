package classify

import (
	"encoding/json"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/segmap/segmap/internal/testcsv"
)

type goldenCase struct {
	Column, Subset, Style string
	K                     int
	Thr                   float64
	EffectiveStyle        string `json:"effective_style"`
	Closure               string
	Breaks                []float64
	Counts                []int
	Classes               []int
}

type goldenSDStep struct {
	Column   string
	Step     float64
	Mean, SD float64
	Breaks   []float64
}

type golden struct {
	Generator string
	Cases     []goldenCase
	SDSteps   []goldenSDStep `json:"sdsteps"`
}

// scbValues reads testdata/classify/values.csv: DeSO code -> column -> values.
func scbValues(t testing.TB) (codes []string, cols map[string][]float64) {
	t.Helper()
	recs := testcsv.Records(t, "../../testdata/classify/values.csv")
	cols = map[string][]float64{}
	for _, r := range recs[1:] {
		codes = append(codes, r[0])
		for j := 1; j < len(r); j++ {
			v, err := strconv.ParseFloat(r[j], 64)
			if err != nil {
				t.Fatalf("%s %s: %v", r[0], recs[0][j], err)
			}
			cols[recs[0][j]] = append(cols[recs[0][j]], v)
		}
	}
	if len(codes) != 5984 {
		t.Fatalf("want 5984 DeSO rows, got %d", len(codes))
	}
	return codes, cols
}

func loadGolden(t testing.TB) golden {
	t.Helper()
	b, err := os.ReadFile("../../testdata/classify/golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var g golden
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	if len(g.Cases) < 80 || len(g.SDSteps) == 0 {
		t.Fatalf("golden.json looks truncated: %d cases", len(g.Cases))
	}
	return g
}

func subset(codes []string, x []float64, which string) []float64 {
	if which == "all" {
		return x
	}
	var out []float64
	for i, c := range codes {
		if strings.HasPrefix(c, "01") {
			out = append(out, x[i])
		}
	}
	return out
}

func relClose(a, b float64) bool {
	if a == b {
		return true
	}
	return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b))
}

func TestGoldenClassInt(t *testing.T) {
	codes, cols := scbValues(t)
	g := loadGolden(t)
	for _, c := range g.Cases {
		name := c.Column + "/" + c.Subset + "/" + c.Style + "/" + strconv.Itoa(c.K) + "/" + strconv.FormatFloat(c.Thr, 'g', -1, 64)
		t.Run(name, func(t *testing.T) {
			x := subset(codes, cols[c.Column], c.Subset)
			r, err := Classify(x, Options{Method: Method(c.Style), K: c.K, HeadTailsThreshold: c.Thr})
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Breaks) != len(c.Breaks) {
				t.Fatalf("breaks: got %v, classInt %v", r.Breaks, c.Breaks)
			}
			for i := range r.Breaks {
				if !relClose(r.Breaks[i], c.Breaks[i]) {
					t.Fatalf("break %d: got %.17g, classInt %.17g\n got %v\nwant %v", i, r.Breaks[i], c.Breaks[i], r.Breaks, c.Breaks)
				}
			}
			if r.Closure != c.Closure {
				t.Errorf("closure %q, classInt %q", r.Closure, c.Closure)
			}
			if (c.EffectiveStyle == "unique") != Has(r.Notes, NoteDistinct) {
				t.Errorf("classInt style %q but notes %v", c.EffectiveStyle, r.Notes)
			}
			for i := range c.Counts {
				if r.Counts[i] != c.Counts[i] {
					t.Fatalf("counts: got %v, classInt %v", r.Counts, c.Counts)
				}
			}
			for i, cl := range c.Classes {
				if r.Classes[i] != cl {
					t.Fatalf("value %d (%v): class %d, classInt findCols %d", i, x[i], r.Classes[i], cl)
				}
			}
			// Assigning with golden breaks must give classInt's classes too.
			a := AssignClosure(x, c.Breaks, nil, c.Closure)
			for i := range c.Counts {
				if a.Counts[i] != c.Counts[i] {
					t.Fatalf("assign with classInt breaks: counts %v, classInt %v", a.Counts, c.Counts)
				}
			}
		})
	}
}

func TestGoldenSDSteps(t *testing.T) {
	_, cols := scbValues(t)
	for _, c := range loadGolden(t).SDSteps {
		x := cols[c.Column]
		m, s := meanSD(sortedCopy(x))
		if !relClose(m, c.Mean) || !relClose(s, c.SD) {
			t.Errorf("%s: mean/sd %v/%v, R %v/%v", c.Column, m, s, c.Mean, c.SD)
		}
		r, err := StdDev(x, c.Step)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Breaks) != len(c.Breaks) {
			t.Fatalf("%s step %v: got %v, want %v", c.Column, c.Step, r.Breaks, c.Breaks)
		}
		for i := range r.Breaks {
			if !relClose(r.Breaks[i], c.Breaks[i]) {
				t.Fatalf("%s step %v: got %v, want %v", c.Column, c.Step, r.Breaks, c.Breaks)
			}
		}
	}
}

func sortedCopy(x []float64) []float64 { return finiteSorted(x, nil) }
