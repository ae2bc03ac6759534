package api

import (
	"bytes"
	"html"
	"net/url"
	"regexp"

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
	title := s.embedTitle(c, q)
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
