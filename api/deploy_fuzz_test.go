package api

import (
	"log/slog"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
)

// FuzzExternalBase: whatever a trusted proxy sends, the base URL stays an
// http(s) URL whose host and prefix cannot smuggle a path, query or quote.
func FuzzExternalBase(f *testing.F) {
	f.Add("https", "karta.example.se", "/segmap/")
	f.Add("javascript", "a/b", "//evil")
	f.Add("https, http", "[::1]:8080", "/a/b")
	f.Add("HTTP", "x\"y", "/a?b")
	s := &server{opts: Options{TrustedProxies: []string{"10.0.0.0/8"}}, log: slog.New(slog.DiscardHandler)}
	s.setupDeployment(echo.New())
	e := echo.New()
	f.Fuzz(func(t *testing.T, proto, host, prefix string) {
		req := httptest.NewRequest("GET", "/", nil)
		req.RemoteAddr = "10.0.0.1:1"
		req.Header.Set("X-Forwarded-Proto", proto)
		req.Header.Set("X-Forwarded-Host", host)
		req.Header.Set("X-Forwarded-Prefix", prefix)
		base := s.externalBase(e.NewContext(req, httptest.NewRecorder()))
		u, err := url.Parse(base)
		if err != nil {
			t.Fatalf("base %q: %v", base, err)
		}
		if (u.Scheme != "http" && u.Scheme != "https") || u.RawQuery != "" || u.Fragment != "" || u.User != nil ||
			strings.ContainsAny(base, "\"'<> \\") || strings.HasSuffix(base, "/") || strings.Contains(u.Path, "//") {
			t.Fatalf("unsafe base %q from %q %q %q", base, proto, host, prefix)
		}
	})
}

// FuzzEmbedTarget: an accepted URL is always on the base's scheme, host and
// prefix.
func FuzzEmbedTarget(f *testing.F) {
	f.Add("https://karta.example.se/segmap/embed?a=1")
	f.Add("https://karta.example.se/segmapx/embed")
	f.Add("https://user@karta.example.se/segmap/")
	f.Add("//karta.example.se/segmap/embed")
	const base = "https://karta.example.se/segmap"
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := embedTarget(base, raw)
		if err != nil {
			return
		}
		if !strings.EqualFold(u.Scheme, "https") || !strings.EqualFold(u.Host, "karta.example.se") || u.User != nil ||
			(u.Path != "/segmap" && u.Path != "/segmap/" && u.Path != "/segmap/embed") {
			t.Fatalf("accepted %q (%#v)", raw, u)
		}
	})
}

// FuzzParseProxies: parsing never panics and an accepted entry is a network.
func FuzzParseProxies(f *testing.F) {
	for _, s := range []string{"10.0.0.0/8", "::1", "192.0.2.1", "10.0.0.0/33", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ns, err := parseProxies([]string{s})
		if err == nil && strings.TrimSpace(s) != "" && (len(ns) != 1 || ns[0].IP == nil) {
			t.Fatalf("%q: %v", s, ns)
		}
	})
}
