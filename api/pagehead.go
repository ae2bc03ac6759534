package api

import (
	"bytes"
	"html"
	"net/url"
	"regexp"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"
)

var (
	headEnd   = []byte("</head>")
	pageTitle = regexp.MustCompile(`<title>[^<]*</title>`)
)

// pageHTML adapts index.html to the request: the oEmbed discovery link
// (<link rel="alternate" type="application/json+oembed">) naming this
// page's public URL, so a CMS given the page's address finds the iframe
// snippet, and on /embed a <title> naming the map.
func (s *server) pageHTML(c echo.Context, page []byte) []byte {
	base := s.externalBase(c)
	path := "/"
	if c.Request().URL.Path == "/embed" {
		path = "/embed"
	}
	q := c.Request().URL.Query()
	target := base + path
	if enc := q.Encode(); enc != "" {
		target += "?" + enc
	}
	title := s.mapTitle(c, q)
	link := `<link rel="alternate" type="application/json+oembed" href="` +
		html.EscapeString(base+"/api/oembed?format=json&url="+url.QueryEscape(target)) +
		`" title="` + html.EscapeString(title) + `">` + "\n"
	out := make([]byte, 0, len(page)+len(link)+len(title))
	if i := bytes.Index(page, headEnd); i >= 0 {
		out = append(append(append(out, page[:i]...), link...), page[i:]...)
	} else {
		out = append(out, page...)
	}
	if path == "/embed" {
		out = pageTitle.ReplaceAll(out, []byte("<title>"+html.EscapeString(title+" – segmap")+"</title>"))
	}
	return out
}

// maxTitles bounds the title cache (queries come from anyone).
const maxTitles = 1000

// titleCache remembers map titles per data version: a title needs the
// indicator's years, a query of ~10 ms, on every page view otherwise.
type titleCache struct {
	mu      sync.Mutex
	version int64
	m       map[string]string
}

// mapTitle is embedTitle, cached per data version.
func (s *server) mapTitle(c echo.Context, q url.Values) string {
	ver, err := s.svc.Store().DataVersion(c.Request().Context())
	if err != nil {
		return s.embedTitle(c, q)
	}
	key := strings.Join([]string{q.Get("lang"), q.Get("mode"), q.Get("ind"), q.Get("indicator"), q.Get("year")}, "\x00")
	tc := &s.titles
	tc.mu.Lock()
	if tc.m == nil || tc.version != ver || len(tc.m) >= maxTitles {
		tc.version, tc.m = ver, map[string]string{}
	}
	t, ok := tc.m[key]
	tc.mu.Unlock()
	if ok {
		return t
	}
	t = s.embedTitle(c, q)
	if t == "segmap-karta" || t == "segmap map" {
		return t // a fallback (e.g. the store failed): not remembered
	}
	tc.mu.Lock()
	if tc.version == ver {
		tc.m[key] = t
	}
	tc.mu.Unlock()
	return t
}
