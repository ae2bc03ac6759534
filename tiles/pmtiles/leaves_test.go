package pmtiles

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"testing"

	"github.com/segmap/segmap/tiles"
)

// checkerSource serves one of 16 tiles of different lengths, picked by a
// hash of the address, so that few consecutive Hilbert tiles merge into a
// run and the directory of a z0..8 pyramid does not fit in the root.
type checkerSource struct{ blobs [16][]byte }

func (s *checkerSource) pick(z, x, y int) []byte {
	h := fnv.New32a()
	fmt.Fprintf(h, "%d/%d/%d", z, x, y)
	return s.blobs[h.Sum32()%16]
}

func newCheckerSource() *checkerSource {
	var s checkerSource
	for i := range s.blobs {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		fmt.Fprintf(zw, "tile content %d %s", i, bytes.Repeat([]byte{'x'}, i*i))
		zw.Close()
		s.blobs[i] = b.Bytes()
	}
	return &s
}

func (s *checkerSource) Tile(_ context.Context, r tiles.Request) (*tiles.Tile, error) {
	return &tiles.Tile{Gzip: s.pick(r.Z, r.X, r.Y)}, nil
}

func (s *checkerSource) LayerInfo() []tiles.LayerInfo {
	return []tiles.LayerInfo{{Name: "grid", Bounds: [4]float64{-179.9, -85, 179.9, 85}, MaxZoom: 8}}
}

func TestWriteWithLeaves(t *testing.T) {
	src := newCheckerSource()
	var buf bytes.Buffer
	st, err := Write(context.Background(), &buf, src, Options{Layer: "grid", MinZoom: 0, MaxZoom: 8})
	if err != nil {
		t.Fatal(err)
	}
	const total = (1<<18 - 1) / 3 // tiles in z0..8
	if st.Tiles != total || st.Entries < total*3/4 || st.Contents != 16 || !st.Leaves {
		t.Fatalf("stats %+v, want %d tiles, most of them entries, 16 contents, leaves", st, total)
	}
	rd, err := Open(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if rd.Header().LeafLength == 0 || rd.Header().RootOffset+rd.Header().RootLength > 16384 {
		t.Fatalf("header %+v", rd.Header())
	}
	var addrs []string
	want := map[string]string{}
	for _, a := range [][3]uint32{{0, 0, 0}, {5, 3, 7}, {8, 0, 0}, {8, 255, 255}, {8, 100, 37}, {7, 127, 0}} {
		got, ok, err := rd.Tile(uint8(a[0]), a[1], a[2])
		if err != nil || !ok || !bytes.Equal(got, src.pick(int(a[0]), int(a[1]), int(a[2]))) {
			t.Fatalf("%v: ok=%v err=%v", a, ok, err)
		}
		k := fmt.Sprintf("%d/%d/%d", a[0], a[1], a[2])
		addrs = append(addrs, k)
		s := sha256.Sum256(ungzip(t, got))
		want[k] = hex.EncodeToString(s[:])
	}
	path := filepath.Join(t.TempDir(), "grid.pmtiles")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Run("node", func(t *testing.T) { checkWithNode(t, path, addrs, want, st, "") })
}
