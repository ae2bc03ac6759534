package main

import (
	"context"
	"os"
	"regexp"
	"strings"
	"testing"
)

// The README documents every flag of every command with the environment
// variable it reads, as --help prints them.
func TestREADMEListsEveryFlag(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile(`(?m)^  --([a-z0-9-]+)  \[(SEGMAP_[A-Z0-9_]+)\]$`)
	checked := 0
	for _, args := range [][]string{{"serve"}, {"import", "boundaries"}, {"init"}, {"export"}, {"report"}, {"healthcheck"}} {
		e, _, stderr := testEnv(nil)
		run(context.Background(), append(args, "--help"), e)
		flags := row.FindAllStringSubmatch(stderr.String(), -1)
		if len(flags) == 0 {
			t.Fatalf("segmap %s --help lists no flags:\n%s", strings.Join(args, " "), stderr)
		}
		for _, f := range flags {
			want := "| `--" + f[1] + "` | `" + f[2] + "` |"
			if !strings.Contains(string(readme), want) {
				t.Errorf("README lacks the row %s … for segmap %s", want, args[0])
			}
			checked++
		}
	}
	t.Logf("%d flags documented", checked)
}
