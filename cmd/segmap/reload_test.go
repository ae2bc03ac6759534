package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/segmap/segmap/api"
)

// startServe runs serve in-process on a copy of the demo store and waits
// until it is ready. It returns the base URL, the store path, the cancel
// function (graceful shutdown) and serve's result channel.
func startServe(t *testing.T, extra ...string) (base, store string, stop context.CancelFunc, done chan error, log *syncBuffer) {
	t.Helper()
	return startServeHooked(t, nil, extra...)
}

// startServeHooked is startServe with serve's onRequest hook.
func startServeHooked(t *testing.T, onRequest func(*http.Request), extra ...string) (base, store string, stop context.CancelFunc, done chan error, log *syncBuffer) {
	t.Helper()
	store = filepath.Join(t.TempDir(), "store.gpkg")
	if err := copyStore(context.Background(), demoStore, store); err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	log = &syncBuffer{}
	e := env{getenv: func(string) string { return "" }, stdout: io.Discard, stderr: log, onRequest: onRequest}
	done = make(chan error, 1)
	exited := make(chan struct{})
	go func() {
		done <- runServe(ctx, append([]string{"--addr", addr, "--store", store}, extra...), e)
		close(exited)
	}()
	if !log.waitFor("segmap serving", exited) { // logged once it listens, the store loaded
		t.Fatalf("server did not start:\n%s", log)
	}
	return "http://" + addr, store, cancel, done, log
}

func dataVersion(t *testing.T, base string) int64 {
	t.Helper()
	resp, err := http.Get(base + "/api/meta")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m struct {
		DataVersion int64 `json:"data_version"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		t.Fatal(err)
	}
	return m.DataVersion
}

func tileHeaders(t *testing.T, url string) http.Header {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", url, resp.Status)
	}
	return resp.Header
}

// TestReloadOnSIGHUPInvalidatesTiles serves a copy of the store, imports
// new values into it with the import command (another process's job in
// production), sends SIGHUP, and checks that the data version moved, the
// tile carrying the changed values has a new ETag, the old version's tile
// URL is no longer immutable and the new one is.
func TestReloadOnSIGHUPInvalidatesTiles(t *testing.T) {
	base, store, stop, done, log := startServe(t)
	v1 := dataVersion(t, base)
	tile := base + "/tiles/deso/12/2253/1205.mvt?indicator=net_income_mean_tkr&year=2024&method=quantile&k=5"
	before := tileHeaders(t, tile+"&v="+strconv.FormatInt(v1, 10))
	if before.Get("Cache-Control") != api.ImmutableCacheControl {
		t.Errorf("current-version tile Cache-Control %q", before.Get("Cache-Control"))
	}

	// New values: the test subset with every income doubled.
	src := filepath.Join("..", "..", "testdata", "indicators")
	b, err := os.ReadFile(filepath.Join(src, "stockholm_2024_subset.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	for i := 1; i < len(lines); i++ {
		f := strings.Split(lines[i], ",")
		v, err := strconv.ParseFloat(f[6], 64)
		if err != nil {
			t.Fatal(err)
		}
		f[6] = strconv.FormatFloat(2*v, 'f', 1, 64)
		lines[i] = strings.Join(f, ",")
	}
	dir := t.TempDir()
	csv := filepath.Join(dir, "doubled.csv")
	os.WriteFile(csv, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
	ie, _, ierr := testEnv(nil)
	if code := run(context.Background(), []string{"import", "indicators", "--store", store, "--mapping", filepath.Join(src, "stockholm_2024_subset.mapping.yaml"), csv}, ie); code != 0 {
		t.Fatalf("import exit %d: %s", code, ierr)
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	bound, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if !log.waitFor("reloaded data", bound.Done()) {
		t.Fatalf("no reload after SIGHUP:\n%s", log)
	}
	v2 := dataVersion(t, base)
	if v2 <= v1 {
		t.Fatalf("data version %d -> %d after import and SIGHUP", v1, v2)
	}
	after := tileHeaders(t, tile+"&v="+strconv.FormatInt(v2, 10))
	if after.Get("ETag") == "" || after.Get("ETag") == before.Get("ETag") {
		t.Errorf("tile ETag %q before, %q after new values", before.Get("ETag"), after.Get("ETag"))
	}
	if after.Get("Cache-Control") != api.ImmutableCacheControl {
		t.Errorf("new-version tile Cache-Control %q", after.Get("Cache-Control"))
	}
	if old := tileHeaders(t, tile+"&v="+strconv.FormatInt(v1, 10)); old.Get("Cache-Control") == api.ImmutableCacheControl {
		t.Error("the old version's tile URL is still immutable")
	}
	stop()
	if err := <-done; err != nil {
		t.Errorf("serve: %v", err)
	}
}

// TestShutdownFinishesInFlightRequest starts a slow request (LISA with
// 9999 permutations), begins a graceful shutdown while it runs, and checks
// that it still completes with a full answer, that serve returns cleanly
// and that new connections are refused afterwards.
func TestShutdownFinishesInFlightRequest(t *testing.T) {
	reached := make(chan struct{})
	// The test is about finishing, not speed: a shutdown timeout no loaded machine reaches.
	base, _, stop, done, _ := startServeHooked(t, func(r *http.Request) {
		if r.URL.Path == "/api/lisa" {
			close(reached)
		}
	}, "--shutdown-timeout", "10m")
	type result struct {
		status int
		body   []byte
		err    error
	}
	res := make(chan result, 1)
	go func() {
		resp, err := http.Get(base + "/api/lisa?level=deso&indicator=low_econ_standard_pct&year=2022&permutations=9999")
		if err != nil {
			res <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		res <- result{resp.StatusCode, b, err}
	}()
	<-reached // the server is handling the request
	stop()
	r := <-res
	if r.err != nil || r.status != http.StatusOK {
		t.Fatalf("in-flight request during shutdown: %d %v", r.status, r.err)
	}
	var lisa struct {
		Areas []json.RawMessage `json:"areas"`
	}
	if err := json.Unmarshal(r.body, &lisa); err != nil || len(lisa.Areas) == 0 {
		t.Errorf("in-flight answer incomplete: %v, %d areas", err, len(lisa.Areas))
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not return after shutdown")
	}
	if resp, err := http.Get(base + "/healthz"); err == nil {
		resp.Body.Close()
		t.Error("server still answers after shutdown")
	}
}
