package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// runCold requests every tile of the list once, in order, one at a time, and
// writes one TSV row per tile: path, zoom, status, ms, wire bytes, MVT bytes,
// feature count.
func runCold(args []string) error {
	fs := flag.NewFlagSet("cold", flag.ContinueOnError)
	base := fs.String("base", "", "server base URL, e.g. http://127.0.0.1:8081")
	list := fs.String("list", "", "tile path list")
	timeout := fs.Duration("timeout", 10*time.Minute, "whole pass bound")
	save := fs.String("save", "", "also write each 200 answer's wire bytes to DIR/<path> (an empty file for 204), for the same-bytes ceiling")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if !strings.HasPrefix(*base, "http://127.") && !strings.HasPrefix(*base, "http://localhost") {
		return fmt.Errorf("base %q: loopback only", *base)
	}
	f, err := os.Open(*list)
	if err != nil {
		return err
	}
	defer f.Close()
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	client := &http.Client{Transport: &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 1}}
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	fmt.Fprintln(out, "path\tz\tstatus\tms\twire_bytes\tmvt_bytes\tfeatures")
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		p := strings.TrimSpace(sc.Text())
		if p == "" {
			continue
		}
		var z int
		fmt.Sscanf(p, "/tiles/deso/%d/", &z)
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, *base+p, nil)
		if err != nil {
			return err
		}
		req.Header.Set("Accept-Encoding", "gzip")
		t0 := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		ms := float64(time.Since(t0).Microseconds()) / 1000
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		mvt := body
		if resp.Header.Get("Content-Encoding") == "gzip" && len(body) > 0 {
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				return fmt.Errorf("%s: gzip: %w", p, err)
			}
			if mvt, err = io.ReadAll(zr); err != nil {
				return fmt.Errorf("%s: gzip: %w", p, err)
			}
		}
		if resp.StatusCode != 200 && resp.StatusCode != 204 {
			mvt = nil
		}
		if *save != "" && mvt != nil {
			if err := saveTile(*save, p, body, resp.StatusCode, resp.Header); err != nil {
				return err
			}
		}
		fmt.Fprintf(out, "%s\t%d\t%d\t%.3f\t%d\t%d\t%d\n", p, z, resp.StatusCode, ms, len(body), len(mvt), countFeatures(mvt))
	}
	return sc.Err()
}

// saveTile writes the wire bytes of a tile under dir (nothing for 204)
// and, beside it in NAME.hdr, its headers but Date and Content-Length, one
// "Name: value" a line.
func saveTile(dir, path string, body []byte, status int, h http.Header) error {
	name := filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(path, "/")))
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	if status == http.StatusNoContent {
		body = nil
	}
	var hdr strings.Builder
	for k, vs := range h {
		if k == "Date" || k == "Content-Length" {
			continue
		}
		for _, v := range vs {
			fmt.Fprintf(&hdr, "%s: %s\n", k, v)
		}
	}
	if err := os.WriteFile(name+".hdr", []byte(hdr.String()), 0o644); err != nil {
		return err
	}
	return os.WriteFile(name, body, 0o644)
}

// countFeatures walks the MVT protobuf: Tile.layers (field 3) ->
// Layer.features (field 2). Malformed input counts as -1.
func countFeatures(b []byte) int {
	n := 0
	for len(b) > 0 {
		field, wt, body, rest, ok := next(b)
		if !ok {
			return -1
		}
		if field == 3 && wt == 2 {
			l := body
			for len(l) > 0 {
				f2, w2, _, r2, ok := next(l)
				if !ok {
					return -1
				}
				if f2 == 2 && w2 == 2 {
					n++
				}
				l = r2
			}
		}
		b = rest
	}
	return n
}

func varint(b []byte) (uint64, int) {
	var v uint64
	for i := 0; i < len(b) && i < 10; i++ {
		v |= uint64(b[i]&0x7f) << (7 * i)
		if b[i] < 0x80 {
			return v, i + 1
		}
	}
	return 0, 0
}

func next(b []byte) (field int, wt int, body, rest []byte, ok bool) {
	key, n := varint(b)
	if n == 0 {
		return 0, 0, nil, nil, false
	}
	b = b[n:]
	field, wt = int(key>>3), int(key&7)
	switch wt {
	case 0:
		_, m := varint(b)
		if m == 0 {
			return 0, 0, nil, nil, false
		}
		return field, wt, nil, b[m:], true
	case 1:
		if len(b) < 8 {
			return 0, 0, nil, nil, false
		}
		return field, wt, nil, b[8:], true
	case 5:
		if len(b) < 4 {
			return 0, 0, nil, nil, false
		}
		return field, wt, nil, b[4:], true
	case 2:
		l, m := varint(b)
		if m == 0 || uint64(len(b)-m) < l {
			return 0, 0, nil, nil, false
		}
		return field, wt, b[m : m+int(l)], b[m+int(l):], true
	}
	return 0, 0, nil, nil, false
}
