package service

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestParseKommunList(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string
		ok   bool
	}{
		{"0180", []string{"0180"}, true},
		{"1466,1445,1442", []string{"1466", "1445", "1442"}, true},
		{" 1466, 1445 ;1442\t0180 ", []string{"1466", "1445", "1442", "0180"}, true},
		{"0180,0180", []string{"0180"}, true},
		{"0126+0127", []string{"0126", "0127"}, true},
		{"", nil, false},
		{" , ", nil, false},
		{"180", nil, false},
		{"01800", nil, false},
		{"01a0", nil, false},
		{"0180,x", nil, false},
		{"٠١٨٠", nil, false}, // Arabic-Indic digits are not kommun codes
	}
	for _, tc := range tests {
		got, err := ParseKommunList(tc.in)
		if (err == nil) != tc.ok || !slices.Equal(got, tc.want) {
			t.Errorf("ParseKommunList(%q) = %v, %v; want %v ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
		if err != nil && !errors.Is(err, ErrBadRequest) {
			t.Errorf("ParseKommunList(%q): %v is not ErrBadRequest", tc.in, err)
		}
	}
	if _, err := ParseKommunList("180"); err == nil || !strings.Contains(err.Error(), "0180") {
		t.Errorf("a 3-digit code should suggest the lost leading zero: %v", err)
	}
	many := make([]string, MaxRegionKommuner+1)
	for i := range many {
		many[i] = string(rune('0'+i/1000%10)) + string(rune('0'+i/100%10)) + string(rune('0'+i/10%10)) + string(rune('0'+i%10))
	}
	if _, err := ParseKommunList(strings.Join(many, ",")); err == nil {
		t.Errorf("%d kommuner accepted", len(many))
	}
	if got, err := ParseKommunList(strings.Join(many[:MaxRegionKommuner], ",")); err != nil || len(got) != MaxRegionKommuner {
		t.Errorf("%d kommuner: %v", MaxRegionKommuner, err)
	}
}

func FuzzParseKommunList(f *testing.F) {
	for _, s := range []string{"0180", "1466,1445,1442", " 0126 ;0127\t0128", "180", "0180,0180", "", "01a0", ",,,"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseKommunList(s)
		if err != nil {
			if !errors.Is(err, ErrBadRequest) || got != nil {
				t.Fatalf("ParseKommunList(%q): %v, %v", s, got, err)
			}
			return
		}
		if len(got) == 0 || len(got) > MaxRegionKommuner {
			t.Fatalf("ParseKommunList(%q) = %d codes", s, len(got))
		}
		seen := map[string]bool{}
		for _, c := range got {
			if len(c) != 4 || strings.Trim(c, "0123456789") != "" || seen[c] || !strings.Contains(s, c) {
				t.Fatalf("ParseKommunList(%q) = %v: bad or repeated code %q", s, got, c)
			}
			seen[c] = true
		}
		// Round trip: the canonical form parses to the same list.
		again, err := ParseKommunList(strings.Join(got, ","))
		if err != nil || !slices.Equal(again, got) {
			t.Fatalf("round trip of %v: %v, %v", got, again, err)
		}
	})
}
