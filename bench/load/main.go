// Command load replays a realistic segmap session mix against a running
// `segmap serve` (loopback only) at several concurrency levels, each for a
// bounded duration, and reports throughput, p50/p99 latency, answers other
// than 2xx/304 and the server's memory (VmRSS/VmHWM from /proc/<pid>/status).
//
//	go run . -url http://127.0.0.1:8080 -pid $(pgrep -n segmap) -c 16,64,256 -d 20s
//
// It is its own module (stdlib only) so it adds nothing to segmap's go.mod.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

type options struct {
	base        string
	pid         int
	levels      []int
	duration    time.Duration
	timeout     time.Duration
	seed        uint64
	allowRemote bool
}

func main() {
	var o options
	var conc string
	flag.StringVar(&o.base, "url", "http://127.0.0.1:8080", "base URL of the segmap server (loopback only unless -allow-remote)")
	flag.IntVar(&o.pid, "pid", 0, "pid of the server process, for VmRSS/VmHWM (0: not reported)")
	flag.StringVar(&conc, "c", "16,64,256", "comma-separated concurrency levels, run one after the other")
	flag.DurationVar(&o.duration, "d", 20*time.Second, "duration of each level (the issue's target is 60s)")
	flag.DurationVar(&o.timeout, "timeout", 30*time.Second, "per-request timeout")
	flag.Uint64Var(&o.seed, "seed", 1, "seed of the session mix")
	flag.BoolVar(&o.allowRemote, "allow-remote", false, "allow a non-loopback target")
	var a attackOptions
	flag.IntVar(&a.idle, "idle", 0, "attack mode: open this many connections that stay silent or idle after one request, instead of the session mix")
	flag.IntVar(&a.slow, "slow", 0, "attack mode: open this many connections that ask for -slow-path and never read the answer")
	flag.IntVar(&a.sources, "sources", 1, "attack mode: spread the attack over this many source addresses 127.0.1.1… (1..250)")
	flag.StringVar(&a.slowPath, "slow-path", "/api/export.geojson?level=deso&indicator=low_econ_standard_pct&year=2022", "attack mode: what the slow readers ask for")
	flag.DurationVar(&a.duration, "attack-d", 90*time.Second, "attack mode: how long to hold the connections and probe /healthz")
	flag.Parse()
	for _, s := range strings.Split(conc, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 || n > 4096 {
			fmt.Fprintf(os.Stderr, "load: bad concurrency %q (1..4096)\n", s)
			os.Exit(2)
		}
		o.levels = append(o.levels, n)
	}
	if o.duration <= 0 || o.duration > 10*time.Minute {
		fmt.Fprintln(os.Stderr, "load: -d must be in (0, 10m]")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if a.idle > 0 || a.slow > 0 {
		if a.sources < 1 || a.sources > 250 || a.duration <= 0 || a.duration > 10*time.Minute {
			fmt.Fprintln(os.Stderr, "load: -sources must be in 1..250 and -attack-d in (0, 10m]")
			os.Exit(2)
		}
		if u, err := url.Parse(o.base); err != nil || !isLoopback(u.Hostname()) {
			fmt.Fprintln(os.Stderr, "load: attack mode is for loopback targets only")
			os.Exit(2)
		}
		if err := attack(ctx, o, a); err != nil {
			fmt.Fprintln(os.Stderr, "load:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options) error {
	u, err := url.Parse(o.base)
	if err != nil {
		return fmt.Errorf("bad -url: %w", err)
	}
	if !o.allowRemote && !isLoopback(u.Hostname()) {
		return fmt.Errorf("-url %s is not loopback; pass -allow-remote to load another host", o.base)
	}
	maxC := 0
	for _, c := range o.levels {
		maxC = max(maxC, c)
	}
	client := &http.Client{
		Timeout: o.timeout,
		Transport: &http.Transport{
			MaxIdleConns: maxC, MaxIdleConnsPerHost: maxC, IdleConnTimeout: time.Minute,
			// At most one connection per worker: without this bound a worker
			// may dial while its last connection is still closing, and a
			// 257th connection from one address meets the server's per-IP cap
			// (--max-conns-per-ip 256), which closes the longest-idle one:
			// an EOF for the worker about to reuse it.
			MaxConnsPerHost:    maxC,
			DisableCompression: true, // we send Accept-Encoding: gzip ourselves, like a browser
		},
	}
	mix, err := discover(ctx, client, strings.TrimRight(o.base, "/"))
	if err != nil {
		return err
	}
	fmt.Printf("target %s, data version %d, %d indicators, %d profile areas, session mix: %s\n",
		o.base, mix.version, len(mix.indicators), len(mix.areas), mixSummary)
	if o.pid > 0 {
		m, err := readMem(o.pid)
		if err != nil {
			return err
		}
		fmt.Printf("server pid %d before: VmRSS %d MiB, VmHWM %d MiB\n", o.pid, m.rss>>20, m.hwm>>20)
	}
	fmt.Println()
	fmt.Println("| concurrency | duration | requests | req/s | p50 ms | p90 ms | p99 ms | max ms | p99 of 2xx/304 ms | 2xx | 304 | other (non-2xx/304) | of them 503 | transport errors | VmRSS max MiB | VmHWM MiB |")
	fmt.Println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	var errs []error
	for _, c := range o.levels {
		if ctx.Err() != nil {
			break
		}
		r := runLevel(ctx, client, mix, c, o)
		fmt.Println(r.row())
		if len(r.statuses) > 0 || r.transport > 0 {
			errs = append(errs, fmt.Errorf("c=%d: %s; e.g. %s", c, r.statusSummary(), strings.Join(r.samples, " | ")))
		}
	}
	if len(errs) > 0 {
		fmt.Println()
		for _, e := range errs {
			fmt.Println("answers other than 2xx/304:", e)
		}
		return errors.New("some requests were not answered with 2xx/304")
	}
	return nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
