package pmtiles

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/segmap/segmap/tiles"
)

const stockholmFile = "../../testdata/tiles/deso_2018_stockholms_lan_4326_simplified.geojson"

func featureID(code string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(code))
	v := h.Sum64() & (1<<53 - 1)
	if v == 0 {
		v = 1
	}
	return v
}

func stockholmEngine(tb testing.TB) *tiles.Engine {
	tb.Helper()
	raw, err := os.ReadFile(stockholmFile)
	if err != nil {
		tb.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(raw)
	if err != nil {
		tb.Fatal(err)
	}
	var fs []tiles.Feature
	for _, f := range fc.Features {
		code := f.Properties.MustString("id")
		fs = append(fs, tiles.Feature{ID: featureID(code), Code: code, Name: code, Geometry: f.Geometry.(orb.Polygon)})
	}
	e := tiles.New(tiles.Options{})
	if err := e.SetLayers("v1", []tiles.Layer{{Name: "deso", Features: fs, MaxZoom: 16}}); err != nil {
		tb.Fatal(err)
	}
	return e
}

func TestTileIDs(t *testing.T) {
	tests := []struct {
		z    uint8
		x, y uint32
		id   uint64
	}{
		// values from the PMTiles v3 specification's examples
		{0, 0, 0, 0}, {1, 0, 0, 1}, {1, 0, 1, 2}, {1, 1, 1, 3}, {1, 1, 0, 4}, {2, 0, 0, 5},
	}
	for _, tc := range tests {
		if got := ZXYToID(tc.z, tc.x, tc.y); got != tc.id {
			t.Errorf("ZXYToID(%d,%d,%d) = %d, want %d", tc.z, tc.x, tc.y, got, tc.id)
		}
	}
	for z := uint8(0); z <= 12; z += 3 {
		n := uint32(1) << z
		for _, x := range []uint32{0, n / 3, n - 1} {
			for _, y := range []uint32{0, n / 2, n - 1} {
				gz, gx, gy := IDToZXY(ZXYToID(z, x, y))
				if gz != z || gx != x || gy != y {
					t.Errorf("round trip %d/%d/%d -> %d/%d/%d", z, x, y, gz, gx, gy)
				}
			}
		}
	}
}

func TestDirectoryRoundTrip(t *testing.T) {
	es := []Entry{{TileID: 0, Offset: 0, Length: 10, RunLength: 1}, {TileID: 5, Offset: 10, Length: 7, RunLength: 3}, {TileID: 9, Offset: 0, Length: 10, RunLength: 1}}
	raw, err := gunzip(serializeEntries(es))
	if err != nil {
		t.Fatal(err)
	}
	got, err := DeserializeEntries(raw)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(es) {
		t.Errorf("got %v want %v", got, es)
	}
	// many entries force leaf directories
	var many []Entry
	for i := range 60000 {
		many = append(many, Entry{TileID: uint64(i * 2), Offset: uint64(i * 100), Length: uint32(100 + i%7), RunLength: 1})
	}
	root, leaves := buildDirectories(many)
	if len(leaves) == 0 || len(root) > rootBudget {
		t.Fatalf("want leaves and a small root, got root %d bytes, leaves %d", len(root), len(leaves))
	}
}

func FuzzDeserializeEntries(f *testing.F) {
	raw, _ := gunzip(serializeEntries([]Entry{{TileID: 3, Offset: 0, Length: 10, RunLength: 1}}))
	f.Add(raw)
	f.Add([]byte{0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		es, err := DeserializeEntries(b)
		if err == nil && len(es) > len(b) {
			t.Fatalf("%d entries from %d bytes", len(es), len(b))
		}
	})
}

func FuzzParseHeader(f *testing.F) {
	f.Add(Header{RootOffset: 127}.bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := ParseHeader(b)
		if err != nil {
			return
		}
		h2, err := ParseHeader(h.bytes())
		if err != nil || h2 != h {
			t.Fatalf("header does not round trip: %v", err)
		}
	})
}

func ungzip(t *testing.T, b []byte) []byte {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestWriteStockholm(t *testing.T) {
	e := stockholmEngine(t)
	var progress atomic.Int64
	var last [2]int
	var buf bytes.Buffer
	st, err := Write(context.Background(), &buf, e, Options{Layer: "deso", MinZoom: 0, MaxZoom: 9, Workers: 2,
		Attribution: "SCB (CC0)", Progress: func(done, total int) { progress.Add(1); last = [2]int{done, total} }})
	if err != nil {
		t.Fatal(err)
	}
	if st.Tiles == 0 || st.Contents > st.Tiles || int64(buf.Len()) != st.Bytes {
		t.Fatalf("stats %+v, %d bytes", st, buf.Len())
	}
	t.Logf("z0-9: %+v", *st)
	if last[0] != last[1] || int(progress.Load()) != last[1] {
		t.Errorf("progress ended at %v after %d calls", last, progress.Load())
	}
	rd, err := Open(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	h := rd.Header()
	if h.MinZoom != 0 || h.MaxZoom != 9 || h.TileType != TileTypeMVT || h.TileCompression != CompressionGzip || !h.Clustered {
		t.Errorf("header %+v", h)
	}
	if h.AddressedTiles != uint64(st.Tiles) || h.TileContents != uint64(st.Contents) {
		t.Errorf("header counts %+v vs stats %+v", h, st)
	}
	meta, err := rd.Metadata()
	if err != nil {
		t.Fatal(err)
	}
	vl, _ := meta["vector_layers"].([]any)
	if len(vl) != 1 || vl[0].(map[string]any)["id"] != "deso" {
		t.Errorf("metadata %v", meta)
	}
	// Every tile of the pyramid equals what the engine serves, and
	// missing tiles are exactly the empty ones.
	var addrs []string
	want := map[string]string{}
	count := 0
	for _, mt := range tiles.Pyramid(e.LayerInfo()[0].Bounds, 0, 9) {
		j := struct{ z, x, y int }{int(mt.Z), int(mt.X), int(mt.Y)}
		tile, err := e.Tile(context.Background(), tiles.Request{Layer: "deso", Z: j.z, X: j.x, Y: j.y})
		if err != nil {
			t.Fatal(err)
		}
		got, ok, err := rd.Tile(uint8(j.z), uint32(j.x), uint32(j.y))
		if err != nil {
			t.Fatal(err)
		}
		if ok == tile.Empty || (ok && !bytes.Equal(got, tile.Gzip)) {
			t.Fatalf("%d/%d/%d: archive has=%v empty=%v equal=%v", j.z, j.x, j.y, ok, tile.Empty, bytes.Equal(got, tile.Gzip))
		}
		a := fmt.Sprintf("%d/%d/%d", j.z, j.x, j.y)
		addrs = append(addrs, a)
		if ok {
			count++
			s := sha256.Sum256(ungzip(t, got))
			want[a] = hex.EncodeToString(s[:])
		}
	}
	if count != st.Tiles {
		t.Errorf("found %d tiles, stats say %d", count, st.Tiles)
	}
	if _, ok, _ := rd.Tile(3, 0, 0); ok {
		t.Error("tile outside the bounds found")
	}
	path := filepath.Join(t.TempDir(), "deso.pmtiles")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Run("node", func(t *testing.T) { checkWithNode(t, path, addrs, want, st, "SCB (CC0)") })
}

func checkWithNode(t *testing.T, path string, addrs []string, want map[string]string, st *Stats, attribution string) {
	dir, _ := filepath.Abs("../../testdata/tiles/node")
	need := func(msg string) {
		if os.Getenv("SEGMAP_REQUIRE_TOOLS") == "1" {
			t.Fatalf("%s (SEGMAP_REQUIRE_TOOLS=1); run npm ci --prefix testdata/tiles/node", msg)
		}
		t.Skip(msg)
	}
	if _, err := exec.LookPath("node"); err != nil {
		need("node not installed")
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "pmtiles")); err != nil {
		need("npm module pmtiles missing in testdata/tiles/node")
	}
	cmd := exec.Command("node", append([]string{filepath.Join(dir, "read-pmtiles.mjs"), path}, addrs...)...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node read-pmtiles: %v\n%s", err, stderr.String())
	}
	var res struct {
		Header struct {
			SpecVersion      int  `json:"specVersion"`
			NumAddressed     int  `json:"numAddressedTiles"`
			NumContents      int  `json:"numTileContents"`
			MinZoom, MaxZoom int  `json:"-"`
			Clustered        bool `json:"clustered"`
		} `json:"header"`
		Metadata map[string]any `json:"metadata"`
		Tiles    map[string]*struct {
			SHA256 string `json:"sha256"`
		} `json:"tiles"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatal(err)
	}
	if res.Header.SpecVersion != 3 || res.Header.NumAddressed != st.Tiles || res.Header.NumContents != st.Contents || !res.Header.Clustered {
		t.Errorf("node header %+v, stats %+v", res.Header, st)
	}
	if attribution != "" && res.Metadata["attribution"] != attribution {
		t.Errorf("node metadata %v", res.Metadata)
	}
	for _, a := range addrs {
		got := res.Tiles[a]
		w, ok := want[a]
		if (got != nil) != ok || (ok && got.SHA256 != w) {
			t.Fatalf("%s: node %v, want present=%v", a, got, ok)
		}
	}
}

func TestWriteErrors(t *testing.T) {
	e := stockholmEngine(t)
	var buf bytes.Buffer
	if _, err := Write(context.Background(), &buf, e, Options{Layer: "nope"}); !errors.Is(err, tiles.ErrUnknownLayer) {
		t.Errorf("unknown layer: %v", err)
	}
	if _, err := Write(context.Background(), &buf, e, Options{Layer: "deso", MinZoom: 5, MaxZoom: 3}); !errors.Is(err, ErrOptions) {
		t.Errorf("bad zooms: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	_, err := Write(ctx, &buf, e, Options{Layer: "deso", MinZoom: 0, MaxZoom: 12, Progress: func(done, total int) {
		n++
		if n == 5 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled write: %v", err)
	}
	if _, err := Open(bytes.NewReader([]byte("not a pmtiles archive at all, no, not even close to one; padding padding padding padding padding padding padding padding padding"))); !errors.Is(err, ErrFormat) {
		t.Errorf("bad archive: %v", err)
	}
}
