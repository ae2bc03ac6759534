package crosswalk

import (
	"context"
	"reflect"
	"testing"

	"github.com/paulmach/orb"
)

func rect(x0, y0, x1, y1 float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}}
}

// Version changes on a 1 km grid: an unchanged area, a merger, a split read
// both ways, a moved boundary, and a digitising sliver.
func TestExact(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		from, to []Area
		want     map[string][]string
	}{
		{"unchanged", []Area{{"A", rect(0, 0, 1000, 1000)}}, []Area{{"A", rect(0, 0, 1000, 1000)}}, map[string][]string{"A": {"A"}}},
		{"merger: two summed into one",
			[]Area{{"A", rect(0, 0, 1000, 1000)}, {"B", rect(1000, 0, 2000, 1000)}},
			[]Area{{"AB", rect(0, 0, 2000, 1000)}}, map[string][]string{"AB": {"A", "B"}}},
		{"split, old to new: no part is exact",
			[]Area{{"A0", rect(0, 0, 2000, 1000)}},
			[]Area{{"A1", rect(0, 0, 1000, 1000)}, {"A2", rect(1000, 0, 2000, 1000)}}, map[string][]string{}},
		{"split, new to old: the parts summed to the older area",
			[]Area{{"A1", rect(0, 0, 1000, 1000)}, {"A2", rect(1000, 0, 2000, 1000)}},
			[]Area{{"A0", rect(0, 0, 2000, 1000)}}, map[string][]string{"A0": {"A1", "A2"}}},
		{"moved boundary: neither side exact",
			[]Area{{"A", rect(0, 0, 1000, 1000)}, {"B", rect(1000, 0, 2000, 1000)}},
			[]Area{{"A", rect(0, 0, 1300, 1000)}, {"B", rect(1300, 0, 2000, 1000)}}, map[string][]string{}},
		{"digitising sliver of 2 m: still the same areas",
			[]Area{{"A", rect(0, 0, 1000, 1000)}, {"B", rect(1000, 0, 2000, 1000)}},
			[]Area{{"A", rect(0, 0, 1002, 1000)}, {"B", rect(1002, 0, 2000, 1000)}}, map[string][]string{"A": {"A"}, "B": {"B"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			links, err := Overlaps(ctx, tc.from, tc.to, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range links {
				if l.ShareOfFrom <= 0 || l.ShareOfFrom > 1+1e-9 || l.ShareOfTo <= 0 || l.ShareOfTo > 1+1e-9 {
					t.Errorf("link %+v: shares outside (0, 1]", l)
				}
			}
			if got := Exact(links, 0); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("exact %v, want %v (links %+v)", got, tc.want, links)
			}
		})
	}
}
