package main

import (
	"context"
	"os"
	"testing"

	"github.com/segmap/segmap/data/demo"
)

// demoStore is a demo store built once for the package's tests.
var demoStore string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "segmap-cmd-test-")
	if err != nil {
		panic(err)
	}
	demoStore, err = demo.TestStorePath(context.Background(), dir)
	if err != nil {
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
