package report

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/internal/fault"
	"github.com/segmap/segmap/service"
)

// englishWords and swedishWords betray a text in the other language (or a
// raw Go error: "service:", "not found", "level").
var (
	englishWords = regexp.MustCompile(`(?i)\b(the|store|has|no|not|found|level|boundaries|maps|left|out|service|breakdown|indicator|only|years?|values?|polygons|and|of)\b`)
	swedishWords = regexp.MustCompile(`(?i)([åäö]|\b(och|saknas|inga|har|för|kartorna|databasen|gränser|indikatorn|bara|år)\b)`)
)

// TestReportSkippedPartsLanguage: the demo has statistics for all of
// Sweden but boundaries only for Stockholms län, so the maps and the
// clusters of Herrljunga, Essunga and Vårgårda are left out. The reader
// gets why in the report's language; the raw errors go to the log.
func TestReportSkippedPartsLanguage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	kom := []string{"1466", "1445", "1442"} // Herrljunga, Essunga, Vårgårda
	tests := []struct {
		lang, indicator string
		parts           []string // parts left out, in order
		reasons         []string
		foreign         *regexp.Regexp
	}{
		{"sv", "", []string{"maps", "lisa"}, []string{"no_boundaries", "no_polygons"}, englishWords},
		{"en", "", []string{"maps", "lisa"}, []string{"no_boundaries", "no_polygons"}, swedishWords},
		{"sv", "age_group_pct", []string{"maps", "lisa"}, []string{"no_boundaries", "no_total"}, englishWords},
		{"en", "age_group_pct", []string{"maps", "lisa"}, []string{"no_boundaries", "no_total"}, swedishWords},
	}
	for _, tc := range tests {
		var log bytes.Buffer
		svc := service.New(testStore, nil, service.Options{Logger: slog.New(slog.NewTextHandler(&log, nil))})
		r, err := New(svc, Options{}).Build(ctx, Query{Kommuner: kom, Lang: tc.lang, Indicator: tc.indicator, Permutations: 99, Now: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		name := tc.lang + " " + tc.indicator
		var parts, reasons []string
		t.Logf("%s: %q", name, r.Warnings)
		for i, sp := range r.Skipped {
			parts, reasons = append(parts, sp.Part), append(reasons, sp.Reason)
			if r.Warnings[i] != sp.Text {
				t.Errorf("%s: warning %q, skipped text %q", name, r.Warnings[i], sp.Text)
			}
			if !strings.HasPrefix(sp.Text, trText(tc.lang, "part_"+sp.Part)+": ") {
				t.Errorf("%s: %q does not start with the part's name", name, sp.Text)
			}
			// The text without place and indicator names (which are
			// Swedish in both languages) must be all in the report's language.
			rest := strings.NewReplacer(r.Name, "", "Herrljunga", "", "Essunga", "", "Vårgårda", "").Replace(sp.Text)
			if ind, err := testStore.Indicator(ctx, tc.indicator); err == nil {
				rest = strings.ReplaceAll(rest, ind.NameSV, "")
				rest = strings.ReplaceAll(rest, ind.NameEN, "")
				for _, bd := range ind.Breakdowns {
					rest = strings.ReplaceAll(rest, bd, "")
				}
			}
			if w := tc.foreign.FindString(rest); w != "" {
				t.Errorf("%s: %q has %q of the other language", name, sp.Text, w)
			}
			if strings.Contains(sp.Text, "service:") || strings.Contains(sp.Text, "data:") {
				t.Errorf("%s: raw error shown: %q", name, sp.Text)
			}
		}
		if !slices.Equal(parts, tc.parts) || !slices.Equal(reasons, tc.reasons) {
			t.Errorf("%s: parts %v reasons %v, want %v %v", name, parts, reasons, tc.parts, tc.reasons)
		}
		// The raw errors are logged, one line per part.
		if n := strings.Count(log.String(), "report: part left out"); n != len(tc.parts) || !strings.Contains(log.String(), "the store has no") {
			t.Errorf("%s: %d log lines: %s", name, n, log.String())
		}
	}
}

func TestSkipReason(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		key  string
	}{
		{"wrapped reason", skipBecause(fault.New(fault.NotFound, "x"), "skip_no_total", "a", "b"), "skip_no_total"},
		{"reason wrapped again", errors.Join(errors.New("ctx"), skipBecause(fault.New(fault.Invalid, "x"), "skip_one_year", "a", "2022")), "skip_one_year"},
		{"service not found", fault.New(fault.NotFound, "x"), "skip_no_data"},
		{"store not found", data.ErrNotFound, "skip_no_data"},
		{"bad request", fault.New(fault.Invalid, "x"), "skip_not_applicable"},
		{"invalid data", data.ErrInvalid, "skip_not_applicable"},
		{"other", errors.New("disk full"), "skip_error"},
	}
	for _, tc := range tests {
		key, _ := skipReason(tc.err)
		if key != tc.key {
			t.Errorf("%s: %s, want %s", tc.name, key, tc.key)
		}
		if v, ok := reportText[key]; !ok || v[0] == "" || v[1] == "" || v[0] == v[1] {
			t.Errorf("%s: reportText[%s] = %q: want distinct sv and en texts", tc.name, key, v)
		}
	}
	// Every skip_ and part_ key has both texts with the same verbs.
	verbs := regexp.MustCompile(`%[a-z]`)
	for k, v := range reportText {
		if !strings.HasPrefix(k, "skip_") && !strings.HasPrefix(k, "part_") {
			continue
		}
		if v[0] == "" || v[1] == "" || !slices.Equal(verbs.FindAllString(v[0], -1), verbs.FindAllString(v[1], -1)) {
			t.Errorf("%s: %q", k, v)
		}
	}
}
