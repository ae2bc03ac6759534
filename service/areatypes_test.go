package service

import (
	"context"
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
	year, computed, source, err := s.areaTypes(ctx, SourceComputed)
	if err != nil || source != SourceComputed || year != 2022 {
		t.Fatalf("computed: year %d, source %q, %v", year, source, err)
	}
	offYear, official, offSource, err := s.areaTypes(ctx, "")
	if err != nil || offSource != SourceOfficial {
		t.Fatalf("default: source %q, %v", offSource, err)
	}
	if offYear != 2023 {
		t.Errorf("official types' latest year %d, want 2023", offYear)
	}
	// Compare with the official types of the same year.
	vals, err := testStore.Values(ctx, data.ValuesQuery{Level: data.LevelRegSO, Indicator: "omradestyp", Year: 2022})
	if err != nil {
		t.Fatal(err)
	}
	official = map[string]int{}
	for _, v := range vals {
		official[v.Code] = int(v.Value)
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
	t.Logf("computed vs official 2022: %d of %d RegSO agree (%.2f %%), %d more than one type apart", same, len(official), 100*share, far)
	if len(official) != 3363 || share < 0.95 || far != 0 {
		t.Errorf("%d RegSO, agreement %.4f, %d more than one type apart; want 3363, ≥ 0.95, 0", len(official), share, far)
	}
	if _, _, _, err := s.areaTypes(ctx, "guess"); err == nil {
		t.Error("source=guess accepted")
	}
	o, err := s.OmradestyperOf(ctx, OmradestypQuery{Kommuner: []string{"0180"}, Source: SourceComputed})
	if err != nil || o.Source != SourceComputed || len(o.Areas) == 0 {
		t.Fatalf("OmradestyperOf computed: %+v, %v", o, err)
	}
}
