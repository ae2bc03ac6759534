package main

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/segmap/segmap/api"
	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/service"
	"github.com/segmap/segmap/tiles"
)

const cliChildEnv = "SEGMAP_TEST_CLI_ARGS"

// cliChildArgs returns the segmap arguments when this test binary was
// re-executed by runCLIChild.
func cliChildArgs() ([]string, bool) {
	v, ok := os.LookupEnv(cliChildEnv)
	if !ok {
		return nil, false
	}
	return strings.Split(v, "\x1f"), true
}

func TestServeOpenOptions(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   data.Access
		want data.OpenOptions
	}{
		{"writable", data.Access{Writable: true, DirWritable: true}, data.OpenOptions{}},
		{"file read-only, folder writable", data.Access{Reason: "file", DirWritable: true}, data.OpenOptions{ReadOnly: true}},
		{"file and folder read-only", data.Access{Reason: "file"}, data.OpenOptions{ReadOnly: true, Immutable: true}},
		{"file writable, folder not (no -wal/-shm)", data.Access{Reason: "folder"}, data.OpenOptions{ReadOnly: true, Immutable: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := serveOpenOptions(tc.in); got != tc.want {
				t.Errorf("serveOpenOptions(%+v) = %+v, want %+v", tc.in, got, tc.want)
			}
		})
	}
}

// readOnlyCopy copies the demo store into base/ro/store.gpkg and makes the
// file 0444 and its folder 0555; base and its parents are world-readable so
// another user can reach it.
func readOnlyCopy(t *testing.T) (base, path string) {
	t.Helper()
	base, err := os.MkdirTemp("", "segmap-ro-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		os.Chmod(filepath.Join(base, "ro"), 0o755)
		os.RemoveAll(base)
	})
	if err := os.Chmod(base, 0o755); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(base, "ro")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path = filepath.Join(dir, "store.gpkg")
	if err := copyStore(context.Background(), demoStore, path); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"-wal", "-shm"} {
		os.Remove(path + s)
	}
	if err := os.Chmod(path, 0o444); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	return base, path
}

// TestReadOnlyStoreServesAndRefusesWrites opens a 0444 copy of the store in
// a 0555 folder the way serve does for a store it cannot write (SQLite
// mode=ro, immutable), serves tiles and classes from it, and checks that a
// write is refused as read-only and changes nothing. This part does not
// depend on file permissions, so it holds when the tests run as root.
func TestReadOnlyStoreServesAndRefusesWrites(t *testing.T) {
	ctx := context.Background()
	_, path := readOnlyCopy(t)
	store, err := data.Open(ctx, path, serveOpenOptions(data.Access{Reason: "test"}))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if !store.ReadOnly() {
		t.Fatal("store not read-only")
	}
	before, err := store.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	svc := service.New(store, tiles.New(tiles.Options{}), service.Options{})
	if _, err := svc.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(api.New(svc, api.Options{}))
	defer ts.Close()
	for _, p := range []string{"/tiles/deso/9/281/150.mvt", "/api/classify?level=deso&indicator=low_econ_standard_pct", "/readyz"} {
		resp, err := http.Get(ts.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s on a read-only store: %s", p, resp.Status)
		}
	}
	_, err = store.ImportHierarchy(ctx, filepath.Join("..", "..", "testdata", "indicators", "deso2018_regso2020_link.csv"))
	if !errors.Is(err, data.ErrReadOnly) || !strings.Contains(err.Error(), "read-only") {
		t.Errorf("import into a read-only store: %v, want ErrReadOnly", err)
	}
	if after, err := store.DataVersion(ctx); err != nil || after != before {
		t.Errorf("data version %d -> %d (%v)", before, after, err)
	}
}

// runCLIChild runs this test binary as segmap (see TestMain) under a user
// for whom chmod is binding: the current user, or nobody when the tests
// run as root (root writes 0444 files regardless). It returns the started
// command with its combined output in out.
func runCLIChild(t *testing.T, base string, out io.Writer, args ...string) *exec.Cmd {
	t.Helper()
	bin := filepath.Join(base, "segmap.test")
	if _, err := os.Stat(bin); err != nil {
		src, err := os.ReadFile(os.Args[0])
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(bin, src, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), cliChildEnv+"="+strings.Join(args, "\x1f"), "HOME="+base, "XDG_CACHE_HOME="+base)
	cmd.Stdout, cmd.Stderr = out, out
	if os.Geteuid() == 0 {
		u, err := user.Lookup("nobody")
		if err != nil {
			t.Skipf("running as root and there is no user nobody to drop to: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd
}

// TestServeAndImportOnReadOnlyStore runs the real commands as a user who
// cannot write the store: serve starts read-only, says so in its log and
// serves tiles; import exits 1 with "the store <path> is read-only".
func TestServeAndImportOnReadOnlyStore(t *testing.T) {
	base, path := readOnlyCopy(t)
	var imp strings.Builder
	link, err := filepath.Abs(filepath.Join("..", "..", "testdata", "indicators", "deso2018_regso2020_link.csv"))
	if err != nil {
		t.Fatal(err)
	}
	linkCopy := filepath.Join(base, "link.csv")
	b, err := os.ReadFile(link)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(linkCopy, b, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := runCLIChild(t, base, &imp, "import", "hierarchy", "--store", path, linkCopy)
	err = cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Fatalf("import into a read-only store: %v, want exit 1\n%s", err, imp.String())
	}
	if want := "the store " + path + " is read-only"; !strings.Contains(imp.String(), want) {
		t.Errorf("import message %q does not say %q", imp.String(), want)
	}

	addr := freeAddr(t)
	var srv syncBuffer
	cmd = runCLIChild(t, base, &srv, "serve", "--addr", addr, "--store", path)
	exited := make(chan struct{})
	go func() {
		cmd.Wait()
		close(exited)
	}()
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		<-exited
	}()
	if !srv.waitFor("segmap serving", exited) { // logged once it listens
		t.Fatalf("serve on a read-only store did not start:\n%s", srv.String())
	}
	resp, err := http.Get("http://" + addr + "/tiles/deso/9/281/150.mvt")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("tile from a read-only store: %s\n%s", resp.Status, srv.String())
	}
	if !strings.Contains(srv.String(), "the store is read-only") {
		t.Errorf("serve log does not say the store is read-only:\n%s", srv.String())
	}
}

// syncBuffer is a strings.Builder safe for a child's output and the test.
type syncBuffer struct {
	mu      sync.Mutex
	b       strings.Builder
	written chan struct{} // closed by the next Write
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.written != nil {
		close(s.written)
		s.written = nil
	}
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor waits until the buffer holds sub, and reports whether it does:
// false when stop is closed (or sends) first.
func (s *syncBuffer) waitFor(sub string, stop <-chan struct{}) bool {
	for {
		s.mu.Lock()
		if strings.Contains(s.b.String(), sub) {
			s.mu.Unlock()
			return true
		}
		if s.written == nil {
			s.written = make(chan struct{})
		}
		written := s.written
		s.mu.Unlock()
		select {
		case <-written:
		case <-stop:
			return strings.Contains(s.String(), sub)
		}
	}
}
