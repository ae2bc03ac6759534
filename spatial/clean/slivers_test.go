package clean

import (
	"testing"

	"github.com/paulmach/orb"
)

// square returns a closed ring of a square of side d degrees at (x, y).
func square(x, y, d float64) orb.Ring {
	return orb.Ring{{x, y}, {x + d, y}, {x + d, y + d}, {x, y + d}, {x, y}}
}

func TestRemoveSlivers(t *testing.T) {
	// Near Stockholm a 0.01° square is roughly 560 m x 1,100 m; 0.0005° is ~28 m x 55 m.
	big := orb.Polygon{square(18, 59, 0.01), square(18.002, 59.002, 0.0005), square(18.005, 59.005, 0.003)}
	sliver := orb.Polygon{square(18.02, 59, 0.0005)}
	mp := orb.MultiPolygon{big, sliver}
	got := RemoveSlivers(mp, 20000)
	if len(got) != 1 {
		t.Fatalf("%d parts, want the sliver part dropped", len(got))
	}
	if len(got[0]) != 2 {
		t.Fatalf("%d rings, want the exterior and the large hole only", len(got[0]))
	}
	if len(mp) != 2 || len(mp[0]) != 3 {
		t.Error("input was modified")
	}
	// A lone small polygon is kept: an area never disappears.
	if got := RemoveSlivers(orb.MultiPolygon{sliver}, 20000); len(got) != 1 {
		t.Errorf("lone small part dropped")
	}
}
