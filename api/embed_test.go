package api_test

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/segmap/segmap/api"
)

func TestOEmbed(t *testing.T) {
	t.Parallel()
	e := api.New(testSvc, api.Options{PublicURL: "https://karta.example.se/segmap"})
	embed := "https://karta.example.se/segmap/embed?level=deso&indicator=low_econ_standard_pct&year=2022&kommun=0127&lang=sv"
	src := regexp.MustCompile(`<iframe src="([^"]+)" width="(\d+)" height="(\d+)"`)
	for _, tc := range []struct {
		name, query string
		w, h        string
	}{
		{"default size", "", "800", "600"},
		{"max size keeps 4:3", "&maxwidth=500&maxheight=320", "426", "320"},
		{"max width only", "&maxwidth=300", "300", "225"},
		{"max larger than default", "&maxwidth=2000&maxheight=2000", "800", "600"},
		{"format json", "&format=json", "800", "600"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := serve(t, e, "/api/oembed?url="+url.QueryEscape(embed)+tc.query)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
			}
			var o api.OEmbed
			if err := json.Unmarshal(rec.Body.Bytes(), &o); err != nil {
				t.Fatal(err)
			}
			if o.Version != "1.0" || o.Type != "rich" || o.ProviderURL != "https://karta.example.se/segmap/" {
				t.Errorf("oEmbed %+v", o)
			}
			if !strings.HasPrefix(o.Title, "Låg ekonomisk standard") || !strings.Contains(o.Title, "2022") {
				t.Errorf("title %q", o.Title)
			}
			m := src.FindStringSubmatch(o.HTML)
			if m == nil {
				t.Fatalf("html %q has no iframe", o.HTML)
			}
			if m[2] != tc.w || m[3] != tc.h {
				t.Errorf("iframe %sx%s, want %sx%s", m[2], m[3], tc.w, tc.h)
			}
			if want := tc.w + "x" + tc.h; want != itoa(o.Width)+"x"+itoa(o.Height) {
				t.Errorf("width/height %d x %d, want %s", o.Width, o.Height, want)
			}
			u, err := url.Parse(html.UnescapeString(m[1]))
			if err != nil {
				t.Fatal(err)
			}
			want, _ := url.Parse(embed)
			if u.Scheme != "https" || u.Host != "karta.example.se" || u.Path != "/segmap/embed" {
				t.Errorf("iframe src %q", u)
			}
			if u.Query().Encode() != want.Query().Encode() {
				t.Errorf("iframe query %q, want %q", u.RawQuery, want.RawQuery)
			}
		})
	}
	// The map client's own URL embeds the same view.
	rec := serve(t, e, "/api/oembed?url="+url.QueryEscape("https://karta.example.se/segmap/?indicator=population"))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `/segmap/embed?indicator=population`) {
		t.Errorf("client URL: status %d: %s", rec.Code, rec.Body.String())
	}
	// A hostile query cannot break out of the attribute.
	rec = serve(t, e, "/api/oembed?url="+url.QueryEscape(`https://karta.example.se/segmap/embed?indicator="><script>alert(1)</script>`))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	var o api.OEmbed
	_ = json.Unmarshal(rec.Body.Bytes(), &o)
	if strings.Contains(o.HTML, "<script") || strings.Count(o.HTML, `"`) != 12 {
		t.Errorf("html not escaped: %s", o.HTML)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func TestOEmbedErrors(t *testing.T) {
	t.Parallel()
	e := api.New(testSvc, api.Options{PublicURL: "https://karta.example.se/segmap"})
	for _, tc := range []struct {
		name, target string
		status       int
	}{
		{"xml", "/api/oembed?format=xml&url=" + url.QueryEscape("https://karta.example.se/segmap/embed"), http.StatusNotImplemented},
		{"missing url", "/api/oembed", http.StatusBadRequest},
		{"other host", "/api/oembed?url=" + url.QueryEscape("https://evil.example/segmap/embed"), http.StatusNotFound},
		{"other scheme", "/api/oembed?url=" + url.QueryEscape("http://karta.example.se/segmap/embed"), http.StatusNotFound},
		{"outside prefix", "/api/oembed?url=" + url.QueryEscape("https://karta.example.se/embed"), http.StatusNotFound},
		{"prefix look-alike", "/api/oembed?url=" + url.QueryEscape("https://karta.example.se/segmapx/embed"), http.StatusNotFound},
		{"not the embed page", "/api/oembed?url=" + url.QueryEscape("https://karta.example.se/segmap/api/meta"), http.StatusNotFound},
		{"relative", "/api/oembed?url=" + url.QueryEscape("/segmap/embed"), http.StatusNotFound},
		{"bad maxwidth", "/api/oembed?maxwidth=wide&url=" + url.QueryEscape("https://karta.example.se/segmap/embed"), http.StatusBadRequest},
	} {
		rec := serve(t, e, tc.target)
		if rec.Code != tc.status {
			t.Errorf("%s: status %d, want %d: %s", tc.name, rec.Code, tc.status, rec.Body.String())
		}
	}
	// Without PublicURL the base is the request's: a trusted proxy's host counts.
	p := api.New(testSvc, api.Options{TrustedProxies: []string{"10.0.0.0/8"}})
	target := "/api/oembed?url=" + url.QueryEscape("https://karta.botkyrka.se/embed?indicator=population")
	hdr := []string{"X-Forwarded-Proto", "https", "X-Forwarded-Host", "karta.botkyrka.se"}
	if rec := serveFrom(t, p, "10.0.0.2:1", target, hdr...); rec.Code != http.StatusOK {
		t.Errorf("via trusted proxy: status %d: %s", rec.Code, rec.Body.String())
	}
	if rec := serveFrom(t, p, "203.0.113.1:1", target, hdr...); rec.Code != http.StatusNotFound {
		t.Errorf("via untrusted peer: status %d, want 404", rec.Code)
	}
}
