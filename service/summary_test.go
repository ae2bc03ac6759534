package service

import (
	"context"
	"fmt"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/spatial/disclosure"
)

// refFormat is an independent formatter for the test: the client's rounding
// (the shortest decimal form, halves away from zero, by big.Rat) and
// grouping by repeated division.
func refFormat(v float64, dec int, unit, lang string) string {
	r, _ := new(big.Rat).SetString(strconv.FormatFloat(math.Abs(v), 'f', -1, 64))
	s := r.FloatString(dec)
	whole, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		whole, frac = s[:i], s[i+1:]
	}
	sep, point, minus, pct := "\u00a0", ",", "−", "\u00a0%"
	if lang == "en" {
		sep, point, minus, pct = ",", ".", "-", "%"
	}
	var groups []string
	for len(whole) > 3 {
		groups = append([]string{whole[len(whole)-3:]}, groups...)
		whole = whole[:len(whole)-3]
	}
	groups = append([]string{whole}, groups...)
	out := strings.Join(groups, sep)
	if frac != "" {
		out += point + frac
	}
	if v < 0 && strings.Trim(s, "0.") != "" {
		out = minus + out
	}
	switch unit {
	case "", "antal", "typ", "st":
	case "%":
		out += pct
	default:
		out += "\u00a0" + unit
	}
	return out
}

// TestFormatValue: the number is locale.FormatNumber's (tested there against
// the client); here the unit, the 0–6 decimals and ±Inf.
func TestFormatValue(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		v         float64
		unit, got string
		lang      string
	}{
		{45.3, "%", "45,3\u00a0%", "sv"},
		{45.3, "%", "45.3%", "en"},
		{312.44, "tkr", "312,4\u00a0tkr", "sv"},
		{9083, "antal", "9\u00a0083,0", "sv"},
		{math.Inf(1), "%", "–", "en"},
		{math.NaN(), "tkr", "–", "sv"},
	} {
		if got := FormatValue(tc.v, 1, tc.unit, tc.lang); got != tc.got {
			t.Errorf("FormatValue(%v, %q, %s) = %q, want %q", tc.v, tc.unit, tc.lang, got, tc.got)
		}
	}
	if got := FormatValue(45.3, 9, "", "sv"); got != "45,300000" {
		t.Errorf("FormatValue(45.3, 9) = %q, want at most 6 decimals", got)
	}
	// The reference formatter agrees over a spread of values.
	for i := -2000; i <= 2000; i++ {
		v := float64(i) * 913.37 / 7
		for _, lang := range []string{"sv", "en"} {
			for dec := 0; dec <= 3; dec++ {
				if got, want := FormatValue(v, dec, "", lang), refFormat(v, dec, "", lang); got != want {
					t.Fatalf("FormatValue(%v, %d, %s) = %q, reference %q", v, dec, lang, got, want)
				}
			}
		}
	}
}

func TestSummarize(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	plain := New(testStore, nil, Options{})
	rule := disclosure.Default()
	strict := New(testStore, nil, Options{Disclosure: &rule})
	kommunName := map[string]string{}
	ks, err := testStore.Areas(ctx, data.LevelKommun, data.AreasOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range ks {
		kommunName[k.Code] = k.Name
	}
	for _, tc := range []struct {
		name string
		q    ClassifyQuery
		// place is how the kommuner are written after the level, "" none.
		place string
		// missing says whether the case has areas without a value.
		missing bool
		// strict applies the disclosure rule (suppressed values).
		strict bool
	}{
		{"deso one kommun sv", ClassifyQuery{ValuesQuery: ValuesQuery{Level: "deso", Indicator: "low_econ_standard_pct", Kommuner: []string{"0127"}}},
			" i Botkyrka", false, false},
		{"regso two kommuner en", ClassifyQuery{ValuesQuery: ValuesQuery{Level: "regso", Indicator: "population", Kommuner: []string{"0127", "0126"}}, Lang: "en"},
			" in Huddinge and Botkyrka", false, false},
		{"kommun level", ClassifyQuery{ValuesQuery: ValuesQuery{Level: "kommun", Indicator: "foreign_born_pct", Kommuner: []string{"0127", "0126", "0180", "0114"}}},
			"", false, false},
		{"three areas", ClassifyQuery{ValuesQuery: ValuesQuery{Level: "kommun", Indicator: "foreign_born_pct", Kommuner: []string{"0127", "0126", "0138"}}, Lang: "en", K: 3},
			"", false, false},
		{"deso nationwide with missing values", ClassifyQuery{ValuesQuery: ValuesQuery{Level: "deso", Indicator: "net_income_mean_tkr", Year: 2024}},
			" i 290 kommuner", true, false},
		{"deso tkr en", ClassifyQuery{ValuesQuery: ValuesQuery{Level: "deso", Indicator: "net_income_mean_tkr", Year: 2024, Kommuner: []string{"0180", "0114"}}, Lang: "en"},
			" in Upplands Väsby and Stockholm", false, false},
		{"suppressed by the disclosure rule", ClassifyQuery{ValuesQuery: ValuesQuery{Level: "deso", Indicator: "unemployment_rate_16_64_pct", Year: 2022, Kommuner: []string{"0180"}}},
			" i Stockholm", true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := plain
			if tc.strict {
				s = strict
			}
			cl, err := s.Classify(ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			sum, err := s.Summarize(ctx, cl, tc.q.Lang)
			if err != nil {
				t.Fatal(err)
			}
			lang := tc.q.Lang
			if lang == "" {
				lang = "sv"
			}
			// Independently: the values query, ranked here.
			vals, err := s.Values(ctx, tc.q.ValuesQuery)
			if err != nil {
				t.Fatal(err)
			}
			var have []AreaValue
			missing, suppressed := 0, 0
			for _, a := range vals.Areas {
				if math.IsNaN(float64(a.Value)) {
					missing++
					if a.Suppressed {
						suppressed++
					}
					continue
				}
				have = append(have, a)
			}
			if sum.Areas != len(vals.Areas) || sum.WithValue != len(have) || sum.Missing != missing || sum.Suppressed != suppressed {
				t.Errorf("counts areas %d with value %d missing %d suppressed %d, want %d %d %d %d",
					sum.Areas, sum.WithValue, sum.Missing, sum.Suppressed, len(vals.Areas), len(have), missing, suppressed)
			}
			if tc.missing != (missing > 0) {
				t.Fatalf("case expects missing=%v, the data has %d missing", tc.missing, missing)
			}
			sort.Slice(have, func(i, j int) bool {
				if have[i].Value != have[j].Value {
					return have[i].Value > have[j].Value
				}
				return have[i].Code < have[j].Code
			})
			n := min(3, len(have)/2)
			wantHigh := have[:n]
			// Lowest: ascending, ties by code.
			low := append([]AreaValue(nil), have...)
			sort.Slice(low, func(i, j int) bool {
				if low[i].Value != low[j].Value {
					return low[i].Value < low[j].Value
				}
				return low[i].Code < low[j].Code
			})
			wantLow := low[:n]
			if n == 0 && len(have) == 1 {
				wantHigh, wantLow = have, have
			}
			check := func(kind string, got []SummaryArea, want []AreaValue) {
				if len(got) != len(want) {
					t.Fatalf("%s: %d areas, want %d", kind, len(got), len(want))
				}
				for i := range want {
					if got[i].Code != want[i].Code || got[i].Value != float64(want[i].Value) {
						t.Errorf("%s[%d] = %s %v, want %s %v", kind, i, got[i].Code, got[i].Value, want[i].Code, want[i].Value)
					}
					if w := refFormat(float64(want[i].Value), vals.Indicator.Decimals, vals.Indicator.Unit, lang); got[i].Text != w {
						t.Errorf("%s[%d] value written %q, want %q", kind, i, got[i].Text, w)
					}
					if !strings.HasPrefix(got[i].Label, want[i].Name) || (want[i].Name == "" && !strings.HasPrefix(got[i].Label, want[i].Code)) {
						t.Errorf("%s[%d] label %q does not start with the area's name %q or code %s", kind, i, got[i].Label, want[i].Name, want[i].Code)
					}
				}
			}
			check("highest", sum.Highest, wantHigh)
			check("lowest", sum.Lowest, wantLow)
			if len(have) > 1 && sum.Highest[0].Value < sum.Lowest[0].Value {
				t.Errorf("highest %v below lowest %v", sum.Highest[0].Value, sum.Lowest[0].Value)
			}

			// The title: indicator name, year, level and place.
			name, per, levelName := vals.Indicator.NameSV, "per", map[string]string{"deso": "DeSO", "regso": "RegSO", "kommun": "kommun"}[vals.Level]
			if lang == "en" {
				name, per = vals.Indicator.NameEN, "by"
				levelName = map[string]string{"deso": "DeSO", "regso": "RegSO", "kommun": "municipality"}[vals.Level]
			}
			wantTitle := fmt.Sprintf("%s %d %s %s%s", name, vals.Year, per, levelName, tc.place)
			if sum.Title != wantTitle {
				t.Errorf("title %q, want %q", sum.Title, wantTitle)
			}
			if !strings.HasPrefix(sum.Text, wantTitle+" (") {
				t.Errorf("text %q does not start with the title", sum.Text)
			}
			// Every named area appears with its value, highest first, then the lowest.
			rest := sum.Text
			for _, a := range append(append([]SummaryArea{}, sum.Highest...), sum.Lowest...) {
				i := strings.Index(rest, a.Label+" "+a.Text)
				if i < 0 {
					if n == 0 {
						break // one area, named once
					}
					t.Fatalf("text %q lacks %q after the previous area", sum.Text, a.Label+" "+a.Text)
				}
				rest = rest[i:]
			}
			if n > 0 {
				hi, lo := "högst i", "lägst i"
				if lang == "en" {
					hi, lo = "highest in", "lowest in"
				}
				if h, l := strings.Index(sum.Text, hi), strings.Index(sum.Text, lo); h < 0 || l < h {
					t.Errorf("text %q: %q must come before %q", sum.Text, hi, lo)
				}
			}
			if missing > 0 {
				if !strings.Contains(sum.Text, refFormat(float64(missing), 0, "", "sv")+" områden saknar uppgift") {
					t.Errorf("text %q does not count the %d areas without data", sum.Text, missing)
				}
				if want := "varav " + refFormat(float64(suppressed), 0, "", "sv") + " skyddade."; suppressed > 1 && !strings.HasSuffix(sum.Text, want) {
					t.Errorf("text %q does not end with %q", sum.Text, want)
				}
				if tc.strict && suppressed == 0 {
					t.Error("the disclosure rule suppressed nothing")
				}
			} else if strings.Contains(sum.Text, "saknar uppgift") || strings.Contains(sum.Text, "no data") {
				t.Errorf("text %q mentions missing data, there is none", sum.Text)
			}
			// A DeSO (no name of its own) is written with the name of its RegSO.
			if vals.Level == data.LevelDeSO {
				a := sum.Highest[0]
				areas, err := testStore.Areas(ctx, data.LevelDeSO, data.AreasOptions{Kommuner: []string{a.Code[:4]}})
				if err != nil {
					t.Fatal(err)
				}
				regsos, err := testStore.Areas(ctx, data.LevelRegSO, data.AreasOptions{Kommuner: []string{a.Code[:4]}})
				if err != nil {
					t.Fatal(err)
				}
				var regso string
				for _, d := range areas {
					if d.Code == a.Code {
						for _, r := range regsos {
							if r.Code == d.RegSO {
								regso = r.Name
							}
						}
					}
				}
				if regso == "" || !strings.Contains(a.Label, "("+regso) {
					t.Errorf("DeSO label %q lacks its RegSO name %q", a.Label, regso)
				}
				ks := map[string]bool{}
				for _, v := range vals.Areas {
					ks[v.Kommun] = true
				}
				if multi := len(ks) > 1; multi != strings.Contains(a.Label, ", "+kommunName[a.Code[:4]]+")") {
					t.Errorf("DeSO label %q: names its kommun %q = %v, want %v (several kommuner on the map)", a.Label, kommunName[a.Code[:4]], !multi, multi)
				}
			}
		})
	}
}

func TestSummarizeAllMissing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := New(testStore, nil, Options{})
	// A classification whose areas all lack a value (classify itself refuses
	// such a query, so it is built from a real one).
	cl, err := s.Classify(ctx, ClassifyQuery{ValuesQuery: ValuesQuery{Level: "regso", Indicator: "population", Kommuner: []string{"0127"}}})
	if err != nil {
		t.Fatal(err)
	}
	only := cl.Areas[3]
	for i := range cl.Areas {
		if i != 3 {
			cl.Areas[i].Value = Num(math.NaN())
		}
	}
	one, err := s.Summarize(ctx, cl, "sv")
	if err != nil {
		t.Fatal(err)
	}
	if want := only.Name + " har värdet " + refFormat(float64(only.Value), cl.Indicator.Decimals, cl.Indicator.Unit, "sv") + "."; !strings.Contains(one.Text, want) ||
		one.WithValue != 1 || len(one.Highest) != 1 || one.Highest[0].Code != only.Code {
		t.Errorf("one area with a value: %q, want it to contain %q", one.Text, want)
	}
	cl.Areas[3].Value = Num(math.NaN())
	for lang, want := range map[string]string{"sv": "uppgift saknas för alla områden.", "en": "no area has data."} {
		sum, err := s.Summarize(ctx, cl, lang)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(sum.Text, want) || sum.Missing != len(cl.Areas) || len(sum.Highest) != 0 {
			t.Errorf("%s: %q (missing %d of %d)", lang, sum.Text, sum.Missing, len(cl.Areas))
		}
	}
	if _, err := s.Summarize(ctx, cl, "de"); err == nil {
		t.Error("lang=de accepted")
	}
}

func BenchmarkSummarize(b *testing.B) {
	ctx := context.Background()
	s := New(testStore, nil, Options{})
	for _, bc := range []struct {
		name string
		q    ValuesQuery
	}{
		{"deso_stockholm", ValuesQuery{Level: "deso", Indicator: "low_econ_standard_pct", Kommuner: []string{"0180"}}},
		{"deso_sweden", ValuesQuery{Level: "deso", Indicator: "low_econ_standard_pct"}},
		{"regso_botkyrka", ValuesQuery{Level: "regso", Indicator: "foreign_born_pct", Kommuner: []string{"0127"}}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			cl, err := s.Classify(ctx, ClassifyQuery{ValuesQuery: bc.q})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Summarize(ctx, cl, "sv"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
