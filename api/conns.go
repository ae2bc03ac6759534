package api

// Connections: a cap on the open connections of the server, in all and
// per socket peer. Idle keep-alive connections and connections that have
// not sent a byte yet are what an attacker (or a crowd of browsers) piles
// up; at a cap the longest-waiting of those is closed to make room, so a
// new client — a health check, a planner — always gets in. Only when every
// connection is busy with a request is a new one refused, with a plain 503.

import (
	"bytes"
	"container/list"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// ConnLimits bound the connections of a server (see ConnGuard). A value
// ≤ 0 switches a cap off.
type ConnLimits struct {
	// MaxConns bounds the open connections. Default DefaultMaxConns.
	MaxConns int
	// MaxConnsPerIP bounds the open connections of one socket peer.
	// Peers in TrustedProxies are exempt: a reverse proxy carries many
	// clients, and the client address it reports (X-Forwarded-For) is not
	// known before a request is read. Default DefaultMaxConnsPerIP.
	MaxConnsPerIP int
	// TrustedProxies are IPs or CIDRs as in Options.TrustedProxies.
	TrustedProxies []string
}

// Default connection caps. 2 048 connections hold about 40 MiB of buffers
// and goroutine stacks at most; 256 per peer is some 40 browsers behind
// one address (a kommun office behind NAT), each opening up to 6.
const (
	DefaultMaxConns      = 2048
	DefaultMaxConnsPerIP = 256
)

// refusalConcurrency bounds the goroutines answering refused connections;
// beyond it a refused connection is closed without an answer.
const refusalConcurrency = 64

// refusalTime bounds how long answering a refused connection may take
// (mostly: waiting for the client's request, read and dropped so that the
// answer is not lost to a TCP reset).
const refusalTime = 300 * time.Millisecond

// refusalBody is the error JSON of a connection over a cap: no request
// has been read, so it speaks both languages.
const refusalBody = `{"error":{"code":"busy","message":"The server has too many open connections right now; try again in a moment. Servern har för många öppna anslutningar just nu; försök igen om en stund."}}`

// refusalResponse is the whole answer to a connection over a cap.
func refusalResponse() string {
	return "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; charset=UTF-8\r\nRetry-After: " + RetryAfterBusy +
		"\r\nCache-Control: no-store\r\nConnection: close\r\nContent-Length: " + fmt.Sprint(len(refusalBody)) + "\r\n\r\n" + refusalBody
}

// ConnGuard is a net.Listener enforcing ConnLimits. Serve an http.Server
// on it and set the server's ConnState to the guard's ConnState, which
// tells it which connections are idle.
type ConnGuard struct {
	net.Listener
	lim     ConnLimits
	proxies []*net.IPNet

	mu    sync.Mutex
	open  int
	idle  list.List // *guardConn, new or idle, longest waiting first
	peers map[string]*peerConns

	refusal  string // refusalResponse()
	refusing chan struct{}
	refused  atomic.Int64
	evicted  atomic.Int64
}

type peerConns struct {
	open int
	idle list.List // *guardConn of this peer, new or idle, longest waiting first
}

// GuardListener wraps ln. Zero caps take the defaults; a bad
// TrustedProxies entry is an error (as CheckOptions reports it).
func GuardListener(ln net.Listener, lim ConnLimits) (*ConnGuard, error) {
	proxies, err := parseProxies(lim.TrustedProxies)
	if err != nil {
		return nil, err
	}
	if lim.MaxConns == 0 {
		lim.MaxConns = DefaultMaxConns
	}
	if lim.MaxConnsPerIP == 0 {
		lim.MaxConnsPerIP = DefaultMaxConnsPerIP
	}
	return &ConnGuard{Listener: ln, lim: lim, proxies: proxies, peers: map[string]*peerConns{},
		refusal: refusalResponse(), refusing: make(chan struct{}, refusalConcurrency)}, nil
}

// ConnStats counts the guard's connections.
type ConnStats struct {
	Open    int   // open now
	Waiting int   // of them idle or not yet sending
	Evicted int64 // closed to make room, since the guard was made
	Refused int64 // refused with 503, since the guard was made
}

// Stats returns the current counts.
func (g *ConnGuard) Stats() ConnStats {
	g.mu.Lock()
	defer g.mu.Unlock()
	return ConnStats{Open: g.open, Waiting: g.idle.Len(), Evicted: g.evicted.Load(), Refused: g.refused.Load()}
}

// Accept returns the next connection within the caps, making room by
// closing waiting connections or refusing the new one.
func (g *ConnGuard) Accept() (net.Conn, error) {
	for {
		c, err := g.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if gc := g.admit(c); gc != nil {
			return gc, nil
		}
		g.refuse(c)
	}
}

// admit registers c, first closing the longest-waiting connection of its
// peer, then of the server, when a cap is reached. It returns nil when a
// cap is reached and no connection is waiting.
func (g *ConnGuard) admit(c net.Conn) *guardConn {
	ip := g.limitedPeer(c.RemoteAddr())
	for {
		g.mu.Lock()
		var victim *guardConn
		p := g.peers[ip]
		switch {
		case ip != "" && g.lim.MaxConnsPerIP > 0 && p != nil && p.open >= g.lim.MaxConnsPerIP:
			victim = g.oldest(&p.idle)
		case g.lim.MaxConns > 0 && g.open >= g.lim.MaxConns:
			victim = g.oldest(&g.idle)
		default:
			gc := &guardConn{Conn: c, g: g, ip: ip}
			g.open++
			if ip != "" {
				if p == nil {
					p = &peerConns{}
					g.peers[ip] = p
				}
				p.open++
			}
			g.waitingLocked(gc) // a new connection has sent nothing yet
			g.mu.Unlock()
			return gc
		}
		g.mu.Unlock()
		if victim == nil {
			return nil
		}
		g.evicted.Add(1)
		victim.Close()
	}
}

// oldest takes the longest-waiting connection off the waiting lists; nil
// when l is empty. Called with g.mu held.
func (g *ConnGuard) oldest(l *list.List) *guardConn {
	e := l.Front()
	if e == nil {
		return nil
	}
	gc := e.Value.(*guardConn)
	g.busyLocked(gc)
	return gc
}

// limitedPeer is the IP a per-peer cap applies to: "" for trusted proxies
// (and when there is no per-peer cap).
func (g *ConnGuard) limitedPeer(a net.Addr) string {
	if g.lim.MaxConnsPerIP <= 0 {
		return ""
	}
	var ip net.IP
	if ta, ok := a.(*net.TCPAddr); ok {
		ip = ta.IP
	} else if host, _, err := net.SplitHostPort(a.String()); err == nil {
		ip = net.ParseIP(host)
	}
	if ip == nil {
		return a.String()
	}
	for _, n := range g.proxies {
		if n.Contains(ip) {
			return ""
		}
	}
	return ip.String()
}

// refuse answers c with a 503 and closes it, in the background (bounded).
// The answer follows the client's request header (or refusalTime of
// silence): a client may drop an answer that arrives before its request
// was sent. What the client sends is drained before closing, so that the
// answer is not lost to a TCP reset.
func (g *ConnGuard) refuse(c net.Conn) {
	g.refused.Add(1)
	select {
	case g.refusing <- struct{}{}:
	default:
		c.Close()
		return
	}
	go func() {
		defer func() { <-g.refusing }()
		defer c.Close()
		_ = c.SetDeadline(time.Now().Add(refusalTime))
		readHeader(c)
		_ = c.SetDeadline(time.Now().Add(refusalTime))
		if _, err := io.WriteString(c, g.refusal); err != nil {
			return
		}
		if cw, ok := c.(interface{ CloseWrite() error }); ok {
			_ = cw.CloseWrite()
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(c, 64<<10))
	}()
}

// readHeader reads from c until the end of a request header, an error or
// 64 KiB.
func readHeader(c net.Conn) {
	buf := make([]byte, 0, 4<<10)
	for len(buf) < 64<<10 {
		if len(buf) == cap(buf) {
			buf = append(buf, make([]byte, len(buf))...)[:len(buf)]
		}
		n, err := c.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if bytes.Contains(buf, []byte("\r\n\r\n")) || err != nil {
			return
		}
	}
}

// ConnState is the http.Server ConnState hook: idle connections may be
// closed to make room, busy ones are left alone.
func (g *ConnGuard) ConnState(c net.Conn, s http.ConnState) {
	gc, ok := c.(*guardConn)
	if !ok {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if gc.closed {
		return
	}
	switch s {
	case http.StateNew, http.StateIdle:
		g.waitingLocked(gc)
	case http.StateActive, http.StateHijacked:
		g.busyLocked(gc)
	}
}

// waitingLocked puts gc at the end of the waiting lists (once).
func (g *ConnGuard) waitingLocked(gc *guardConn) {
	if gc.waiting != nil {
		return
	}
	gc.waiting = g.idle.PushBack(gc)
	if p := g.peers[gc.ip]; gc.ip != "" && p != nil {
		gc.peerWaiting = p.idle.PushBack(gc)
	}
}

// busyLocked takes gc off the waiting lists.
func (g *ConnGuard) busyLocked(gc *guardConn) {
	if gc.waiting == nil {
		return
	}
	g.idle.Remove(gc.waiting)
	gc.waiting = nil
	if gc.peerWaiting != nil {
		g.peers[gc.ip].idle.Remove(gc.peerWaiting)
		gc.peerWaiting = nil
	}
}

// release forgets gc when it closes.
func (g *ConnGuard) release(gc *guardConn) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.busyLocked(gc)
	gc.closed = true
	g.open--
	if gc.ip == "" {
		return
	}
	if p := g.peers[gc.ip]; p != nil {
		if p.open--; p.open <= 0 {
			delete(g.peers, gc.ip)
		}
	}
}

// guardConn is a connection counted by its guard until it closes.
type guardConn struct {
	net.Conn
	g    *ConnGuard
	ip   string // the peer a per-peer cap counts it under; "" none
	once sync.Once
	// Guarded by g.mu:
	waiting, peerWaiting *list.Element // non-nil while new or idle
	closed               bool
}

// Close closes the connection and releases its place (once).
func (c *guardConn) Close() error {
	c.once.Do(func() { c.g.release(c) })
	return c.Conn.Close()
}
