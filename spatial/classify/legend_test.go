package classify

import (
	"math"
	"testing"

	"github.com/segmap/segmap/internal/locale"
)

func TestLegendLabels(t *testing.T) {
	v := []float64{12.5, 15, 20, 25, 30, math.NaN(), 40}
	sup := []bool{false, false, false, false, false, false, true}
	r := Assign(v, []float64{12.5, 20, 30}, sup)
	sv := Legend(r, LegendOptions{Lang: "sv", Decimals: 1, Unit: "%", Colors: []string{"#aaaaaa", "#bbbbbb"}})
	want := []LegendEntry{
		{Label: "12,5 till under 20,0 %", Color: "#aaaaaa", Count: 2, Min: 12.5, Max: 20, LowerClosed: true, Kind: KindClass},
		{Label: "20,0 till och med 30,0 %", Color: "#bbbbbb", Count: 3, Min: 20, Max: 30, LowerClosed: true, UpperClosed: true, Kind: KindClass},
		{Label: "Uppgift saknas", Color: NoDataColor, Count: 1, Kind: KindNoData},
		{Label: "Sekretess", Color: SuppressedColor, Count: 1, Kind: KindSuppressed},
	}
	compareLegend(t, sv, want)

	rr := AssignClosure(v, []float64{12.5, 20, 30}, sup, ClosureRight)
	en := Legend(rr, LegendOptions{Lang: "en", Decimals: 1})
	wantEn := []LegendEntry{
		{Label: "12.5 to 20.0 inclusive", Count: 3, Min: 12.5, Max: 20, LowerClosed: true, UpperClosed: true, Kind: KindClass},
		{Label: "over 20.0 to 30.0 inclusive", Count: 2, Min: 20, Max: 30, UpperClosed: true, Kind: KindClass},
		{Label: "No data", Color: NoDataColor, Count: 1, Kind: KindNoData},
		{Label: "Suppressed", Color: SuppressedColor, Count: 1, Kind: KindSuppressed},
	}
	compareLegend(t, en, wantEn)
	svR := Legend(rr, LegendOptions{Decimals: 1})
	if svR[1].Label != "över 20,0 till och med 30,0" {
		t.Errorf("sv right closure: %q", svR[1].Label)
	}
}

func compareLegend(t *testing.T, got, want []LegendEntry) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d entries, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		g, w := got[i], want[i]
		if w.Kind != KindClass {
			g.Min, g.Max = 0, 0
		}
		if g != w {
			t.Errorf("entry %d:\n got %+v\nwant %+v", i, g, w)
		}
	}
}

func TestLegendDecimalsKeepBreaksApart(t *testing.T) {
	// Real quantile breaks of low economic standard (integers with ties):
	// with Decimals 0 they must stay integers; fisher midpoints need one.
	_, cols := scbValues(t)
	x := cols["low_econ_standard_pct"]
	q := Legend(must(Quantile(x, 5)), LegendOptions{Decimals: 0, Unit: "%"})
	for _, e := range q {
		if e.Kind == KindClass && (e.Label == "" || containsRune(e.Label, ',')) {
			t.Errorf("quantile label %q", e.Label)
		}
	}
	r := Assign(x, []float64{1, 1.04, 1.06, 80}, nil)
	l := Legend(r, LegendOptions{Decimals: 0})
	if l[0].Label == l[1].Label || l[1].Label != "1,04 till under 1,06" {
		t.Errorf("labels not distinct: %q / %q", l[0].Label, l[1].Label)
	}
}

func containsRune(s string, r rune) bool {
	for _, c := range s {
		if c == r {
			return true
		}
	}
	return false
}

// The unit follows the upper number; English's closing word comes last.
func TestIntervalLabelUnit(t *testing.T) {
	for _, tc := range []struct {
		a, b, unit string
		lo, up     bool
		lang, want string
	}{
		{"480.4", "2,508.7", " tkr", true, true, "en", "480.4 to 2,508.7 tkr inclusive"},
		{"480.4", "2,508.7", " tkr", true, false, "en", "480.4 to under 2,508.7 tkr"},
		{"4,0", "7,0", " %", false, true, "sv", "över 4,0 till och med 7,0 %"},
		{"5", "5", " %", true, true, "sv", "5 %"},
		{"5", "5", "", true, true, "en", "5"},
	} {
		if got := intervalLabel(tc.a, tc.b, tc.unit, tc.lo, tc.up, locale.Of(tc.lang)); got != tc.want {
			t.Errorf("intervalLabel(%q, %q, %q, %v, %v, %s) = %q, want %q", tc.a, tc.b, tc.unit, tc.lo, tc.up, tc.lang, got, tc.want)
		}
	}
}
