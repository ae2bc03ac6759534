// Package api is segmap's HTTP layer: thin echo handlers over the service
// package, the vector tile endpoints, exports, the OpenAPI document and the
// embedded web client.
package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/service"
	"github.com/segmap/segmap/tiles"
)

// RetryAfterBusy is the Retry-After (seconds) sent with 503 when every
// tile generation slot is taken (tiles.ErrBusy).
const RetryAfterBusy = "1"

// Options configure the HTTP server.
type Options struct {
	// Logger receives request errors; nil: discard.
	Logger *slog.Logger
	// PublicURL is the external base URL (scheme://host[/prefix]) used in
	// absolute URLs (TileJSON, style.json). "": taken from each request.
	PublicURL string
	// CacheControl is the Cache-Control of tiles requested without the
	// current ?v= data version. "": "public, max-age=300".
	CacheControl string
	// CORSOrigins lists origins allowed to call the API cross-origin
	// ("*" allows any). Empty: no CORS headers.
	CORSOrigins []string
	// TrustedProxies lists the IPs/CIDRs of reverse proxies whose
	// X-Forwarded-For/-Proto/-Host/-Prefix are believed. Empty: none.
	TrustedProxies []string
	// FrameAncestors is the CSP frame-ancestors allow-list of / and /embed
	// (e.g. https://www.botkyrka.se). Empty: 'self'.
	FrameAncestors []string
	// APIToken is the bearer token that create, change and delete requests
	// (site layers, area notes) must carry. Empty: such requests are refused.
	APIToken string
	// Basemap is drawn under the areas: a MapLibre style URL (ending in
	// .json) or a raster tile URL template with {z}/{x}/{y}. Empty: a plain
	// background with län and kommun outlines, which needs no internet.
	Basemap string
	// BasemapAttribution is shown on the map with the basemap, e.g.
	// "© OpenStreetMap contributors".
	BasemapAttribution string
	// PrivateReads requires the token to read kommun-made data (site layers,
	// area notes) as well.
	PrivateReads bool
	// SiteUploadMaxBytes caps a site-layer upload [DefaultSiteUploadMaxBytes].
	SiteUploadMaxBytes int64
	// SiteMaxExpandedBytes caps what a zipped upload may expand to [data.DefaultSiteMaxExpandedBytes].
	SiteMaxExpandedBytes int64
	// SiteMaxVertices caps the vertices of one uploaded site [data.DefaultSiteMaxVertices].
	SiteMaxVertices int
	// Limits bound body size, query size, permutations and time per
	// request (see Limits; zero values take the defaults).
	Limits Limits
}

// ImmutableCacheControl is sent for tiles whose ?v= is the current data version.
const ImmutableCacheControl = "public, max-age=31536000, immutable"

type server struct {
	svc  *service.Service
	opts Options
	log  *slog.Logger
	cors corsPolicy // zero: no CORS headers
	// cacheControl is opts.CacheControl as a header value (writeAreaTile).
	cacheControl []string
	deploy       deployment
	titles       titleCache
	// pictures holds a slot per map picture being rendered (Limits.MaxPictures); nil: no limit.
	pictures chan struct{}
}

// New returns an echo server with every route of the segmap HTTP API.
func New(svc *service.Service, opts Options) *echo.Echo {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.CacheControl == "" {
		opts.CacheControl = "public, max-age=300"
	}
	opts.PublicURL = strings.TrimRight(opts.PublicURL, "/")
	opts.Limits.defaults()
	s := &server{svc: svc, opts: opts, log: opts.Logger, cors: newCORS(opts.CORSOrigins),
		cacheControl: []string{opts.CacheControl}}
	if opts.Limits.MaxPictures > 0 {
		s.pictures = make(chan struct{}, opts.Limits.MaxPictures)
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	// Cached area tiles are answered before routing and the middleware
	// chain (fastTile); everything else goes the long way.
	e.Pre(headAsGet, s.fastTile)
	e.Use(requestLog(s.log), recoverer(s.log), s.limits)
	s.setupDeployment(e)
	if s.cors.mw != nil {
		e.Use(s.cors.mw)
	}
	// JSON under /api is gzipped; tiles carry their own pre-gzipped bytes and
	// downloads are left alone.
	e.Use(gzipJSON())
	s.routes(e)
	return e
}

func (s *server) routes(e *echo.Echo) {
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/api/meta", s.meta)
	e.GET("/api/areas/:level", s.areas)
	e.GET("/api/areas/:level/:code/profile", s.profile)
	e.GET("/api/values", s.values)
	e.GET("/api/classify", s.classify)
	e.GET("/api/omradestyper", s.omradestyper)
	e.GET("/api/inequality", s.inequality)
	e.GET("/api/lisa", s.lisa)
	e.GET("/api/gistar", s.gistar)
	e.GET("/api/segregation", s.segregation)
	e.GET("/api/correlation", s.correlation)
	e.GET("/api/export.csv", s.exportCSV)
	e.GET("/api/export.xlsx", s.exportXLSX)
	e.GET("/api/export.geojson", s.exportGeoJSON)
	e.GET("/api/openapi.json", s.openapi)
	e.GET("/api/map.png", s.mapPNG)
	e.GET("/api/map.svg", s.mapSVG)
	e.GET("/api/oembed", s.oembed)
	e.GET("/tiles/:layer.json", s.tileJSON)
	e.GET("/tiles/:layer/:z/:x/:y.mvt", s.tile)
	e.GET("/style.json", s.style)
	s.reportRoutes(e) // GET /report, /api/change, /api/areas/:level/:code/notes (+ POST, PATCH, DELETE)
	s.routesSites(e)
	registerWeb(e, s.pageHTML)
}

// errorBody is the JSON shape of every error.
type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// status maps an error to an HTTP status and a short code.
func status(err error) (int, string, string) {
	var he *echo.HTTPError
	var te *timeoutError
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &te):
		return http.StatusServiceUnavailable, "timeout", te.Error()
	case errors.Is(err, tiles.ErrBusy):
		return http.StatusServiceUnavailable, "busy", "the server is generating too many tiles right now; try again in a second"
	case errors.As(err, &mbe):
		return http.StatusRequestEntityTooLarge, "request_entity_too_large", bodyTooLarge(mbe.Limit).(*echo.HTTPError).Message.(string)
	case errors.Is(err, service.ErrBadRequest), errors.Is(err, data.ErrInvalid):
		return http.StatusBadRequest, "bad_request", service.Message(err)
	case errors.Is(err, service.ErrNotFound), errors.Is(err, data.ErrNotFound):
		return http.StatusNotFound, "not_found", service.Message(err)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, "unavailable", "the request was cancelled or timed out; try again"
	case errors.As(err, &he):
		msg := http.StatusText(he.Code)
		if m, ok := he.Message.(string); ok && m != "" {
			msg = m
		}
		code := strings.ToLower(strings.ReplaceAll(http.StatusText(he.Code), " ", "_"))
		return he.Code, code, msg
	}
	return http.StatusInternalServerError, "internal", "internal server error; the server log has details"
}

func (s *server) handleError(err error, c echo.Context) {
	if c.Response().Committed || errors.As(err, new(*clientClosedError)) {
		return // nobody to answer
	}
	st, code, msg := status(err)
	if st >= 500 {
		s.log.Error("request failed", "method", c.Request().Method, "path", c.Request().URL.Path, "err", err)
	}
	h := c.Response().Header()
	h.Del("Content-Encoding")
	h.Del("ETag")
	h.Set("Cache-Control", "no-store")
	if errors.Is(err, tiles.ErrBusy) {
		h.Set("Retry-After", RetryAfterBusy)
	}
	var b errorBody
	b.Error.Code, b.Error.Message = code, msg
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(st)
		return
	}
	if err := c.JSON(st, b); err != nil {
		s.log.Error("write error response", "err", err)
	}
}

func (s *server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

func (s *server) readyz(c echo.Context) error {
	if err := s.svc.Ready(c.Request().Context()); err != nil {
		s.log.Warn("not ready", "err", err)
		return echo.NewHTTPError(http.StatusServiceUnavailable, "store is not available")
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}

// baseURL is PublicURL or the request's external base (see externalBase).
func (s *server) baseURL(c echo.Context) string { return s.externalBase(c) }
