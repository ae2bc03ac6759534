package service

import (
	"context"
	"strings"
	"testing"

	"github.com/segmap/segmap/data"
)

func TestNoteIn(t *testing.T) {
	for _, tc := range []struct{ in, lang, want string }{
		{"pooled breaks", "sv", "gemensamma klassgränser för flera år"},
		{"pooled breaks; 3 values outside the breaks were put in the nearest end class", "sv",
			"gemensamma klassgränser för flera år; 3 värden utanför klassgränserna lades i närmaste ändklass"},
		{"pretty gave 6 classes for k=5; highest break moved to the maximum", "sv", "pretty gav 6 klasser för k = 5; högsta klassgränsen flyttad till maxvärdet"},
		{"pooled breaks", "en", "pooled breaks"},
		{"something new", "sv", "something new"},
		{"", "sv", ""},
	} {
		if got := noteIn(tc.in, tc.lang); got != tc.want {
			t.Errorf("noteIn(%q, %s) = %q, want %q", tc.in, tc.lang, got, tc.want)
		}
	}
}

// Every note the classifier writes for the demo's indicators has a Swedish
// form: no English is left in a Swedish legend.
func TestClassifyNotesSwedish(t *testing.T) {
	ctx := context.Background()
	svc := New(testStore, nil, Options{})
	seen := 0
	for _, m := range []string{"quantile", "equal", "fisher", "jenks", "sd", "pretty", "headtails"} {
		for _, k := range []int{3, 5, 9} {
			for _, pooled := range [][]int{nil, {2022, 2024}} {
				q := ClassifyQuery{ValuesQuery: ValuesQuery{Level: data.LevelDeSO, Indicator: "net_income_mean_tkr", Year: 2022}, Method: m, K: k, Pooled: pooled, Lang: "sv"}
				c, err := svc.Classify(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				if c.Note == "" {
					continue
				}
				seen++
				q.Lang = "en"
				en, _ := svc.Classify(ctx, q)
				if c.Note == en.Note || strings.Contains(c.Note, "breaks") || strings.Contains(c.Note, "classes for") {
					t.Errorf("%s k=%d pooled=%v: Swedish note %q (English %q)", m, k, pooled, c.Note, en.Note)
				}
			}
		}
	}
	if seen == 0 {
		t.Error("no classification wrote a note; the test checks nothing")
	}
}
