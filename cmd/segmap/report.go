package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/service"
	"github.com/segmap/segmap/service/report"
)

type reportConfig struct {
	store, kommun, lang, indicator, change, format, out string
	from, to                                            int
	notes                                               bool
}

// runReport writes the Nulägesbild of one kommun or a group of kommuner.
func runReport(ctx context.Context, args []string, e env) error {
	var c reportConfig
	fs := newFlagSet("report", "report --kommun 0180[,0114…] [flags] -o report.html", e)
	fs.StringVar(&c.store, "store", "", "store to read; empty: the embedded demo")
	fs.StringVar(&c.kommun, "kommun", "", "kommun code, or several comma-separated analysed as one region (e.g. 1466,1445,1442)")
	fs.StringVar(&c.lang, "lang", "sv", "language of the report: sv or en")
	fs.StringVar(&c.indicator, "indicator", "", "indicator of the LISA cluster map (default low_econ_standard_pct)")
	fs.StringVar(&c.change, "change", "", "indicator of the change map (default: the cluster indicator when it has two years, else the first that does)")
	fs.IntVar(&c.from, "from", 0, "earlier year of the change (default the earliest)")
	fs.IntVar(&c.to, "to", 0, "later year of the change (default the latest)")
	fs.BoolVar(&c.notes, "notes", true, "include the area notes (kommun-made data: text, author, times); --notes=false for a copy to publish")
	fs.StringVar(&c.format, "format", "html", "html (the report) or json (every number in it)")
	fs.StringVar(&c.out, "out", "", "file to write; - or empty: standard output")
	fs.StringVar(&c.out, "o", "", "short for --out")
	if err := parseFlags(fs, args, e); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q: name the output file with -o", fs.Arg(0))
	}
	if c.format != "html" && c.format != "json" {
		return fmt.Errorf("--format %q: use html or json", c.format)
	}
	kommuner, err := service.ParseKommunList(c.kommun)
	if err != nil {
		return fmt.Errorf("--kommun: %w", err)
	}
	logger := newLogger("text", e)
	path, err := storePath(ctx, c.store, logger)
	if err != nil {
		return err
	}
	store, err := data.Open(ctx, path, data.OpenOptions{ReadOnly: true})
	if errors.Is(err, data.ErrReadOnly) {
		// An older store: open it for writing once so its schema is upgraded.
		store, err = data.Open(ctx, path, data.OpenOptions{})
	}
	if err != nil {
		return err
	}
	defer store.Close()
	svc := service.New(store, nil, service.Options{Logger: logger})
	r, err := report.New(svc, report.Options{Cache: -1}).Build(ctx, report.Query{Kommuner: kommuner, Lang: c.lang, Indicator: c.indicator,
		ChangeIndicator: c.change, ChangeFrom: c.from, ChangeTo: c.to, WithNotes: c.notes})
	if err != nil {
		return err
	}
	for _, w := range r.Warnings {
		logger.Warn("report part left out", "reason", w)
	}
	write := func(w io.Writer) error {
		if c.format == "json" {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(r)
		}
		return r.WriteHTML(w)
	}
	if c.out == "" || c.out == "-" {
		return write(e.stdout)
	}
	// Write next to the target and rename, so a failed run leaves no half file.
	tmp, err := os.CreateTemp(filepath.Dir(c.out), ".segmap-report-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	bw := bufio.NewWriter(tmp)
	if err := write(bw); err != nil {
		tmp.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil { // CreateTemp makes 0600
		return err
	}
	if err := os.Rename(tmp.Name(), c.out); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s (%s, %d RegSO, %d DeSO)\n", c.out, r.Name, r.RegSOCount, r.DeSOCount)
	return nil
}
