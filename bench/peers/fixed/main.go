// Command fixed is the ceiling for bench/tiles.sh: a bare net/http handler
// that answers every /tiles/... request with the same gzipped tile bytes.
package main

import (
	"flag"
	"log"
	"net/http"
	"os"
	"strconv"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address (loopback)")
	file := flag.String("file", "", "gzipped MVT to serve for every tile")
	flag.Parse()
	body, err := os.ReadFile(*file)
	if err != nil {
		log.Fatalf("fixed: %v", err)
	}
	n := strconv.Itoa(len(body))
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) })
	mux.HandleFunc("/tiles/", func(w http.ResponseWriter, _ *http.Request) {
		h := w.Header()
		h["Content-Type"] = []string{"application/vnd.mapbox-vector-tile"}
		h["Content-Encoding"] = []string{"gzip"}
		h["Content-Length"] = []string{n}
		_, _ = w.Write(body)
	})
	log.Printf("fixed: serving %d bytes on %s", len(body), *addr)
	log.Fatal(http.ListenAndServe(*addr, mux))
}
