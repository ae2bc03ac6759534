package data

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// needTool skips when an external tool is missing, unless
// SEGMAP_REQUIRE_TOOLS=1 (then the test fails), per the team contract.
func needBoundaryTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("SEGMAP_REQUIRE_TOOLS") == "1" {
			t.Fatalf("%s is required (SEGMAP_REQUIRE_TOOLS=1): %v", name, err)
		}
		t.Skipf("%s not installed: %v", name, err)
	}
	return p
}

// TestImportedStoreOpensInGDAL checks with GDAL's ogrinfo that an imported
// store is a GeoPackage whose boundary layer has the right feature count,
// geometry type and SRS.
func TestImportedStoreOpensInGDAL(t *testing.T) {
	ogrinfo := needBoundaryTool(t, "ogrinfo")
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "store.gpkg")
	s, err := Open(ctx, path, OpenOptions{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportBoundaries(ctx, bdir+"deso_2018_dalarna_3006.gpkg", BoundaryOptions{Level: LevelDeSO}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportBoundaries(ctx, bdir+"lan_okfse_tiny_4326.geojson", BoundaryOptions{Level: LevelLan}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	out, err := exec.CommandContext(ctx, ogrinfo, "-ro", "-al", "-so", path).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, out)
	}
	text := string(out)
	for _, tc := range []struct {
		layer string
		count string
	}{{"deso", "175"}, {"lan", "21"}} {
		i := strings.Index(text, "Layer name: "+tc.layer+"\n")
		if i < 0 {
			t.Fatalf("ogrinfo lists no layer %s:\n%s", tc.layer, text)
		}
		sec := text[i+len("Layer name: "):]
		if j := strings.Index(sec, "Layer name: "); j >= 0 {
			sec = sec[:j]
		}
		if !strings.Contains(sec, "Geometry: Multi Polygon") {
			t.Errorf("layer %s geometry:\n%s", tc.layer, sec)
		}
		if !strings.Contains(sec, "Feature Count: "+tc.count+"\n") {
			t.Errorf("layer %s: want Feature Count %s:\n%s", tc.layer, tc.count, sec)
		}
		if !regexp.MustCompile(`ID\["EPSG",\s*4326\]`).MatchString(sec) {
			t.Errorf("layer %s: SRS is not EPSG:4326:\n%s", tc.layer, sec)
		}
		if !strings.Contains(sec, "FID Column = fid") || !strings.Contains(sec, "code: String") {
			t.Errorf("layer %s: columns:\n%s", tc.layer, sec)
		}
	}
	// The R-tree spatial index (gpkg_rtree_index) is recognised and used:
	// HasSpatialIndex is GDAL's SQL function, -spat filters through the index.
	out, err = exec.CommandContext(ctx, ogrinfo, "-ro", "-q", path, "-sql", "SELECT HasSpatialIndex('deso', 'geom')").CombinedOutput()
	if err != nil || !regexp.MustCompile(`HasSpatialIndex.*= 1`).Match(out) {
		t.Errorf("HasSpatialIndex: %v\n%s", err, out)
	}
	// Borlänge centre (15.42, 60.48): a small box hits a few DeSO, not all 175.
	out, err = exec.CommandContext(ctx, ogrinfo, "-ro", "-so", "-spat", "15.41", "60.47", "15.43", "60.49", path, "deso").CombinedOutput()
	m := regexp.MustCompile(`Feature Count: (\d+)`).FindStringSubmatch(string(out))
	if err != nil || m == nil || m[1] == "0" || m[1] == "175" {
		t.Errorf("spatial filter: %v\n%s", err, out)
	}
	if strings.Contains(text, "ERROR") || strings.Contains(text, "Warning") {
		t.Errorf("ogrinfo complained:\n%s", text)
	}
}
