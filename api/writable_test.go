package api_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/segmap/segmap/api"
	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/service"
)

// writableServer serves a private, writable copy of the demo store with
// opts, and returns the service behind it.
func writableServer(t *testing.T, opts api.Options) (*echo.Echo, *service.Service) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "store.gpkg")
	if err := testStore.CopyTo(ctx, path); err != nil {
		t.Fatal(err)
	}
	st, err := data.Open(ctx, path, data.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	svc := service.New(st, nil, service.Options{})
	return api.New(svc, opts), svc
}
