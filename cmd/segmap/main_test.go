package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// demoStore is a demo store built once for the package's tests.
var demoStore string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "segmap-cmd-test-")
	if err != nil {
		panic(err)
	}
	demoStore = filepath.Join(dir, "demo.gpkg")
	if err := buildDemo(context.Background(), demoStore); err != nil {
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
