package report

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/segmap/segmap/service"
)

// TestReportWithoutOmradestyp: a store built as the README's example builds
// one (DeSO boundaries, the DeSO→RegSO link, the national DeSO indicators;
// no områdestyp) gets a whole report, never an error, and every chapter
// without its data says in one sentence what to import.
func TestReportWithoutOmradestyp(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds a store from the Dalarna DeSO and the national indicators")
	}
	ctx := context.Background()
	svc := service.New(plainStore(t), nil, service.Options{})
	for _, lang := range []string{"sv", "en"} {
		r, err := New(svc, Options{}).Build(ctx, Query{Kommuner: []string{"2080"}, Lang: lang, Permutations: 99,
			Now: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatalf("%s: %v", lang, err)
		}
		if r.Types != nil {
			t.Errorf("%s: områdestyper %+v from a store without them", lang, r.Types)
		}
		skipped := map[string]SkippedPart{}
		for _, sp := range r.Skipped {
			skipped[sp.Part] = sp
		}
		sp, ok := skipped["omradestyper"]
		if !ok || sp.Import == "" || !strings.Contains(sp.Import, "omradestyp") {
			t.Errorf("%s: omradestyper left out as %+v; want the indicator to import named", lang, sp)
		}
		var buf bytes.Buffer
		if err := r.WriteHTML(&buf); err != nil {
			t.Fatalf("%s: WriteHTML: %v", lang, err)
		}
		page := buf.String()
		for part, sp := range skipped {
			if sp.Import == "" {
				t.Errorf("%s: part %s left out without what to import: %+v", lang, part, sp)
			}
			if !strings.Contains(page, htmlText(sp.Import)) {
				t.Errorf("%s: the page does not say what to import for %s: %q", lang, part, sp.Import)
			}
		}
		if lang == "sv" && !strings.Contains(page, "Importera") {
			t.Errorf("sv: no import hint on the page")
		}
		// The chapters that have their data are still there.
		for _, id := range []string{`id="ojamlikhet"`, `id="nyckeltal"`, `id="kluster"`, `id="omradestyper"`} {
			if !strings.Contains(page, id) {
				t.Errorf("%s: the page lacks the chapter %s", lang, id)
			}
		}
	}
}

// htmlText escapes s as html/template writes text.
func htmlText(s string) string {
	return strings.NewReplacer("&", "&amp;", "'", "&#39;", "<", "&lt;", ">", "&gt;", `"`, "&#34;").Replace(s)
}
