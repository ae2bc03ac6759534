package render

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
)

// svgSummary is what TestSVG reads back from an SVG document.
type svgSummary struct {
	viewBox   string
	areas     int
	outlines  int
	evenodd   int
	texts     []string
	fills     map[string]int // fill of class="area" paths
	maxCoordX float64
}

func parseSVG(t *testing.T, b []byte) svgSummary {
	t.Helper()
	s := svgSummary{fills: map[string]int{}}
	dec := xml.NewDecoder(bytes.NewReader(b))
	inText := false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			attr := map[string]string{}
			for _, a := range el.Attr {
				attr[a.Name.Local] = a.Value
			}
			switch el.Name.Local {
			case "svg":
				s.viewBox = attr["viewBox"]
				if el.Name.Space != "http://www.w3.org/2000/svg" {
					t.Errorf("svg namespace %q", el.Name.Space)
				}
			case "path":
				switch attr["class"] {
				case "area":
					s.areas++
					s.fills[attr["fill"]]++
				case "outline":
					s.outlines++
				}
				if attr["fill-rule"] == "evenodd" {
					s.evenodd++
				}
				for _, f := range strings.FieldsFunc(attr["d"], func(r rune) bool { return r == 'M' || r == 'L' || r == 'Z' }) {
					xy := strings.Fields(f)
					if len(xy) != 2 {
						t.Fatalf("bad path coordinate %q", f)
					}
					x, err := strconv.ParseFloat(xy[0], 64)
					if err != nil {
						t.Fatalf("bad path coordinate %q", f)
					}
					s.maxCoordX = max(s.maxCoordX, x)
				}
			case "text":
				inText = true
				s.texts = append(s.texts, "")
			}
		case xml.EndElement:
			if el.Name.Local == "text" {
				inText = false
			}
		case xml.CharData:
			if inText {
				s.texts[len(s.texts)-1] += string(el)
			}
		}
	}
	return s
}

func TestSVG(t *testing.T) {
	vaxjo := loadAreas(t, vaxjoFile)
	kommun := loadAreas(t, kommunFile)
	tests := []struct {
		name      string
		title     string
		outlines  int
		opts      Options
		wantTexts []string
	}{
		{"vaxjo", "Låg ekonomisk standard, Växjö kommun", 0, Options{Width: 1000, Height: 750},
			[]string{"Låg ekonomisk standard, Växjö kommun", "Källa: SCB, 2022. Kartunderlag: SCB DeSO (CC0)", "Uppgift saknas", "10 km", "N"}},
		{"escaping and outline", `Andel "låg" < 60 % & > 0`, 1, Options{Width: 800, Height: 800},
			[]string{`Andel "låg" < 60 % & > 0`, "12,1–17,3"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := choropleth(vaxjo, tc.title)
			for i := 0; i < tc.outlines; i++ {
				m.Outlines = append(m.Outlines, Feature{Geometry: kommun[0].Geom})
			}
			var buf bytes.Buffer
			if err := SVG(&buf, m, tc.opts); err != nil {
				t.Fatal(err)
			}
			s := parseSVG(t, buf.Bytes())
			if want := "0 0 " + strconv.Itoa(tc.opts.Width) + " " + strconv.Itoa(tc.opts.Height); s.viewBox != want {
				t.Errorf("viewBox %q, want %q", s.viewBox, want)
			}
			if s.areas != len(vaxjo) || s.evenodd != len(vaxjo) {
				t.Errorf("%d area paths (%d evenodd), want %d", s.areas, s.evenodd, len(vaxjo))
			}
			if s.outlines != tc.outlines {
				t.Errorf("%d outline paths, want %d", s.outlines, tc.outlines)
			}
			for i, c := range testPalette {
				want := (len(vaxjo) - i + len(testPalette) - 1) / len(testPalette)
				if s.fills[c] != want {
					t.Errorf("fill %s on %d paths, want %d", c, s.fills[c], want)
				}
			}
			if s.maxCoordX > float64(tc.opts.Width) {
				t.Errorf("path x %g outside the %d px picture", s.maxCoordX, tc.opts.Width)
			}
			for _, w := range tc.wantTexts {
				found := false
				for _, got := range s.texts {
					found = found || got == w
				}
				if !found {
					t.Errorf("text %q missing; texts: %q", w, s.texts)
				}
			}
		})
	}
}
