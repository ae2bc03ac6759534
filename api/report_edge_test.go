package api_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestReportEnglishAndErrors(t *testing.T) {
	if testing.Short() {
		t.Skip("builds reports; the full run covers it (TestReportMatchesAPI stays)")
	}
	rec := get(t, "/report?kommun=0180&lang=en&indicator=foreign_born_pct", "Accept-Encoding", "gzip")
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("status %d, encoding %q", rec.Code, rec.Header().Get("Content-Encoding"))
	}
	if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("CSP %q", csp)
	}
	var r reportJSON
	getJSON(t, "/report?kommun=0180&lang=en&indicator=foreign_born_pct&format=json", &r)
	if r.LISA.Indicator.ID != "foreign_born_pct" || !strings.HasPrefix(r.LISA.Text, "The map shows") {
		t.Errorf("English LISA on foreign_born_pct: %q %q", r.LISA.Indicator.ID, r.LISA.Text)
	}
	tests := []struct {
		query  string
		status int
		code   string
	}{
		{"", 400, "bad_request"},
		{"kommun=180", 400, "bad_request"},
		{"kommun=0180;x", 400, "bad_request"},
		{"kommun=9999", 404, "not_found"},
		{"kommun=0180&lang=fi", 400, "bad_request"},
		{"kommun=0180&indicator=nope", 404, "not_found"},
		{"kommun=0180&indicator=omradestyp", 400, "bad_request"},
		{"kommun=0180&format=pdf", 400, "bad_request"},
		{"kommun=0180&change=population&from=2023&to=2023", 200, ""},
	}
	for _, tc := range tests {
		if tc.status == 200 {
			var got reportJSON
			getJSON(t, "/report?format=json&"+tc.query, &got)
			if len(got.Warnings) == 0 {
				t.Errorf("%s: a change between one year and itself gave no warning", tc.query)
			}
			continue
		}
		expectError(t, "/report?"+tc.query, tc.status, tc.code)
	}
}

func TestReportQueryEscaping(t *testing.T) {
	// A hostile parameter must come back as a 400, never echoed as HTML.
	rec := get(t, "/report?kommun="+url.QueryEscape("<script>alert(1)</script>"))
	if rec.Code != http.StatusBadRequest || strings.Contains(rec.Body.String(), "<script>") {
		t.Errorf("status %d body %s", rec.Code, rec.Body.String())
	}
	var e errorResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil {
		t.Fatal(err)
	}
}

// TestReportWithoutBoundaries: the demo has statistics for all of Sweden but
// boundaries only for Stockholms län. A region elsewhere (the issue's
// example) still gets its tables and charts; the maps and LISA are named as
// left out.
func TestReportWithoutBoundaries(t *testing.T) {
	const k = "1466,1445,1442"
	var r reportJSON
	getJSON(t, "/report?format=json&kommun="+k, &r)
	joined := strings.Join(r.Warnings, " | ")
	// Swedish by default: the part and why, no raw Go error.
	if len(r.Warnings) != 2 || !strings.Contains(joined, "Kartor: databasen har inga DeSO-gränser") || !strings.Contains(joined, "Kluster (LISA): ") ||
		strings.Contains(joined, "service:") || strings.Contains(joined, "not found") {
		t.Errorf("warnings %q", r.Warnings)
	}
	var ot struct {
		Types []struct {
			RegSOCount int `json:"regso_count"`
		} `json:"types"`
	}
	getJSON(t, "/api/omradestyper?kommun="+k, &ot)
	for i, ty := range ot.Types {
		if r.Omradestyper.Types[i].RegSOCount != ty.RegSOCount {
			t.Errorf("type %d: %d RegSO, API %d", i+1, r.Omradestyper.Types[i].RegSOCount, ty.RegSOCount)
		}
	}
	want, n := ojIndex(t, k, r.Inequality[0].Year)
	if !near(*r.Inequality[0].Region, want, 1e-9) || n != r.DeSOCount {
		t.Errorf("ojämlikhetsindex %g over %d DeSO, computed %g over %d", *r.Inequality[0].Region, r.DeSOCount, want, n)
	}
	page := get(t, "/report?kommun="+k).Body.String()
	if strings.Contains(page, `class="map"`) || !strings.Contains(page, `id="warnings"`) || !strings.Contains(page, `id="types-table"`) {
		t.Error("report without boundaries: maps drawn, or no warnings or types table")
	}
}
