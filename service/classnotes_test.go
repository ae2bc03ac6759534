package service

import (
	"context"
	"strings"
	"testing"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/internal/locale"
	"github.com/segmap/segmap/spatial/classify"
)

func TestNotesText(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		notes  []classify.Note
		sv, en string
	}{
		{nil, "", ""},
		{[]classify.Note{{Kind: classify.NotePooled}}, "gemensamma klassgränser för flera år", "pooled breaks"},
		{[]classify.Note{{Kind: classify.NotePooled}, {Kind: classify.NoteOutside, N: 1234}},
			"gemensamma klassgränser för flera år; 1\u00a0234 värden utanför klassgränserna lades i närmaste ändklass",
			"pooled breaks; 1,234 values outside the breaks were put in the nearest end class"},
		{[]classify.Note{{Kind: classify.NoteOtherK, Method: classify.MethodPretty, K: 5, N: 6}, {Kind: classify.NoteHighestMoved}},
			"pretty gav 6 klasser för k = 5; högsta klassgränsen flyttad till maxvärdet",
			"pretty gave 6 classes for k=5; highest break moved to the maximum"},
		{[]classify.Note{{Kind: classify.NoteDistinct, K: 5, N: 3}},
			"k = 5 minskat till de 3 olika värdena: en klass per värde", "k=5 reduced to the 3 distinct values: one class per value"},
		{[]classify.Note{{Kind: classify.NoteFailed, Method: classify.MethodSD}},
			"sd gick inte att beräkna (extremvärden): en klass", "sd failed numerically (extreme values): one class"},
		{[]classify.Note{{Kind: "new_kind"}}, "new_kind", "new_kind"},
	} {
		if got := notesText(tc.notes, locale.SV); got != tc.sv {
			t.Errorf("notesText(%v, sv) = %q, want %q", tc.notes, got, tc.sv)
		}
		if got := notesText(tc.notes, locale.EN); got != tc.en {
			t.Errorf("notesText(%v, en) = %q, want %q", tc.notes, got, tc.en)
		}
	}
}

// Every kind classify has is written in both languages, with no
// formatting error.
func TestClassNoteTextComplete(t *testing.T) {
	t.Parallel()
	for _, k := range []classify.NoteKind{classify.NoteSingleValue, classify.NoteDistinct, classify.NoteFailed, classify.NoteLowestMoved,
		classify.NoteHighestMoved, classify.NoteOtherK, classify.NotePooled, classify.NoteNoBreaks, classify.NoteOutside, classify.NoteNoValues} {
		n := classify.Note{Kind: k, Method: classify.MethodQuantile, K: 5, N: 4}
		sv, en := noteText(n, locale.SV), noteText(n, locale.EN)
		if sv == string(k) || en == string(k) || sv == en || strings.Contains(sv+en, "%!") {
			t.Errorf("%s: sv %q, en %q", k, sv, en)
		}
	}
}

// Every note the classifier writes for the demo's indicators has a Swedish
// form: no English is left in a Swedish legend.
func TestClassifyNotesSwedish(t *testing.T) {
	t.Parallel()
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
