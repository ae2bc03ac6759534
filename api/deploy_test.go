package api_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/segmap/segmap/api"
	"github.com/segmap/segmap/internal/fault"
)

// serveFrom performs a GET whose direct peer is remote (ip:port).
func serveFrom(t *testing.T, e *echo.Echo, remote, target string, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	req.RemoteAddr = remote
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

// tileJSONBase returns the tiles URL template of the DeSO TileJSON, which
// is built on the external base URL.
func tileJSONBase(t *testing.T, e *echo.Echo, remote string, headers ...string) string {
	t.Helper()
	rec := serveFrom(t, e, remote, "/tiles/deso.json", headers...)
	if rec.Code != http.StatusOK {
		t.Fatalf("tilejson: status %d: %s", rec.Code, rec.Body.String())
	}
	var tj struct {
		Tiles []string `json:"tiles"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &tj); err != nil || len(tj.Tiles) == 0 {
		t.Fatalf("tilejson: %v %s", err, rec.Body.String())
	}
	return tj.Tiles[0]
}

func TestTrustedProxies(t *testing.T) {
	t.Parallel()
	e := api.New(testSvc, api.Options{TrustedProxies: []string{"10.1.0.0/16", "192.0.2.7"}})
	forwarded := []string{"X-Forwarded-Proto", "https", "X-Forwarded-Host", "karta.botkyrka.se", "X-Forwarded-Prefix", "/segmap/"}
	for _, tc := range []struct {
		name, remote string
		headers      []string
		want         string
	}{
		{"trusted CIDR", "10.1.2.3:5555", forwarded, "https://karta.botkyrka.se/segmap/tiles/deso/"},
		{"trusted single IP", "192.0.2.7:80", forwarded, "https://karta.botkyrka.se/segmap/tiles/deso/"},
		{"untrusted peer", "203.0.113.9:4444", forwarded, "http://example.com/tiles/deso/"},
		{"untrusted neighbour of trusted IP", "192.0.2.8:80", forwarded, "http://example.com/tiles/deso/"},
		{"untrusted private address", "10.2.0.1:80", forwarded, "http://example.com/tiles/deso/"},
		{"trusted, no headers", "10.1.2.3:5555", nil, "http://example.com/tiles/deso/"},
		{"trusted, first of a list", "10.1.2.3:5555", []string{"X-Forwarded-Proto", "https, http", "X-Forwarded-Host", "a.example.se, b.example.se"}, "https://a.example.se/tiles/deso/"},
		{"trusted, bad values ignored", "10.1.2.3:5555", []string{"X-Forwarded-Proto", "javascript", "X-Forwarded-Host", "evil.example/x", "X-Forwarded-Prefix", "//evil.example"}, "http://example.com/tiles/deso/"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tileJSONBase(t, e, tc.remote, tc.headers...)
			if !strings.HasPrefix(got, tc.want) {
				t.Errorf("tiles URL %q, want prefix %q", got, tc.want)
			}
		})
	}
	// Without trusted proxies nobody can change the base URL.
	plain := api.New(testSvc, api.Options{})
	if got := tileJSONBase(t, plain, "10.1.2.3:5555", forwarded...); !strings.HasPrefix(got, "http://example.com/tiles/") {
		t.Errorf("no trusted proxies: tiles URL %q", got)
	}
	// PublicURL wins over any header.
	pub := api.New(testSvc, api.Options{PublicURL: "https://statistik.example.se/karta", TrustedProxies: []string{"10.1.0.0/16"}})
	if got := tileJSONBase(t, pub, "10.1.2.3:5555", forwarded...); !strings.HasPrefix(got, "https://statistik.example.se/karta/tiles/") {
		t.Errorf("PublicURL: tiles URL %q", got)
	}
}

func TestClientIPFromTrustedProxyOnly(t *testing.T) {
	t.Parallel()
	e := api.New(testSvc, api.Options{TrustedProxies: []string{"10.1.0.0/16"}})
	ip := func(remote string) string {
		req := httptest.NewRequest(http.MethodGet, "/healthz", nil)
		req.RemoteAddr = remote
		req.Header.Set("X-Forwarded-For", "198.51.100.23")
		return e.NewContext(req, httptest.NewRecorder()).RealIP()
	}
	if got := ip("10.1.0.5:1"); got != "198.51.100.23" {
		t.Errorf("via trusted proxy: RealIP %q", got)
	}
	if got := ip("203.0.113.9:1"); got != "203.0.113.9" {
		t.Errorf("via untrusted peer: RealIP %q, want the peer", got)
	}
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		opts api.Options
		want string
	}{
		{"default", api.Options{}, "frame-ancestors 'self'"},
		{"allow-list", api.Options{FrameAncestors: []string{"'self'", "https://www.botkyrka.se", "https://*.huddinge.se"}},
			"frame-ancestors 'self' https://www.botkyrka.se https://*.huddinge.se"},
		{"invalid entry dropped", api.Options{FrameAncestors: []string{"https://ok.example.se", "x; script-src *"}},
			"frame-ancestors https://ok.example.se"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := api.New(testSvc, tc.opts)
			for _, p := range []string{"/", "/embed?indicator=low_econ_standard_pct"} {
				rec := serve(t, e, p)
				h := rec.Header()
				if got := h.Get("Content-Security-Policy"); got != api.PageCSP+"; "+tc.want {
					t.Errorf("%s: CSP %q, want %q", p, got, tc.want)
				}
				if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != api.ReferrerPolicy {
					t.Errorf("%s: nosniff %q, referrer %q", p, h.Get("X-Content-Type-Options"), h.Get("Referrer-Policy"))
				}
			}
			// Not on the JSON API.
			if got := serve(t, e, "/healthz").Header().Get("Content-Security-Policy"); got != "" {
				t.Errorf("/healthz has CSP %q", got)
			}
		})
	}
}

func TestCheckOptions(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		opts api.Options
		ok   bool
	}{
		{"zero", api.Options{}, true},
		{"good", api.Options{PublicURL: "https://karta.example.se/segmap", TrustedProxies: []string{"10.0.0.0/8", "::1", "192.0.2.1"},
			FrameAncestors: []string{"'self'", "https://www.example.se", "*.example.se", "https:"}}, true},
		{"bad proxy", api.Options{TrustedProxies: []string{"10.0.0.0/33"}}, false},
		{"proxy hostname", api.Options{TrustedProxies: []string{"proxy.local"}}, false},
		{"bad ancestor", api.Options{FrameAncestors: []string{"https://a.se; default-src *"}}, false},
		{"bad public URL", api.Options{PublicURL: "karta.example.se"}, false},
		{"public URL with query", api.Options{PublicURL: "https://karta.example.se/?a=1"}, false},
		{"raster basemap", api.Options{Basemap: "https://tile.openstreetmap.org/{z}/{x}/{y}.png"}, true},
		{"style basemap", api.Options{Basemap: "https://api.example.se/styles/topo/style.json?key=1"}, true},
		{"basemap without scheme", api.Options{Basemap: "tile.openstreetmap.org/{z}/{x}/{y}.png"}, false},
		{"basemap neither style nor template", api.Options{Basemap: "https://tile.openstreetmap.org/"}, false},
		{"basemap template missing y", api.Options{Basemap: "https://t.example.se/{z}/{x}.png"}, false},
	} {
		err := api.CheckOptions(tc.opts)
		if (err == nil) != tc.ok {
			t.Errorf("%s: err %v, want ok=%v", tc.name, err, tc.ok)
		}
		if err != nil && !errors.Is(err, api.ErrBadOptions) {
			t.Errorf("%s: %v does not wrap ErrBadOptions", tc.name, err)
		}
	}
}

// /api/meta tells the client the configured basemap, typed by its URL.
func TestMetaBasemap(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		url, attr, want string
	}{
		{"", "", ""},
		{"https://tile.openstreetmap.org/{z}/{x}/{y}.png", "© OpenStreetMap", "raster"},
		{"https://maps.example.se/style.json", "", "style"},
	} {
		e := api.New(testSvc, api.Options{Basemap: tc.url, BasemapAttribution: tc.attr})
		rec := serveFrom(t, e, "192.0.2.9:1234", "/api/meta")
		var m struct {
			Basemap *struct{ URL, Type, Attribution string } `json:"basemap"`
			Levels  []any                                    `json:"levels"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil || rec.Code != 200 {
			t.Fatalf("%s: %d %v", tc.url, rec.Code, err)
		}
		if len(m.Levels) == 0 {
			t.Errorf("%s: meta lost its levels", tc.url)
		}
		if tc.want == "" {
			if m.Basemap != nil {
				t.Errorf("no basemap configured, meta says %+v", m.Basemap)
			}
			continue
		}
		if m.Basemap == nil || m.Basemap.Type != tc.want || m.Basemap.URL != tc.url || m.Basemap.Attribution != tc.attr {
			t.Errorf("%s: basemap %+v, want type %s", tc.url, m.Basemap, tc.want)
		}
	}
}

// The page CSP lets the configured basemap load, and nothing more.
func TestPageCSPBasemap(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		basemap string
		want    []string
		not     []string
	}{
		{"", []string{"connect-src 'self';", "img-src 'self' data:"}, []string{"https:"}},
		{"https://tile.openstreetmap.org/{z}/{x}/{y}.png", []string{"connect-src 'self' https://tile.openstreetmap.org;", "img-src 'self' https://tile.openstreetmap.org data:"}, []string{" https: "}},
		{"https://maps.example.se/styles/topo/style.json", []string{"connect-src 'self' https://maps.example.se https:;", "img-src 'self' https://maps.example.se https: data:"}, nil},
	} {
		e := api.New(testSvc, api.Options{Basemap: tc.basemap})
		csp := serveFrom(t, e, "192.0.2.9:1234", "/").Header().Get("Content-Security-Policy")
		for _, w := range tc.want {
			if !strings.Contains(csp, w) {
				t.Errorf("basemap %q: CSP %q lacks %q", tc.basemap, csp, w)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(csp, n) {
				t.Errorf("basemap %q: CSP %q has %q", tc.basemap, csp, n)
			}
		}
	}
}

// A basemap URL goes into the pages' CSP header: anything but a plain
// http(s) host is refused, with what was expected, and New leaves a bad one
// out of the header.
func TestCheckBasemap(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		url  string
		want string // "" valid; else a part of the message
	}{
		{"", ""},
		{"https://tile.openstreetmap.org/{z}/{x}/{y}.png", ""},
		{"http://127.0.0.1:8081/{z}/{x}/{y}.png", ""},
		{"https://[2001:db8::1]:8443/styles/topo/style.json", ""},
		{"https://api.example.se/styles/topo/style.json?key=a;b", ""},
		{"https://tile.example.se;script-src;/{z}/{x}/{y}.png", `host "tile.example.se;script-src;"`},
		{"https://a.se,b.se/{z}/{x}/{y}.png", `host "a.se,b.se"`},
		{"https://a.se/{z}/{x}/{y}.png\r\nX-Evil: 1", "character '\\r'"},
		{"https://a.se/{z}/{x}/{y}.png 'unsafe-eval'", "character ' '"},
		{"https://user:pw@a.se/{z}/{x}/{y}.png", "user name or password"},
		{"javascript:alert(1)//{z}/{x}/{y}", "no http or https scheme"},
		{"https://-a.se/{z}/{x}/{y}.png", `host "-a.se"`},
		{"https://a.se/", "neither a raster tile template"},
	} {
		err := api.CheckBasemap(tc.url)
		if tc.want == "" {
			if err != nil {
				t.Errorf("%q: %v", tc.url, err)
			}
			continue
		}
		if err == nil || !errors.Is(err, fault.Invalid) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "expected an http(s) URL") {
			t.Errorf("%q: err %v, want fault.Invalid with %q and what was expected", tc.url, err, tc.want)
			continue
		}
		if err := api.CheckOptions(api.Options{Basemap: tc.url}); !errors.Is(err, api.ErrBadOptions) {
			t.Errorf("%q: CheckOptions %v", tc.url, err)
		}
		csp := serveFrom(t, api.New(testSvc, api.Options{Basemap: tc.url}), "192.0.2.9:1234", "/").Header().Get("Content-Security-Policy")
		if csp != serveFrom(t, testEcho, "192.0.2.9:1234", "/").Header().Get("Content-Security-Policy") {
			t.Errorf("%q: New put it into the CSP: %q", tc.url, csp)
		}
	}
}
