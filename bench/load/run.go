package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

type result struct {
	conc        int
	elapsed     time.Duration
	lat         []time.Duration
	okLat       []time.Duration // of 2xx and 304 answers only
	ok, notMod  int
	statuses    map[int]int // answers other than 2xx/304
	samples     []string    // a few of those requests, to reproduce them
	transport   int
	rssMax, hwm int64
}

func runLevel(ctx context.Context, client *http.Client, m *mix, conc int, o options) result {
	ctx, cancel := context.WithTimeout(ctx, o.duration)
	defer cancel()
	res := result{conc: conc, statuses: map[int]int{}}
	var mu sync.Mutex
	memDone := make(chan struct{})
	go func() { // sample the server's memory twice a second
		defer close(memDone)
		t := time.NewTicker(500 * time.Millisecond)
		defer t.Stop()
		for {
			if o.pid > 0 {
				if mem, err := readMem(o.pid); err == nil {
					res.rssMax, res.hwm = max(res.rssMax, mem.rss), mem.hwm
				}
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	start := time.Now()
	var wg sync.WaitGroup
	for w := range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(o.seed, uint64(conc)<<20|uint64(w)))
			etags := map[string]string{}
			var lat, okLat []time.Duration
			ok, notMod, transport := 0, 0, 0
			statuses := map[int]int{}
			for ctx.Err() == nil {
				u, inm := m.next(r, etags)
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
				req.Header.Set("Accept-Encoding", "gzip")
				if inm != "" {
					req.Header.Set("If-None-Match", inm)
				}
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					if ctx.Err() == nil {
						transport++
						mu.Lock()
						if len(res.samples) < 5 {
							res.samples = append(res.samples, fmt.Sprintf("transport error %s: %v", u, err))
						}
						mu.Unlock()
					}
					continue
				}
				_, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				d := time.Since(t0)
				if err != nil && ctx.Err() != nil {
					continue // cut off by the end of the level
				}
				lat = append(lat, d)
				switch {
				case resp.StatusCode == http.StatusNotModified:
					notMod++
					okLat = append(okLat, d)
				case resp.StatusCode >= 200 && resp.StatusCode < 300:
					ok++
					okLat = append(okLat, d)
					if tag := resp.Header.Get("ETag"); tag != "" && strings.Contains(u, "/tiles/") && len(etags) < 4096 {
						etags[u] = tag
					}
				default:
					statuses[resp.StatusCode]++
					mu.Lock()
					if len(res.samples) < 5 {
						res.samples = append(res.samples, fmt.Sprintf("%d %s", resp.StatusCode, u))
					}
					mu.Unlock()
				}
			}
			mu.Lock()
			defer mu.Unlock()
			res.lat = append(res.lat, lat...)
			res.okLat = append(res.okLat, okLat...)
			res.ok += ok
			res.notMod += notMod
			res.transport += transport
			for s, n := range statuses {
				res.statuses[s] += n
			}
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	<-memDone
	return res
}

func (r result) row() string {
	slices.Sort(r.lat)
	slices.Sort(r.okLat)
	quantile := func(lat []time.Duration, p float64) string {
		if len(lat) == 0 {
			return "-"
		}
		i := min(len(lat)-1, int(p*float64(len(lat))))
		return fmt.Sprintf("%.1f", float64(lat[i].Microseconds())/1000)
	}
	q := func(p float64) string { return quantile(r.lat, p) }
	other := 0
	for _, n := range r.statuses {
		other += n
	}
	mem := func(b int64) string {
		if b == 0 {
			return "-"
		}
		return strconv.FormatInt(b>>20, 10)
	}
	return fmt.Sprintf("| %d | %.0fs | %d | %.0f | %s | %s | %s | %s | %s | %d | %d | %d | %d | %d | %s | %s |",
		r.conc, r.elapsed.Seconds(), len(r.lat), float64(len(r.lat))/r.elapsed.Seconds(),
		q(0.5), q(0.9), q(0.99), q(1), quantile(r.okLat, 0.99), r.ok, r.notMod, other, r.statuses[http.StatusServiceUnavailable], r.transport, mem(r.rssMax), mem(r.hwm))
}

func (r result) statusSummary() string {
	var codes []int
	for c := range r.statuses {
		codes = append(codes, c)
	}
	sort.Ints(codes)
	var parts []string
	if r.transport > 0 {
		parts = append(parts, fmt.Sprintf("transport errors x%d", r.transport))
	}
	for _, c := range codes {
		parts = append(parts, fmt.Sprintf("%d x%d", c, r.statuses[c]))
	}
	return strings.Join(parts, ", ")
}

type memInfo struct{ rss, hwm int64 }

// readMem reads VmRSS and VmHWM (bytes) of a process from /proc.
func readMem(pid int) (memInfo, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return memInfo{}, err
	}
	defer f.Close()
	var m memInfo
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok || (k != "VmRSS" && k != "VmHWM") {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		if err != nil {
			return memInfo{}, fmt.Errorf("/proc/%d/status %s: %w", pid, k, err)
		}
		if k == "VmRSS" {
			m.rss = n << 10
		} else {
			m.hwm = n << 10
		}
	}
	return m, sc.Err()
}
