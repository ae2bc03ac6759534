package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReportCommand(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
		out  string
		want []string
	}{
		{"html", []string{"--kommun", "0180"}, "r.html", []string{`<html lang="sv">`, "Nulägesbild: Stockholm", `class="map"`}},
		{"group in English", []string{"--kommun", "0126,0127,0128", "--lang", "en"}, "g.html", []string{`<html lang="en">`, "Huddinge, Botkyrka and Salem"}},
		{"json", []string{"--kommun", "0114", "--format", "json", "--indicator", "foreign_born_pct"}, "r.json", []string{`"name": "Upplands Väsby"`, `"id": "foreign_born_pct"`}},
		{"without notes", []string{"--kommun", "0128", "--format", "json", "--notes=false"}, "n.json", []string{`"notes_hidden": "Anteckningarna`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if testing.Short() && tc.name != "html" {
				t.Skip("one report in the short run; the full run builds them all")
			}
			out := filepath.Join(dir, tc.out)
			e, stdout, stderr := testEnv(nil)
			args := append([]string{"report", "--store", demoStore, "-o", out}, tc.args...)
			if code := run(context.Background(), args, e); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if !strings.Contains(stdout.String(), "wrote "+out) {
				t.Errorf("stdout %q", stdout)
			}
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(string(b), w) {
					t.Errorf("%s lacks %q", tc.out, w)
				}
			}
			if strings.HasSuffix(tc.out, ".json") && !json.Valid(b) {
				t.Error("invalid JSON")
			}
		})
	}
	// Refusals leave no file and say what is wrong.
	for _, args := range [][]string{{"--kommun", ""}, {"--kommun", "180"}, {"--kommun", "9999"}, {"--kommun", "0180", "--format", "pdf"}} {
		out := filepath.Join(dir, "bad.html")
		e, _, stderr := testEnv(nil)
		if code := run(context.Background(), append([]string{"report", "--store", demoStore, "-o", out}, args...), e); code == 0 {
			t.Errorf("%v: exit 0", args)
		}
		if stderr.Len() == 0 {
			t.Errorf("%v: no message", args)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%v: wrote a file", args)
		}
	}
	// SEGMAP_REPORT_KOMMUN works like --kommun.
	e, _, stderr := testEnv(map[string]string{"SEGMAP_REPORT_KOMMUN": "0128"})
	if code := run(context.Background(), []string{"report", "--store", demoStore, "-o", filepath.Join(dir, "env.html")}, e); code != 0 {
		t.Errorf("SEGMAP_REPORT_KOMMUN: exit %d: %s", code, stderr)
	}
}
