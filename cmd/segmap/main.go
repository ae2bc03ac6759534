// Command segmap is a self-hosted map-and-analysis service for segregation
// analysis in Swedish municipalities. Run it with no arguments to serve the
// embedded demo (Stockholms län, real SCB data) on :8080.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/segmap/segmap/internal/fault"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], env{getenv: os.Getenv, stdout: os.Stdout, stderr: os.Stderr})
	stop()
	os.Exit(code)
}

// env is what a command sees of the outside world, so tests can run
// subcommands in-process.
type env struct {
	getenv func(string) string
	stdout io.Writer
	stderr io.Writer
	// onRequest, when set (tests), is called by serve as each request
	// reaches its handler, before the request is handled.
	onRequest func(*http.Request)
}

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, e env) error
}

func commands() []command {
	return []command{
		{"serve", "serve the map client, JSON API and vector tiles (the default)", runServe},
		{"init", "make a complete store for a kommun, a group or a län from DeSO boundaries", runInit},
		{"import", "import boundaries, an area hierarchy or indicators into a store", runImport},
		{"validate", "check a boundary or indicator file without writing anything", runValidate},
		{"demo", "build the embedded demo store into a file", runDemo},
		{"export", "write a layer's tile pyramid as PMTiles or MBTiles", runExport},
		{"report", "write the Nulägesbild (HTML report) of a kommun or a group of kommuner", runReport},
		{"healthcheck", "exit 0 when a server on --addr answers /healthz (for container health checks)", runHealthcheck},
	}
}

func run(ctx context.Context, args []string, e env) int {
	if len(args) > 0 && (args[0] == "help" || args[0] == "-h" || args[0] == "--help") {
		usage(e.stdout)
		return 0
	}
	name := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	for _, c := range commands() {
		if c.name == name {
			if err := c.run(ctx, args, e); err != nil {
				if errors.Is(err, flag.ErrHelp) {
					return 0
				}
				fmt.Fprintf(e.stderr, "segmap %s: %s\n", name, cliMessage(err))
				return 1
			}
			return 0
		}
	}
	fmt.Fprintf(e.stderr, "segmap: unknown command %q\n\n", name)
	usage(e.stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: segmap [command] [flags]")
	fmt.Fprintln(w, "\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'segmap <command> --help' for the flags of a command.")
	fmt.Fprintln(w, "Every flag can also be set with an environment variable SEGMAP_<FLAG> (e.g. SEGMAP_ADDR, SEGMAP_STORE).")
}

// cliMessage is err for the person at the terminal: its message for people
// when it carries one (internal/fault), kept behind the context the command
// wrapped it in ("--basemap: …"), else the error text.
func cliMessage(err error) string {
	var m fault.Messager
	if !errors.As(err, &m) {
		return err.Error()
	}
	msg := m.Message("en")
	if msg == "" {
		return err.Error()
	}
	full, inner := err.Error(), m.Error()
	if strings.HasSuffix(full, inner) {
		return full[:len(full)-len(inner)] + msg
	}
	return msg
}
