package api_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/segmap/segmap/api"
)

// guarded serves h on a loopback listener behind a ConnGuard.
// guarded serves h on a new listener guarded by lim; onState (optional)
// sees each connection state after the guard.
func guarded(t *testing.T, h http.Handler, lim api.ConnLimits, onState ...func(net.Conn, http.ConnState)) (*api.ConnGuard, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	g, err := api.GuardListener(ln, lim)
	if err != nil {
		t.Fatal(err)
	}
	connState := g.ConnState
	if len(onState) > 0 {
		connState = func(c net.Conn, s http.ConnState) {
			g.ConnState(c, s)
			onState[0](c, s)
		}
	}
	srv := &http.Server{Handler: h, ConnState: connState, ReadHeaderTimeout: time.Minute, IdleTimeout: time.Minute}
	go srv.Serve(g)
	t.Cleanup(func() { srv.Close() })
	return g, ln.Addr().String()
}

// getWithin GETs url on a new connection, failing the test when there is
// no answer within d.
func getWithin(t *testing.T, url string, d time.Duration) *http.Response {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("GET %s: no answer within %s: %v", url, d, err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(strings.NewReader(string(b)))
	return resp
}

// TestConnGuardEvictsWaiting: far more connections than the caps, idle
// after a request or silent since they opened, do not keep a new client
// out: /healthz answers within a second each time, the oldest waiting
// connections are closed, and the open ones stay within the cap.
func TestConnGuardEvictsWaiting(t *testing.T) {
	g, addr := guarded(t, testEcho, api.ConnLimits{MaxConns: 16, MaxConnsPerIP: 8})
	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for i := range 300 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatalf("dial %d: %v", i, err)
		}
		conns = append(conns, c)
		if i%2 == 0 { // one request, then idle on keep-alive
			io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil {
				t.Fatalf("request on connection %d: %v", i, err)
			}
			resp.Body.Close()
		}
	}
	for range 5 {
		if resp := getWithin(t, "http://"+addr+"/healthz", time.Second); resp.StatusCode != http.StatusOK {
			t.Fatalf("/healthz: %s", resp.Status)
		}
	}
	st := g.Stats()
	if st.Open > 8 || st.Evicted < 290 || st.Refused != 0 {
		t.Errorf("stats %+v: want at most 8 open, about 300 evicted, none refused", st)
	}
	// The first connections were closed by the server.
	conns[0].SetReadDeadline(time.Now().Add(time.Second))
	if n, err := conns[0].Read(make([]byte, 1)); err == nil {
		t.Errorf("the oldest connection is still open (read %d bytes)", n)
	}
}

// TestConnGuardRefusesWhenAllBusy: when every connection of a peer is busy
// with a request, a new one gets 503 + Retry-After with the error JSON —
// unless the peer is a trusted proxy, which the per-peer cap exempts.
func TestConnGuardRefusesWhenAllBusy(t *testing.T) {
	for _, tc := range []struct {
		name    string
		lim     api.ConnLimits
		refused bool
	}{
		{"per peer", api.ConnLimits{MaxConns: 100, MaxConnsPerIP: 2}, true},
		{"in all", api.ConnLimits{MaxConns: 2, MaxConnsPerIP: -1}, true},
		{"trusted proxy", api.ConnLimits{MaxConns: 100, MaxConnsPerIP: 2, TrustedProxies: []string{"127.0.0.0/8"}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := api.New(testSvc, api.Options{})
			entered, release := make(chan struct{}, 2), make(chan struct{})
			e.GET("/test/hold", func(c echo.Context) error {
				entered <- struct{}{}
				<-release
				return c.NoContent(http.StatusNoContent)
			})
			idle := make(chan struct{}, 16)
			g, addr := guarded(t, e, tc.lim, func(_ net.Conn, s http.ConnState) {
				if s == http.StateIdle {
					select {
					case idle <- struct{}{}:
					default:
					}
				}
			})
			done := make(chan int, 2)
			for range 2 {
				go func() {
					resp, err := http.Get("http://" + addr + "/test/hold")
					if err != nil {
						done <- 0
						return
					}
					resp.Body.Close()
					done <- resp.StatusCode
				}()
				<-entered
			}
			resp := getWithin(t, "http://"+addr+"/healthz", 2*time.Second)
			close(release)
			for range 2 {
				if code := <-done; code != http.StatusNoContent {
					t.Errorf("busy request: status %d", code)
				}
			}
			if !tc.refused {
				if resp.StatusCode != http.StatusOK || g.Stats().Refused != 0 {
					t.Errorf("status %s, stats %+v; want 200 and nothing refused", resp.Status, g.Stats())
				}
				return
			}
			var body struct {
				Error struct{ Code, Message string }
			}
			err := json.NewDecoder(resp.Body).Decode(&body)
			if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") != api.RetryAfterBusy || err != nil ||
				body.Error.Code != "busy" || !strings.Contains(body.Error.Message, "too many open connections") || !strings.Contains(body.Error.Message, "för många") {
				t.Errorf("status %s, Retry-After %q, body %+v (%v)", resp.Status, resp.Header.Get("Retry-After"), body, err)
			}
			if st := g.Stats(); st.Refused != 1 {
				t.Errorf("stats %+v, want 1 refused", st)
			}
			// Once the server has marked the answered connections idle
			// (just after the answers), they make room again.
			for range 2 {
				<-idle
			}
			if status := getWithin(t, "http://"+addr+"/healthz", 2*time.Second).Status; status != "200 OK" {
				t.Errorf("/healthz once the requests ended: %s", status)
			}
		})
	}
}

// BenchmarkConnGuardAccept measures a connection's way through the guard:
// dial, admission, one request, close.
func BenchmarkConnGuardAccept(b *testing.B) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	g, err := api.GuardListener(ln, api.ConnLimits{MaxConns: 64, MaxConnsPerIP: 32})
	if err != nil {
		b.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}), ConnState: g.ConnState}
	go srv.Serve(g)
	defer srv.Close()
	addr := ln.Addr().String()
	b.ReportAllocs()
	for b.Loop() {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			b.Fatal(err)
		}
		io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
		io.Copy(io.Discard, c)
		c.Close()
	}
}
