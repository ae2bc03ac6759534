package service

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/segmap/segmap/data"
)

// The types segmap computes with SCB's rule from the national DeSO data
// aggregated to RegSO agree with SCB's official 2022 types for about 96 % of
// the 3,363 RegSO (spatial/areatype states 95.87 % for the same inputs), and
// every disagreement is one type away; the answer says which source it used.
func TestComputedOmradestyper(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := New(testStore, nil, Options{})
	cs, computed, err := s.areaTypes(ctx, SourceComputed)
	if err != nil || cs.Source != SourceComputed || cs.Year != 2022 {
		t.Fatalf("computed: %+v, %v", cs, err)
	}
	os, official, err := s.areaTypes(ctx, "")
	if err != nil || os.Source != SourceOfficial {
		t.Fatalf("default: %+v, %v", os, err)
	}
	if os.Year != 2023 {
		t.Errorf("official types' latest year %d, want 2023", os.Year)
	}
	// Each answer says which types it used, with the year, in both languages.
	for _, tc := range []struct {
		ts     TypeSource
		sv, en string
	}{
		{cs, "beräknade av segmap med SCB:s regel", "computed by segmap with SCB's rule"},
		{os, "SCB:s officiella", "SCB's official"},
	} {
		y := strconv.Itoa(tc.ts.Year)
		if !strings.Contains(tc.ts.Note("sv"), tc.sv) || !strings.Contains(tc.ts.Note("sv"), y) ||
			!strings.Contains(tc.ts.Note("en"), tc.en) || !strings.Contains(tc.ts.Note("en"), y) {
			t.Errorf("%s: notes %q / %q; want %q / %q with %s", tc.ts.Source, tc.ts.NoteSV, tc.ts.NoteEN, tc.sv, tc.en, y)
		}
	}
	// The inputs exist for 2022 only: the RegSO panel 2020–2023 has no
	// low economic standard, education or unemployment, so 2023 types
	// cannot be computed from 2023 shares (the README says so). Compare the
	// computed types with the official ones of 2022 (same year) and 2023
	// (a year on).
	for _, id := range []string{"low_econ_standard_pct", eduLowIndicator, unemploymentIndicat} {
		ind, err := testStore.Indicator(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if y := latestYearAt(ind, data.LevelRegSO); y != 2022 {
			t.Errorf("%s: latest RegSO year %d; the README says the inputs end in 2022", id, y)
		}
	}
	for _, tc := range []struct {
		year int
		min  float64 // agreement at least
	}{{2022, 0.95}, {2023, 0.85}} {
		vals, err := testStore.Values(ctx, data.ValuesQuery{Level: data.LevelRegSO, Indicator: "omradestyp", Year: tc.year})
		if err != nil {
			t.Fatal(err)
		}
		official = map[string]int{}
		for _, v := range vals {
			if finite(v.Value) {
				official[v.Code] = int(v.Value)
			}
		}
		same, far := 0, 0
		for code, want := range official {
			got := computed[code]
			switch d := got - want; {
			case d == 0:
				same++
			case d > 1 || d < -1:
				far++
			}
		}
		share := float64(same) / float64(len(official))
		t.Logf("computed (2022 shares) vs official %d: %d of %d RegSO agree (%.2f %%), %d more than one type apart", tc.year, same, len(official), 100*share, far)
		if len(official) != 3363 || share < tc.min || far != 0 {
			t.Errorf("%d: %d RegSO, agreement %.4f, %d more than one type apart; want 3363, ≥ %.2f, 0", tc.year, len(official), share, far, tc.min)
		}
	}
	if _, _, err := s.areaTypes(ctx, "guess"); err == nil {
		t.Error("source=guess accepted")
	}
	o, err := s.OmradestyperOf(ctx, OmradestypQuery{Kommuner: []string{"0180"}, Source: SourceComputed})
	if err != nil || o.Source != SourceComputed || o.TypeSource != cs || len(o.Areas) == 0 {
		t.Fatalf("OmradestyperOf computed: %+v, %v", o, err)
	}
}
