package data

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// cp1252High maps the bytes 0x80–0x9F of Windows-1252 to runes; 0 marks
// the five bytes the code page leaves undefined. 0xA0–0xFF are Latin-1.
var cp1252High = [32]rune{
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
}

// Text encodings of indicator files.
const (
	EncodingUTF8        = "utf-8"
	EncodingWindows1252 = "windows-1252"
)

// decodeText returns b as UTF-8: b itself when it is valid UTF-8 (a BOM
// dropped), else b read as Windows-1252 (what Swedish Excel saves as
// "CSV (semikolonavgränsad)"). ok is false for bytes that are neither:
// NUL bytes (UTF-16 or a binary file) or a byte Windows-1252 leaves undefined.
func decodeCSVText(b []byte) (out []byte, encoding string, ok bool) {
	b = bytes.TrimPrefix(b, []byte(utf8BOM))
	if utf8.Valid(b) {
		return b, EncodingUTF8, true
	}
	if bytes.IndexByte(b, 0) >= 0 {
		return nil, "", false
	}
	var sb strings.Builder
	sb.Grow(len(b) + len(b)/8)
	for _, c := range b {
		switch {
		case c < 0x80:
			sb.WriteByte(c)
		case c < 0xA0:
			r := cp1252High[c-0x80]
			if r == 0 {
				return nil, "", false
			}
			sb.WriteRune(r)
		default:
			sb.WriteRune(rune(c))
		}
	}
	return []byte(sb.String()), EncodingWindows1252, true
}
