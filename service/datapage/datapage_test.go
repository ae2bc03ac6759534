package datapage_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/internal/fault"
	"github.com/segmap/segmap/service/datapage"
)

// TestStagingBounds: uploads are bounded in size and number, expire after
// their TTL unused, and leave no file behind once dropped or closed.
func TestStagingBounds(t *testing.T) {
	ctx := context.Background()
	st, err := data.Open(ctx, filepath.Join(t.TempDir(), "s.gpkg"), data.OpenOptions{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	body, err := os.ReadFile("../../testdata/indicators/dalarna_2022_cp1252_semikolon.csv")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	dp := datapage.New(st, datapage.Options{Dir: dir, MaxUploads: 2, MaxBytes: int64(len(body)), TTL: time.Hour, Now: func() time.Time { return now }})
	files := func() int {
		n := 0
		filepath.WalkDir(dir, func(_ string, d os.DirEntry, _ error) error {
			if d != nil && !d.IsDir() {
				n++
			}
			return nil
		})
		return n
	}
	if _, err := dp.Upload(ctx, "big.csv", append(body, '\n'), datapage.UploadOptions{}); !errors.Is(err, fault.TooLarge) {
		t.Fatalf("too large: %v", err)
	}
	var ids []string
	for range 3 {
		u, err := dp.Upload(ctx, "../x/d.csv", body, datapage.UploadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if u.File != "d.csv" {
			t.Errorf("file name %q", u.File)
		}
		ids = append(ids, u.ID)
		now = now.Add(time.Minute)
	}
	if n := files(); n != 2 {
		t.Errorf("%d files staged, want 2 (the limit)", n)
	}
	if _, err := dp.Get(ids[0], "sv"); !errors.Is(err, fault.NotFound) {
		t.Errorf("the oldest upload is still there: %v", err)
	}
	now = now.Add(61 * time.Minute)
	if _, err := dp.Get(ids[2], "sv"); !errors.Is(err, fault.NotFound) {
		t.Errorf("an expired upload answered: %v", err)
	}
	if n := files(); n != 0 {
		t.Errorf("%d files left after expiry", n)
	}
	if _, err := dp.Upload(ctx, "d.csv", body, datapage.UploadOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := dp.Close(); err != nil {
		t.Fatal(err)
	}
	if n := files(); n != 0 {
		t.Errorf("%d files left after Close", n)
	}
}
