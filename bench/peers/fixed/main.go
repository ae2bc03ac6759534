// Command fixed is the ceiling for bench/tiles.sh: a bare net/http handler
// that answers /tiles/... requests with bytes held in memory, either the
// same gzipped tile for every path (-file, with only Content-Type,
// Content-Encoding and Content-Length) or, per path, the answer another
// server gave for it (-dir, as saved by `benchtool cold -save`: a file per
// tile path, empty for a 204, and its headers in PATH.hdr), so this
// ceiling sends what segmap sends, headers and all.
package main

import (
	"flag"
	"io/fs"
	"log"
	"net/http"
	"net/textproto"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

type answer struct {
	body   []byte
	header http.Header
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address (loopback)")
	file := flag.String("file", "", "gzipped MVT to serve for every tile")
	dir := flag.String("dir", "", "directory of saved answers by path (instead of -file)")
	flag.Parse()
	byPath := map[string]answer{}
	var one answer
	switch {
	case *dir != "":
		err := filepath.WalkDir(*dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || strings.HasSuffix(p, ".hdr") {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			hdr, err := os.ReadFile(p + ".hdr")
			if err != nil {
				return err
			}
			h := http.Header{}
			for _, line := range strings.Split(string(hdr), "\n") {
				if k, v, ok := strings.Cut(line, ": "); ok {
					h.Add(textproto.CanonicalMIMEHeaderKey(k), v)
				}
			}
			if len(b) > 0 {
				h.Set("Content-Length", strconv.Itoa(len(b)))
			}
			rel, _ := filepath.Rel(*dir, p)
			byPath["/"+filepath.ToSlash(rel)] = answer{b, h}
			return nil
		})
		if err != nil || len(byPath) == 0 {
			log.Fatalf("fixed: no tiles in %s (%v)", *dir, err)
		}
	default:
		b, err := os.ReadFile(*file)
		if err != nil {
			log.Fatalf("fixed: %v", err)
		}
		one = answer{b, http.Header{
			"Content-Type":     {"application/vnd.mapbox-vector-tile"},
			"Content-Encoding": {"gzip"},
			"Content-Length":   {strconv.Itoa(len(b))},
		}}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) })
	mux.HandleFunc("/tiles/", func(w http.ResponseWriter, r *http.Request) {
		a := one
		if *dir != "" {
			var ok bool
			if a, ok = byPath[r.URL.Path]; !ok {
				http.NotFound(w, r)
				return
			}
		}
		h := w.Header()
		for k, v := range a.header {
			h[k] = v // shared, read-only slices: no allocation per request
		}
		if len(a.body) == 0 {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		_, _ = w.Write(a.body)
	})
	log.Printf("fixed: serving %d paths (0: one tile for all) on %s", len(byPath), *addr)
	log.Fatal(http.ListenAndServe(*addr, mux))
}
