package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
	stderr := &syncBuffer{}
	e := env{getenv: func(string) string { return "" }, stdout: io.Discard, stderr: stderr}
	done := make(chan error, 1)
	exited := make(chan struct{})
	go func() {
		done <- runServe(ctx, []string{"--addr", addr, "--store", demoStore}, e)
		close(exited)
	}()

	base := "http://" + addr
	if !stderr.waitFor("segmap serving", exited) { // logged once it listens, the store loaded
		t.Fatalf("server did not start:\n%s", stderr)
	}
	resp, err := http.Get(base + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/readyz: %s\n%s", resp.Status, stderr)
	}
	resp, err = http.Get(base + "/api/meta")
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
	if testing.Short() {
		return // the good import completes the store with the national data: the full run does it
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

// TestServeRefusesBadFlags: bad connection, load and basemap settings stop
// the server at start with a message naming the flag and what it expects.
func TestServeRefusesBadFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"--basemap", "https://tiles.example.se;script-src/{z}/{x}/{y}.png"}, []string{"--basemap", `host "tiles.example.se;script-src"`, "expected an http(s) URL"}},
		{[]string{"--basemap", "ftp://tiles.example.se/{z}/{x}/{y}.png"}, []string{"--basemap", "no http or https scheme"}},
		{[]string{"--write-timeout", "30s"}, []string{"--write-timeout (30s) must exceed --request-timeout (30s)"}},
		{[]string{"--read-timeout", "5s", "--request-timeout", "10s"}, []string{"--read-timeout (5s) must exceed --request-timeout (10s)"}},
		{[]string{"--idle-timeout", "0s"}, []string{"--idle-timeout must be positive"}},
		{[]string{"--max-conns", "0"}, []string{"--max-conns must be positive or -1"}},
		{[]string{"--max-conns-per-ip", "-5"}, []string{"--max-conns-per-ip must be positive or -1"}},
		{[]string{"--api-max-concurrent", "0"}, []string{"--api-max-concurrent must be positive or -1"}},
	} {
		e, _, errb := testEnv(nil)
		if code := run(context.Background(), append([]string{"serve", "--addr", "127.0.0.1:0", "--store", demoStore}, tc.args...), e); code != 1 {
			t.Errorf("%v: exit %d, want 1: %s", tc.args, code, errb)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(errb.String(), w) {
				t.Errorf("%v: stderr %q lacks %q", tc.args, errb, w)
			}
		}
	}
}

// TestServeHealthzDuringIdleFlood: one client address opens ten times the
// connection cap, leaving them silent, idle after a request, or with an
// answer it does not read; /healthz from another address (a health check
// on the host) still answers within a second, every time.
func TestServeHealthzDuringIdleFlood(t *testing.T) {
	base, _, stop, done, _ := startServe(t, "--max-conns", "64", "--max-conns-per-ip", "32", "--warm-max-zoom", "-1")
	defer func() {
		stop()
		<-done
	}()
	addr := strings.TrimPrefix(base, "http://")
	attacker := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 2)}}
	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for i := range 640 {
		c, err := attacker.Dial("tcp", addr)
		if err != nil {
			t.Fatalf("dial %d: %v", i, err)
		}
		conns = append(conns, c)
		if i%4 == 0 { // a request whose answer is never read
			fmt.Fprintf(c, "GET /api/meta HTTP/1.1\r\nHost: %s\r\n\r\n", addr)
		}
	}
	client := &http.Client{Timeout: time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	for i := range 10 {
		resp, err := client.Get(base + "/healthz")
		if err != nil {
			t.Fatalf("/healthz %d during the flood: %v", i, err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("/healthz %d during the flood: %s", i, resp.Status)
		}
	}
	// The server closes the silent connections beyond the cap, or refuses
	// them with a 503 when the cap is full of unread answers (after up to
	// 300 ms of waiting for a request on them): wait until all but the
	// cap's 32 have ended (the deadline bounds a failure only).
	deadline := time.Now().Add(10 * time.Second)
	ended := make(chan bool, len(conns))
	silent := 0
	for i, c := range conns {
		if i%4 == 0 {
			continue
		}
		silent++
		go func() {
			c.SetReadDeadline(deadline)
			n, err := c.Read(make([]byte, 1))
			ended <- n > 0 || err != nil && !errors.Is(err, os.ErrDeadlineExceeded)
		}()
	}
	closed := 0
	for range silent {
		if <-ended {
			closed++
		}
		if closed >= silent-32 {
			break
		}
	}
	if closed < silent-32 {
		t.Errorf("%d of %d silent connections closed or refused by the server, want all but at most 32 (--max-conns-per-ip)", closed, silent)
	}
}

// TestWriteTimeoutDropsSlowReader: a client that asks for a large answer
// and does not read it is dropped after --write-timeout (the handler's
// write fails), so it cannot hold the answer's memory; a reading client
// gets the whole answer.
func TestWriteTimeoutDropsSlowReader(t *testing.T) {
	const size = 64 << 20 // more than loopback's socket buffers hold
	chunk := make([]byte, 1<<20)
	written := make(chan error, 1)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(size))
		var err error
		for i := 0; i < size/len(chunk) && err == nil; i++ {
			_, err = w.Write(chunk)
		}
		written <- err
	})
	var c connConfig
	fs := newFlagSet("serve", "serve", env{getenv: func(string) string { return "" }, stderr: io.Discard})
	connFlags(fs, &c)
	if err := fs.Parse([]string{"--write-timeout", "2s"}); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := httpServer(h, c, nil)
	go srv.Serve(ln)
	defer srv.Close()

	resp, err := http.Get("http://" + ln.Addr().String() + "/")
	if err != nil {
		t.Fatal(err)
	}
	n, err := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil || n != size || <-written != nil {
		t.Fatalf("reading client: %d bytes, %v; want all %d", n, err, size)
	}

	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET / HTTP/1.1\r\nHost: x\r\n\r\n") // and never read
	select {
	case err := <-written:
		var ne net.Error
		if !errors.As(err, &ne) || !ne.Timeout() {
			t.Errorf("stalled client: the handler's write ended with %v, want a timeout", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("stalled client still held after 30s with --write-timeout 2s")
	}
}

// TestServeDisclosure: --disclosure hides the shares of small groups (SCB's
// rule, den > 20 and num > 5) that the same server shows without it, and
// leaves the other values as they were.
func TestServeDisclosure(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two servers")
	}
	const q = "/api/values?level=deso&indicator=unemployment_rate_16_64_pct&year=2022&kommun=0180,0127,0184"
	type value struct {
		Code        string   `json:"code"`
		Value       *float64 `json:"value"`
		Numerator   *float64 `json:"numerator"`
		Denominator *float64 `json:"denominator"`
		Suppressed  bool     `json:"suppressed"`
	}
	values := func(base string) map[string]value {
		resp, err := http.Get(base + q)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body struct {
			Areas []value `json:"areas"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %v", q, resp.StatusCode, err)
		}
		m := map[string]value{}
		for _, a := range body.Areas {
			m[a.Code] = a
		}
		return m
	}
	plainBase, _, stopPlain, _, _ := startServe(t)
	plain := values(plainBase)
	stopPlain()
	ruleBase, _, stopRule, _, _ := startServe(t, "--disclosure")
	defer stopRule()
	ruled := values(ruleBase)
	hidden := 0
	for code, p := range plain {
		r := ruled[code]
		if p.Value == nil || p.Numerator == nil || p.Denominator == nil || p.Suppressed {
			continue
		}
		small := *p.Denominator <= 20 || *p.Numerator <= 5
		switch {
		case small && (!r.Suppressed || r.Value != nil):
			t.Errorf("%s (num %v, den %v) shown with --disclosure: %+v", code, *p.Numerator, *p.Denominator, r)
		case small:
			hidden++
		case r.Value == nil || *r.Value != *p.Value:
			t.Errorf("%s changed by --disclosure: %v -> %+v", code, *p.Value, r)
		}
	}
	if hidden == 0 {
		t.Error("no value was small enough to hide; the test shows nothing")
	}
}
