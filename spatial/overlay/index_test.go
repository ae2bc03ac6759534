package overlay

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

// wobbly is a closed ring of n vertices: a circle of radius r around c
// whose radius alternates by ±amp, so simplification cannot drop vertices.
func wobbly(c orb.Point, r, amp float64, n int) orb.Ring {
	ring := make(orb.Ring, 0, n+1)
	for i := 0; i < n; i++ {
		a := 2 * math.Pi * float64(i) / float64(n)
		d := r + amp
		if i%2 == 1 {
			d = r - amp
		}
		ring = append(ring, orb.Point{c[0] + d*math.Cos(a), c[1] + d*math.Sin(a)})
	}
	return append(ring, ring[0])
}

// randomStar is a star-shaped ring of n vertices with random radii.
func randomStar(rng *rand.Rand, c orb.Point, rmin, rmax float64, n int) orb.Ring {
	ring := make(orb.Ring, 0, n+1)
	for i := 0; i < n; i++ {
		a := 2 * math.Pi * float64(i) / float64(n)
		d := rmin + (rmax-rmin)*rng.Float64()
		ring = append(ring, orb.Point{c[0] + d*math.Cos(a), c[1] + d*math.Sin(a)})
	}
	return append(ring, ring[0])
}

// TestIndexAgreesWithScan: with the segment index, every operation gives
// what the full scan gave (the code before the index, overlay_ref_test.go)
// on random star polygons with holes, of sizes around the leaf size and
// well above it.
func TestIndexAgreesWithScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	for i := 0; i < 24; i++ {
		na, nb := 5+rng.IntN(400), 5+rng.IntN(400)
		ca := orb.Point{rng.Float64() * 50, rng.Float64() * 50}
		cb := orb.Point{rng.Float64()*120 - 20, rng.Float64()*120 - 20}
		pa := orb.Polygon{randomStar(rng, ca, 40, 80, na), randomStar(rng, ca, 5, 30, 3+rng.IntN(60))}
		pb := orb.Polygon{randomStar(rng, cb, 20, 70, nb)}
		a, b := FromPolygon(pa), FromPolygon(pb)
		name := fmt.Sprintf("case %d (%d, %d vertices)", i, na, nb)
		tol := 1e-9 * math.Max(1, a.Area())
		if got, want := IntersectionArea(a, b), refIntersectionArea(a, b); math.Abs(got-want) > tol {
			t.Errorf("%s: intersection %.9f, scan %.9f", name, got, want)
		}
		if got, want := Union(a, b).Area(), refUnion(a, b).Area(); math.Abs(got-want) > tol {
			t.Errorf("%s: union %.9f, scan %.9f", name, got, want)
		}
		if got, want := Distance(a, b), refDistance(a, b); got != want {
			t.Errorf("%s: distance %.12g, scan %.12g", name, got, want)
		}
		far := FromPolygon(orb.Polygon{randomStar(rng, orb.Point{400 + 300*rng.Float64(), 300 * rng.Float64()}, 10, 50, 5+rng.IntN(300))})
		if got, want := Distance(a, far), refDistance(a, far); got != want || got == 0 {
			t.Errorf("%s: distance to a far star %.12g, scan %.12g", name, got, want)
		}
		for k := 0; k < 200; k++ {
			p := orb.Point{rng.Float64()*200 - 50, rng.Float64()*200 - 50}
			if a.Contains(p) != refContains(a, p) {
				t.Errorf("%s: Contains(%v) differs from the scan", name, p)
			}
			if got, want := PointDistance(p, a), refPointDistance(p, a); got != want {
				t.Errorf("%s: PointDistance(%v) %.12g, scan %.12g", name, p, got, want)
			}
		}
		if i%4 == 0 {
			mp := orb.MultiPolygon{pa}
			if got, want := Buffer(mp, 25, DefaultTolerance).Area(), refBuffer(mp, 25, DefaultTolerance).Area(); math.Abs(got-want) > 1e-6*want {
				t.Errorf("%s: buffer %.6f, scan %.6f", name, got, want)
			}
		}
	}
}

// TestHilbertIsABijection: distinct grid cells get distinct positions (a
// sample), and the curve starts at the origin.
func TestHilbertIsABijection(t *testing.T) {
	seen := map[uint64]bool{}
	for x := uint32(0); x < 64; x++ {
		for y := uint32(0); y < 64; y++ {
			for _, hi := range []uint32{0, 1 << 15, 65535 - 63} {
				d := hilbert(x+hi, y+hi/2)
				if seen[d] {
					t.Fatalf("hilbert(%d, %d) = %d twice", x+hi, y+hi/2, d)
				}
				seen[d] = true
			}
		}
	}
	if hilbert(0, 0) != 0 || hilbert(65535, 0) != 1<<32-1 {
		t.Errorf("hilbert corners %d, %d", hilbert(0, 0), hilbert(65535, 0))
	}
}

// siteWork is what a summary does with one site against an area: the
// overlap, a 1 km buffer and its overlap, and the distance to an area 2 km
// away. scan selects the full-scan code of before the index.
func siteWork(ctx context.Context, site orb.MultiPolygon, area, far Region, scan bool) error {
	if scan {
		s := FromMultiPolygon(site)
		_ = refIntersectionArea(s, area)
		_ = refIntersectionArea(refBuffer(site, 1000, DefaultTolerance), area)
		_ = refDistance(s, far)
		return nil
	}
	s := FromMultiPolygon(site)
	if _, err := IntersectionAreaContext(ctx, s, area); err != nil {
		return err
	}
	buf, err := BufferContext(ctx, site, 1000, DefaultTolerance)
	if err != nil {
		return err
	}
	if _, err := IntersectionAreaContext(ctx, buf, area); err != nil {
		return err
	}
	_, err = DistanceContext(ctx, s, far)
	return err
}

// BenchmarkSiteVertices is siteWork for a site of 1k, 10k and 20k vertices
// (a 550 m circle whose radius alternates by ±2 m) against a 600-vertex
// area, with the segment index ("indexed") and with the full scan of
// before ("scan", skipped at 20k unless -bench names it: minutes per op).
// Run: go test -run '^$' -bench SiteVertices -benchtime 1x ./spatial/overlay.
func BenchmarkSiteVertices(b *testing.B) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	area := FromPolygon(orb.Polygon{randomStar(rng, orb.Point{300, 0}, 500, 900, 600)})
	far := FromPolygon(orb.Polygon{randomStar(rng, orb.Point{3000, 0}, 200, 400, 600)})
	for _, n := range []int{1000, 10000, 20000} {
		site := orb.MultiPolygon{{wobbly(orb.Point{0, 0}, 550, 2, n)}}
		for _, scan := range []bool{false, true} {
			name := fmt.Sprintf("v=%d/indexed", n)
			if scan {
				name = fmt.Sprintf("v=%d/scan", n)
			}
			b.Run(name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if err := siteWork(ctx, site, area, far, scan); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
