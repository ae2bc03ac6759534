package api_test

import (
	"encoding/json"
	"encoding/xml"
	"html"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/segmap/segmap/api"
	"github.com/segmap/segmap/internal/locale"
	"github.com/segmap/segmap/service"
)

// classifyWithSummary is the /api/classify answer as a client reads it.
type classifyWithSummary struct {
	Indicator struct {
		NameSV   string `json:"name_sv"`
		NameEN   string `json:"name_en"`
		Decimals int    `json:"decimals"`
		Unit     string `json:"unit"`
	} `json:"indicator"`
	Year  int `json:"year"`
	Areas []struct {
		Code       string   `json:"code"`
		Value      *float64 `json:"value"`
		Suppressed bool     `json:"suppressed"`
	} `json:"areas"`
	Summary service.Summary `json:"summary"`
}

func TestClassifySummary(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		query, lang string
	}{
		{"level=deso&indicator=low_econ_standard_pct&kommun=0127", "sv"},
		{"level=deso&indicator=low_econ_standard_pct&kommun=0127&lang=en", "en"},
		{"level=regso&indicator=foreign_born_pct&kommun=0180,0114", "sv"},
		{"level=deso&indicator=net_income_mean_tkr&year=2024&method=fisher&k=4", "sv"},
		{"level=kommun&indicator=population&lang=en", "en"},
	} {
		t.Run(tc.query, func(t *testing.T) {
			var r classifyWithSummary
			getJSON(t, "/api/classify?"+tc.query, &r)
			s := r.Summary
			// Checked against the areas of the same answer.
			var hi, lo string
			hv, lv := math.Inf(-1), math.Inf(1)
			missing := 0
			for _, a := range r.Areas {
				if a.Value == nil {
					missing++
					continue
				}
				if v := *a.Value; v > hv || (v == hv && a.Code < hi) {
					hi, hv = a.Code, v
				}
				if v := *a.Value; v < lv || (v == lv && a.Code < lo) {
					lo, lv = a.Code, v
				}
			}
			if s.Areas != len(r.Areas) || s.Missing != missing || s.WithValue != len(r.Areas)-missing {
				t.Errorf("summary counts %d/%d/%d, answer has %d areas, %d without value", s.Areas, s.WithValue, s.Missing, len(r.Areas), missing)
			}
			if len(s.Highest) == 0 || s.Highest[0].Code != hi || s.Highest[0].Value != hv || s.Lowest[0].Code != lo || s.Lowest[0].Value != lv {
				t.Fatalf("highest %+v lowest %+v, want %s %v and %s %v", s.Highest, s.Lowest, hi, hv, lo, lv)
			}
			name := r.Indicator.NameSV
			if tc.lang == "en" {
				name = r.Indicator.NameEN
			}
			if !strings.HasPrefix(s.Text, name+" ") || !strings.Contains(s.Title, itoa(r.Year)) {
				t.Errorf("text %q does not start with %q and the year %d", s.Text, name, r.Year)
			}
			first := s.Highest[0].Label + " " + service.FormatValue(hv, r.Indicator.Decimals, r.Indicator.Unit, tc.lang)
			if !strings.Contains(s.Text, first) {
				t.Errorf("text %q lacks the highest area %q", s.Text, first)
			}
			if missing > 0 && tc.lang == "sv" && !strings.Contains(s.Text, locale.FormatNumber(float64(missing), 0, locale.SV)+" områden saknar uppgift") {
				t.Errorf("text %q does not count the %d areas without data", s.Text, missing)
			}
		})
	}
}

func TestMapSVGTitleDesc(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"sv", "en"} {
		q := "level=deso&indicator=foreign_born_pct&kommun=0127&width=400&height=300&lang=" + lang
		rec := get(t, "/api/map.svg?"+q)
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
		}
		var doc struct {
			XMLName        xml.Name `xml:"svg"`
			Role           string   `xml:"role,attr"`
			LabelledBy     string   `xml:"aria-labelledby,attr"`
			Title          string   `xml:"title"`
			Desc           string   `xml:"desc"`
			TitleID, DesID string
		}
		if err := xml.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		var r classifyWithSummary
		getJSON(t, "/api/classify?"+q, &r)
		if doc.Desc != r.Summary.Text || doc.Desc == "" {
			t.Errorf("%s: <desc> %q, want the summary %q", lang, doc.Desc, r.Summary.Text)
		}
		if doc.Role != "img" || doc.LabelledBy != "map-title map-desc" {
			t.Errorf("%s: role %q aria-labelledby %q", lang, doc.Role, doc.LabelledBy)
		}
		if !strings.HasPrefix(r.Summary.Text, doc.Title+" ") {
			t.Errorf("%s: title %q is not where the summary %q starts", lang, doc.Title, r.Summary.Text)
		}
	}
}

var (
	oembedLink = regexp.MustCompile(`<link rel="alternate" type="application/json\+oembed" href="([^"]+)" title="([^"]*)">`)
	titleTag   = regexp.MustCompile(`<title>([^<]*)</title>`)
)

// TestPageOEmbedDiscovery: the client and embed pages name their own
// public URL in the oEmbed discovery link, and that link answers.
func TestPageOEmbedDiscovery(t *testing.T) {
	t.Parallel()
	const state = "ind=foreign_born_pct&kommun=0127&year=2022"
	for _, tc := range []struct {
		name    string
		opts    api.Options
		path    string
		headers []string
		base    string // expected public base
	}{
		{"public url, embed", api.Options{PublicURL: "https://karta.example.se/segmap/"}, "/embed", nil, "https://karta.example.se/segmap"},
		{"public url, client", api.Options{PublicURL: "https://karta.example.se/segmap"}, "/", nil, "https://karta.example.se/segmap"},
		{"request host", api.Options{}, "/embed", nil, "http://example.com"},
		{"trusted proxy under a prefix", api.Options{TrustedProxies: []string{"192.0.2.0/24"}}, "/embed",
			[]string{"X-Forwarded-Proto", "https", "X-Forwarded-Host", "www.kommun.se", "X-Forwarded-Prefix", "/karta/"}, "https://www.kommun.se/karta"},
		{"untrusted peer's headers ignored", api.Options{TrustedProxies: []string{"10.0.0.1"}}, "/embed",
			[]string{"X-Forwarded-Proto", "https", "X-Forwarded-Host", "evil.example", "X-Forwarded-Prefix", "/x"}, "http://example.com"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := api.New(testSvc, tc.opts)
			rec := serve(t, e, tc.path+"?"+state, tc.headers...)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d", rec.Code)
			}
			body := rec.Body.String()
			m := oembedLink.FindStringSubmatch(body)
			if m == nil {
				t.Fatalf("no oEmbed link in %s", body[:min(len(body), 600)])
			}
			if i, j := strings.Index(body, m[0]), strings.Index(body, "</head>"); i < 0 || i > j {
				t.Error("the oEmbed link is not in <head>")
			}
			href, err := url.Parse(html.UnescapeString(m[1]))
			if err != nil {
				t.Fatal(err)
			}
			if got := href.Scheme + "://" + href.Host + strings.TrimSuffix(href.Path, "/api/oembed"); got != tc.base || !strings.HasSuffix(href.Path, "/api/oembed") {
				t.Errorf("oEmbed endpoint %s, want under %s", href, tc.base)
			}
			page, err := url.Parse(href.Query().Get("url"))
			if err != nil {
				t.Fatal(err)
			}
			want, _ := url.ParseQuery(state)
			if page.Scheme+"://"+page.Host+page.Path != tc.base+tc.path || page.Query().Encode() != want.Encode() {
				t.Errorf("oEmbed url %s, want %s%s?%s", page, tc.base, tc.path, state)
			}
			if m[2] != "Utrikes födda 2022" {
				t.Errorf("link title %q", m[2])
			}
			if tc.path == "/embed" {
				if tt := titleTag.FindStringSubmatch(body); tt == nil || tt[1] != "Utrikes födda 2022 – segmap" {
					t.Errorf("embed page <title> %v", tt)
				}
			}
			// The link answers (asked the way the CMS would, through the same proxy).
			local := strings.TrimPrefix(href.String(), tc.base)
			orec := serve(t, e, local, tc.headers...)
			if orec.Code != http.StatusOK {
				t.Fatalf("GET %s: %d %s", local, orec.Code, orec.Body.String())
			}
			var o api.OEmbed
			if err := json.Unmarshal(orec.Body.Bytes(), &o); err != nil {
				t.Fatal(err)
			}
			src := regexp.MustCompile(`src="([^"]+)"`).FindStringSubmatch(o.HTML)
			if src == nil {
				t.Fatalf("oEmbed html %q", o.HTML)
			}
			iframe, _ := url.Parse(html.UnescapeString(src[1]))
			if iframe.Scheme+"://"+iframe.Host+iframe.Path != tc.base+"/embed" || iframe.Query().Encode() != want.Encode() {
				t.Errorf("iframe src %s, want %s/embed?%s", iframe, tc.base, state)
			}
			if o.Title != "Utrikes födda 2022" {
				t.Errorf("oEmbed title %q", o.Title)
			}
		})
	}
}

// TestEmbedTitleDefaults: a map URL without indicator or year is titled
// after the default indicator's latest year, and an area-type map after
// the types.
func TestEmbedTitleDefaults(t *testing.T) {
	t.Parallel()
	ind, err := testStore.Indicator(t.Context(), testSvc.DefaultIndicator())
	if err != nil {
		t.Fatal(err)
	}
	latest := 0
	for _, y := range ind.Years {
		latest = max(latest, y)
	}
	for _, tc := range []struct{ query, want string }{
		{"", ind.NameSV + " " + itoa(latest)},
		{"lang=en", ind.NameEN + " " + itoa(latest)},
		{"ind=population&year=abc", "Folkmängd"},
		{"mode=typ", "Områdestyper"},
		{"mode=typ&lang=en", "Area types"},
	} {
		rec := get(t, "/embed?"+tc.query)
		tt := titleTag.FindStringSubmatch(rec.Body.String())
		if tt == nil || !strings.HasPrefix(tt[1], tc.want) {
			t.Errorf("/embed?%s: title %v, want it to start with %q", tc.query, tt, tc.want)
		}
	}
}

// BenchmarkEmbedPage: serving /embed (index.html with the oEmbed link and
// the map's title, one indicator lookup).
func BenchmarkEmbedPage(b *testing.B) {
	e := api.New(testSvc, api.Options{PublicURL: "https://karta.example.se/segmap"})
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, "/embed?ind=foreign_born_pct&kommun=0127&year=2022", nil)
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatal(rec.Code)
		}
	}
}
