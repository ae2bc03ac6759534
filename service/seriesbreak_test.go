package service

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/segmap/segmap/data"
)

// The version rule over the store's year summary: values on split DeSO
// 2025 codes make a year DeSO 2025, comparable with DeSO 2018 years for
// additive indicators only; 2018 parents carrying the mean of their parts
// are an estimate, never comparable; one version throughout is no break.
func TestGeographiesOf(t *testing.T) {
	ratio := data.Indicator{ID: "r", Aggregation: data.AggRatio}
	median := data.Indicator{ID: "m", Aggregation: data.AggNone}
	on2018 := data.DeSOYear{Values: 5984}
	on2025 := data.DeSOYear{Values: 6160, Splits: 400}
	estimated := data.DeSOYear{Values: 1300, Estimated: 20}
	at := func(y int, d data.DeSOYear) data.DeSOYear { d.Year = y; return d }
	tests := []struct {
		name       string
		ind        data.Indicator
		years      []int
		dy         []data.DeSOYear
		breakYear  int // 0: no break
		comparable bool
		sv         string
	}{
		{"one version", ratio, []int{2020, 2021, 2022}, []data.DeSOYear{at(2020, on2018), at(2021, on2018), at(2022, on2018)}, 0, false, ""},
		{"2018 then 2025, ratio", ratio, []int{2018, 2022, 2023, 2024}, []data.DeSOYear{at(2018, on2018), at(2022, on2018), at(2023, on2018), at(2024, on2025)},
			2024, true, "2024 på DeSO 2025; 2018–2023 på DeSO 2018, jämförbara genom summering av delade områden."},
		{"2018 then 2025, median", median, []int{2023, 2024}, []data.DeSOYear{at(2023, on2018), at(2024, on2025)},
			2024, false, "2024 på DeSO 2025; 2023 på DeSO 2018: serien bryts"},
		{"parent mean estimate", ratio, []int{2022, 2024}, []data.DeSOYear{at(2022, on2018), at(2024, estimated)},
			2024, false, "2024 på DeSO 2025, visat på DeSO 2018 som medelvärdet av de delade områdena (en uppskattning); 2022 på DeSO 2018: serien bryts"},
		{"a year the summary lacks is 2018", ratio, []int{2021, 2025}, []data.DeSOYear{at(2025, on2025)},
			2025, true, "2025 på DeSO 2025; 2021 på DeSO 2018"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := geographiesOf(tc.ind, tc.years, tc.dy)
			if tc.breakYear == 0 {
				if g != nil {
					t.Errorf("break %+v where there is none", g)
				}
				return
			}
			if g == nil || len(g.Breaks) != 1 || len(g.Years) != len(tc.years) {
				t.Fatalf("geographies %+v; want one break in %d", g, tc.breakYear)
			}
			b := g.Breaks[0]
			if b.Year != tc.breakYear || b.Comparable != tc.comparable || !strings.Contains(b.NoteSV, tc.sv) || b.NoteEN == "" || b.NoteEN == b.NoteSV {
				t.Errorf("break %+v; want year %d, comparable %v, note with %q", b, tc.breakYear, tc.comparable, tc.sv)
			}
		})
	}
}

// The demo store's 2024 file is on DeSO 2025 codes, imported onto the 2018
// parents as the mean of their parts (its mapping says deso2025:
// parent_mean): trend, values and change of its indicators on DeSO say the
// series breaks in that year and is not comparable; kommun does not break.
func TestSeriesBreakDemo(t *testing.T) {
	ctx := context.Background()
	b, err := os.ReadFile("../data/demo/files/stockholm_deso2025_income_unemployment_2024.mapping.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m, err := data.ParseMapping("stockholm_2024.mapping.yaml", b)
	if err != nil {
		t.Fatal(err)
	}
	if m.Deso2025 != "parent_mean" || len(m.Indicators) == 0 {
		t.Fatalf("demo mapping: deso2025 %q, %d indicators", m.Deso2025, len(m.Indicators))
	}
	s := New(testStore, nil, Options{})
	for _, mi := range m.Indicators {
		tr, err := s.Trend(ctx, TrendQuery{Indicator: mi.ID, Level: data.LevelDeSO, Kommuner: []string{"0180"}})
		if err != nil {
			t.Fatal(err)
		}
		g := tr.SeriesGeography
		if g == nil || len(g.Breaks) != 1 || g.Breaks[0].Year != m.Year || g.Breaks[0].Comparable || !strings.Contains(g.Breaks[0].NoteSV, "uppskattning") {
			t.Errorf("%s trend: series geography %+v; want a break in %d, not comparable", mi.ID, g, m.Year)
		}
		v, err := s.Values(ctx, ValuesQuery{Level: data.LevelDeSO, Indicator: mi.ID, Year: m.Year, Kommuner: []string{"0180"}})
		if err != nil {
			t.Fatal(err)
		}
		if v.SeriesGeography == nil || v.SeriesGeography.Breaks[0] != g.Breaks[0] {
			t.Errorf("%s values: series geography %+v; want the trend's", mi.ID, v.SeriesGeography)
		}
		c, err := s.Change(ctx, ChangeQuery{Level: data.LevelDeSO, Indicator: mi.ID, To: m.Year, Kommuner: []string{"0180"}})
		if err != nil {
			t.Fatal(err)
		}
		if c.SeriesGeography == nil || len(c.SeriesGeography.Breaks) != 1 || c.SeriesGeography.Breaks[0].Year != m.Year {
			t.Errorf("%s change %d–%d: series geography %+v; want the break in %d", mi.ID, c.From, c.To, c.SeriesGeography, m.Year)
		}
		k, err := s.Trend(ctx, TrendQuery{Indicator: mi.ID, Level: data.LevelKommun, Codes: []string{"0180"}})
		if err != nil {
			t.Fatal(err)
		}
		if k.SeriesGeography != nil {
			t.Errorf("%s kommun trend breaks: %+v", mi.ID, k.SeriesGeography)
		}
	}
}
