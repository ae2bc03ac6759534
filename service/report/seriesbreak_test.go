package report

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/service"
)

// The change chapter says where the series changes geography version: the
// demo's 2024 values are DeSO 2025 estimated onto the 2018 areas (its
// mapping says deso2025: parent_mean), so a change into 2024 is not
// comparable for split areas, in the reader's language.
func TestReportChangeSaysSeriesBreak(t *testing.T) {
	b, err := os.ReadFile("../../data/demo/files/stockholm_deso2025_income_unemployment_2024.mapping.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m, err := data.ParseMapping("stockholm_2024.mapping.yaml", b)
	if err != nil || m.Deso2025 != "parent_mean" || len(m.Indicators) == 0 {
		t.Fatalf("demo mapping %+v, %v", m, err)
	}
	ctx := context.Background()
	svc := service.New(testStore, nil, service.Options{})
	for _, lang := range []string{"sv", "en"} {
		r, err := New(svc, Options{Cache: -1}).Build(ctx, Query{Kommuner: []string{"0180"}, Lang: lang, Permutations: 99,
			ChangeIndicator: m.Indicators[0].ID, ChangeTo: m.Year, Now: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		if r.Change == nil || r.Change.Change.SeriesGeography == nil {
			t.Fatalf("%s: change %+v without series geography", lang, r.Change)
		}
		br := r.Change.Change.SeriesGeography.Breaks[0]
		note := br.NoteSV
		if lang == "en" {
			note = br.NoteEN
		}
		var buf bytes.Buffer
		if err := r.WriteHTML(&buf); err != nil {
			t.Fatal(err)
		}
		if br.Year != m.Year || br.Comparable || !strings.Contains(buf.String(), htmlText(note)) {
			t.Errorf("%s: break %+v; the page must say %q", lang, br, note)
		}
	}
}
