package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/segmap/segmap/tiles/pmtiles"
)

func TestExportPMTiles(t *testing.T) {
	out := filepath.Join(t.TempDir(), "deso.pmtiles")
	e, stdout, stderr := testEnv(nil)
	if code := run(context.Background(), []string{"export", "--store", demoStore, "--layer", "deso", "--maxzoom", "9", out}, e); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout.String(), "wrote "+out) {
		t.Errorf("stdout = %q", stdout)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := pmtiles.Open(f)
	if err != nil {
		t.Fatal(err)
	}
	h := r.Header()
	if h.MinZoom != 0 || h.MaxZoom != 9 {
		t.Errorf("zoom range %d..%d, want 0..9", h.MinZoom, h.MaxZoom)
	}
	// Stockholm city at z9 must have a tile.
	if _, ok, err := r.Tile(9, 281, 150); err != nil || !ok {
		t.Errorf("tile 9/281/150: ok=%v err=%v", ok, err)
	}
}

// TestExportMBTilesReadByGDAL writes MBTiles and reads them back with GDAL's
// MBTiles/MVT driver, an independent reader.
func TestExportMBTilesReadByGDAL(t *testing.T) {
	out := filepath.Join(t.TempDir(), "deso.mbtiles")
	e, _, stderr := testEnv(nil)
	if code := run(context.Background(), []string{"export", "--store", demoStore, "--layer", "deso", "--maxzoom", "8", out}, e); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := exec.LookPath("ogrinfo"); err != nil {
		if os.Getenv("SEGMAP_REQUIRE_TOOLS") == "1" {
			t.Fatal("ogrinfo (gdal-bin) is required: run make test")
		}
		t.Skip("ogrinfo not installed")
	}
	got, err := exec.Command("ogrinfo", "-ro", "-so", "-oo", "ZOOM_LEVEL=8", out, "deso").CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, got)
	}
	m := regexp.MustCompile(`Feature Count: (\d+)`).FindSubmatch(got)
	if m == nil {
		t.Fatalf("no feature count in ogrinfo output:\n%s", got)
	}
	n, _ := strconv.Atoi(string(m[1]))
	// At z8 the 1,287 DeSO are split over a few tiles; GDAL counts features per tile.
	if n < 1287 {
		t.Errorf("GDAL reads %d features at z8, want at least the 1,287 DeSO", n)
	}
	if !strings.Contains(string(got), "code") {
		t.Errorf("GDAL does not list the code field:\n%s", got)
	}
}

func TestExportRejectsBadInput(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"export", "--store", demoStore, "x.geojson"}, `--format "geojson"`},
		{[]string{"export", "--store", demoStore, "--maxzoom", "20", "x.pmtiles"}, "zoom range"},
		{[]string{"export", "--store", demoStore, "--layer", "nope", "x.pmtiles"}, `layer "nope"`},
	} {
		e, _, stderr := testEnv(nil)
		if code := run(context.Background(), tc.args, e); code != 1 {
			t.Errorf("%v: exit %d", tc.args, code)
		}
		if !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("%v: stderr %q lacks %q", tc.args, stderr, tc.want)
		}
	}
}
