// Command fixed is the ceiling for bench/tiles.sh: a bare net/http handler
// that answers /tiles/... requests with bytes held in memory, either the
// same gzipped tile for every path (-file) or, per path, the bytes another
// server sent for it (-dir, as saved by `benchtool cold -save`: a file per
// tile path, empty for a 204), so the ceiling sends what segmap sends.
package main

import (
	"flag"
	"io/fs"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
)

type answer struct {
	body   []byte
	length []string
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address (loopback)")
	file := flag.String("file", "", "gzipped MVT to serve for every tile")
	dir := flag.String("dir", "", "directory of gzipped tiles by path (instead of -file)")
	flag.Parse()
	byPath := map[string]answer{}
	var one answer
	switch {
	case *dir != "":
		err := filepath.WalkDir(*dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(*dir, p)
			byPath["/"+filepath.ToSlash(rel)] = answer{b, []string{strconv.Itoa(len(b))}}
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
		one = answer{b, []string{strconv.Itoa(len(b))}}
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
			if len(a.body) == 0 {
				w.WriteHeader(http.StatusNoContent)
				return
			}
		}
		h := w.Header()
		h["Content-Type"] = []string{"application/vnd.mapbox-vector-tile"}
		h["Content-Encoding"] = []string{"gzip"}
		h["Content-Length"] = a.length
		_, _ = w.Write(a.body)
	})
	log.Printf("fixed: serving %d paths (0: one tile for all) on %s", len(byPath), *addr)
	log.Fatal(http.ListenAndServe(*addr, mux))
}
