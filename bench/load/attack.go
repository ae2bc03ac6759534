package main

// Attack mode (-idle, -slow): connections that do nothing, or ask and do
// not read, while /healthz is probed from another address on a new
// connection every 100 ms. Reports the probes, the server's open file
// descriptors and memory, and how many attack connections the server
// closed.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sync"
	"time"
)

type attackOptions struct {
	idle, slow, sources int
	slowPath            string
	duration            time.Duration
}

func attack(ctx context.Context, o options, a attackOptions) error {
	u, err := url.Parse(o.base)
	if err != nil {
		return err
	}
	addr := u.Host
	ctx, cancel := context.WithTimeout(ctx, a.duration)
	defer cancel()

	var probeMu sync.Mutex
	var probes []time.Duration
	failed := 0
	var probeErr error
	probeDone := make(chan struct{})
	go func() { // /healthz from 127.0.0.1, a new connection each time
		defer close(probeDone)
		client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for ctx.Err() == nil {
			t0 := time.Now()
			resp, err := client.Get(o.base + "/healthz")
			d := time.Since(t0)
			probeMu.Lock()
			if err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					err = fmt.Errorf("status %s", resp.Status)
				}
			}
			if err != nil {
				failed++
				probeErr = err
			} else {
				probes = append(probes, d)
			}
			probeMu.Unlock()
			select {
			case <-ctx.Done():
			case <-t.C:
			}
		}
	}()

	var fdMax, rssMax int64
	sample := func() {
		if o.pid <= 0 {
			return
		}
		if fds, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", o.pid)); err == nil {
			fdMax = max(fdMax, int64(len(fds)))
		}
		if m, err := readMem(o.pid); err == nil {
			rssMax = max(rssMax, m.rss)
		}
	}
	dial := func(i int) (net.Conn, error) {
		d := net.Dialer{Timeout: 5 * time.Second, LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 1, byte(1+i%a.sources))}}
		return d.DialContext(ctx, "tcp", addr)
	}
	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	dialErrs := 0
	start := time.Now()
	for i := range a.idle {
		if ctx.Err() != nil {
			break
		}
		c, err := dial(i)
		if err != nil {
			dialErrs++
			continue
		}
		conns = append(conns, c)
		if i%2 == 1 { // one request, then idle on keep-alive
			fmt.Fprintf(c, "GET /healthz HTTP/1.1\r\nHost: %s\r\n\r\n", addr)
		}
		if i%500 == 0 {
			sample()
		}
	}
	idleConns := len(conns)
	for i := range a.slow {
		if ctx.Err() != nil {
			break
		}
		c, err := dial(i)
		if err != nil {
			dialErrs++
			continue
		}
		conns = append(conns, c)
		fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\nAccept-Encoding: identity\r\n\r\n", a.slowPath, addr)
	}
	setup := time.Since(start)
	for ctx.Err() == nil {
		sample()
		select {
		case <-ctx.Done():
		case <-time.After(500 * time.Millisecond):
		}
	}
	<-probeDone
	closed := make([]bool, len(conns))
	var wg sync.WaitGroup
	next := make(chan int)
	for range 256 {
		wg.Go(func() {
			for i := range next {
				closed[i] = closedByPeer(conns[i])
			}
		})
	}
	for i := range conns {
		next <- i
	}
	close(next)
	wg.Wait()
	closedIdle, closedSlow := 0, 0
	for i, cl := range closed {
		switch {
		case cl && i < idleConns:
			closedIdle++
		case cl:
			closedSlow++
		}
	}
	slices.Sort(probes)
	q := func(p float64) string {
		if len(probes) == 0 {
			return "-"
		}
		return fmt.Sprintf("%.1f", float64(probes[min(len(probes)-1, int(p*float64(len(probes))))].Microseconds())/1000)
	}
	fmt.Printf("attack: %d idle/silent + %d slow-reader connections from %d addresses (127.0.1.x), opened in %.1fs, %d dial errors; slow path %s\n",
		idleConns, len(conns)-idleConns, a.sources, setup.Seconds(), dialErrs, a.slowPath)
	fmt.Printf("| duration | /healthz probes | failed | p50 ms | p99 ms | max ms | server fds max | VmRSS max MiB | idle closed by server | slow readers closed by server |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	fmt.Printf("| %.0fs | %d | %d | %s | %s | %s | %d | %d | %d of %d | %d of %d |\n", a.duration.Seconds(), len(probes)+failed, failed,
		q(0.5), q(0.99), q(1), fdMax, rssMax>>20, closedIdle, idleConns, closedSlow, len(conns)-idleConns)
	if failed > 0 {
		return fmt.Errorf("%d /healthz probes failed, last: %v", failed, probeErr)
	}
	return nil
}

// closedByPeer reports whether the server closed c: reading (and
// discarding whatever answer is waiting) ends in EOF or a reset.
func closedByPeer(c net.Conn) bool {
	buf := make([]byte, 64<<10)
	for {
		c.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
		_, err := c.Read(buf)
		if err == nil {
			continue
		}
		return !errors.Is(err, os.ErrDeadlineExceeded)
	}
}
