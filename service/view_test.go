package service

import (
	"context"
	"encoding/json"
	"math"
	"path/filepath"
	"slices"
	"testing"

	"github.com/paulmach/orb"

	"github.com/segmap/segmap/data"
)

// dalarnaValuesStore is a store built like the README's example: Dalarna's
// DeSO boundaries, the national DeSO→RegSO link and DeSO indicators
// (values for every DeSO in Sweden, boundaries for 175).
func dalarnaValuesStore(t *testing.T) *data.Store {
	t.Helper()
	ctx := context.Background()
	st := dalarnaStore(t)
	if _, err := st.ImportHierarchy(ctx, filepath.Join("..", "testdata", "indicators", "deso2018_regso2020_link.csv")); err != nil {
		t.Fatal(err)
	}
	if _, err := st.ImportIndicators(ctx, filepath.Join("..", "testdata", "indicators", "deso_indicators_2022.csv"), data.IndicatorImportOptions{}); err != nil {
		t.Fatal(err)
	}
	return st
}

// TestClassifyView: on the demo store (Stockholms län's boundaries) and a
// Dalarna store, the view of a national classification keeps the mapped
// areas or those in a box, in both forms, while breaks and legend stay
// those of the whole selection; the compact form is the same areas.
func TestClassifyView(t *testing.T) {
	ctx := context.Background()
	for _, region := range []struct {
		name  string
		store func(t *testing.T) *data.Store
	}{
		{"stockholm", func(*testing.T) *data.Store { return testStore }},
		{"dalarna", dalarnaValuesStore},
	} {
		t.Run(region.name, func(t *testing.T) {
			st := region.store(t)
			s := New(st, nil, Options{})
			areas, err := st.Areas(ctx, data.LevelDeSO, data.AreasOptions{WithGeometry: true})
			if err != nil {
				t.Fatal(err)
			}
			mapped := map[string]orb.Bound{}
			for _, a := range areas {
				if a.Geometry != nil {
					mapped[a.Code] = a.Geometry.Bound()
				}
			}
			q := ClassifyQuery{ValuesQuery: ValuesQuery{Level: data.LevelDeSO, Indicator: "foreign_born_pct", Year: 2022}, Method: "fisher", K: 5}
			full, err := s.Classify(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if len(full.Areas) <= len(mapped) || len(mapped) == 0 {
				t.Fatalf("%d areas classified, %d mapped: the test needs more values than boundaries", len(full.Areas), len(mapped))
			}
			// A box around the first mapped area's centre, a tenth of its size.
			var first orb.Bound
			for _, a := range full.Areas {
				if b, ok := mapped[a.Code]; ok {
					first = b
					break
				}
			}
			c := first.Center()
			w, h := (first.Max[0]-first.Min[0])/20, (first.Max[1]-first.Min[1])/20
			box := orb.Bound{Min: orb.Point{c[0] - w, c[1] - h}, Max: orb.Point{c[0] + w, c[1] + h}}
			for _, v := range []View{{Mapped: true}, {Mapped: true, Compact: true}, {BBox: &box}, {BBox: &box, Compact: true}, {Compact: true}} {
				got, err := s.ClassifyView(ctx, q, v)
				if err != nil {
					t.Fatal(err)
				}
				var cl *Classification
				var codes []string
				var classes []int
				switch g := got.(type) {
				case *Classification:
					if v.Compact {
						t.Fatalf("%+v: objects answer", v)
					}
					cl = g
					for _, a := range g.Areas {
						codes = append(codes, a.Code)
						classes = append(classes, a.Class)
					}
				case *CompactClassification:
					if !v.Compact || g.Format != FormatCompact {
						t.Fatalf("%+v: compact answer, format %q", v, g.Format)
					}
					if len(g.IDs) != len(g.Codes) || len(g.Vals) != len(g.Codes) || len(g.Classes) != len(g.Codes) {
						t.Fatalf("%+v: arrays of %d ids, %d codes, %d values, %d classes", v, len(g.IDs), len(g.Codes), len(g.Vals), len(g.Classes))
					}
					cl, codes, classes = g.Classification, g.Codes, g.Classes
				default:
					t.Fatalf("%+v: answer of type %T", v, got)
				}
				if !slices.Equal(cl.Breaks, full.Breaks) || len(cl.Legend) != len(full.Legend) || cl.Legend[0] != full.Legend[0] {
					t.Errorf("%+v: breaks %v legend %v, want the whole selection's %v %v", v, cl.Breaks, cl.Legend, full.Breaks, full.Legend)
				}
				// The areas kept, in order, with the classes of the full answer.
				var want []string
				var wantClasses []int
				for _, a := range full.Areas {
					b, ok := mapped[a.Code]
					if (v.Mapped && !ok) || (v.BBox != nil && (!ok || !b.Intersects(*v.BBox))) {
						continue
					}
					want = append(want, a.Code)
					wantClasses = append(wantClasses, a.Class)
				}
				if !slices.Equal(codes, want) || !slices.Equal(classes, wantClasses) {
					t.Errorf("%+v: %d areas, want %d", v, len(codes), len(want))
				}
				if v.Mapped && len(codes) != len(mapped) {
					t.Errorf("mapped: %d areas, %d have a boundary", len(codes), len(mapped))
				}
				if v.BBox != nil && (len(codes) == 0 || len(codes) >= len(mapped)) {
					t.Errorf("box %v: %d areas of %d mapped", box, len(codes), len(mapped))
				}
			}
			// Values: the same view.
			got, err := s.ValuesView(ctx, q.ValuesQuery, View{Mapped: true, Compact: true})
			if err != nil {
				t.Fatal(err)
			}
			cv := got.(*CompactValues)
			if len(cv.Codes) != len(mapped) || len(cv.Vals) != len(mapped) || len(cv.Denominators) != len(mapped) || len(cv.Suppressed) != len(mapped) {
				t.Errorf("values: %d codes, %d values for %d mapped", len(cv.Codes), len(cv.Vals), len(mapped))
			}
			for i, code := range cv.Codes {
				if _, ok := mapped[code]; !ok {
					t.Fatalf("values: %s has no boundary", code)
				}
				j := slices.IndexFunc(cv.Values.Areas, func(a AreaValue) bool { return a.Code == code })
				if a := cv.Values.Areas[j]; a.ID != cv.IDs[i] || !sameNum(a.Value, cv.Vals[i]) || a.Suppressed != cv.Suppressed[i] {
					t.Fatalf("values: %s: %+v vs id %d value %v", code, a, cv.IDs[i], cv.Vals[i])
				}
			}
		})
	}
}

func sameNum(a, b Num) bool { return a == b || (!a.Valid() && !b.Valid()) }

func TestCheckBBox(t *testing.T) {
	for _, b := range []orb.Bound{
		{Min: orb.Point{18, 60}, Max: orb.Point{17, 61}},
		{Min: orb.Point{18, 61}, Max: orb.Point{19, 60}},
		{Min: orb.Point{-200, 60}, Max: orb.Point{19, 61}},
		{Min: orb.Point{nan, 60}, Max: orb.Point{19, 61}},
	} {
		if err := CheckBBox(b); err == nil {
			t.Errorf("%v accepted", b)
		}
	}
	if err := CheckBBox(orb.Bound{Min: orb.Point{18, 59}, Max: orb.Point{18, 59}}); err != nil {
		t.Errorf("a point box: %v", err)
	}
}

// TestValuesOfKommunerFromTheLevel: some kommuner's values, narrowed from
// the whole level's cached answer, are exactly what the store answers for
// those kommuner, at every level.
func TestValuesOfKommunerFromTheLevel(t *testing.T) {
	ctx := context.Background()
	s := New(testStore, nil, Options{})
	for _, level := range []string{data.LevelDeSO, data.LevelRegSO, data.LevelKommun, data.LevelLan} {
		for _, ks := range [][]string{{"0180"}, {"0114", "0184", "2080"}, {"9999"}} {
			q, ind, err := s.normalise(ctx, ValuesQuery{Level: level, Indicator: "foreign_born_pct", Kommuner: ks})
			if err != nil {
				t.Fatal(err)
			}
			want, err := s.buildValues(ctx, q, ind)
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.Values(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Areas) != len(want.Areas) || got.Year != want.Year {
				t.Fatalf("%s %v: %d areas, year %d; the store: %d, %d", level, ks, len(got.Areas), got.Year, len(want.Areas), want.Year)
			}
			for i := range want.Areas {
				g, w := got.Areas[i], want.Areas[i]
				if g.Code != w.Code || g.ID != w.ID || !sameNum(g.Value, w.Value) || !sameNum(g.Denominator, w.Denominator) || g.Suppressed != w.Suppressed || g.Kommun != w.Kommun {
					t.Fatalf("%s %v: %+v, the store %+v", level, ks, g, w)
				}
			}
		}
	}
}

// TestOmradestypOfProfile: the area type a profile shows, from the map
// built once per data version, is the latest type of the RegSO's own
// values, for every RegSO of the demo store.
func TestOmradestypOfProfile(t *testing.T) {
	ctx := context.Background()
	s := New(testStore, nil, Options{})
	regsos, err := testStore.Areas(ctx, data.LevelRegSO, data.AreasOptions{})
	if err != nil {
		t.Fatal(err)
	}
	typed := 0
	for i, a := range regsos {
		if i%50 != 0 { // one in 50 keeps the test short
			continue
		}
		vs, err := testStore.AreaValues(ctx, data.LevelRegSO, a.Code)
		if err != nil {
			t.Fatal(err)
		}
		want, year := 0, 0
		for _, v := range vs {
			if v.Indicator == s.opts.OmradestypIndicator && v.Breakdown == data.BreakdownTotal && finite(v.Value) && v.Year >= year {
				want, year = int(v.Value), v.Year
			}
		}
		if got := s.omradestyp(ctx, a.Code); got != want {
			t.Fatalf("%s: type %d, its values say %d (%d)", a.Code, got, want, year)
		}
		if want > 0 {
			typed++
		}
	}
	if typed == 0 {
		t.Fatal("no RegSO with a type: the test checks nothing")
	}
}

// BenchmarkEncodeClassification: JSON and gzip of the classification of
// every DeSO (what a cold /api/classify pays once per data version and
// query), objects and compact.
func BenchmarkEncodeClassification(b *testing.B) {
	ctx := context.Background()
	s := New(testStore, nil, Options{})
	q := ClassifyQuery{ValuesQuery: ValuesQuery{Level: data.LevelDeSO, Indicator: "foreign_born_pct"}, Method: "fisher", K: 5}
	for _, compact := range []bool{false, true} {
		v, err := s.ClassifyView(ctx, q, View{Compact: compact})
		if err != nil {
			b.Fatal(err)
		}
		name := "objects"
		if compact {
			name = "compact"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			var e *Encoded
			for b.Loop() {
				if e, err = encode(v); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(e.JSON)), "json-bytes")
			b.ReportMetric(float64(len(e.Gzip)), "gzip-bytes")
		})
	}
}

// TestNumsJSON: Nums is written exactly as []Num.
func TestNumsJSON(t *testing.T) {
	for _, ns := range []Nums{nil, {}, {1, Num(nan), -0.5, 1e21, Num(math.Inf(1)), 12.345678901234567, 0}} {
		got, err := json.Marshal(ns)
		if err != nil {
			t.Fatal(err)
		}
		want, err := json.Marshal([]Num(ns))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("%s, want %s", got, want)
		}
	}
}
