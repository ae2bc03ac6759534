package api

import (
	"cmp"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/segmap/segmap/internal/fault"
)

// Default size of the iframe an oEmbed answer proposes (CSS px).
const (
	oembedWidth  = 800
	oembedHeight = 600
)

// OEmbed is an oEmbed 1.0 "rich" response.
type OEmbed struct {
	Version      string `json:"version"`
	Type         string `json:"type"`
	Title        string `json:"title,omitempty"`
	ProviderName string `json:"provider_name"`
	ProviderURL  string `json:"provider_url"`
	HTML         string `json:"html"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	CacheAge     int    `json:"cache_age,omitempty"`
}

// oembed serves GET /api/oembed?url=<embed or map URL>&maxwidth=&maxheight=&format=json:
// an iframe of /embed with the URL's query. URLs outside the public base
// are 404, format=xml is 501 (oEmbed's answer for an unsupported format).
func (s *server) oembed(c echo.Context) error {
	if f := c.QueryParam("format"); f != "" && f != "json" {
		// 501 is oEmbed's answer for a format it does not serve.
		return echo.NewHTTPError(http.StatusNotImplemented).SetInternal(
			fault.New(fault.Invalid, "oEmbed format %q is not supported; use format=json", f).
				Sv("oEmbed-formatet %q stöds inte; använd format=json", f))
	}
	raw := c.QueryParam("url")
	if raw == "" {
		return bad("url is required (the /embed URL of a map)").Sv("url måste anges (en kartas /embed-adress)")
	}
	base := s.externalBase(c)
	target, err := embedTarget(base, raw)
	if err != nil {
		return err
	}
	maxW, err := queryInt(c, "maxwidth", 0)
	if err != nil {
		return err
	}
	maxH, err := queryInt(c, "maxheight", 0)
	if err != nil {
		return err
	}
	if maxW < 0 || maxH < 0 {
		return bad("maxwidth and maxheight must be positive, got %d and %d", maxW, maxH).
			Sv("maxwidth och maxheight måste vara positiva, inte %d och %d", maxW, maxH)
	}
	w, h := fitOEmbed(maxW, maxH)
	title := s.mapTitle(c, target.Query())
	src := base + "/embed"
	if enc := target.Query().Encode(); enc != "" {
		src += "?" + enc
	}
	snippet := fmt.Sprintf(`<iframe src="%s" width="%d" height="%d" title="%s" style="border:0;max-width:100%%" loading="lazy" allowfullscreen></iframe>`,
		html.EscapeString(src), w, h, html.EscapeString(title))
	return c.JSON(http.StatusOK, OEmbed{Version: "1.0", Type: "rich", Title: title, ProviderName: "segmap",
		ProviderURL: base + "/", HTML: snippet, Width: w, Height: h, CacheAge: 3600})
}

// embedTarget checks that raw is the embed page (or the map client) under
// base, same scheme, host and prefix, and returns it parsed.
func embedTarget(base, raw string) (*url.URL, error) {
	notUnder := fault.New(fault.NotFound, "%q is not a map of this service (expected %s/embed?...)", raw, base).
		Sv("%q är ingen karta från den här tjänsten (väntade %s/embed?...)", raw, base)
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() {
		return nil, notUnder
	}
	b, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("api: base URL %q: %w", base, err)
	}
	if !strings.EqualFold(u.Scheme, b.Scheme) || !strings.EqualFold(u.Host, b.Host) || u.User != nil {
		return nil, notUnder
	}
	switch strings.TrimPrefix(u.Path, b.Path) {
	case "/embed", "/", "":
		if u.Path != b.Path && !strings.HasPrefix(u.Path, b.Path+"/") {
			return nil, notUnder
		}
	default:
		return nil, notUnder
	}
	return u, nil
}

// embedTitle names the map after its indicator and year when known.
func (s *server) embedTitle(c echo.Context, q url.Values) string {
	en := q.Get("lang") == "en"
	title := "segmap-karta"
	if en {
		title = "segmap map"
	}
	if q.Get("mode") == "typ" {
		if en {
			return "Area types"
		}
		return "Områdestyper"
	}
	// The client's state calls the indicator "ind"; the API "indicator".
	id := cmp.Or(q.Get("ind"), q.Get("indicator"), s.svc.DefaultIndicator())
	if id == "" {
		return title
	}
	ind, err := s.svc.Store().Indicator(c.Request().Context(), id)
	if err != nil {
		return title
	}
	name := ind.NameSV
	if en && ind.NameEN != "" {
		name = ind.NameEN
	}
	y := q.Get("year")
	if _, err := strconv.Atoi(y); (err != nil || y == "") && len(ind.Years) > 0 {
		y = strconv.Itoa(slices.Max(ind.Years))
	}
	if y != "" {
		name += " " + y
	}
	return name
}

// fitOEmbed is the iframe size for the consumer's maxwidth/maxheight (0: no
// limit): the default 800 × 600 scaled down, keeping its 4:3 shape, to fit
// both limits.
func fitOEmbed(maxW, maxH int) (int, int) {
	w, h := oembedWidth, oembedHeight
	if maxW > 0 && w > maxW {
		w, h = maxW, maxW*oembedHeight/oembedWidth
	}
	if maxH > 0 && h > maxH {
		w, h = maxH*oembedWidth/oembedHeight, maxH
	}
	return max(w, 1), max(h, 1)
}
