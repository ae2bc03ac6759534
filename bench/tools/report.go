package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

var serverOrder = []string{"segmap", "segmap-open", "segmap-nogzip", "geojsonvt", "geojsonvt-nogzip", "postgis", "fixed", "same"}

var serverLabel = map[string]string{
	"segmap":           "segmap",
	"geojsonvt":        "geojson-vt + vt-pbf (node, cached)",
	"segmap-open":      "segmap, cold pass from port-open (during warm-up)",
	"segmap-nogzip":    "segmap, client without gzip",
	"geojsonvt-nogzip": "geojson-vt, client without gzip",
	"postgis":          "PostGIS ST_AsMVT (node pg, no cache)",
	"fixed":            "fixed bytes (Go net/http ceiling)",
	"same":             "segmap's bytes per path (Go net/http ceiling)",
}

type coldRow struct {
	z, status           int
	ms                  float64
	wire, mvt, features int
}

// runReport turns the raw files tiles.sh wrote into one markdown document.
func runReport(args []string) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	dir := fs.String("dir", "", "raw results directory")
	if err := fs.Parse(args); err != nil {
		return err
	}
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	layers := readTSV(filepath.Join(*dir, "layers.tsv"))
	fmt.Fprintf(w, "# Tile serving benchmark\n\nWritten by `bash bench/tiles.sh` (see bench/README.md). Raw data: `%s/`.\n\n", filepath.Base(*dir))
	fmt.Fprintln(w, "## Setup")
	fmt.Fprintln(w)
	for _, l := range readLines(filepath.Join(*dir, "meta.txt")) {
		fmt.Fprintf(w, "- %s\n", l)
	}
	fmt.Fprintln(w, "- Cold pass: a fresh server per layer, the fixed tile list (`tiles-<layer>.txt`: every tile meeting the layer's bounds up to 40 per zoom, else 40 tiles holding feature centres) requested once in order, one at a time, `Accept-Encoding: gzip`; time to the last body byte.")
	fmt.Fprintln(w, "- Warm: right after the cold pass, `wrk` cycles the same list (so every tile was served once before). Peak RSS = VmHWM of the server process after all runs.")
	fmt.Fprintln(w)

	var summary []string
	for _, l := range layers {
		if len(l) < 3 {
			continue
		}
		name := l[0]
		fmt.Fprintf(w, "## Layer `%s` (%s, %s features)\n\n", name, l[1], l[2])
		servers := present(*dir, name)
		if len(servers) == 0 {
			fmt.Fprintln(w, "No server results.")
			continue
		}
		cold := map[string][]coldRow{}
		var coldServers []string
		for _, s := range servers {
			path := filepath.Join(*dir, "cold-"+name+"-"+s+".tsv")
			if _, err := os.Stat(path); err == nil {
				cold[s] = readCold(path)
				coldServers = append(coldServers, s)
			}
		}
		writeCold(w, coldServers, cold)
		best := writeWarm(w, *dir, name, servers, cold)
		summary = append(summary, best...)
	}
	writeExport(w, *dir, layers)
	if notes := readLines(filepath.Join(*dir, "notes.txt")); len(notes) > 0 {
		fmt.Fprintln(w, "## Gaps and notes")
		fmt.Fprintln(w)
		for _, n := range notes {
			fmt.Fprintln(w, n)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, "## Summary (computed)")
	fmt.Fprintln(w)
	for _, s := range summary {
		fmt.Fprintln(w, "- "+s)
	}
	return nil
}

func present(dir, layer string) []string {
	var out []string
	for _, s := range serverOrder {
		wrk, _ := filepath.Glob(filepath.Join(dir, "wrk-"+layer+"-"+s+"-c*.txt"))
		if _, err := os.Stat(filepath.Join(dir, "cold-"+layer+"-"+s+".tsv")); err == nil || len(wrk) > 0 {
			out = append(out, s)
		}
	}
	return out
}

func writeCold(w *bufio.Writer, servers []string, cold map[string][]coldRow) {
	fmt.Fprintln(w, "### Cold pass: latency p50 / p95 (ms) per zoom, mean gzip bytes per tile, features in the tile set")
	fmt.Fprintln(w)
	fmt.Fprint(w, "| z | tiles |")
	for _, s := range servers {
		fmt.Fprintf(w, " %s ms | %s B | %s feat |", s, s, s)
	}
	fmt.Fprint(w, "\n|---|---|")
	for range servers {
		fmt.Fprint(w, "---|---|---|")
	}
	fmt.Fprintln(w)
	for z := 0; z <= 14; z++ {
		n := 0
		row := ""
		for _, s := range servers {
			var ms []float64
			wire, feat := 0, 0
			for _, r := range cold[s] {
				if r.z == z {
					ms = append(ms, r.ms)
					wire += r.wire
					feat += r.features
				}
			}
			n = max(n, len(ms))
			if len(ms) == 0 {
				row += " | | |"
				continue
			}
			row += fmt.Sprintf(" %.2f / %.2f | %d | %d |", pct(ms, 50), pct(ms, 95), wire/len(ms), feat)
		}
		if n > 0 {
			fmt.Fprintf(w, "| %d | %d |%s\n", z, n, row)
		}
	}
	fmt.Fprint(w, "| all | |")
	for _, s := range servers {
		var ms []float64
		wire, feat, bad := 0, 0, 0
		sum := 0.0
		for _, r := range cold[s] {
			ms = append(ms, r.ms)
			sum += r.ms
			wire += r.wire
			feat += r.features
			if r.status != 200 && r.status != 204 {
				bad++
			}
		}
		if len(ms) == 0 {
			fmt.Fprint(w, " | | |")
			continue
		}
		extra := ""
		if bad > 0 {
			extra = fmt.Sprintf(", %d errors", bad)
		}
		fmt.Fprintf(w, " %.2f / %.2f (sum %.0f ms%s) | %d | %d |", pct(ms, 50), pct(ms, 95), sum, extra, wire/len(ms), feat)
	}
	fmt.Fprint(w, "\n\n")
}

var (
	reRPS   = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	reLat   = regexp.MustCompile(`(?m)^\s+(50|99)%\s+([0-9.]+)(us|ms|s)\s*$`)
	reNon2  = regexp.MustCompile(`Non-2xx or 3xx responses:\s+(\d+)`)
	reSock  = regexp.MustCompile(`Socket errors:.*`)
	reTotal = regexp.MustCompile(`(\d+) requests in`)
	reTrans = regexp.MustCompile(`Transfer/sec:\s+(\S+)`)
)

func writeWarm(w *bufio.Writer, dir, layer string, servers []string, cold map[string][]coldRow) []string {
	conns := []string{}
	for _, c := range []string{"1", "4", "8", "16", "32", "64", "128", "256"} {
		if m, _ := filepath.Glob(filepath.Join(dir, "wrk-"+layer+"-*-c"+c+".txt")); len(m) > 0 {
			conns = append(conns, c)
		}
	}
	fmt.Fprintln(w, "### Warm: wrk throughput and latency, peak RSS")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| server | concurrency | req/s | p50 ms | p99 ms | transfer/s | errors | peak RSS MB |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|")
	rps := map[string]map[string]float64{}
	for _, s := range servers {
		rps[s] = map[string]float64{}
		rss := rssText(filepath.Join(dir, "rss-"+layer+"-"+s+".txt"))
		for _, c := range conns {
			b, err := os.ReadFile(filepath.Join(dir, "wrk-"+layer+"-"+s+"-c"+c+".txt"))
			if err != nil {
				continue
			}
			t := string(b)
			r := 0.0
			if m := reRPS.FindStringSubmatch(t); m != nil {
				r, _ = strconv.ParseFloat(m[1], 64)
			}
			rps[s][c] = r
			lat := map[string]float64{}
			for _, m := range reLat.FindAllStringSubmatch(t, -1) {
				v, _ := strconv.ParseFloat(m[2], 64)
				switch m[3] {
				case "us":
					v /= 1000
				case "s":
					v *= 1000
				}
				lat[m[1]] = v
			}
			errs := []string{}
			if m := reNon2.FindStringSubmatch(t); m != nil {
				errs = append(errs, m[1]+" non-2xx")
			}
			if m := reSock.FindString(t); m != "" {
				errs = append(errs, strings.TrimSpace(strings.TrimPrefix(m, "Socket errors:")))
			}
			trans := ""
			if m := reTrans.FindStringSubmatch(t); m != nil {
				trans = m[1]
			}
			total := ""
			if m := reTotal.FindStringSubmatch(t); m != nil {
				total = m[1]
			}
			_ = total
			fmt.Fprintf(w, "| %s | %s | %.0f | %.2f | %.2f | %s | %s | %s |\n", serverLabel[s], c, r, lat["50"], lat["99"], trans, strings.Join(errs, "; "), rss)
		}
	}
	fmt.Fprintln(w)
	var out []string
	for _, c := range conns {
		seg := rps["segmap"][c]
		if seg == 0 {
			continue
		}
		parts := []string{}
		for _, s := range servers {
			if s != "segmap" && !strings.HasSuffix(s, "-nogzip") && rps[s][c] > 0 {
				parts = append(parts, fmt.Sprintf("%.2f× %s", seg/rps[s][c], s))
			}
		}
		out = append(out, fmt.Sprintf("`%s` c=%s: segmap %.0f req/s = %s", layer, c, seg, strings.Join(parts, ", ")))
		if ng := rps["segmap-nogzip"][c]; ng > 0 {
			line := fmt.Sprintf("`%s` c=%s, client without gzip: segmap %.0f req/s = %.2f× segmap with gzip", layer, c, ng, ng/seg)
			if p := rps["geojsonvt-nogzip"][c]; p > 0 {
				line += fmt.Sprintf(", %.2f× geojsonvt without gzip", ng/p)
			}
			out = append(out, line)
		}
	}
	return out
}

func rssText(path string) string {
	f := strings.Fields(strings.TrimSpace(string(must(os.ReadFile(path)))))
	if len(f) == 0 {
		return ""
	}
	kb, _ := strconv.Atoi(f[0])
	if len(f) >= 3 {
		pg, _ := strconv.Atoi(f[1])
		return fmt.Sprintf("%.0f (node) + %.0f (postgres, sum of %s processes)", float64(kb)/1024, float64(pg)/1024, f[2])
	}
	return fmt.Sprintf("%.0f", float64(kb)/1024)
}

func writeExport(w *bufio.Writer, dir string, layers [][]string) {
	fmt.Fprintln(w, "## Full pyramid z0–z14")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| layer | tool | wall s | peak RSS MB | output bytes | tiles |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	any := false
	for _, l := range layers {
		var rows [][]string
		for _, t := range []string{"segmap", "tippecanoe", "gdal", "geojsonvt"} {
			rows = append(rows, readTSV(filepath.Join(dir, "export-"+l[0]+"-"+t+".tsv"))...)
		}
		for _, r := range rows {
			if len(r) < 4 {
				continue
			}
			kb, _ := strconv.Atoi(r[2])
			tiles := ""
			if len(r) > 4 {
				tiles = r[4]
			}
			fmt.Fprintf(w, "| %s | %s | %s | %.0f | %s | %s |\n", l[0], r[0], r[1], float64(kb)/1024, r[3], tiles)
			any = true
		}
	}
	if !any {
		fmt.Fprintln(w, "| | no export results | | | | |")
	}
	fmt.Fprintln(w)
}

func readCold(path string) []coldRow {
	var out []coldRow
	for i, r := range readTSV(path) {
		if i == 0 || len(r) < 7 {
			continue
		}
		var c coldRow
		c.z, _ = strconv.Atoi(r[1])
		c.status, _ = strconv.Atoi(r[2])
		c.ms, _ = strconv.ParseFloat(r[3], 64)
		c.wire, _ = strconv.Atoi(r[4])
		c.mvt, _ = strconv.Atoi(r[5])
		c.features, _ = strconv.Atoi(r[6])
		out = append(out, c)
	}
	return out
}

func pct(v []float64, p float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	i := int(float64(len(s)-1)*p/100 + 0.5)
	return s[i]
}

func readLines(path string) []string {
	var out []string
	for _, l := range strings.Split(string(must(os.ReadFile(path))), "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, strings.TrimRight(l, "\r"))
		}
	}
	return out
}

func readTSV(path string) [][]string {
	var out [][]string
	for _, l := range readLines(path) {
		out = append(out, strings.Split(l, "\t"))
	}
	return out
}

func must(b []byte, _ error) []byte { return b }
