package tiles

import (
	"context"
	"errors"
	"testing"
)

func TestWalkVisitsThePyramidOnce(t *testing.T) {
	t.Parallel()
	e := New(Options{})
	if err := e.SetLayers("1", []Layer{loadStockholm(t).layer("deso")}); err != nil {
		t.Fatal(err)
	}
	want := len(Pyramid(e.LayerInfo()[0].Bounds, 0, 8))
	seen := map[[3]int]bool{}
	nonEmpty, lastDone := 0, 0
	err := Walk(context.Background(), e, WalkOptions{Layer: "deso", MinZoom: 0, MaxZoom: 8, Workers: 3,
		Progress: func(done, total int) {
			if total != want || done != lastDone+1 {
				t.Errorf("progress %d/%d after %d, want total %d", done, total, lastDone, want)
			}
			lastDone = done
		}}, func(z, x, y int, tile *Tile) error {
		k := [3]int{z, x, y}
		if seen[k] {
			t.Errorf("tile %v visited twice", k)
		}
		seen[k] = true
		if !tile.Empty {
			nonEmpty++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != want || nonEmpty == 0 {
		t.Errorf("visited %d tiles (%d non-empty), want %d", len(seen), nonEmpty, want)
	}
}

func TestWalkStopsOnError(t *testing.T) {
	t.Parallel()
	e := New(Options{})
	if err := e.SetLayers("1", []Layer{loadStockholm(t).layer("deso")}); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	calls := 0
	err := Walk(context.Background(), e, WalkOptions{Layer: "deso", MaxZoom: 10}, func(z, x, y int, tile *Tile) error {
		calls++
		return boom
	})
	if !errors.Is(err, boom) || calls != 1 {
		t.Errorf("err = %v after %d calls, want boom after 1", err, calls)
	}
	if err := Walk(context.Background(), e, WalkOptions{Layer: "nope"}, nil); !errors.Is(err, ErrUnknownLayer) {
		t.Errorf("unknown layer: %v", err)
	}
}
