package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestServeAndShutdown starts the real server in-process on the demo store,
// asks it for health, metadata and a tile, checks the health check command,
// and shuts it down gracefully.
func TestServeAndShutdown(t *testing.T) {
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	e, _, stderr := testEnv(nil)
	done := make(chan error, 1)
	go func() { done <- runServe(ctx, []string{"--addr", addr, "--store", demoStore}, e) }()

	base := "http://" + addr
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("server not ready: %v\n%s", err, stderr)
		}
		time.Sleep(100 * time.Millisecond)
	}
	resp, err := http.Get(base + "/api/meta")
	if err != nil {
		t.Fatal(err)
	}
	var meta struct {
		Levels []struct {
			ID           string `json:"id"`
			FeatureCount int    `json:"feature_count"`
		} `json:"levels"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&meta); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	counts := map[string]int{}
	for _, l := range meta.Levels {
		counts[l.ID] = l.FeatureCount
	}
	if counts["deso"] != 1287 || counts["regso"] == 0 {
		t.Errorf("feature counts %v, want 1287 DeSO and dissolved RegSO", counts)
	}
	resp, err = http.Get(base + "/tiles/deso/9/281/150.mvt")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/vnd.mapbox-vector-tile" {
		t.Errorf("tile: %s %q", resp.Status, resp.Header.Get("Content-Type"))
	}

	he, _, herr := testEnv(nil)
	if code := run(ctx, []string{"healthcheck", "--addr", addr}, he); code != 0 {
		t.Errorf("healthcheck exit %d: %s", code, herr)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v after shutdown", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not shut down")
	}
	if code := run(context.Background(), []string{"healthcheck", "--addr", addr, "--timeout", "1s"}, he); code == 0 {
		t.Error("healthcheck passed with the server stopped")
	}
}

// TestImportBadInputNamesFileAndWritesNothing runs the import command on a
// broken file and checks the message and that the store did not change.
func TestImportBadInputNamesFileAndWritesNothing(t *testing.T) {
	dir := t.TempDir()
	store := filepath.Join(dir, "s.gpkg")
	bad := filepath.Join(dir, "broken.geojson")
	os.WriteFile(bad, []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"deso":"0114A0010"},"geometry":{"type":"Polygon","coordinates":[[[18,59],[18.1,59]`), 0o644)
	e, _, stderr := testEnv(nil)
	if code := run(context.Background(), []string{"import", "boundaries", "--store", store, "--level", "deso", bad}, e); code != 1 {
		t.Fatalf("exit %d", code)
	}
	if !strings.Contains(stderr.String(), "broken.geojson") {
		t.Errorf("message does not name the file: %s", stderr)
	}
	// validate on a good file writes nothing to the store.
	good := filepath.Join(dir, "good.geojson")
	os.WriteFile(good, []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"deso":"0114A0010"},"geometry":{"type":"Polygon","coordinates":[[[18,59],[18.1,59],[18.1,59.1],[18,59.1],[18,59]]]}}]}`), 0o644)
	e, stdout, stderr := testEnv(nil)
	if code := run(context.Background(), []string{"validate", "boundaries", "--store", store, "--level", "deso", good}, e); code != 0 {
		t.Fatalf("validate exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout.String(), "1 features") || !strings.Contains(stdout.String(), "nothing was written") {
		t.Errorf("validate output: %s", stdout)
	}
	e, stdout, stderr = testEnv(nil)
	if code := run(context.Background(), []string{"import", "boundaries", "--store", store, "--level", "deso", good}, e); code != 0 {
		t.Fatalf("import exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout.String(), fmt.Sprintf("%d features", 1)) {
		t.Errorf("import output: %s", stdout)
	}
}

// TestDemoCommand builds the demo store through the command (the path
// `segmap` takes on first start) and checks it lands atomically.
func TestDemoCommand(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "demo.gpkg")
	e, stdout, stderr := testEnv(nil)
	if code := run(context.Background(), []string{"demo", out}, e); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout.String(), "wrote "+out) {
		t.Errorf("stdout %q", stdout)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		var names []string
		for _, en := range entries {
			names = append(names, en.Name())
		}
		t.Errorf("files left beside the store: %v", names)
	}
	e, _, stderr = testEnv(nil)
	if code := run(context.Background(), []string{"demo", out}, e); code != 1 || !strings.Contains(stderr.String(), "exists") {
		t.Errorf("second build over the same file: exit %d, %s", code, stderr)
	}
}

// TestValidateIndicatorsCodeShape: validate indicators on a file whose DeSO
// code lost its leading zero and letter part (114) fails naming the row and
// the fix for DeSO codes, instead of ending "valid" with the code unmatched.
func TestValidateIndicatorsCodeShape(t *testing.T) {
	dir := t.TempDir()
	store := filepath.Join(dir, "s.gpkg")
	mapping := filepath.Join(dir, "m.mapping.yaml")
	os.WriteFile(mapping, []byte("level: deso\nyear: 2022\nindicators:\n  - {id: population, name_sv: Folkmängd, aggregation: sum, value: population}\n"), 0o644)
	tests := []struct {
		name, csv string
		code      int
		wantIn    []string
		wantNot   []string
	}{
		{"good", "deso,population\n0114A0010,843\n", 0, []string{"valid: nothing was written"}, nil},
		{"deso 114", "deso,population\n0114A0010,843\n114,1542\n", 1, []string{"x.csv", "row 3", `code "114" does not look like a deso code`, "0114A0010"}, []string{"valid:", "printf"}},
	}
	for _, tc := range tests {
		file := filepath.Join(dir, "x.csv")
		os.WriteFile(file, []byte(tc.csv), 0o644)
		e, stdout, stderr := testEnv(nil)
		code := run(context.Background(), []string{"validate", "indicators", "--store", store, "--mapping", mapping, file}, e)
		out := stdout.String() + stderr.String()
		if code != tc.code {
			t.Errorf("%s: exit %d, want %d: %s", tc.name, code, tc.code, out)
		}
		for _, w := range tc.wantIn {
			if !strings.Contains(out, w) {
				t.Errorf("%s: output lacks %q: %s", tc.name, w, out)
			}
		}
		for _, w := range tc.wantNot {
			if strings.Contains(out, w) {
				t.Errorf("%s: output has %q: %s", tc.name, w, out)
			}
		}
	}
}
