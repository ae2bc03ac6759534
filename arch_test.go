package segmap_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImportRules keeps the pure packages pure: spatial/, tiles/ and render/
// must not depend on HTTP, SQL or echo (directly or through anything they
// import).
func TestImportRules(t *testing.T) {
	forbidden := []string{"net/http", "database/sql", "github.com/labstack/echo/v4", "github.com/mattn/go-sqlite3"}
	for _, pkg := range []string{"./spatial/...", "./tiles/...", "./render/..."} {
		out, err := exec.Command("go", "list", "-deps", pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list -deps %s: %v\n%s", pkg, err, out)
		}
		deps := strings.Fields(string(out))
		for _, d := range deps {
			for _, f := range forbidden {
				if d == f {
					t.Errorf("%s depends on %s; keep I/O and HTTP in data/ and api/", pkg, f)
				}
			}
		}
		if len(deps) == 0 {
			t.Errorf("go list -deps %s listed nothing", pkg)
		}
	}
}

// TestLayerImports keeps each layer to its job, by direct imports: only data/
// speaks SQL; only api/ (and the wiring in cmd/) speaks HTTP and echo;
// service/ uses data/ and the pure packages, never HTTP.
func TestLayerImports(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", "./...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	const mod = "github.com/segmap/segmap"
	sqlOK := func(p string) bool { return p == mod+"/data" || strings.HasPrefix(p, mod+"/data/") }
	httpOK := func(p string) bool {
		return p == mod+"/api" || strings.HasPrefix(p, mod+"/cmd/") || strings.HasPrefix(p, mod+"/bench/") || strings.HasPrefix(p, mod+"/api/web/")
	}
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		pkg, imports := f[0], f[1:]
		checked++
		for _, imp := range imports {
			switch {
			case (imp == "database/sql" || imp == "github.com/mattn/go-sqlite3") && !sqlOK(pkg):
				t.Errorf("%s imports %s: SQL belongs in data/", pkg, imp)
			case (imp == "net/http" || strings.HasPrefix(imp, "github.com/labstack/echo")) && !httpOK(pkg):
				t.Errorf("%s imports %s: HTTP belongs in api/", pkg, imp)
			}
		}
	}
	if checked < 10 {
		t.Errorf("go list listed %d packages", checked)
	}
}
