package api_test

import (
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/segmap/segmap/api"
)

// FuzzPageHTML: whatever the query string and a trusted proxy's headers,
// the page gets one well-formed oEmbed link naming exactly the page's
// query, one <title>, and nothing else is injected into the HTML.
func FuzzPageHTML(f *testing.F) {
	f.Add("ind=foreign_born_pct&kommun=0127", "karta.example.se", "/segmap")
	f.Add(`ind="><script>alert(1)</script>`, "a\"b", "/x\"y")
	f.Add("ind=%3C%2Ftitle%3E&year=2022&lang=en", "[::1]:8080", "")
	f.Add("a=%zz&b=1;c=2&&=", "", "/")
	f.Add("mode=typ&lang=en&ind=</head>", "x", "/a/b/")
	e := api.New(testSvc, api.Options{TrustedProxies: []string{"192.0.2.0/24"}})
	srec := httptest.NewRecorder()
	e.ServeHTTP(srec, httptest.NewRequest(http.MethodGet, "/embed", nil))
	static := srec.Body.String()
	f.Fuzz(func(t *testing.T, raw, host, prefix string) {
		for _, path := range []string{"/embed", "/"} {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.URL.RawQuery = raw
			req.Header.Set("X-Forwarded-Host", host)
			req.Header.Set("X-Forwarded-Prefix", prefix)
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				t.Fatalf("%s?%q: status %d", path, raw, rec.Code)
			}
			body := rec.Body.String()
			for _, tag := range []string{"<script", "<title>", "</title>", "<link", "</head>", "<iframe"} {
				want := strings.Count(static, tag)
				if tag == "<link" && !strings.Contains(static, "json+oembed") {
					want++
				}
				if got := strings.Count(body, tag); got != want {
					t.Fatalf("%s?%q: %d %s, want %d:\n%s", path, raw, got, tag, want, body)
				}
			}
			m := oembedLink.FindAllStringSubmatch(body, -1)
			if len(m) != 1 || strings.Index(body, m[0][0]) > strings.Index(body, "</head>") {
				t.Fatalf("%s?%q: oEmbed links %q", path, raw, m)
			}
			href, err := url.Parse(html.UnescapeString(m[0][1]))
			if err != nil {
				t.Fatalf("%s?%q: href %q: %v", path, raw, m[0][1], err)
			}
			page, err := url.Parse(href.Query().Get("url"))
			if err != nil {
				t.Fatalf("%s?%q: url %q: %v", path, raw, href.Query().Get("url"), err)
			}
			if got, want := page.Query().Encode(), req.URL.Query().Encode(); got != want || !strings.HasSuffix(page.Path, path) {
				t.Fatalf("%s?%q: the link names %s, want the path %s and query %s", path, raw, page, path, want)
			}
		}
	})
}
