package segmap_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImportRules keeps the pure packages pure: spatial/ and tiles/ must not
// depend on HTTP, SQL or echo (directly or through anything they import).
func TestImportRules(t *testing.T) {
	forbidden := []string{"net/http", "database/sql", "github.com/labstack/echo/v4", "github.com/mattn/go-sqlite3"}
	for _, pkg := range []string{"./spatial/...", "./tiles/..."} {
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
