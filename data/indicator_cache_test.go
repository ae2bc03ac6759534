package data_test

import (
	"context"
	"testing"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/data/demo"
)

// The indicator list is kept per data version: a caller's changes to its
// copy never reach the next caller, and a change of the data (a rename)
// is seen at once by this Store.
func TestIndicatorsKeptPerVersion(t *testing.T) {
	ctx := context.Background()
	path, err := demo.TestStorePath(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	s, err := data.Open(ctx, path, data.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	first, err := s.Indicators(ctx)
	if err != nil || len(first) == 0 {
		t.Fatalf("indicators: %v (%d)", err, len(first))
	}
	id, name, years := first[0].ID, first[0].NameSV, len(first[0].Years)
	first[0].NameSV = "ändrad av anroparen"
	first[0].Years = append(first[0].Years[:0], 1900)
	again, err := s.Indicators(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if again[0].NameSV != name || len(again[0].Years) != years || again[0].Years[0] == 1900 {
		t.Fatalf("a caller's change reached the kept list: %q %v", again[0].NameSV, again[0].Years)
	}
	one, err := s.Indicator(ctx, id)
	if err != nil || one.NameSV != name || len(one.Years) != years {
		t.Fatalf("Indicator(%s) = %q %v, %v; want %q with %d years", id, one.NameSV, one.Years, err, name, years)
	}
	nytt := "Nytt namn"
	if err := s.UpdateIndicator(ctx, id, data.IndicatorPatch{NameSV: &nytt}); err != nil {
		t.Fatal(err)
	}
	after, err := s.Indicators(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after[0].NameSV != "Nytt namn" {
		t.Fatalf("after a rename the list says %q", after[0].NameSV)
	}
	if one, err := s.Indicator(ctx, id); err != nil || one.NameSV != "Nytt namn" {
		t.Fatalf("after a rename Indicator says %q, %v", one.NameSV, err)
	}
}
