// Package pmtiles writes (and reads back) PMTiles v3 archives: a 127-byte
// header, a gzip-compressed root directory (with leaf directories when the
// root would not fit in the first 16 KiB), gzip-compressed JSON metadata and
// the tile data, addressed by Hilbert tile ids.
//
// The format follows the PMTiles v3 specification (protomaps).
package pmtiles

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// ErrFormat is returned (wrapped) for archives that cannot be read.
var ErrFormat = errors.New("pmtiles: bad archive")

// HeaderSize is the size of a v3 header in bytes.
const HeaderSize = 127

// rootBudget: header and root directory must fit in the first 16 KiB.
const rootBudget = 16384 - HeaderSize

// Compression and tile type codes of the specification.
const (
	CompressionNone = 1
	CompressionGzip = 2
	TileTypeMVT     = 1
)

// Header is the fixed v3 header.
type Header struct {
	RootOffset, RootLength         uint64
	MetadataOffset, MetadataLength uint64
	LeafOffset, LeafLength         uint64
	DataOffset, DataLength         uint64
	AddressedTiles, TileEntries    uint64
	TileContents                   uint64
	Clustered                      bool
	InternalCompression            uint8
	TileCompression                uint8
	TileType                       uint8
	MinZoom, MaxZoom               uint8
	MinLonE7, MinLatE7             int32
	MaxLonE7, MaxLatE7             int32
	CenterZoom                     uint8
	CenterLonE7, CenterLatE7       int32
}

// Entry is one directory entry. RunLength 0 marks a leaf directory.
type Entry struct {
	TileID, Offset uint64
	Length         uint32
	RunLength      uint32
}

func (h Header) bytes() []byte {
	b := make([]byte, HeaderSize)
	copy(b, "PMTiles")
	b[7] = 3
	le := binary.LittleEndian
	for i, v := range []uint64{h.RootOffset, h.RootLength, h.MetadataOffset, h.MetadataLength,
		h.LeafOffset, h.LeafLength, h.DataOffset, h.DataLength, h.AddressedTiles, h.TileEntries, h.TileContents} {
		le.PutUint64(b[8+8*i:], v)
	}
	if h.Clustered {
		b[96] = 1
	}
	b[97], b[98], b[99], b[100], b[101] = h.InternalCompression, h.TileCompression, h.TileType, h.MinZoom, h.MaxZoom
	le.PutUint32(b[102:], uint32(h.MinLonE7))
	le.PutUint32(b[106:], uint32(h.MinLatE7))
	le.PutUint32(b[110:], uint32(h.MaxLonE7))
	le.PutUint32(b[114:], uint32(h.MaxLatE7))
	b[118] = h.CenterZoom
	le.PutUint32(b[119:], uint32(h.CenterLonE7))
	le.PutUint32(b[123:], uint32(h.CenterLatE7))
	return b
}

// ParseHeader decodes a v3 header.
func ParseHeader(b []byte) (Header, error) {
	var h Header
	if len(b) < HeaderSize {
		return h, fmt.Errorf("%w: header has %d bytes, need %d", ErrFormat, len(b), HeaderSize)
	}
	if string(b[:7]) != "PMTiles" {
		return h, fmt.Errorf("%w: missing PMTiles magic", ErrFormat)
	}
	if b[7] != 3 {
		return h, fmt.Errorf("%w: spec version %d, want 3", ErrFormat, b[7])
	}
	le := binary.LittleEndian
	u := func(i int) uint64 { return le.Uint64(b[8+8*i:]) }
	h.RootOffset, h.RootLength = u(0), u(1)
	h.MetadataOffset, h.MetadataLength = u(2), u(3)
	h.LeafOffset, h.LeafLength = u(4), u(5)
	h.DataOffset, h.DataLength = u(6), u(7)
	h.AddressedTiles, h.TileEntries, h.TileContents = u(8), u(9), u(10)
	h.Clustered = b[96] == 1
	h.InternalCompression, h.TileCompression, h.TileType, h.MinZoom, h.MaxZoom = b[97], b[98], b[99], b[100], b[101]
	i32 := func(o int) int32 { return int32(le.Uint32(b[o:])) }
	h.MinLonE7, h.MinLatE7, h.MaxLonE7, h.MaxLatE7 = i32(102), i32(106), i32(110), i32(114)
	h.CenterZoom = b[118]
	h.CenterLonE7, h.CenterLatE7 = i32(119), i32(123)
	return h, nil
}

// ZXYToID converts a tile address to its Hilbert tile id.
func ZXYToID(z uint8, x, y uint32) uint64 {
	acc := (uint64(1)<<(2*uint(z)) - 1) / 3
	tx, ty := uint64(x), uint64(y)
	for s := uint64(1) << z >> 1; s > 0; s >>= 1 {
		var rx, ry uint64
		if tx&s != 0 {
			rx = 1
		}
		if ty&s != 0 {
			ry = 1
		}
		acc += s * s * ((3 * rx) ^ ry)
		tx, ty = rotate(s, tx, ty, rx, ry)
	}
	return acc
}

func rotate(n, x, y, rx, ry uint64) (uint64, uint64) {
	if ry == 0 {
		if rx == 1 {
			x = n - 1 - x
			y = n - 1 - y
		}
		return y, x
	}
	return x, y
}

// IDToZXY is the inverse of ZXYToID.
func IDToZXY(id uint64) (uint8, uint32, uint32) {
	var z uint8
	var acc uint64
	for {
		n := uint64(1) << (2 * uint(z))
		if id < acc+n {
			break
		}
		acc += n
		z++
	}
	d := id - acc
	var x, y uint64
	for s := uint64(1); s < uint64(1)<<z; s <<= 1 {
		rx := 1 & (d / 2)
		ry := 1 & (d ^ rx)
		x, y = rotate(s, x, y, rx, ry)
		x += s * rx
		y += s * ry
		d /= 4
	}
	return z, uint32(x), uint32(y)
}

// serializeEntries encodes a directory (varints, delta ids, offset
// elision) and gzips it.
func serializeEntries(es []Entry) []byte {
	var b []byte
	b = binary.AppendUvarint(b, uint64(len(es)))
	var last uint64
	for _, e := range es {
		b = binary.AppendUvarint(b, e.TileID-last)
		last = e.TileID
	}
	for _, e := range es {
		b = binary.AppendUvarint(b, uint64(e.RunLength))
	}
	for _, e := range es {
		b = binary.AppendUvarint(b, uint64(e.Length))
	}
	for i, e := range es {
		if i > 0 && e.Offset == es[i-1].Offset+uint64(es[i-1].Length) {
			b = binary.AppendUvarint(b, 0)
		} else {
			b = binary.AppendUvarint(b, e.Offset+1)
		}
	}
	return gz(b)
}

// DeserializeEntries decodes an uncompressed directory.
func DeserializeEntries(b []byte) ([]Entry, error) {
	r := bytes.NewReader(b)
	n, err := binary.ReadUvarint(r)
	if err != nil {
		return nil, fmt.Errorf("%w: directory: %w", ErrFormat, err)
	}
	if n > uint64(len(b)) {
		return nil, fmt.Errorf("%w: directory claims %d entries in %d bytes", ErrFormat, n, len(b))
	}
	es := make([]Entry, n)
	read := func() (uint64, error) {
		v, err := binary.ReadUvarint(r)
		if err != nil {
			return 0, fmt.Errorf("%w: directory: %w", ErrFormat, err)
		}
		return v, nil
	}
	var last uint64
	for i := range es {
		v, err := read()
		if err != nil {
			return nil, err
		}
		last += v
		es[i].TileID = last
	}
	for i := range es {
		v, err := read()
		if err != nil {
			return nil, err
		}
		es[i].RunLength = uint32(v)
	}
	for i := range es {
		v, err := read()
		if err != nil {
			return nil, err
		}
		es[i].Length = uint32(v)
	}
	for i := range es {
		v, err := read()
		if err != nil {
			return nil, err
		}
		switch {
		case v == 0 && i > 0:
			es[i].Offset = es[i-1].Offset + uint64(es[i-1].Length)
		case v == 0:
			return nil, fmt.Errorf("%w: first entry has elided offset", ErrFormat)
		default:
			es[i].Offset = v - 1
		}
	}
	return es, nil
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func gunzip(b []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%w: gzip: %w", ErrFormat, err)
	}
	out, err := io.ReadAll(io.LimitReader(zr, 1<<30))
	if err != nil {
		return nil, fmt.Errorf("%w: gzip: %w", ErrFormat, err)
	}
	return out, nil
}

// buildDirectories returns the root directory and the leaf section. The
// root holds the entries directly when it fits in the first 16 KiB,
// otherwise entries are split into leaves of growing size.
func buildDirectories(es []Entry) (root, leaves []byte) {
	root = serializeEntries(es)
	if len(root) <= rootBudget {
		return root, nil
	}
	for size := 4096; ; size *= 2 {
		var rootEntries []Entry
		var lb bytes.Buffer
		for i := 0; i < len(es); i += size {
			j := min(i+size, len(es))
			leaf := serializeEntries(es[i:j])
			rootEntries = append(rootEntries, Entry{TileID: es[i].TileID, Offset: uint64(lb.Len()), Length: uint32(len(leaf))})
			lb.Write(leaf)
		}
		root = serializeEntries(rootEntries)
		if len(root) <= rootBudget {
			return root, lb.Bytes()
		}
	}
}
