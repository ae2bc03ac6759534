package service

import (
	"context"
	"errors"
	"math"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/internal/fault"
)

// greenSide and purpleSide tell the colours of change by meaning apart:
// PRGn greens have more green than red, purples more red than green.
func greenSide(t *testing.T, hex string) bool {
	t.Helper()
	r, err1 := strconv.ParseUint(hex[1:3], 16, 8)
	g, err2 := strconv.ParseUint(hex[3:5], 16, 8)
	if err1 != nil || err2 != nil || len(hex) != 7 {
		t.Fatalf("colour %q", hex)
	}
	return g > r
}

// An improvement is green whatever its sign: rising wage income (higher is
// better) and falling unemployment (lower is better); a change of an
// indicator without a direction keeps the neutral blue–red classes.
func TestChangeColouredByMeaning(t *testing.T) {
	ctx := context.Background()
	svc := New(testStore, nil, Options{})
	for _, tc := range []struct {
		ind, level string
		from, to   int
		meaning    string
	}{
		{"wage_income_mean_tkr", data.LevelRegSO, 2020, 2023, MeaningHigherIsBetter},
		{"unemployment_rate_16_64_pct", data.LevelDeSO, 2022, 2024, MeaningLowerIsBetter},
		{"foreign_born_pct", data.LevelRegSO, 2020, 2023, MeaningNeutral},
	} {
		t.Run(tc.ind, func(t *testing.T) {
			c, err := svc.Change(ctx, ChangeQuery{Level: tc.level, Indicator: tc.ind, From: tc.from, To: tc.to, Kommuner: []string{"0180"}, K: 5})
			if err != nil {
				t.Fatal(err)
			}
			if c.Meaning != tc.meaning || c.Classes.Meaning != tc.meaning {
				t.Fatalf("meaning %q, classes %q; want %q", c.Meaning, c.Classes.Meaning, tc.meaning)
			}
			k := len(c.Classes.Colors)
			if k != 5 || len(c.Classes.Sides) != k || c.Classes.Sides[k/2] != "small" {
				t.Fatalf("classes %+v", c.Classes)
			}
			better, worse, ups, downs := 0, 0, 0, 0
			for _, a := range c.Areas {
				if !a.Change.Valid() || a.Class < 0 {
					continue
				}
				d := float64(a.Change)
				side := c.Classes.Sides[a.Class]
				col := c.Classes.Colors[a.Class]
				switch tc.meaning {
				case MeaningNeutral:
					want := map[bool]string{true: DirectionIncrease, false: DirectionDecrease}[d > 0]
					if d != 0 && a.Direction != want {
						t.Errorf("%s: change %g direction %q, want %q", a.Code, d, a.Direction, want)
					}
					if side == DirectionIncrease {
						ups++
					}
					if side == DirectionDecrease {
						downs++
					}
					if side == DirectionBetter || side == DirectionWorse {
						t.Errorf("neutral class side %q", side)
					}
				default:
					improved := (d > 0) == (tc.meaning == MeaningHigherIsBetter)
					want := map[bool]string{true: DirectionBetter, false: DirectionWorse}[improved]
					if d != 0 && a.Direction != want {
						t.Errorf("%s: change %g direction %q, want %q", a.Code, d, a.Direction, want)
					}
					if side == "small" {
						continue
					}
					if side != want {
						t.Errorf("%s: change %g in a %q class, want %q", a.Code, d, side, want)
					}
					if greenSide(t, col) != improved {
						t.Errorf("%s: change %g (improved %v) coloured %s", a.Code, d, improved, col)
					}
					if improved {
						better++
					} else {
						worse++
					}
				}
			}
			if tc.meaning == MeaningNeutral {
				if ups == 0 || downs == 0 || c.Classes.Colors[0] != "#2166ac" || c.Summary.Better != 0 || c.Summary.Worse != 0 {
					t.Errorf("neutral: %d up, %d down, colours %v, summary %+v", ups, downs, c.Classes.Colors, c.Summary)
				}
				return
			}
			if better == 0 || worse == 0 {
				t.Errorf("%d areas in better classes, %d in worse: the test cannot tell the colours apart", better, worse)
			}
			if c.Summary.Better+c.Summary.Worse+c.Summary.Unchanged != c.Summary.N {
				t.Errorf("summary %+v", c.Summary)
			}
		})
	}
}

// The largest changes of wage income per RegSO of Stockholm 2020→2023,
// recomputed from the RegSO panel CSV.
func TestLargestChangesAgainstSource(t *testing.T) {
	ctx := context.Background()
	svc := New(testStore, nil, Options{})
	type ch struct {
		code     string
		d, rel   float64
		from, to float64
	}
	byCode := map[string]map[int]float64{}
	for _, r := range demoCSV(t, "regso2020_timeseries_2020_2023.csv") {
		if r["kommun"] != "0180" || r["wage_income_mean_tkr"] == "" {
			continue
		}
		y, _ := strconv.Atoi(r["year"])
		if byCode[r["regso"]] == nil {
			byCode[r["regso"]] = map[int]float64{}
		}
		byCode[r["regso"]][y] = atof(t, r["wage_income_mean_tkr"])
	}
	var all []ch
	for code, ys := range byCode {
		a, okA := ys[2020]
		b, okB := ys[2023]
		if okA && okB {
			all = append(all, ch{code: code, d: b - a, rel: 100 * (b - a) / a, from: a, to: b})
		}
	}
	if len(all) < 50 {
		t.Fatalf("%d RegSO of Stockholm in the panel", len(all))
	}
	for _, rank := range []string{RankAbsolute, RankRelative} {
		key := func(c ch) float64 { return c.d }
		if rank == RankRelative {
			key = func(c ch) float64 { return c.rel }
		}
		sort.Slice(all, func(i, j int) bool { return key(all[i]) > key(all[j]) })
		const n = 7
		l, err := svc.LargestChanges(ctx, LargestQuery{ChangeQuery: ChangeQuery{Level: data.LevelRegSO, Indicator: "wage_income_mean_tkr",
			From: 2020, To: 2023, Kommuner: []string{"0180"}}, N: n, Rank: rank})
		if err != nil {
			t.Fatal(err)
		}
		if l.Meaning != MeaningHigherIsBetter || len(l.Better) != n || len(l.Worse) == 0 || l.Better[0].Code != l.Increases[0].Code {
			t.Fatalf("%s: meaning %q, %d better, %d worse", rank, l.Meaning, len(l.Better), len(l.Worse))
		}
		for i, a := range l.Better {
			w := all[i]
			if a.Code != w.code || math.Abs(float64(a.Change)-w.d) > 1e-9 || math.Abs(float64(a.From)-w.from) > 1e-9 {
				t.Errorf("%s better #%d: %s %v (%v→%v), the CSV gives %s %v (%v→%v)", rank, i+1, a.Code, a.Change, a.From, a.To, w.code, w.d, w.from, w.to)
			}
			if a.Direction != DirectionBetter {
				t.Errorf("%s: direction %q", a.Code, a.Direction)
			}
		}
		// The largest falls, from the other end (only the areas that fell).
		var falls []ch
		for i := len(all) - 1; i >= 0 && key(all[i]) < 0; i-- {
			falls = append(falls, all[i])
		}
		if len(l.Worse) != min(n, len(falls)) {
			t.Fatalf("%s: %d worse, the CSV has %d falls", rank, len(l.Worse), len(falls))
		}
		for i, a := range l.Worse {
			if a.Code != falls[i].code || math.Abs(float64(a.Change)-falls[i].d) > 1e-9 {
				t.Errorf("%s worse #%d: %s %v, the CSV gives %s %v", rank, i+1, a.Code, a.Change, falls[i].code, falls[i].d)
			}
		}
	}
}

// Lower is better: the largest falls of unemployment are the improvements.
func TestLargestChangesLowerIsBetter(t *testing.T) {
	ctx := context.Background()
	svc := New(testStore, nil, Options{})
	l, err := svc.LargestChanges(ctx, LargestQuery{ChangeQuery: ChangeQuery{Level: data.LevelDeSO, Indicator: "unemployment_rate_16_64_pct", Kommuner: []string{"0180"}}, N: 5})
	if err != nil {
		t.Fatal(err)
	}
	if l.Meaning != MeaningLowerIsBetter || l.Kind != ChangePercentagePoints || l.From != 2022 || l.To != 2024 {
		t.Fatalf("meaning %q kind %q %d–%d", l.Meaning, l.Kind, l.From, l.To)
	}
	if len(l.Better) == 0 || len(l.Worse) == 0 {
		t.Fatalf("%d better, %d worse", len(l.Better), len(l.Worse))
	}
	for i, a := range l.Better {
		if a.Code != l.Decreases[i].Code || a.Change >= 0 || (i > 0 && a.Change < l.Better[i-1].Change) {
			t.Errorf("better #%d: %s %v", i+1, a.Code, a.Change)
		}
	}
	for _, a := range l.Worse {
		if a.Change <= 0 {
			t.Errorf("worse %s: %v", a.Code, a.Change)
		}
	}
	sh := l.Sheet("sv")
	if len(sh.Rows) != len(l.Better)+len(l.Worse) || sh.Rows[0][0] != "förbättring" || sh.Rows[len(l.Better)][0] != "försämring" {
		t.Errorf("sheet rows %v", sh.Rows)
	}
}

func TestLargestChangesErrors(t *testing.T) {
	ctx := context.Background()
	svc := New(testStore, nil, Options{})
	for _, tc := range []struct {
		q    LargestQuery
		kind error
		msg  string
	}{
		{LargestQuery{ChangeQuery: ChangeQuery{Indicator: "foreign_born_pct"}, N: 101}, fault.Invalid, "n must be"},
		{LargestQuery{ChangeQuery: ChangeQuery{Indicator: "foreign_born_pct"}, N: -1}, fault.Invalid, "n must be"},
		{LargestQuery{ChangeQuery: ChangeQuery{Indicator: "foreign_born_pct"}, Rank: "median"}, fault.Invalid, "rank must"},
		{LargestQuery{ChangeQuery: ChangeQuery{Indicator: "foreign_born_pct"}, Rank: RankRelative}, fault.Invalid, "percentage points"},
		{LargestQuery{ChangeQuery: ChangeQuery{Indicator: "no_such"}}, fault.NotFound, "no_such"},
		{LargestQuery{ChangeQuery: ChangeQuery{Indicator: "low_econ_standard_pct"}}, fault.Invalid, "only for 2022"},
	} {
		_, err := svc.LargestChanges(ctx, tc.q)
		if !errors.Is(err, tc.kind) || err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%+v: %v, want %v containing %q", tc.q, err, tc.kind, tc.msg)
		}
	}
}

// BenchmarkLargestChanges: the largest changes of wage income over every
// RegSO of Sweden (3,363 areas, 2020→2023).
func BenchmarkLargestChanges(b *testing.B) {
	ctx := context.Background()
	svc := New(testStore, nil, Options{})
	q := LargestQuery{ChangeQuery: ChangeQuery{Level: data.LevelRegSO, Indicator: "wage_income_mean_tkr"}, N: 10}
	l, err := svc.LargestChanges(ctx, q)
	if err != nil {
		b.Fatal(err)
	}
	if l.Summary.N < 3000 {
		b.Fatalf("%d RegSO with a change", l.Summary.N)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := svc.LargestChanges(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
}
