package main

import (
	"flag"
	"fmt"
	"strings"
)

// newFlagSet makes a flag set whose usage lists every flag with its
// environment variable. Call parseFlags to parse it.
func newFlagSet(name, synopsis string, e env) *flag.FlagSet {
	fs := flag.NewFlagSet("segmap "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "Usage: segmap %s\n\nFlags (each can also be set as the environment variable shown):\n", synopsis)
		fs.VisitAll(func(f *flag.Flag) {
			def := ""
			if d := f.DefValue; d != "" && d != "0" && d != "false" && !strings.Contains(f.Usage, "(default") {
				def = fmt.Sprintf(" (default %q)", d)
			}
			if len(f.Name) == 1 { // a short alias: no variable of its own
				fmt.Fprintf(w, "  -%s\n      %s\n", f.Name, f.Usage)
				return
			}
			fmt.Fprintf(w, "  --%s  [%s]\n      %s%s\n", f.Name, envName(fs.Name(), f.Name), f.Usage, def)
		})
	}
	return fs
}

// envName is the environment variable for a flag of a command (a flag set
// named "segmap <command> ..."): SEGMAP_<FLAG> for the service's settings
// (serve, healthcheck) and for --store, which means the same store to every
// command; SEGMAP_<COMMAND>_<FLAG> for the one-off commands, so that e.g.
// export's --format and report's --format do not share a variable. Upper
// case, '-' as '_'.
func envName(flagSet, flagName string) string {
	up := func(s string) string { return strings.ToUpper(strings.ReplaceAll(s, "-", "_")) }
	cmd := ""
	if f := strings.Fields(flagSet); len(f) > 1 {
		cmd = f[1]
	}
	if cmd == "" || cmd == "serve" || cmd == "healthcheck" || flagName == "store" {
		return "SEGMAP_" + up(flagName)
	}
	return "SEGMAP_" + up(cmd) + "_" + up(flagName)
}

// parseFlags parses args; flags not given on the command line are taken from
// their SEGMAP_* environment variable when it is set. Command-line flags win.
func parseFlags(fs *flag.FlagSet, args []string, e env) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	// Keyed by the flag's value, so a short alias given on the command line
	// (-o) also keeps the environment from setting its long form (--out).
	given := map[flag.Value]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Value] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if given[f.Value] || err != nil || len(f.Name) == 1 {
			return
		}
		if v := e.getenv(envName(fs.Name(), f.Name)); v != "" {
			if serr := fs.Set(f.Name, v); serr != nil {
				err = fmt.Errorf("environment variable %s=%q: %w", envName(fs.Name(), f.Name), v, serr)
			}
		}
	})
	return err
}
