package api_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"image/png"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/spatial/proj"
)

// svgDoc is what the pixel test needs from the renderer's SVG: the area
// paths (in feature order) and the boxes of the furniture drawn over the map.
type svgDoc struct {
	areas     [][][2]float64 // every area path's points
	furniture []box          // legend, scale bar, north arrow
	texts     []string
	title     string
}

type box struct{ x0, y0, x1, y1 float64 }

func (b box) contains(x, y, margin float64) bool {
	return x >= b.x0-margin && x <= b.x1+margin && y >= b.y0-margin && y <= b.y1+margin
}

func (b *box) extend(x, y float64) {
	b.x0, b.y0 = math.Min(b.x0, x), math.Min(b.y0, y)
	b.x1, b.y1 = math.Max(b.x1, x), math.Max(b.y1, y)
}

func emptyBox() box { return box{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)} }

// pathPoints reads "M x y L x y ... Z" path data.
func pathPoints(t *testing.T, d string) [][2]float64 {
	t.Helper()
	f := strings.Fields(strings.NewReplacer("M", " ", "L", " ", "Z", " ").Replace(d))
	if len(f)%2 != 0 {
		t.Fatalf("odd number of coordinates in path %.60q", d)
	}
	out := make([][2]float64, 0, len(f)/2)
	for i := 0; i < len(f); i += 2 {
		x, err1 := strconv.ParseFloat(f[i], 64)
		y, err2 := strconv.ParseFloat(f[i+1], 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("bad path coordinate %q %q", f[i], f[i+1])
		}
		out = append(out, [2]float64{x, y})
	}
	return out
}

// parseSVG parses the SVG with encoding/xml (failing on malformed XML).
func parseSVG(t *testing.T, b []byte) svgDoc {
	t.Helper()
	var doc svgDoc
	dec := xml.NewDecoder(bytes.NewReader(b))
	var groups []string
	var inTitle, inText bool
	cur := emptyBox()
	attr := func(se xml.StartElement, name string) string {
		for _, a := range se.Attr {
			if a.Name.Local == name {
				return a.Value
			}
		}
		return ""
	}
	num := func(se xml.StartElement, name string) float64 {
		f, _ := strconv.ParseFloat(attr(se, name), 64)
		return f
	}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("SVG does not parse: %v", err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			g := ""
			if len(groups) > 0 {
				g = groups[len(groups)-1]
			}
			switch el.Name.Local {
			case "g":
				groups = append(groups, attr(el, "id"))
				cur = emptyBox()
			case "path":
				pts := pathPoints(t, attr(el, "d"))
				switch {
				case g == "areas":
					doc.areas = append(doc.areas, pts)
				case g == "north-arrow":
					for _, p := range pts {
						cur.extend(p[0], p[1])
					}
				}
			case "rect":
				if g == "legend" || g == "scalebar" {
					x, y := num(el, "x"), num(el, "y")
					cur.extend(x, y)
					cur.extend(x+num(el, "width"), y+num(el, "height"))
				}
			case "title":
				inTitle = len(groups) == 0
			case "text":
				inText = true
			}
		case xml.EndElement:
			switch el.Name.Local {
			case "g":
				id := groups[len(groups)-1]
				groups = groups[:len(groups)-1]
				if id == "legend" || id == "scalebar" || id == "north-arrow" {
					doc.furniture = append(doc.furniture, cur)
				}
			case "title":
				inTitle = false
			case "text":
				inText = false
			}
		case xml.CharData:
			if inTitle {
				doc.title += string(el)
			}
			if inText {
				doc.texts = append(doc.texts, string(el))
			}
		}
	}
	if len(doc.areas) == 0 {
		t.Fatal("SVG has no area paths")
	}
	return doc
}

// insideRing is the even-odd test over all rings.
func insideRings(rings [][][2]float64, x, y float64) bool {
	in := false
	for _, r := range rings {
		for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
			a, b := r[i], r[j]
			if (a[1] > y) != (b[1] > y) && x < (b[0]-a[0])*(y-a[1])/(b[1]-a[1])+a[0] {
				in = !in
			}
		}
	}
	return in
}

func edgeDistance(rings [][][2]float64, x, y float64) float64 {
	best := math.Inf(1)
	for _, r := range rings {
		for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
			a, b := r[j], r[i]
			dx, dy := b[0]-a[0], b[1]-a[1]
			t := 0.0
			if l := dx*dx + dy*dy; l > 0 {
				t = math.Max(0, math.Min(1, ((x-a[0])*dx+(y-a[1])*dy)/l))
			}
			px, py := a[0]+t*dx-x, a[1]+t*dy-y
			best = math.Min(best, math.Hypot(px, py))
		}
	}
	return best
}

// rings converts a WGS 84 (multi)polygon to rings with f.
func rings(g orb.Geometry, f func(orb.Point) [2]float64) [][][2]float64 {
	var out [][][2]float64
	var polys []orb.Polygon
	switch g := g.(type) {
	case orb.Polygon:
		polys = []orb.Polygon{g}
	case orb.MultiPolygon:
		polys = g
	}
	for _, p := range polys {
		for _, r := range p {
			rr := make([][2]float64, len(r))
			for i, q := range r {
				rr[i] = f(q)
			}
			out = append(out, rr)
		}
	}
	return out
}

func hexOf(c interface{ RGBA() (r, g, b, a uint32) }) string {
	r, g, b, _ := c.RGBA()
	return fmt.Sprintf("#%02x%02x%02x", r>>8, g>>8, b>>8)
}

// TestMapPNGColours draws Botkyrka's DeSO and checks, at an interior point
// of many areas, that the PNG pixel has the legend colour /api/classify
// gives the area's class. The pixel of a point is found independently of
// the renderer: SWEREF 99 TM from spatial/proj, scaled to the bounding box
// of the area paths in the SVG of the same request.
func TestMapPNGColours(t *testing.T) {
	t.Parallel()
	const query = "level=deso&indicator=low_econ_standard_pct&year=2022&kommun=0127&k=5&method=quantile&width=900&height=700"
	const dpi = 144.0
	var cl pictureClassify
	getJSON(t, "/api/classify?"+query, &cl)
	var classColors []string
	for _, e := range cl.Legend {
		if e.Kind == "class" {
			classColors = append(classColors, e.Color)
		}
	}
	if len(classColors) != 5 {
		t.Fatalf("legend has %d classes, want 5: %+v", len(classColors), cl.Legend)
	}
	classOf := map[string]int{}
	for _, a := range cl.Areas {
		classOf[a.Code] = a.Class
	}

	rec := get(t, fmt.Sprintf("/api/map.png?%s&dpi=%g", query, dpi))
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "image/png" {
		t.Fatalf("map.png: status %d, type %q: %.200s", rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
	}
	img, err := png.Decode(rec.Body)
	if err != nil {
		t.Fatalf("decode PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 1350 || b.Dy() != 1050 {
		t.Fatalf("PNG is %v, want 1350 x 1050 (900 x 700 CSS px at 144 dpi)", b)
	}
	rec = get(t, "/api/map.svg?"+query)
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "image/svg+xml" {
		t.Fatalf("map.svg: status %d, type %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	svg := parseSVG(t, rec.Body.Bytes())

	areas, err := testStore.Areas(context.Background(), data.LevelDeSO, data.AreasOptions{WithGeometry: true, Kommuner: []string{"0127"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(areas) != len(svg.areas) || len(areas) < 40 {
		t.Fatalf("%d areas in the store, %d paths in the SVG", len(areas), len(svg.areas))
	}
	// Affine fit planar metres -> CSS px from the two bounding boxes.
	pb, xb := emptyBox(), emptyBox()
	for _, a := range areas {
		for _, r := range rings(a.Geometry, func(q orb.Point) [2]float64 { m := proj.WGS84ToSweref(q); return [2]float64{m[0], m[1]} }) {
			for _, p := range r {
				pb.extend(p[0], p[1])
			}
		}
	}
	for _, path := range svg.areas {
		for _, p := range path {
			xb.extend(p[0], p[1])
		}
	}
	k := (xb.x1 - xb.x0) / (pb.x1 - pb.x0)
	if ky := (xb.y1 - xb.y0) / (pb.y1 - pb.y0); math.Abs(ky-k)/k > 0.002 {
		t.Fatalf("scale x %g != scale y %g: the picture is not in SWEREF 99 TM", k, ky)
	}
	toPx := func(q orb.Point) [2]float64 {
		m := proj.WGS84ToSweref(q)
		return [2]float64{xb.x0 + (m[0]-pb.x0)*k, xb.y0 + (pb.y1-m[1])*k}
	}

	checked, classes := 0, map[int]bool{}
	for _, a := range areas {
		c, ok := classOf[a.Code]
		if !ok || c < 0 {
			continue
		}
		rs := rings(a.Geometry, toPx)
		bb := emptyBox()
		for _, r := range rs {
			for _, p := range r {
				bb.extend(p[0], p[1])
			}
		}
		// Grid search for the interior point farthest from the edges.
		bx, by, bd := 0.0, 0.0, 0.0
		for i := 1; i < 24; i++ {
			for j := 1; j < 24; j++ {
				x, y := bb.x0+(bb.x1-bb.x0)*float64(i)/24, bb.y0+(bb.y1-bb.y0)*float64(j)/24
				if !insideRings(rs, x, y) {
					continue
				}
				if d := edgeDistance(rs, x, y); d > bd {
					bx, by, bd = x, y, d
				}
			}
		}
		if bd < 4 {
			continue // too thin to sample safely
		}
		covered := false
		for _, f := range svg.furniture {
			covered = covered || f.contains(bx, by, 4)
		}
		if covered {
			continue
		}
		got := hexOf(img.At(int(bx*dpi/96), int(by*dpi/96)))
		if want := classColors[c]; got != want {
			t.Errorf("%s (class %d) at CSS px (%.1f, %.1f): pixel %s, legend colour %s", a.Code, c, bx, by, got, want)
		}
		checked++
		classes[c] = true
	}
	if checked < 20 || len(classes) < 4 {
		t.Errorf("only %d areas in %d classes could be sampled", checked, len(classes))
	}
	t.Logf("sampled %d areas in %d classes", checked, len(classes))

	// Title, subtitle and source line.
	if !strings.Contains(svg.title, cl.Indicator.NameSV) || !strings.Contains(svg.title, "2022") {
		t.Errorf("SVG title %q, want the indicator name and the year", svg.title)
	}
	all := strings.Join(svg.texts, "\n")
	for _, want := range []string{"Källa: SCB, 2022", "Botkyrka"} {
		if !strings.Contains(all, want) {
			t.Errorf("SVG texts lack %q:\n%s", want, all)
		}
	}
}

func TestMapPictureEnglish(t *testing.T) {
	t.Parallel()
	rec := get(t, "/api/map.svg?level=deso&indicator=low_econ_standard_pct&year=2022&kommun=0127&lang=en")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
	}
	svg := parseSVG(t, rec.Body.Bytes())
	if all := strings.Join(svg.texts, "\n"); !strings.Contains(all, "Source: SCB, 2022") {
		t.Errorf("English SVG lacks the source line:\n%s", all)
	}
	if cd := rec.Header().Get("Content-Disposition"); cd != `inline; filename="segmap-low_econ_standard_pct-deso-2022.svg"` {
		t.Errorf("Content-Disposition %q", cd)
	}
}

func TestMapPictureBadQuery(t *testing.T) {
	t.Parallel()
	const base = "/api/map.png?level=deso&indicator=low_econ_standard_pct&kommun=0127"
	for _, tc := range []struct {
		query  string
		status int
		code   string
	}{
		{"&width=119", 400, "bad_request"},
		{"&width=4001", 400, "bad_request"},
		{"&height=100", 400, "bad_request"},
		{"&height=5000", 400, "bad_request"},
		{"&dpi=71", 400, "bad_request"},
		{"&dpi=301", 400, "bad_request"},
		{"&dpi=NaN", 400, "bad_request"},
		{"&width=abc", 400, "bad_request"},
		{"&k=1", 400, "bad_request"},
		{"&lang=de", 400, "bad_request"},
		{"&year=1900", 404, "not_found"},
		// Within the bounds, but the renderer finds no room for the map
		// beside title and legend: still the client's to fix.
		{"&width=120&height=120", 400, "bad_request"},
	} {
		expectError(t, base+tc.query, tc.status, tc.code)
	}
	expectError(t, "/api/map.svg?level=deso&indicator=no_such_indicator", 404, "not_found")
	// The bounds themselves are accepted.
	for _, q := range []string{"&width=400&height=300&dpi=72", "&width=400&height=300&dpi=300", "&width=4000&height=500&dpi=72"} {
		rec := get(t, base+q)
		if rec.Code != http.StatusOK {
			t.Errorf("%s: status %d: %s", q, rec.Code, rec.Body.String())
			continue
		}
		if _, err := png.DecodeConfig(rec.Body); err != nil {
			t.Errorf("%s: %v", q, err)
		}
	}
}

// pictureClassify is the part of /api/classify the picture tests use.
type pictureClassify struct {
	Indicator struct {
		NameSV string `json:"name_sv"`
	} `json:"indicator"`
	Legend []struct {
		Color string `json:"color"`
		Kind  string `json:"kind"`
	} `json:"legend"`
	Areas []struct {
		Code  string `json:"code"`
		Class int    `json:"class"`
	} `json:"areas"`
}
