// Package api is segmap's HTTP layer: thin echo handlers over the service
// package, the vector tile endpoints, exports, the OpenAPI document and the
// embedded web client.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/segmap/segmap/internal/fault"
	"github.com/segmap/segmap/service"
	"github.com/segmap/segmap/service/datapage"
	"github.com/segmap/segmap/service/notes"
	"github.com/segmap/segmap/service/report"
	"github.com/segmap/segmap/service/sites"
)

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
	// Reports bound the Nulägesbilder built at once, queued and kept.
	Reports report.Options
	// DataPage stages and imports the data page's uploads; nil: a service
	// with the default limits over the store (its files are removed when
	// it expires them, not at exit: the caller that wants that passes its
	// own and closes it).
	DataPage *datapage.Service
}

// ImmutableCacheControl is sent for tiles whose ?v= is the current data version.
const ImmutableCacheControl = "public, max-age=31536000, immutable"

type server struct {
	svc   *service.Service
	sites *sites.Service // development sites: their caches and summary slots
	opts  Options
	log   *slog.Logger
	cors  corsPolicy // zero: no CORS headers
	// cacheControl is opts.CacheControl as a header value (writeAreaTile).
	cacheControl []string
	deploy       deployment
	titles       titleCache
	// pictures holds a slot per map picture being rendered (Limits.MaxPictures); nil: no limit.
	pictures chan struct{}
	reports  *report.Reporter
	notes    *notes.Service
	dataPage *datapage.Service
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
		cacheControl: []string{opts.CacheControl}, reports: report.New(svc, opts.Reports), notes: notes.New(svc), sites: sites.New(svc, sites.Options{})}
	s.dataPage = opts.DataPage
	if s.dataPage == nil {
		s.dataPage = datapage.New(svc.Store(), datapage.Options{AfterChange: ReloadAfterChange(svc)})
	}
	if opts.Limits.MaxPictures > 0 {
		s.pictures = make(chan struct{}, opts.Limits.MaxPictures)
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	// Cached area tiles are answered before routing and the middleware
	// chain (fastTile); everything else goes the long way.
	e.Pre(headAsGet, s.fastTile)
	e.Use(requestLog(s.log), recoverer(s.log), s.limits, newAdmission(opts.Limits).middleware)
	s.setupDeployment(e)
	if s.cors.mw != nil {
		e.Use(s.cors.mw)
	}
	// JSON under /api is gzipped; tiles carry their own pre-gzipped bytes and
	// downloads are left alone.
	routes := s.routeTable()
	e.Use(gzipJSON(selfEncodedPaths(routes)))
	s.register(e, routes)
	return e
}

// coreRoutes are the map and analysis routes (handlers.go, picture.go,
// embed.go, tilejson.go, tiles.go, openapi.go): see routes.go.
func (s *server) coreRoutes() []route {
	num := tNumNull()
	areaValue := object(obj{"id": tInt(), "code": tString(), "name": tString(), "kommun": tString(), "lan": tString(),
		"value": num, "numerator": num, "denominator": num, "suppressed": tBool(), "estimated": tBool()})
	tileParams := []obj{pathParam("layer", "Layer (level id)", tString()), pathParam("z", "Zoom", tInt()), pathParam("x", "Column", tInt()),
		pathParam("y", "Row (XYZ scheme)", tInt()), q("v", "Data version; when it is the current one the tile is cached as immutable", tInt())}
	return []route{
		{http.MethodGet, "/healthz", s.healthz, public, op("Liveness", nil, jsonResp("alive", object(obj{"status": tString()})))},
		{http.MethodGet, "/readyz", s.readyz, public, op("Readiness (store open)", nil, jsonResp("ready", object(obj{"status": tString()})))},
		{http.MethodGet, "/api/meta", s.meta, public, op("Levels, indicators, kommuner and defaults", nil, jsonResp("meta", ref("Meta")))},
		{http.MethodGet, "/api/areas/:level", s.areas, public, op("Areas of a level", []obj{pathParam("level", "Level id", tString()), q("kommun", "Comma-separated kommun codes", tString())},
			jsonResp("areas", object(obj{"level": tString(), "areas": arrayOf(object(obj{"id": tInt(), "code": tString(), "name": tString(), "kommun": tString(), "lan": tString(), "regso": tString()}))})))},
		{http.MethodGet, "/api/areas/:level/:code/profile", s.profile, public, encodedOnce(op("Profile of one area: every indicator and year beside its kommun, län and riket",
			[]obj{pathParam("level", "Level id", tString()), pathParam("code", "Area code", tString())},
			jsonResp("profile", object(obj{"area": object(obj{"id": tInt(), "code": tString(), "name": tString(), "level": tString(), "kommun": tString(), "kommun_name": tString(), "lan": tString(), "lan_name": tString(), "regso": tString(), "omradestyp": tInt()}),
				"indicators": arrayOf(object(obj{"indicator": ref("Indicator"), "series": arrayOf(object(obj{"year": tInt(), "breakdown": tString(), "value": num, "kommun": num, "lan": num, "riket": num, "suppressed": tBool(), "estimated": tBool()}))}))}))))},
		{http.MethodGet, "/api/values", s.values, public, encodedOnce(op("Values of one indicator, level and year. With format=compact the areas are parallel arrays (ids, codes, values, numerators, denominators, suppressed, estimated) instead of areas", append(valuesParams(), viewParams()...),
			jsonResp("values", object(obj{"indicator": ref("Indicator"), "level": tString(), "year": tInt(), "breakdown": tString(), "areas": arrayOf(areaValue),
				"format": enum("compact"), "ids": arrayOf(tInt()), "codes": arrayOf(tString()), "values": arrayOf(num), "numerators": arrayOf(num), "denominators": arrayOf(num),
				"suppressed": arrayOf(tBool()), "estimated": arrayOf(tBool()), "type_source": typeSourceSchema(), "series_geography": seriesGeographySchema(), "geography": obj{"type": "object", "description": "compact: the areas whose series breaks (DeSO 2025 splits), by code"}}))))},
		{http.MethodGet, "/api/classify", s.classify, public, encodedOnce(op("Classified values with legend and colours. Breaks, legend (with its counts) and summary are of the whole selection (kommun=, else every area of the level); bbox= and mapped= only choose which areas are listed. With format=compact the areas are parallel arrays: area i is ids[i], codes[i], values[i], classes[i] (0..k-1; -1 no data, -2 suppressed) and has its class's legend colour; names from /api/areas/{level}",
			append(classifyParams(), viewParams()...), jsonResp("classification", object(obj{
				"format": enum("compact"), "ids": arrayOf(tInt()), "codes": arrayOf(tString()), "values": arrayOf(num), "classes": arrayOf(tInt()),
				"method": tString(), "k": tInt(), "scheme": tString(), "breaks": arrayOf(tNumber()), "closure": tString(), "pooled": arrayOf(tInt()), "note": tString(), "notes": arrayOf(object(obj{"kind": tString(), "method": tString(), "k": tInt(), "n": tInt()})), "summary": ref("Summary"),
				"legend": arrayOf(object(obj{"label": tString(), "color": tString(), "count": tInt(), "min": num, "max": num, "kind": enum("class", "nodata", "suppressed")})),
				"areas":  arrayOf(object(obj{"id": tInt(), "code": tString(), "name": tString(), "value": num, "class": tInt(), "color": tString(), "suppressed": tBool()}))}))))},
		{http.MethodGet, "/api/omradestyper", s.omradestyper, public, op("Population per socio-economic area type (RegSO områdestyp): SCB's official types, or types computed by segmap with SCB's rule (mean of the shares of low economic standard, pre-upper-secondary education and unemployment; types by mean and SD over all RegSO); source says which", []obj{q("kommun", "Kommun codes, comma-separated; empty: all", tString()),
			q("source", "official, computed, or empty: official when the store has them, else computed", enum("official", "computed"))},
			jsonResp("types", object(obj{"year": tInt(), "source": enum("official", "computed"), "type_source": typeSourceSchema(),
				"types": arrayOf(object(obj{"type": tInt(), "label_sv": tString(), "label_en": tString(), "color": tString(), "regso_count": tInt(), "population": num, "population_share": num})),
				"areas": arrayOf(object(obj{"id": tInt(), "code": tString(), "name": tString(), "kommun": tString(), "type": tInt(), "population": num}))})))},
		{http.MethodGet, "/api/inequality", s.inequality, public, op("Ojämlikhetsindex (100 × dissimilarity of low vs high economic standard across DeSO) per kommun or län and year",
			[]obj{q("level", "kommun (default), lan, or riket (the whole country as one region)", enum("kommun", "lan", "riket")),
				q("kommun", "Comma-separated kommun codes: the index over all their DeSO together, as one region", tString())},
			jsonResp("rows", object(obj{"level": tString(), "definition": tString(), "rows": arrayOf(object(obj{"code": tString(), "name": tString(), "year": tInt(), "index": num, "deso_count": tInt()}))})))},
		{http.MethodGet, "/api/lisa", s.lisa, public, encodedOnce(op("Global and local Moran's I (queen contiguity, row-standardised; local p: esda's folded pseudo p-value)", append(valuesParams(),
			q("alpha", "Significance level; default 0.05", tNumber()), q("permutations", "Conditional permutations; default 999", tInt()),
			q("seed", "Random seed; default 1", tInt()), q("fdr", "Use the false discovery rate", tBool()), neighboursParam()),
			jsonResp("lisa", object(obj{"colors": object(obj{"HH": tString(), "LL": tString(), "HL": tString(), "LH": tString(), "ns": tString(), "island": tString(), "nodata": tString()}), "level": tString(), "year": tInt(), "neighbours": enum("snap", "queen"), "moran": object(obj{"i": num, "expected": num, "z": num, "p_norm": num, "p_sim": num}),
				"islands": arrayOf(tString()), "areas": arrayOf(object(obj{"id": tInt(), "code": tString(), "value": num, "ii": num, "z": num, "p": num,
					"cluster": enum("HH", "LL", "HL", "LH", "ns", "island", "nodata")}))}))))},
		{http.MethodGet, "/api/gistar", s.gistar, public, op("Getis-Ord Gi* hot spots (queen contiguity)", append(valuesParams(), neighboursParam()),
			jsonResp("gi*", object(obj{"level": tString(), "year": tInt(), "neighbours": enum("snap", "queen"), "areas": arrayOf(object(obj{"id": tInt(), "code": tString(), "value": num, "g": num, "z": num, "p": num}))})))},
		{http.MethodGet, "/api/segregation", s.segregation, public, op("Segregation indices of foreign-born vs Sweden-born across the DeSO of a kommun",
			[]obj{qReq("kommun", "Kommun code; several comma-separated: their DeSO together, as one region", tString()), q("year", "Year; default latest", tInt()), neighboursParam()},
			jsonResp("indices", object(obj{"kommun": tString(), "name": tString(), "level": tString(), "year": tInt(), "areas": tInt(), "groups": tString(), "neighbours": enum("snap", "queen"),
				"indices": object(obj{"dissimilarity": num, "isolation": num, "exposure": num, "theil": num, "gini": num, "morrill_d": num})})))},
		{http.MethodGet, "/api/correlation", s.correlation, public, op("Correlation of two indicators over areas", []obj{
			q("level", "Level; default deso", tString()), qReq("x", "Indicator id on the x axis", tString()), qReq("y", "Indicator id on the y axis", tString()),
			q("year", "Year; default x's latest", tInt()), q("kommun", "Comma-separated kommun codes", tString()),
			q("method", "pearson (default) or spearman", enum("pearson", "spearman")), q("weighted", "Weight Pearson's r by x's denominator", tBool())},
			jsonResp("correlation", object(obj{"r": num, "n": tInt(), "method": tString(), "year": tInt(), "points": arrayOf(object(obj{"code": tString(), "x": tNumber(), "y": tNumber()}))})))},
		{http.MethodGet, "/api/export.csv", s.exportCSV, public, op("CSV download (UTF-8 with BOM, ';' separated, decimal comma: opens in Swedish Excel)", classifyParams(), fileResp("CSV", "text/csv"))},
		{http.MethodGet, "/api/export.xlsx", s.exportXLSX, public, op("Excel download: sheet Data and sheet Metadata (source, definitions, classification, suppression)", classifyParams(), fileResp("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))},
		{http.MethodGet, "/api/export.geojson", s.exportGeoJSON, public, op("GeoJSON download (WGS 84)", classifyParams(), fileResp("GeoJSON", "application/geo+json"))},
		{http.MethodGet, "/api/openapi.json", s.openapi, public, op("This document", nil, jsonResp("OpenAPI 3.0", obj{"type": "object"}))},
		{http.MethodGet, "/api/map.png", s.mapPNG, public, op("Map picture (PNG) of the classify query: areas, kommun borders, title, legend, source, scale bar, north arrow", pictureParams(), fileResp("PNG", "image/png"))},
		{http.MethodGet, "/api/map.svg", s.mapSVG, public, op("Map picture (SVG) of the classify query, same layout as map.png", pictureParams(), fileResp("SVG", "image/svg+xml"))},
		{http.MethodGet, "/api/oembed", s.oembed, public, op("oEmbed 1.0 (type rich) for an /embed URL of this service; 404 for other URLs, 501 for format=xml", []obj{
			qReq("url", "The /embed URL", tString()), q("maxwidth", "Maximum iframe width", tInt()), q("maxheight", "Maximum iframe height", tInt()), q("format", "json only", enum("json", "xml"))},
			jsonResp("oEmbed", object(obj{"version": tString(), "type": tString(), "title": tString(), "provider_name": tString(), "provider_url": tString(), "html": tString(), "width": tInt(), "height": tInt(), "cache_age": tInt()})))},
		{http.MethodGet, "/tiles/:layer.json", s.tileJSON, public, op("TileJSON 3.0.0 of a layer. With indicator= (and the other classify parameters) its tiles are the tiles with values and vector_layers lists value, class and color",
			append([]obj{pathParam("layer", "Layer (level id)", tString())}, classifyTileParams()...), jsonResp("TileJSON", obj{"type": "object"}))},
		{http.MethodGet, "/tiles/:layer/:z/:x/:y.mvt", s.tile, public, op("Mapbox vector tile (gzip-encoded when accepted); feature id = area id, properties code and name; 204 when empty. With indicator= (and the other classify parameters) every feature also carries value, class and color, for clients that cannot join (QGIS, static exports)",
			append(tileParams, classifyTileParams()...), fileResp("MVT", MVTContentType))},
		{http.MethodGet, "/style.json", s.style, public, op("MapLibre style: DeSO coloured by the color property of the tiles with values of the classification (indicator= and the classify parameters; without indicator= the client's first view), kommun and län outlines; metadata[\"segmap:legend\"] is the legend (in lang)",
			classifyTileParams(), jsonResp("style", obj{"type": "object"}))},
	}
}

func (s *server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

func (s *server) readyz(c echo.Context) error {
	if err := s.svc.Ready(c.Request().Context()); err != nil {
		s.log.Warn("not ready", "err", err)
		return fault.Wrap(fault.Unavailable, err, "the store is not available").Sv("databasen är inte tillgänglig")
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}

// baseURL is PublicURL or the request's external base (see externalBase).
func (s *server) baseURL(c echo.Context) string { return s.externalBase(c) }

// ReloadAfterChange is datapage.Options.AfterChange for a server over svc:
// after a data page import the tile layers are reloaded, so /tiles and
// /api/meta follow the new data version at once.
func ReloadAfterChange(svc *service.Service) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		_, err := svc.Reload(ctx)
		return err
	}
}
