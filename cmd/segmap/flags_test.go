package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func testEnv(vars map[string]string) (env, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return env{getenv: func(k string) string { return vars[k] }, stdout: &out, stderr: &errb}, &out, &errb
}

func TestFlagsFromEnvironment(t *testing.T) {
	e, _, _ := testEnv(map[string]string{"SEGMAP_ADDR": ":9999", "SEGMAP_TILE_CACHE_MB": "12"})
	fs := newFlagSet("serve", "serve", e)
	addr := fs.String("addr", ":8080", "")
	mb := fs.Int("tile-cache-mb", 1, "")
	store := fs.String("store", "", "")
	if err := parseFlags(fs, []string{"--store", "x.gpkg", "--tile-cache-mb", "3"}, e); err != nil {
		t.Fatal(err)
	}
	if *addr != ":9999" {
		t.Errorf("addr = %q, want the environment's :9999", *addr)
	}
	if *mb != 3 {
		t.Errorf("tile-cache-mb = %d, want the command line's 3", *mb)
	}
	if *store != "x.gpkg" {
		t.Errorf("store = %q", *store)
	}
}

func TestBadEnvironmentValueNamesTheVariable(t *testing.T) {
	e, _, _ := testEnv(map[string]string{"SEGMAP_TILE_CACHE_MB": "lots"})
	fs := newFlagSet("serve", "serve", e)
	fs.Int("tile-cache-mb", 1, "")
	err := parseFlags(fs, nil, e)
	if err == nil || !strings.Contains(err.Error(), "SEGMAP_TILE_CACHE_MB") {
		t.Fatalf("err = %v, want it to name SEGMAP_TILE_CACHE_MB", err)
	}
}

func TestUsageAndUnknownCommand(t *testing.T) {
	e, out, _ := testEnv(nil)
	if code := run(context.Background(), []string{"--help"}, e); code != 0 {
		t.Fatalf("--help exit %d", code)
	}
	for _, c := range commands() {
		if !strings.Contains(out.String(), c.name) {
			t.Errorf("usage does not list %q", c.name)
		}
	}
	e, _, errb := testEnv(nil)
	if code := run(context.Background(), []string{"frobnicate"}, e); code != 2 {
		t.Errorf("unknown command exit %d, want 2", code)
	}
	if !strings.Contains(errb.String(), `unknown command "frobnicate"`) {
		t.Errorf("stderr = %q", errb.String())
	}
}

func TestSubcommandHelpListsEveryFlagWithEnv(t *testing.T) {
	e, _, errb := testEnv(nil)
	if code := run(context.Background(), []string{"serve", "--help"}, e); code != 0 {
		t.Fatalf("serve --help exit %d: %s", code, errb)
	}
	for _, want := range []string{"--addr", "SEGMAP_ADDR", "--store", "SEGMAP_STORE", "--public-url"} {
		if !strings.Contains(errb.String(), want) {
			t.Errorf("serve --help lacks %q", want)
		}
	}
}

func TestServeRefusesBadDeploymentOptions(t *testing.T) {
	e, _, errb := testEnv(map[string]string{"SEGMAP_TRUSTED_PROXIES": "not-an-ip"})
	if code := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0"}, e); code != 1 {
		t.Fatalf("exit %d", code)
	}
	if !strings.Contains(errb.String(), "not-an-ip") {
		t.Errorf("stderr %q does not name the bad value", errb)
	}
}

func TestEnvNames(t *testing.T) {
	for _, tc := range []struct{ set, flag, want string }{
		{"segmap serve", "tile-cache-mb", "SEGMAP_TILE_CACHE_MB"},
		{"segmap healthcheck", "addr", "SEGMAP_ADDR"},
		{"segmap export", "format", "SEGMAP_EXPORT_FORMAT"},
		{"segmap report", "format", "SEGMAP_REPORT_FORMAT"},
		{"segmap import boundaries", "level", "SEGMAP_IMPORT_LEVEL"},
		{"segmap validate", "code-field", "SEGMAP_VALIDATE_CODE_FIELD"},
		{"segmap export", "store", "SEGMAP_STORE"},
		{"segmap report", "store", "SEGMAP_STORE"},
	} {
		if got := envName(tc.set, tc.flag); got != tc.want {
			t.Errorf("envName(%q, %q) = %s, want %s", tc.set, tc.flag, got, tc.want)
		}
	}
	// A one-off command does not pick up another command's variable.
	e, _, _ := testEnv(map[string]string{"SEGMAP_FORMAT": "json", "SEGMAP_EXPORT_FORMAT": "mbtiles"})
	fs := newFlagSet("export", "export", e)
	format := fs.String("format", "pmtiles", "")
	if err := parseFlags(fs, nil, e); err != nil {
		t.Fatal(err)
	}
	if *format != "mbtiles" {
		t.Errorf("export --format = %q from the environment, want SEGMAP_EXPORT_FORMAT's mbtiles", *format)
	}
}

// A short alias on the command line wins over the long form's variable.
func TestShortAliasBeatsEnvironment(t *testing.T) {
	e, _, _ := testEnv(map[string]string{"SEGMAP_REPORT_OUT": "env.html"})
	fs := newFlagSet("report", "report", e)
	var out string
	fs.StringVar(&out, "out", "", "")
	fs.StringVar(&out, "o", "", "")
	if err := parseFlags(fs, []string{"-o", "cli.html"}, e); err != nil {
		t.Fatal(err)
	}
	if out != "cli.html" {
		t.Errorf("out = %q, want the command line's cli.html", out)
	}
	fs2 := newFlagSet("report", "report", e)
	var out2 string
	fs2.StringVar(&out2, "out", "", "")
	fs2.StringVar(&out2, "o", "", "")
	if err := parseFlags(fs2, nil, e); err != nil {
		t.Fatal(err)
	}
	if out2 != "env.html" {
		t.Errorf("out = %q, want SEGMAP_REPORT_OUT's env.html", out2)
	}
}
