package gpkg

import (
	"encoding/binary"
	"fmt"
)

// maxDepth limits nested geometry collections.
const maxDepth = 32

// checkWKB walks ISO WKB without allocating and verifies that every count
// fits in the bytes that remain, so a corrupt count cannot make the decoder
// allocate gigabytes (go-geom's element limits are global and off by default).
// It returns the number of bytes the geometry occupies.
func checkWKB(b []byte, depth int) (int, error) {
	if depth > maxDepth {
		return 0, fmt.Errorf("%w: WKB nested deeper than %d", ErrBlob, maxDepth)
	}
	if len(b) < 5 {
		return 0, fmt.Errorf("%w: WKB truncated", ErrBlob)
	}
	var order binary.ByteOrder
	switch b[0] {
	case 0:
		order = binary.BigEndian
	case 1:
		order = binary.LittleEndian
	default:
		return 0, fmt.Errorf("%w: WKB byte order %d", ErrBlob, b[0])
	}
	typ := order.Uint32(b[1:5])
	dims := 2
	switch typ / 1000 {
	case 0:
	case 1, 2:
		dims = 3
	case 3:
		dims = 4
	default:
		return 0, fmt.Errorf("%w: WKB type %d", ErrBlob, typ)
	}
	pos := 5
	count := func() (int, error) {
		if len(b)-pos < 4 {
			return 0, fmt.Errorf("%w: WKB truncated", ErrBlob)
		}
		n := int(order.Uint32(b[pos:]))
		pos += 4
		return n, nil
	}
	points := func() error {
		n, err := count()
		if err != nil {
			return err
		}
		if n > (len(b)-pos)/(8*dims) {
			return fmt.Errorf("%w: WKB says %d points, only %d bytes left", ErrBlob, n, len(b)-pos)
		}
		pos += n * 8 * dims
		return nil
	}
	switch typ % 1000 {
	case 1: // point
		if len(b)-pos < 8*dims {
			return 0, fmt.Errorf("%w: WKB truncated point", ErrBlob)
		}
		return pos + 8*dims, nil
	case 2: // linestring
		if err := points(); err != nil {
			return 0, err
		}
		return pos, nil
	case 3: // polygon
		n, err := count()
		if err != nil {
			return 0, err
		}
		if n > (len(b)-pos)/4 {
			return 0, fmt.Errorf("%w: WKB says %d rings, only %d bytes left", ErrBlob, n, len(b)-pos)
		}
		for i := 0; i < n; i++ {
			if err := points(); err != nil {
				return 0, err
			}
		}
		return pos, nil
	case 4, 5, 6, 7: // multi* and collection
		n, err := count()
		if err != nil {
			return 0, err
		}
		if n > (len(b)-pos)/5 {
			return 0, fmt.Errorf("%w: WKB says %d parts, only %d bytes left", ErrBlob, n, len(b)-pos)
		}
		for i := 0; i < n; i++ {
			m, err := checkWKB(b[pos:], depth+1)
			if err != nil {
				return 0, err
			}
			pos += m
		}
		return pos, nil
	}
	return 0, fmt.Errorf("%w: WKB geometry type %d not supported", ErrBlob, typ)
}
