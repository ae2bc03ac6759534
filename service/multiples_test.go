package service

import (
	"context"
	"errors"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/internal/fault"
	"github.com/segmap/segmap/spatial/classify"
)

// Small multiples share one set of breaks: those of the classification
// pooled over all the years (classify.Pooled on every year's values),
// and each year's classes are that year's values in them.
func TestSmallMultiplesPooledBreaks(t *testing.T) {
	ctx := context.Background()
	svc := New(testStore, nil, Options{})
	q := MultiplesQuery{ClassifyQuery: ClassifyQuery{ValuesQuery: ValuesQuery{Level: data.LevelRegSO, Indicator: "foreign_born_pct", Kommuner: []string{"0180"}}, K: 5}}
	m, err := svc.SmallMultiples(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.Years, []int{2020, 2021, 2022, 2023}) || len(m.Maps) != 4 {
		t.Fatalf("years %v, %d maps", m.Years, len(m.Maps))
	}
	// The pooled breaks, computed here from the four years' values.
	var groups [][]float64
	var sups [][]bool
	for _, y := range m.Years {
		v, err := svc.Values(ctx, ValuesQuery{Level: data.LevelRegSO, Indicator: "foreign_born_pct", Year: y, Kommuner: []string{"0180"}})
		if err != nil {
			t.Fatal(err)
		}
		g, s := v.floats()
		groups, sups = append(groups, g), append(sups, s)
	}
	res, err := classify.Pooled(groups, sups, classify.Options{Method: classify.MethodQuantile, K: 5})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.Breaks, res[0].Breaks) {
		t.Errorf("breaks %v, pooled over the years %v", m.Breaks, res[0].Breaks)
	}
	for i, y := range m.Maps {
		cl, err := svc.Classify(ctx, ClassifyQuery{ValuesQuery: ValuesQuery{Level: data.LevelRegSO, Indicator: "foreign_born_pct", Year: y.Year, Kommuner: []string{"0180"}}, K: 5, Pooled: m.Years})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(cl.Breaks, m.Breaks) {
			t.Errorf("%d: breaks %v differ", y.Year, cl.Breaks)
		}
		for j, a := range y.Areas {
			if a.Class != res[i].Classes[j] {
				t.Fatalf("%d %s: class %d, pooled %d", y.Year, a.Code, a.Class, res[i].Classes[j])
			}
		}
	}
	// One year's own breaks differ from the pooled ones (else the test
	// could not tell).
	own, err := svc.Classify(ctx, ClassifyQuery{ValuesQuery: ValuesQuery{Level: data.LevelRegSO, Indicator: "foreign_born_pct", Year: 2020, Kommuner: []string{"0180"}}, K: 5})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal(own.Breaks, m.Breaks) {
		t.Error("2020's own breaks equal the pooled ones")
	}

	svg, err := svc.SmallMultiplesSVG(ctx, MultiplesQuery{ClassifyQuery: q.ClassifyQuery, Width: 900})
	if err != nil {
		t.Fatal(err)
	}
	s := string(svg)
	if n := strings.Count(s, `<svg class="panel"`); n != 4 {
		t.Errorf("%d panels, want 4", n)
	}
	for _, y := range []string{"2020", "2021", "2022", "2023"} {
		if !strings.Contains(s, `aria-label="`+y+`"`) {
			t.Errorf("no panel %s", y)
		}
	}
	// Every class colour of the legend is drawn once in the legend and
	// used by areas.
	for _, e := range m.Maps[0].Legend {
		if e.Kind == "class" && !regexp.MustCompile(`fill="`+e.Color+`" stroke="#8c8c8c"`).MatchString(s) {
			t.Errorf("legend lacks %s", e.Color)
		}
	}
	if !strings.Contains(s, "Samma klassgränser alla år") || !strings.Contains(s, "Utrikes födda 2020–2023") {
		t.Error("title or source missing")
	}
	if dir := os.Getenv("SEGMAP_ARTIFACTS"); dir != "" {
		_ = os.WriteFile(dir+"/multiples.svg", svg, 0o644)
	}
}

func TestSmallMultiplesErrors(t *testing.T) {
	ctx := context.Background()
	svc := New(testStore, nil, Options{})
	base := ClassifyQuery{ValuesQuery: ValuesQuery{Level: data.LevelRegSO, Indicator: "foreign_born_pct", Kommuner: []string{"0180"}}}
	for _, tc := range []struct {
		q    MultiplesQuery
		kind error
		msg  string
	}{
		{MultiplesQuery{ClassifyQuery: base, Years: []int{2019}}, fault.Invalid, "no values of indicator"},
		{MultiplesQuery{ClassifyQuery: ClassifyQuery{ValuesQuery: ValuesQuery{Level: data.LevelRegSO, Indicator: "nope"}}}, fault.NotFound, "nope"},
		{MultiplesQuery{ClassifyQuery: ClassifyQuery{ValuesQuery: ValuesQuery{Level: "nolevel", Indicator: "foreign_born_pct"}}}, fault.NotFound, "nolevel"},
	} {
		_, err := svc.SmallMultiples(ctx, tc.q)
		if !errors.Is(err, tc.kind) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%+v: %v", tc.q.Years, err)
		}
	}
	if _, err := svc.SmallMultiplesSVG(ctx, MultiplesQuery{ClassifyQuery: base, Columns: 4, Width: 300}); !errors.Is(err, fault.Invalid) {
		t.Errorf("4 columns in 300 px: %v", err)
	}
}
