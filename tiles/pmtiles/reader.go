package pmtiles

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
)

// Reader reads tiles from a PMTiles v3 archive (gzip or no internal
// compression).
type Reader struct {
	r    io.ReaderAt
	h    Header
	root []Entry
}

// Open reads the header and root directory.
func Open(r io.ReaderAt) (*Reader, error) {
	hb := make([]byte, HeaderSize)
	if _, err := r.ReadAt(hb, 0); err != nil {
		return nil, fmt.Errorf("%w: header: %w", ErrFormat, err)
	}
	h, err := ParseHeader(hb)
	if err != nil {
		return nil, err
	}
	rd := &Reader{r: r, h: h}
	rd.root, err = rd.directory(h.RootOffset, h.RootLength)
	if err != nil {
		return nil, err
	}
	return rd, nil
}

// Header returns the archive header.
func (rd *Reader) Header() Header { return rd.h }

func (rd *Reader) section(off, n uint64) ([]byte, error) {
	if n > 1<<30 {
		return nil, fmt.Errorf("%w: section of %d bytes", ErrFormat, n)
	}
	b := make([]byte, n)
	if _, err := rd.r.ReadAt(b, int64(off)); err != nil {
		return nil, fmt.Errorf("%w: read %d bytes at %d: %w", ErrFormat, n, off, err)
	}
	return b, nil
}

func (rd *Reader) decompress(b []byte) ([]byte, error) {
	switch rd.h.InternalCompression {
	case CompressionGzip:
		return gunzip(b)
	case CompressionNone:
		return b, nil
	}
	return nil, fmt.Errorf("%w: internal compression %d not supported", ErrFormat, rd.h.InternalCompression)
}

func (rd *Reader) directory(off, n uint64) ([]Entry, error) {
	b, err := rd.section(off, n)
	if err != nil {
		return nil, err
	}
	if b, err = rd.decompress(b); err != nil {
		return nil, err
	}
	return DeserializeEntries(b)
}

// Metadata returns the decoded JSON metadata.
func (rd *Reader) Metadata() (map[string]any, error) {
	b, err := rd.section(rd.h.MetadataOffset, rd.h.MetadataLength)
	if err != nil {
		return nil, err
	}
	if b, err = rd.decompress(b); err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%w: metadata: %w", ErrFormat, err)
	}
	return m, nil
}

// Tile returns the stored bytes of tile z/x/y (as stored: gzipped MVT for
// archives from Write) and whether it exists.
func (rd *Reader) Tile(z uint8, x, y uint32) ([]byte, bool, error) {
	id := ZXYToID(z, x, y)
	dir := rd.root
	for depth := 0; depth < 4; depth++ {
		e, ok := find(dir, id)
		if !ok {
			return nil, false, nil
		}
		if e.RunLength > 0 {
			b, err := rd.section(rd.h.DataOffset+e.Offset, uint64(e.Length))
			return b, err == nil, err
		}
		var err error
		dir, err = rd.directory(rd.h.LeafOffset+e.Offset, uint64(e.Length))
		if err != nil {
			return nil, false, err
		}
	}
	return nil, false, fmt.Errorf("%w: directories nested too deep", ErrFormat)
}

func find(es []Entry, id uint64) (Entry, bool) {
	i := sort.Search(len(es), func(i int) bool { return es[i].TileID > id }) - 1
	if i < 0 {
		return Entry{}, false
	}
	e := es[i]
	if e.TileID == id || e.RunLength == 0 || id-e.TileID < uint64(e.RunLength) {
		return e, true
	}
	return Entry{}, false
}
