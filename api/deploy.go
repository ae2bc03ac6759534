package api

// Deployment behind reverse proxies and inside other sites: the external
// base URL per request (X-Forwarded-* honoured only from trusted proxies),
// the client IP, and the security headers of the HTML pages.

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/segmap/segmap/internal/fault"
)

// ErrBadOptions is returned by CheckOptions, wrapped with details.
var ErrBadOptions = errors.New("api: bad options")

// defaultFrameAncestors is the frame-ancestors list when Options.FrameAncestors is empty.
var defaultFrameAncestors = []string{"'self'"}

// ReferrerPolicy is sent on the HTML pages.
const ReferrerPolicy = "strict-origin-when-cross-origin"

// PageCSP is the Content-Security-Policy of the HTML pages before
// frame-ancestors: scripts, styles, workers and data only from this
// origin (MapLibre's worker is a same-origin file; the client sets style
// attributes, hence 'unsafe-inline' for styles only; the one inline event
// handler, the controls form's onsubmit="return false", is allowed by its
// hash). connect-src adds the origin of Options.PublicURL when it is set.
const PageCSP = "default-src 'self'; script-src 'self' 'unsafe-hashes' 'sha256-GZIcz60Uwd6wT3vaYke/atSr53TehbYAPepOa3d03Vw='; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; child-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'"

var (
	forwardedHost   = regexp.MustCompile(`^[A-Za-z0-9.\-]+(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$`)
	forwardedPrefix = regexp.MustCompile(`^(/[A-Za-z0-9._~\-]+)*/?$`)
	frameSource     = regexp.MustCompile(`^('self'|'none'|\*|(https?://)?(\*\.)?[A-Za-z0-9.\-]+(:[0-9]{1,5}|:\*)?|https?:)$`)
)

// minTokenLen is the shortest API token accepted.
const minTokenLen = 16

// CheckOptions reports whether the deployment options are valid: every
// TrustedProxies entry an IP or CIDR, every FrameAncestors entry a CSP
// source ('self', 'none', *, or a scheme/host[:port] origin) and PublicURL
// an absolute http(s) URL. New skips invalid entries (logging them), so
// call this first to fail at startup instead. An API token must have at
// least minTokenLen characters.
func CheckOptions(opts Options) error {
	if _, err := parseProxies(opts.TrustedProxies); err != nil {
		return err
	}
	for _, f := range opts.FrameAncestors {
		if !frameSource.MatchString(f) {
			return fmt.Errorf("%w: frame ancestor %q is not a CSP source ('self', 'none', * or an origin like https://www.example.se)", ErrBadOptions, f)
		}
	}
	if t := opts.APIToken; t != "" && len(t) < minTokenLen {
		return fmt.Errorf("%w: the API token has %d characters; use at least %d random ones (e.g. openssl rand -hex 24)", ErrBadOptions, len(t), minTokenLen)
	}
	if err := CheckBasemap(opts.Basemap); err != nil {
		return fmt.Errorf("%w: basemap: %w", ErrBadOptions, err)
	}
	if opts.PrivateReads && opts.APIToken == "" {
		return fmt.Errorf("%w: private reads need an API token (--api-token)", ErrBadOptions)
	}
	if u := opts.PublicURL; u != "" && !regexp.MustCompile(`^https?://[^/?#\s]+(/[^?#\s]*)?$`).MatchString(u) {
		return fmt.Errorf("%w: public URL %q must be http(s)://host[/prefix] without query", ErrBadOptions, u)
	}
	return nil
}

// basemapHost is the host[:port] of a basemap URL: a DNS name or an IP
// address, nothing that could end a CSP source or a header.
var basemapHost = regexp.MustCompile(`^([A-Za-z0-9]([A-Za-z0-9\-]*[A-Za-z0-9])?\.)*[A-Za-z0-9]([A-Za-z0-9\-]*[A-Za-z0-9])?(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$`)

// basemapExpected says what a basemap URL should look like.
const basemapExpected = "expected an http(s) URL of a MapLibre style (…/style.json) or a raster tile template with {z}, {x} and {y}, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png"

// CheckBasemap reports whether b ("" for none) is a basemap URL that is
// safe to put into the pages' Content-Security-Policy: http or https, a
// plain host name or IP (optionally :port), no user info, and no
// whitespace, quotes, angle brackets or backslashes anywhere. The error is
// of kind fault.Invalid and says what was expected.
func CheckBasemap(b string) error {
	if b == "" {
		return nil
	}
	if i := strings.IndexFunc(b, func(r rune) bool {
		return r <= ' ' || r == 0x7f || strings.ContainsRune("\"'<>\\`", r) || unicode.IsSpace(r)
	}); i >= 0 {
		r, _ := utf8.DecodeRuneInString(b[i:])
		return fault.New(fault.Invalid, "%q has the character %q, which a URL here may not have; %s", b, r, basemapExpected)
	}
	u, err := url.Parse(b)
	if err != nil {
		return fault.New(fault.Invalid, "%q is not a URL (%v); %s", b, err, basemapExpected)
	}
	switch {
	case u.Scheme != "https" && u.Scheme != "http":
		return fault.New(fault.Invalid, "%q has no http or https scheme; %s", b, basemapExpected)
	case u.User != nil:
		return fault.New(fault.Invalid, "%q carries a user name or password, which every visitor would see; %s", b, basemapExpected)
	case !basemapHost.MatchString(u.Host):
		return fault.New(fault.Invalid, "the host %q of %q is not a host name or IP address (letters, digits, '.' and '-', optionally :port); %s", u.Host, b, basemapExpected)
	case !isRasterTemplate(b) && !strings.Contains(u.Path, ".json") && !strings.Contains(b, "style"):
		return fault.New(fault.Invalid, "%q is neither a raster tile template with {z}, {x} and {y} nor a style JSON URL; %s", b, basemapExpected)
	}
	return nil
}

// parseProxies reads IPs and CIDRs (a bare IP is a /32 or /128).
func parseProxies(list []string) ([]*net.IPNet, error) {
	var out []*net.IPNet
	for _, p := range list {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if !strings.Contains(p, "/") {
			ip := net.ParseIP(p)
			if ip == nil {
				return nil, fmt.Errorf("%w: trusted proxy %q is not an IP address or CIDR", ErrBadOptions, p)
			}
			bits := 128
			if ip4 := ip.To4(); ip4 != nil {
				ip, bits = ip4, 32
			}
			out = append(out, &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)})
			continue
		}
		_, n, err := net.ParseCIDR(p)
		if err != nil {
			return nil, fmt.Errorf("%w: trusted proxy %q is not an IP address or CIDR", ErrBadOptions, p)
		}
		out = append(out, n)
	}
	return out, nil
}

// deployment holds the parsed deployment options.
type deployment struct {
	proxies        []*net.IPNet
	frameAncestors string
}

// setupDeployment parses the deployment options, sets the client IP
// extractor and adds the security-header middleware.
func (s *server) setupDeployment(e *echo.Echo) {
	var good []string
	for _, p := range s.opts.TrustedProxies {
		if _, err := parseProxies([]string{p}); err != nil {
			s.log.Error("ignoring trusted proxy", "err", err)
			continue
		}
		good = append(good, p)
	}
	s.deploy.proxies, _ = parseProxies(good)
	var fa []string
	for _, f := range s.opts.FrameAncestors {
		if frameSource.MatchString(f) {
			fa = append(fa, f)
		} else {
			s.log.Error("ignoring frame ancestor", "value", f)
		}
	}
	if len(fa) == 0 {
		fa = defaultFrameAncestors
	}
	csp := PageCSP
	if u, err := url.Parse(s.opts.PublicURL); err == nil && s.opts.PublicURL != "" && u.Scheme != "" && u.Host != "" {
		csp = strings.Replace(csp, "connect-src 'self'", "connect-src 'self' "+u.Scheme+"://"+u.Host, 1)
	}
	if err := CheckBasemap(s.opts.Basemap); err != nil {
		s.log.Error("the basemap is left out of the pages' CSP", "err", err)
	}
	csp = allowBasemap(csp, s.opts.Basemap)
	s.deploy.frameAncestors = csp + "; frame-ancestors " + strings.Join(fa, " ")

	if len(s.deploy.proxies) == 0 {
		e.IPExtractor = echo.ExtractIPDirect()
	} else {
		trust := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
		for _, n := range s.deploy.proxies {
			trust = append(trust, echo.TrustIPRange(n))
		}
		e.IPExtractor = echo.ExtractIPFromXFFHeader(trust...)
	}
	e.Use(s.securityHeaders)
}

// htmlPage reports whether path is one of the HTML pages.
func htmlPage(path string) bool { return path == "/" || path == "/embed" }

// securityHeaders adds the CSP (PageCSP and frame-ancestors), nosniff and
// Referrer-Policy to the HTML pages.
func (s *server) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if htmlPage(c.Request().URL.Path) {
			h := c.Response().Header()
			h.Set("Content-Security-Policy", s.deploy.frameAncestors)
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("Referrer-Policy", ReferrerPolicy)
		}
		return next(c)
	}
}

// fromTrustedProxy reports whether the direct peer of r is a trusted proxy.
func (s *server) fromTrustedProxy(r *http.Request) bool {
	if len(s.deploy.proxies) == 0 {
		return false
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return false
	}
	for _, n := range s.deploy.proxies {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}

// firstHeader is the first comma-separated value of a header (the one the
// outermost proxy set), trimmed.
func firstHeader(r *http.Request, name string) string {
	v, _, _ := strings.Cut(r.Header.Get(name), ",")
	return strings.TrimSpace(v)
}

// externalBase is the external base URL of the service for this request,
// scheme://host[/prefix] without a trailing slash: Options.PublicURL when
// set; else the request's own scheme and Host, overridden by
// X-Forwarded-Proto, X-Forwarded-Host and X-Forwarded-Prefix only when the
// direct peer is one of Options.TrustedProxies.
func (s *server) externalBase(c echo.Context) string {
	if s.opts.PublicURL != "" {
		return s.opts.PublicURL
	}
	r := c.Request()
	scheme, host, prefix := "http", r.Host, ""
	if r.TLS != nil {
		scheme = "https"
	}
	if s.fromTrustedProxy(r) {
		if p := strings.ToLower(firstHeader(r, "X-Forwarded-Proto")); p == "http" || p == "https" {
			scheme = p
		}
		if h := firstHeader(r, "X-Forwarded-Host"); forwardedHost.MatchString(h) {
			host = h
		}
		if p := firstHeader(r, "X-Forwarded-Prefix"); p != "" && forwardedPrefix.MatchString(p) {
			prefix = strings.TrimRight(p, "/")
		}
	}
	if !forwardedHost.MatchString(host) {
		host = "localhost"
	}
	return scheme + "://" + host + prefix
}

// allowBasemap lets the pages load the configured basemap: a raster
// template's origin for connect-src and img-src (MapLibre fetches tiles and
// decodes them as images); for a style, its origin and any https: host,
// since a style names its own tile, glyph and sprite servers.
func allowBasemap(csp, basemap string) string {
	u, err := url.Parse(basemap)
	if basemap == "" || err != nil || CheckBasemap(basemap) != nil {
		return csp
	}
	src := u.Scheme + "://" + u.Host
	if !isRasterTemplate(basemap) && src != "https:" {
		src += " https:"
	}
	csp = strings.Replace(csp, "connect-src 'self'", "connect-src 'self' "+src, 1)
	return strings.Replace(csp, "img-src 'self'", "img-src 'self' "+src, 1)
}
