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
	if args, ok := cliChildArgs(); ok {
		// Re-executed by a test as another user (see runCLIChild): be segmap.
		os.Exit(run(context.Background(), args, env{getenv: os.Getenv, stdout: os.Stdout, stderr: os.Stderr}))
	}
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
