// Package gpkg encodes and decodes OGC GeoPackage geometry blobs
// (GeoPackage 1.3, clause 2.1.3): the "GP" header with version, flags,
// srs_id and optional envelope, followed by ISO WKB. Geometries are
// exchanged as orb geometries; Z and M are dropped on decode.
package gpkg

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/twpayne/go-geom/encoding/wkb"
)

// ErrBlob is wrapped by every decode error.
var ErrBlob = errors.New("gpkg: bad geometry blob")

// Header is the decoded GeoPackage blob header.
type Header struct {
	Version byte
	SRSID   int32
	// Empty is the header's empty-geometry flag.
	Empty bool
	// EnvelopeType is 0 (none), 1 (xy), 2 (xyz), 3 (xym) or 4 (xyzm).
	EnvelopeType int
	// Envelope is the XY part of the envelope; valid when EnvelopeType > 0.
	Envelope orb.Bound
	// Size is the header length in bytes; the WKB starts there.
	Size int
}

const (
	flagLittleEndian = 1 << 0
	flagEmpty        = 1 << 4
	flagExtended     = 1 << 5
)

var envelopeDoubles = [5]int{0, 4, 6, 6, 8}

// ParseHeader reads the blob header.
func ParseHeader(b []byte) (Header, error) {
	var h Header
	if len(b) < 8 {
		return h, fmt.Errorf("%w: %d bytes, a header needs at least 8", ErrBlob, len(b))
	}
	if b[0] != 'G' || b[1] != 'P' {
		return h, fmt.Errorf("%w: magic %q, want \"GP\"", ErrBlob, b[:2])
	}
	h.Version = b[2]
	if h.Version != 0 {
		return h, fmt.Errorf("%w: version %d, want 0 (GeoPackage 1.x)", ErrBlob, h.Version)
	}
	flags := b[3]
	if flags&flagExtended != 0 {
		return h, fmt.Errorf("%w: extended GeoPackage geometry types are not supported", ErrBlob)
	}
	var order binary.ByteOrder = binary.BigEndian
	if flags&flagLittleEndian != 0 {
		order = binary.LittleEndian
	}
	h.Empty = flags&flagEmpty != 0
	h.EnvelopeType = int(flags>>1) & 7
	if h.EnvelopeType > 4 {
		return h, fmt.Errorf("%w: envelope type %d, want 0..4", ErrBlob, h.EnvelopeType)
	}
	h.SRSID = int32(order.Uint32(b[4:8]))
	n := envelopeDoubles[h.EnvelopeType]
	h.Size = 8 + 8*n
	if len(b) < h.Size {
		return h, fmt.Errorf("%w: %d bytes, header with envelope type %d needs %d", ErrBlob, len(b), h.EnvelopeType, h.Size)
	}
	if n > 0 {
		f := func(i int) float64 { return math.Float64frombits(order.Uint64(b[8+8*i:])) }
		h.Envelope = orb.Bound{Min: orb.Point{f(0), f(2)}, Max: orb.Point{f(1), f(3)}}
	}
	return h, nil
}

// Decode decodes a GeoPackage geometry blob into an orb geometry and its header.
func Decode(b []byte) (orb.Geometry, Header, error) {
	h, err := ParseHeader(b)
	if err != nil {
		return nil, h, err
	}
	if _, err := checkWKB(b[h.Size:], 0); err != nil {
		return nil, h, err
	}
	g, err := wkb.Unmarshal(b[h.Size:])
	if err != nil {
		return nil, h, fmt.Errorf("%w: WKB: %w", ErrBlob, err)
	}
	og, err := FromGeom(g)
	if err != nil {
		return nil, h, err
	}
	return og, h, nil
}

// Encode writes g as a GeoPackage blob: version 0, little-endian, with an
// XY envelope (type 1) unless g is empty, then little-endian ISO WKB.
func Encode(g orb.Geometry, srsID int32) ([]byte, error) {
	if g == nil {
		return nil, fmt.Errorf("gpkg: encode: nil geometry")
	}
	t, err := ToGeom(g)
	if err != nil {
		return nil, err
	}
	empty := isEmpty(g)
	var buf bytes.Buffer
	flags := byte(flagLittleEndian)
	if empty {
		flags |= flagEmpty
	} else {
		flags |= 1 << 1 // envelope type 1: [minx, maxx, miny, maxy]
	}
	buf.Write([]byte{'G', 'P', 0, flags})
	var tmp [8]byte
	binary.LittleEndian.PutUint32(tmp[:4], uint32(srsID))
	buf.Write(tmp[:4])
	if !empty {
		bd := g.Bound()
		for _, v := range []float64{bd.Min[0], bd.Max[0], bd.Min[1], bd.Max[1]} {
			binary.LittleEndian.PutUint64(tmp[:], math.Float64bits(v))
			buf.Write(tmp[:])
		}
	}
	if err := wkb.Write(&buf, wkb.NDR, t); err != nil {
		return nil, fmt.Errorf("gpkg: encode WKB: %w", err)
	}
	return buf.Bytes(), nil
}

func isEmpty(g orb.Geometry) bool {
	switch g := g.(type) {
	case orb.Point:
		return false
	case orb.MultiPoint:
		return len(g) == 0
	case orb.LineString:
		return len(g) == 0
	case orb.MultiLineString:
		for _, l := range g {
			if len(l) > 0 {
				return false
			}
		}
		return true
	case orb.Ring:
		return len(g) == 0
	case orb.Polygon:
		return len(g) == 0 || len(g[0]) == 0
	case orb.MultiPolygon:
		for _, p := range g {
			if !isEmpty(p) {
				return false
			}
		}
		return true
	case orb.Collection:
		for _, c := range g {
			if !isEmpty(c) {
				return false
			}
		}
		return true
	}
	return false
}
