package service

import (
	"errors"
	"strings"
	"testing"

	"github.com/segmap/segmap/spatial/correlate"
)

// Every way spatial/correlate can fail reaches a person as a Swedish
// sentence by default (English on request) of kind Invalid, never as the
// package's English sentinel text.
func TestCorrelationFaultSwedish(t *testing.T) {
	q := CorrelationQuery{X: "a_pct", Y: "b_pct"}
	// The real errors, produced by spatial/correlate itself.
	_, errConst := correlate.Pearson([]float64{1, 1, 1}, []float64{1, 2, 3}, nil)
	_, errWeight := correlate.Pearson([]float64{1, 2, 3}, []float64{1, 2, 4}, []float64{1, -1, 1})
	_, errFew := correlate.Pearson([]float64{1}, []float64{2}, nil)
	tests := []struct {
		name string
		err  error
		sv   string
	}{
		{"constant", errConst, "samma värde i alla"},
		{"negative weight", errWeight, "befolkningsbasen"},
		{"too few", errFew, "för få områden"},
		{"other", errors.New("boom"), "gick inte att beräkna"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.err == nil {
				t.Fatal("spatial/correlate did not fail")
			}
			f := correlationFault(tc.err, q, 3, 2022)
			if !errors.Is(f, ErrBadRequest) {
				t.Errorf("%v is not a bad request", f)
			}
			sv, en := f.Message("sv"), f.Message("en")
			if !strings.Contains(sv, tc.sv) || sv == en || strings.Contains(sv, "correlate:") {
				t.Errorf("sv %q, en %q; want Swedish containing %q", sv, en, tc.sv)
			}
		})
	}
}
