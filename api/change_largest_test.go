package api_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// GET /api/change/largest: json, csv and xlsx of the same areas.
func TestLargestChangesAPI(t *testing.T) {
	var l struct {
		Meaning string `json:"meaning"`
		Kind    string `json:"kind"`
		From    int    `json:"from"`
		To      int    `json:"to"`
		Better  []struct {
			Code      string  `json:"code"`
			Change    float64 `json:"change"`
			Direction string  `json:"direction"`
		} `json:"better"`
		Worse []struct {
			Code   string  `json:"code"`
			Change float64 `json:"change"`
		} `json:"worse"`
	}
	const q = "/api/change/largest?indicator=wage_income_mean_tkr&kommun=0180&n=4"
	getJSON(t, q, &l)
	if l.Meaning != "higher_is_better" || l.Kind != "absolute" || l.From != 2020 || l.To != 2023 || len(l.Better) != 4 || len(l.Worse) == 0 {
		t.Fatalf("answer %+v", l)
	}
	for i, a := range l.Better {
		if a.Change <= 0 || a.Direction != "better" || (i > 0 && a.Change > l.Better[i-1].Change) {
			t.Errorf("better #%d %+v", i+1, a)
		}
	}
	csv := get(t, q+"&format=csv")
	if csv.Code != http.StatusOK || !strings.HasPrefix(csv.Header().Get("Content-Type"), "text/csv") {
		t.Fatalf("csv: %d %s", csv.Code, csv.Header().Get("Content-Type"))
	}
	lines := strings.Split(strings.TrimSpace(strings.TrimPrefix(csv.Body.String(), "\ufeff")), "\r\n")
	if len(lines) != 1+len(l.Better)+len(l.Worse) || !strings.HasPrefix(lines[0], "sida;placering;kod;namn") ||
		!strings.HasPrefix(lines[1], "förbättring;1;"+l.Better[0].Code+";") {
		t.Errorf("csv lines %q", lines)
	}
	xl := get(t, q+"&format=xlsx&lang=en")
	if xl.Code != http.StatusOK {
		t.Fatalf("xlsx: %d", xl.Code)
	}
	f, err := excelize.OpenReader(bytes.NewReader(xl.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Data")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(lines) || rows[0][0] != "side" || rows[1][0] != "improvement" || rows[1][2] != l.Better[0].Code {
		t.Errorf("xlsx rows %q", rows)
	}
	expectError(t, "/api/change/largest?indicator=foreign_born_pct&rank=relative", 400, "bad_request")
	expectError(t, "/api/change/largest?indicator=foreign_born_pct&n=101", 400, "bad_request")
	expectError(t, "/api/change/largest?indicator=foreign_born_pct&format=pdf", 400, "bad_request")
	expectError(t, "/api/change/largest?indicator=foreign_born_pct&kommun=9999", 404, "not_found")
}
