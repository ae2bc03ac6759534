package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/segmap/segmap/api"
	"github.com/segmap/segmap/service"
	"github.com/segmap/segmap/service/datapage"
	"github.com/segmap/segmap/spatial/disclosure"
	"github.com/segmap/segmap/tiles"
)

type serveConfig struct {
	disclosure   bool
	discGroup    int
	discCount    int
	addr         string
	store        string
	publicURL    string
	cacheMB      int
	cacheControl string
	cors         string
	proxies      string
	frames       string
	logFormat    string
	shutdown     time.Duration
	apiToken     string
	warmZoom     int
	prepareZoom  int
	basemap      string
	basemapAttr  string
	privateReads bool
	siteUploadMB int
	siteZipMB    int
	siteMaxVerts int
	maxGen       int
	genWait      time.Duration
	timeout      time.Duration
	maxBodyMB    int
	pprofAddr    string
	conn         connConfig
}

// connConfig is how the server treats connections and load: timeouts per
// connection, caps on connections, and the shedding of expensive work.
type connConfig struct {
	readHeaderTimeout time.Duration
	readTimeout       time.Duration
	writeTimeout      time.Duration
	idleTimeout       time.Duration
	transferTimeout   time.Duration
	maxConns          int
	maxConnsPerIP     int
	apiMaxConcurrent  int
	apiQueueWait      time.Duration
}

// connFlags adds the connection and load flags to fs.
func connFlags(fs *flag.FlagSet, c *connConfig) {
	fs.DurationVar(&c.readHeaderTimeout, "read-header-timeout", 10*time.Second, "how long a client may take to send a request's header")
	fs.DurationVar(&c.readTimeout, "read-timeout", time.Minute, "how long a client may take to send a whole request, body included (uploads: --transfer-timeout); must exceed --request-timeout")
	fs.DurationVar(&c.writeTimeout, "write-timeout", time.Minute, "from the end of a request's header to the last byte of its answer (tiles, JSON); a client that does not read is dropped after it; must exceed --request-timeout")
	fs.DurationVar(&c.idleTimeout, "idle-timeout", time.Minute, "how long a keep-alive connection may wait for its next request")
	fs.DurationVar(&c.transferTimeout, "transfer-timeout", api.DefaultTransferTimeout, "read and write time of downloads and uploads (exports, the report, map pictures, site layers), instead of --read-timeout and --write-timeout")
	fs.IntVar(&c.maxConns, "max-conns", api.DefaultMaxConns, "open connections; at the cap the longest-idle one is closed to make room, and when none is idle a new one gets 503; -1: no cap")
	fs.IntVar(&c.maxConnsPerIP, "max-conns-per-ip", api.DefaultMaxConnsPerIP, "open connections of one client address (--trusted-proxies are exempt), treated as --max-conns; -1: no cap")
	fs.IntVar(&c.apiMaxConcurrent, "api-max-concurrent", api.DefaultMaxConcurrent(runtime.GOMAXPROCS(0)), "expensive API requests (queries, statistics, exports, report, pictures) worked on at once; beyond it a request waits --api-queue-wait, then gets 503 + Retry-After; -1: no limit")
	fs.DurationVar(&c.apiQueueWait, "api-queue-wait", api.DefaultQueueWait, "how long an API request waits for one of --api-max-concurrent before 503")
}

// check reports the first bad connection setting, naming its flag;
// requestTimeout is --request-timeout (negative: none).
func (c connConfig) check(requestTimeout time.Duration) error {
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"read-header-timeout", c.readHeaderTimeout}, {"read-timeout", c.readTimeout}, {"write-timeout", c.writeTimeout},
		{"idle-timeout", c.idleTimeout}, {"transfer-timeout", c.transferTimeout}, {"api-queue-wait", c.apiQueueWait}} {
		if d.v <= 0 {
			return fmt.Errorf("--%s must be positive, got %s", d.name, d.v)
		}
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"read-timeout", c.readTimeout}, {"write-timeout", c.writeTimeout}} {
		if requestTimeout > 0 && d.v <= requestTimeout {
			return fmt.Errorf("--%s (%s) must exceed --request-timeout (%s), or a request that uses its time cannot be answered", d.name, d.v, requestTimeout)
		}
	}
	for _, n := range []struct {
		name string
		v    int
	}{{"max-conns", c.maxConns}, {"max-conns-per-ip", c.maxConnsPerIP}, {"api-max-concurrent", c.apiMaxConcurrent}} {
		if n.v == 0 || n.v < -1 {
			return fmt.Errorf("--%s must be positive or -1 (no limit), got %d", n.name, n.v)
		}
	}
	return nil
}

// httpServer is the HTTP server of h with the timeouts of c; guard (may be
// nil) learns which connections are idle.
func httpServer(h http.Handler, c connConfig, guard *api.ConnGuard) *http.Server {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: c.readHeaderTimeout, ReadTimeout: c.readTimeout,
		WriteTimeout: c.writeTimeout, IdleTimeout: c.idleTimeout}
	if guard != nil {
		srv.ConnState = guard.ConnState
	}
	return srv
}

func runServe(ctx context.Context, args []string, e env) error {
	var c serveConfig
	fs := newFlagSet("serve", "serve [flags]", e)
	fs.StringVar(&c.addr, "addr", ":8080", "address to listen on")
	fs.StringVar(&c.store, "store", "", "GeoPackage store to serve; empty: the embedded demo, built into the user cache folder on first start; a path that does not exist yet is created from the demo")
	fs.StringVar(&c.publicURL, "public-url", "", "public base URL of the service (for TileJSON and embed links), e.g. https://karta.kommun.se/segmap; empty: taken from each request")
	fs.IntVar(&c.cacheMB, "tile-cache-mb", 256, "memory budget of the tile cache in MiB")
	fs.StringVar(&c.cacheControl, "tile-cache-control", "public, max-age=3600", "Cache-Control of tiles requested without the current data version (?v=); versioned tile URLs are immutable")
	fs.StringVar(&c.cors, "cors-origins", "", "comma-separated origins allowed to call the API and tiles from a browser (e.g. https://www.kommun.se); empty: same origin only")
	fs.StringVar(&c.proxies, "trusted-proxies", "", "comma-separated IPs or CIDRs of reverse proxies whose X-Forwarded-For/-Proto/-Host/-Prefix are believed; empty: none")
	fs.StringVar(&c.frames, "frame-ancestors", "", "comma-separated origins allowed to embed the map in an iframe (CSP frame-ancestors), e.g. https://www.kommun.se; empty: same origin only")
	fs.StringVar(&c.logFormat, "log-format", "text", "log format: text or json")
	fs.IntVar(&c.warmZoom, "warm-max-zoom", 8, "after start and each reload, render the tiles of zooms 0 to this in the background so first visitors find them cached; -1: off")
	fs.IntVar(&c.prepareZoom, "prepare-max-zoom", 12, "after the warm-up, prepare each zoom above --warm-max-zoom up to this one (simplified geometry for the whole layer, by rendering one tile), so the first tile of a zoom is not slow; 0: off")
	fs.StringVar(&c.basemap, "basemap", "", "basemap under the areas: a MapLibre style URL (.json) or a raster tile template with {z}/{x}/{y}, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png; empty: a plain background with län and kommun outlines (no internet needed)")
	fs.StringVar(&c.basemapAttr, "basemap-attribution", "", "attribution shown with the basemap, e.g. \"© OpenStreetMap contributors\"")
	fs.StringVar(&c.apiToken, "api-token", "", "bearer token required to create, change or delete site layers and area notes; empty: those changes are refused. Prefer the environment variable to the command line")
	fs.BoolVar(&c.privateReads, "private-reads", false, "require the API token to read site layers and area notes too")
	fs.IntVar(&c.siteUploadMB, "site-upload-max-mb", 50, "size limit of a development-site upload in MiB (larger uploads get 413)")
	fs.IntVar(&c.siteZipMB, "site-zip-max-mb", 200, "what a zipped site upload may expand to, in MiB (zip bombs are refused)")
	fs.IntVar(&c.siteMaxVerts, "site-max-vertices", 20000, "vertices one uploaded site may have (more: simplify it first) [20000]")
	fs.DurationVar(&c.shutdown, "shutdown-timeout", 15*time.Second, "how long in-flight requests may take to finish on shutdown")
	fs.IntVar(&c.maxGen, "tile-max-generations", 2*runtime.GOMAXPROCS(0), "tiles rendered at once (cache misses); beyond it requests wait up to --tile-generation-wait, then get 503 + Retry-After; -1: no limit")
	fs.DurationVar(&c.genWait, "tile-generation-wait", 5*time.Second, "how long a tile waits for a free generation slot before 503")
	fs.DurationVar(&c.timeout, "request-timeout", api.DefaultRequestTimeout, "deadline of each request (store queries, waits for tiles); past it: 503; -1s: none")
	fs.IntVar(&c.maxBodyMB, "max-body-mb", api.DefaultMaxBodyBytes>>20, "largest request body accepted, in MiB (uploads); larger: 413")
	fs.BoolVar(&c.disclosure, "disclosure", false, "hide shares of small groups (SCB's small-count rule: a share is shown only when its denominator exceeds --disclosure-min-group and its numerator --disclosure-min-count), in the API, tiles, exports and the report")
	fs.IntVar(&c.discGroup, "disclosure-min-group", disclosure.Default().MinGroup, "with --disclosure: a share needs more persons than this in its group")
	fs.IntVar(&c.discCount, "disclosure-min-count", disclosure.Default().MinCount, "with --disclosure: a share needs more persons than this with the property")
	connFlags(fs, &c.conn)
	fs.StringVar(&c.pprofAddr, "pprof-addr", "", "serve Go's pprof profiles on this address (e.g. 127.0.0.1:6060; keep it private); empty: off")
	if err := parseFlags(fs, args, e); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if c.maxGen == 0 || c.maxBodyMB <= 0 || c.genWait <= 0 || c.timeout == 0 {
		return fmt.Errorf("--tile-max-generations must be positive or -1, --tile-generation-wait, --request-timeout and --max-body-mb positive")
	}
	if err := c.conn.check(c.timeout); err != nil {
		return err
	}
	if c.discGroup < 0 || c.discCount < 0 {
		return fmt.Errorf("--disclosure-min-group and --disclosure-min-count must be 0 or more, got %d and %d", c.discGroup, c.discCount)
	}
	if err := api.CheckBasemap(c.basemap); err != nil {
		return fmt.Errorf("--basemap: %w", err)
	}
	logger := newLogger(c.logFormat, e)
	apiOpts := api.Options{
		Logger:             logger,
		PublicURL:          strings.TrimRight(c.publicURL, "/"),
		CacheControl:       c.cacheControl,
		CORSOrigins:        splitList(c.cors),
		TrustedProxies:     splitList(c.proxies),
		FrameAncestors:     splitList(c.frames),
		APIToken:           c.apiToken,
		Basemap:            c.basemap,
		BasemapAttribution: c.basemapAttr,
		PrivateReads:       c.privateReads,
		// Development sites: upload and unzip limits.
		SiteUploadMaxBytes:   int64(c.siteUploadMB) << 20,
		SiteMaxExpandedBytes: int64(c.siteZipMB) << 20,
		SiteMaxVertices:      c.siteMaxVerts,
		Limits: api.Limits{MaxBodyBytes: int64(c.maxBodyMB) << 20, RequestTimeout: c.timeout,
			MaxConcurrent: c.conn.apiMaxConcurrent, QueueWait: c.conn.apiQueueWait, TransferTimeout: c.conn.transferTimeout},
	}
	if err := api.CheckOptions(apiOpts); err != nil {
		return err
	}

	path, err := storePath(ctx, c.store, logger)
	if err != nil {
		return err
	}
	store, err := openServeStore(ctx, path, logger)
	if err != nil {
		return err
	}
	defer store.Close()

	engine := tiles.New(tiles.Options{CacheBytes: int64(c.cacheMB) << 20, MaxGenerations: c.maxGen, GenerationWait: c.genWait})
	svcOpts := service.Options{Logger: logger}
	if c.disclosure {
		svcOpts.Disclosure = &disclosure.Rule{MinGroup: c.discGroup, MinCount: c.discCount}
	}
	svc := service.New(store, engine, svcOpts)
	version, err := svc.Reload(ctx)
	if err != nil {
		return fmt.Errorf("load %s: %w", path, err)
	}
	dataPage := datapage.New(store, datapage.Options{AfterChange: api.ReloadAfterChange(svc)})
	defer dataPage.Close() // running imports roll back; staged files are removed
	apiOpts.DataPage = dataPage
	srv := api.New(svc, apiOpts)

	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return err
	}
	guard, err := api.GuardListener(ln, api.ConnLimits{MaxConns: c.conn.maxConns, MaxConnsPerIP: c.conn.maxConnsPerIP, TrustedProxies: apiOpts.TrustedProxies})
	if err != nil {
		ln.Close()
		return err
	}
	if c.pprofAddr != "" {
		stopPprof, err := servePprof(c.pprofAddr, logger)
		if err != nil {
			return err
		}
		defer stopPprof()
	}
	logger.Info("segmap serving", "addr", ln.Addr().String(), "store", path, "data_version", version)
	warm := func() {
		if c.warmZoom < 0 {
			return
		}
		go func() {
			st, err := svc.Warm(ctx, service.WarmOptions{MaxZoom: c.warmZoom, PrepareMaxZoom: c.prepareZoom})
			if err != nil && ctx.Err() == nil {
				logger.Warn("tile warm-up stopped", "err", err)
				return
			}
			logger.Info("tiles warmed", "max_zoom", c.warmZoom, "prepared_to", c.prepareZoom, "tiles", st.Tiles, "duration", st.Duration.Round(time.Millisecond))
		}()
	}
	warm()
	var h http.Handler = srv
	if e.onRequest != nil {
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			e.onRequest(r)
			srv.ServeHTTP(w, r)
		})
	}
	httpSrv := httpServer(h, c.conn, guard)
	errc := make(chan error, 1)
	go func() { errc <- httpSrv.Serve(guard) }()

	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	for {
		select {
		case err := <-errc:
			if errors.Is(err, http.ErrServerClosed) {
				return nil
			}
			return err
		case <-hup:
			// Reload data (e.g. after 'segmap import' into the same store) without dropping requests.
			if v, err := svc.Reload(ctx); err != nil {
				logger.Error("reload failed; still serving the previous data", "err", err)
			} else {
				logger.Info("reloaded data", "data_version", v)
				warm()
			}
		case <-ctx.Done():
			logger.Info("shutting down", "timeout", c.shutdown)
			sctx, cancel := context.WithTimeout(context.Background(), c.shutdown)
			defer cancel()
			return httpSrv.Shutdown(sctx)
		}
	}
}

func newLogger(format string, e env) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(e.stderr, nil))
	}
	return slog.New(slog.NewTextHandler(e.stderr, nil))
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
