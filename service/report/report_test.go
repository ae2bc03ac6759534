package report

import (
	"bytes"
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/service"
)

func TestAggregateValues(t *testing.T) {
	t.Parallel()
	ratio := data.Indicator{Aggregation: data.AggRatio, Scale: 100}
	wm := data.Indicator{Aggregation: data.AggWeightedMean}
	sum := data.Indicator{Aggregation: data.AggSum}
	none := data.Indicator{Aggregation: data.AggNone}
	v := func(val, num, den float64) data.Value {
		return data.Value{Value: val, Numerator: num, Denominator: den}
	}
	tests := []struct {
		name string
		ind  data.Indicator
		vals []data.Value
		want float64
	}{
		// 10 of 100 and 30 of 50: 40/150, not the mean of 10 % and 60 %.
		{"ratio", ratio, []data.Value{v(10, 10, 100), v(60, 30, 50)}, 100 * 40.0 / 150},
		{"ratio from value", ratio, []data.Value{v(10, math.NaN(), 100), v(60, math.NaN(), 50)}, 100 * 40.0 / 150},
		{"weighted mean", wm, []data.Value{v(300, math.NaN(), 10), v(400, math.NaN(), 30)}, (3000 + 12000) / 40.0},
		{"sum", sum, []data.Value{v(5, 0, 0), v(7, 0, 0)}, 12},
		{"median", none, []data.Value{v(5, 0, 0), v(7, 0, 0)}, math.NaN()},
		{"one value", none, []data.Value{v(5, 0, 0)}, 5},
		{"missing", ratio, []data.Value{v(10, 10, 100), v(math.NaN(), math.NaN(), 50)}, math.NaN()},
		{"suppressed", ratio, []data.Value{v(10, 10, 100), {Value: 1, Numerator: 1, Denominator: 5, Suppressed: true}}, math.NaN()},
		{"empty", ratio, nil, math.NaN()},
	}
	for _, tc := range tests {
		got := float64(aggregateValues(tc.ind, tc.vals))
		if math.IsNaN(tc.want) != math.IsNaN(got) || !math.IsNaN(got) && math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("%s: %g, want %g", tc.name, got, tc.want)
		}
	}
}

func TestReportRegionAggregates(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc := service.New(testStore, nil, service.Options{})
	kom := []string{"0126", "0127", "0128"}
	r, err := New(svc, Options{Cache: -1}).Build(ctx, Query{Kommuner: kom, Lang: "en", Now: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC), Permutations: 99})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Warnings) > 0 || r.Generated != "2026-01-02" || r.Name != "Huddinge, Botkyrka and Salem" {
		t.Errorf("warnings %v, generated %s, name %q", r.Warnings, r.Generated, r.Name)
	}
	// The region's share is Σ numerators / Σ denominators of its kommuner,
	// read here straight from the store.
	for _, ki := range r.Indicators {
		if ki.Indicator.Aggregation != data.AggRatio {
			continue
		}
		vals, err := testStore.Values(ctx, data.ValuesQuery{Level: data.LevelKommun, Indicator: ki.Indicator.ID, Year: ki.Year})
		if err != nil {
			t.Fatal(err)
		}
		var num, den float64
		n := 0
		for _, v := range vals {
			for _, k := range kom {
				if v.Code == k {
					num += v.Numerator
					den += v.Denominator
					n++
				}
			}
		}
		want := num / den * ki.Indicator.Scale
		if n != 3 || math.Abs(float64(ki.Region)-want) > 1e-9 {
			t.Errorf("%s: region %g, Σnum/Σden %g (%d kommuner)", ki.Indicator.ID, float64(ki.Region), want, n)
		}
	}
	// Population of the region = sum of the kommuner's.
	pops, _ := testStore.Values(ctx, data.ValuesQuery{Level: data.LevelKommun, Indicator: "population", Year: r.PopulationYear})
	total := 0.0
	for _, v := range pops {
		if v.Code == "0126" || v.Code == "0127" || v.Code == "0128" {
			total += v.Value
		}
	}
	if float64(r.Population) != total || total == 0 {
		t.Errorf("population %g, sum %g", float64(r.Population), total)
	}
	var buf bytes.Buffer
	if err := r.WriteHTML(&buf); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	// The chapter says which områdestyper it used: the demo store has SCB's.
	if r.Types == nil || r.Types.TypeSource.Source != service.SourceOfficial || r.Types.TypeSource.Year != r.Types.Year ||
		!strings.Contains(page, `<p id="types-source">`+htmlText(r.Types.TypeSource.NoteEN)+`</p>`) {
		t.Errorf("områdestyper chapter does not say its source: %+v", r.Types)
	}
	for _, want := range []string{`<html lang="en">`, "Socio-economic area types", "Huddinge, Botkyrka and Salem", "By municipality", "@font-face{font-family:Go"} {
		if !strings.Contains(page, want) {
			t.Errorf("English report lacks %q", want)
		}
	}
}

func BenchmarkReport(b *testing.B) {
	ctx := context.Background()
	svc := service.New(testStore, nil, service.Options{})
	b.ReportAllocs()
	for b.Loop() {
		r, err := New(svc, Options{Cache: -1}).Build(ctx, Query{Kommuner: []string{"0180"}})
		if err != nil {
			b.Fatal(err)
		}
		var buf bytes.Buffer
		if err := r.WriteHTML(&buf); err != nil {
			b.Fatal(err)
		}
	}
}

func TestReportRegionName(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc := service.New(testStore, nil, service.Options{})
	all, err := testStore.Areas(ctx, data.LevelKommun, data.AreasOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var lan01 []string
	for _, a := range all {
		if a.Lan == "01" {
			lan01 = append(lan01, a.Code)
		}
	}
	tests := []struct {
		kommuner []string
		lang     string
		want     string
	}{
		{[]string{"0180"}, "sv", "Stockholm"},
		{[]string{"0126", "0127", "0128"}, "sv", "Huddinge, Botkyrka och Salem"},
		{lan01[:6], "sv", "6 kommuner i Stockholms län"},
		{lan01[:6], "en", "6 municipalities in Stockholms län"},
		{lan01, "sv", "Stockholms län"},
		{append([]string{"1466"}, lan01[:5]...), "en", "6 municipalities"},
	}
	for _, tc := range tests {
		b := &builder{svc: svc, store: testStore, opts: svc.Options(), q: Query{Kommuner: tc.kommuner, Lang: tc.lang}, en: tc.lang == "en", r: &Report{}}
		var names []string
		for _, k := range tc.kommuner {
			a, err := testStore.Area(ctx, data.LevelKommun, k)
			if err != nil {
				t.Fatal(err)
			}
			b.r.Kommuner = append(b.r.Kommuner, Kommun{Code: a.Code, Name: a.Name, Lan: a.Lan, LanName: data.LanName(a.Lan)})
			names = append(names, a.Name)
		}
		b.r.LanCode, b.r.LanName = b.r.Kommuner[0].Lan, b.r.Kommuner[0].LanName
		if got := b.regionName(ctx, names); got != tc.want {
			t.Errorf("regionName(%v, %s) = %q, want %q", tc.kommuner, tc.lang, got, tc.want)
		}
	}
}
