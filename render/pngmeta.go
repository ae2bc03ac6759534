package render

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"math"
)

// pngSignature and the length of the IHDR chunk that follows it.
var pngSignature = []byte("\x89PNG\r\n\x1a\n")

const ihdrEnd = 8 + 4 + 4 + 13 + 4

// writePNGMeta writes the encoded PNG enc to w with, right after IHDR, a
// pHYs chunk giving the resolution (so word processors place a 300 DPI
// picture at its physical size) and iTXt chunks with the map's Title and
// Description (the text alternative), UTF-8 and tagged with the language.
func writePNGMeta(w io.Writer, enc []byte, dpi float64, m Map, lang string) error {
	if len(enc) < ihdrEnd || !bytes.Equal(enc[:8], pngSignature) || string(enc[12:16]) != "IHDR" {
		return fmt.Errorf("render: encoded PNG has no IHDR chunk")
	}
	var b bytes.Buffer
	b.Write(enc[:ihdrEnd])
	ppm := uint32(math.Round(dpi / 0.0254))
	phys := make([]byte, 9)
	binary.BigEndian.PutUint32(phys[0:], ppm)
	binary.BigEndian.PutUint32(phys[4:], ppm)
	phys[8] = 1 // unit: metre
	writeChunk(&b, "pHYs", phys)
	for _, kv := range [][2]string{{"Title", m.Title}, {"Description", m.Description}} {
		if kv[1] == "" {
			continue
		}
		// keyword NUL, compression flag 0, method 0, language NUL, translated keyword NUL, text.
		data := append([]byte(kv[0]), 0, 0, 0)
		data = append(append(data, lang...), 0, 0)
		writeChunk(&b, "iTXt", append(data, kv[1]...))
	}
	b.Write(enc[ihdrEnd:])
	_, err := w.Write(b.Bytes())
	return err
}

func writeChunk(b *bytes.Buffer, typ string, data []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(data)))
	b.Write(n[:])
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	b.WriteString(typ)
	b.Write(data)
	binary.BigEndian.PutUint32(n[:], crc.Sum32())
	b.Write(n[:])
}
