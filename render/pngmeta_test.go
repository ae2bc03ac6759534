package render

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image/png"
	"strings"
	"testing"
)

// pngChunk is one chunk read back from an encoded PNG.
type pngChunk struct {
	typ  string
	data []byte
}

// readChunks splits a PNG into its chunks, checking every CRC.
func readChunks(t *testing.T, b []byte) []pngChunk {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) {
		t.Fatal("no PNG signature")
	}
	var out []pngChunk
	for p := 8; p < len(b); {
		if p+12 > len(b) {
			t.Fatalf("truncated chunk at %d", p)
		}
		n := int(binary.BigEndian.Uint32(b[p:]))
		typ, data := string(b[p+4:p+8]), b[p+8:p+8+n]
		if got, want := binary.BigEndian.Uint32(b[p+8+n:]), crc32.ChecksumIEEE(b[p+4:p+8+n]); got != want {
			t.Errorf("chunk %s: CRC %08x, want %08x", typ, got, want)
		}
		out = append(out, pngChunk{typ, data})
		p += 12 + n
	}
	return out
}

func TestPNGMetadata(t *testing.T) {
	areas := loadAreas(t, vaxjoFile)[:12]
	m := Map{Title: "Låg ekonomisk standard 2022", Description: "Låg ekonomisk standard 2022 per DeSO i Växjö: högst i … 45,3 %.", Lang: "sv"}
	for i, a := range areas {
		m.Features = append(m.Features, Feature{Geometry: a.Geom, Fill: testPalette[i%5]})
	}
	for _, tc := range []struct {
		dpi     float64
		ppm     uint32 // pixels per metre: dpi / 0.0254, rounded
		lang    string
		noTexts bool
	}{
		{96, 3780, "sv", false},
		{300, 11811, "en", false},
		{150, 5906, "sv", true},
	} {
		mm := m
		mm.Lang = tc.lang
		if tc.noTexts {
			mm.Title, mm.Description = "", ""
		}
		var buf bytes.Buffer
		if err := PNG(&buf, mm, Options{Width: 300, Height: 200, DPI: tc.dpi}); err != nil {
			t.Fatal(err)
		}
		if _, err := png.Decode(bytes.NewReader(buf.Bytes())); err != nil {
			t.Fatalf("dpi %g: the PNG with metadata does not decode: %v", tc.dpi, err)
		}
		chunks := readChunks(t, buf.Bytes())
		if chunks[0].typ != "IHDR" || chunks[len(chunks)-1].typ != "IEND" {
			t.Errorf("chunk order %v", chunks)
		}
		texts := map[string]string{}
		var phys []byte
		for _, c := range chunks {
			switch c.typ {
			case "pHYs":
				phys = c.data
			case "iTXt":
				// keyword NUL flag method lang NUL translated NUL text
				kw, rest, _ := bytes.Cut(c.data, []byte{0})
				if rest[0] != 0 || rest[1] != 0 {
					t.Errorf("iTXt %s is compressed", kw)
				}
				lang, rest, _ := bytes.Cut(rest[2:], []byte{0})
				_, text, _ := bytes.Cut(rest, []byte{0})
				if string(lang) != tc.lang {
					t.Errorf("iTXt %s language %q, want %q", kw, lang, tc.lang)
				}
				texts[string(kw)] = string(text)
			}
		}
		if len(phys) != 9 || binary.BigEndian.Uint32(phys) != tc.ppm || binary.BigEndian.Uint32(phys[4:]) != tc.ppm || phys[8] != 1 {
			t.Errorf("dpi %g: pHYs %v, want %d pixels per metre", tc.dpi, phys, tc.ppm)
		}
		if tc.noTexts {
			if len(texts) != 0 {
				t.Errorf("texts %v without title or description", texts)
			}
			continue
		}
		if texts["Title"] != mm.Title || texts["Description"] != mm.Description || !strings.Contains(texts["Description"], "Växjö") {
			t.Errorf("dpi %g: texts %q", tc.dpi, texts)
		}
	}
}
