// Package sites holds segmap's development sites: planned developments
// uploaded as site layers, where they land socioeconomically (areas
// touched, area-weighted estimates inside the site and its buffers, the
// nearest RegSO of områdestyp 1 or 2) and what they do to the tenure mix,
// their vector tiles and their downloads. All geometry work is planar in
// SWEREF 99 TM (see spatial/overlay).
//
// A Service owns its caches (the areas and values prepared for overlay
// work, one tile engine per layer) and a pool of summary slots; it uses
// the analysis Service of package service for the store and the shared
// settings, never the other way round.
package sites

import (
	"context"
	"errors"
	"math"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/internal/fault"
	"github.com/segmap/segmap/service"
	"github.com/segmap/segmap/spatial/overlay"
	"github.com/segmap/segmap/spatial/proj"
)

// Options configure a Service. Zero values take the defaults in brackets.
type Options struct {
	// MaxSummaries is how many summaries (and their downloads) are
	// computed at once [GOMAXPROCS]: each is CPU-bound for up to the
	// request deadline.
	MaxSummaries int
	// SummaryWait is how long a summary waits for a free slot before it is
	// refused with an error of kind fault.Busy [2 s].
	SummaryWait time.Duration
}

// Service is the development-site use cases. It is safe for concurrent use.
type Service struct {
	svc   *service.Service
	store *data.Store
	conf  service.Options // indicator ids and tile zooms of the analysis service
	opts  Options
	slots chan struct{} // one token per running summary

	mu    sync.Mutex // guards cache
	cache *overlayCache
	tiles siteTiles
}

// New returns the development-site service over the analysis service svc.
func New(svc *service.Service, opts Options) *Service {
	if opts.MaxSummaries <= 0 {
		opts.MaxSummaries = runtime.GOMAXPROCS(0)
	}
	if opts.SummaryWait <= 0 {
		opts.SummaryWait = 2 * time.Second
	}
	return &Service{svc: svc, store: svc.Store(), conf: svc.Options(), opts: opts, slots: make(chan struct{}, opts.MaxSummaries)}
}

// ErrBusy is the kind of the error of a summary refused because every
// slot stayed taken for Options.SummaryWait.
var ErrBusy = fault.Sentinel("sites: every summary slot is taken", fault.Busy)

// acquire takes a summary slot, waiting at most SummaryWait (and never
// past ctx). The returned func gives the slot back.
func (s *Service) acquire(ctx context.Context) (func(), error) {
	select {
	case s.slots <- struct{}{}:
		return func() { <-s.slots }, nil
	default:
	}
	t := time.NewTimer(s.opts.SummaryWait)
	defer t.Stop()
	select {
	case s.slots <- struct{}{}:
		return func() { <-s.slots }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-t.C:
		return nil, fault.Wrap(fault.Busy, ErrBusy, "%d site summaries are being computed; try again in a few seconds", s.opts.MaxSummaries).
			Sv("%d sammanställningar av platser beräknas redan; försök igen om några sekunder", s.opts.MaxSummaries)
	}
}

// DefaultSiteBuffers are the catchment distances (metres) of a summary.
var defaultSiteBuffers = []float64{500, 1000}

// Limits of a summary request.
const (
	maxSiteBuffers = 5
	maxSiteBufferM = 5000
	// maxSummarySites caps the sites of one summary (each takes ~10 ms).
	maxSummarySites = 500
	siteBufferTolM  = overlay.DefaultTolerance
	siteSimplifyM   = overlay.DefaultTolerance // Douglas–Peucker tolerance of the buffered outline
)

// localOrigin is subtracted from SWEREF 99 TM coordinates before overlay
// work, so products stay small and exact (central Sweden).
var localOrigin = orb.Point{500000, 6500000}

// SiteMethodSV and SiteMethodEN state how the estimates are made.
const (
	SiteMethodSV = "Areal interpolation i SWEREF 99 TM: varje DeSO vägs med den andel av dess yta som ligger inom platsen eller bufferten. Antal (summor) = Σ andel × värde. Andelar och kvoter = Σ andel × täljare / Σ andel × nämnare (dvs. vägt med den täckta befolkningen, antagen jämnt fördelad över DeSO-ytan). Medelvärden vägs med andel × nämnare; medianer skattas inte. Buffertar är polygoner inom 0,5 m från den exakta cirkeln; platsens kontur förenklas först (Douglas–Peucker, tolerans 0,5 m) innan den buffras. Upplåtelseform: hela DeSO/RegSO som platsen berör, före och efter de planerade bostäderna."
	SiteMethodEN = "Areal interpolation in SWEREF 99 TM: each DeSO is weighted by the share of its area inside the site or buffer. Counts (sums) = Σ share × value. Shares and rates = Σ share × numerator / Σ share × denominator (i.e. weighted by the covered population, assumed spread evenly over the DeSO). Means are weighted by share × denominator; medians are not estimated. Buffers are polygons within 0.5 m of the exact circle; the site outline is first simplified (Douglas–Peucker, tolerance 0.5 m) before it is buffered. Tenure: the whole DeSO/RegSO the site touches, before and after the planned dwellings."
)

// SiteSummaryQuery selects a summary.
type SiteSummaryQuery struct {
	Layer   int64
	Site    int64     // 0: every site of the layer
	Buffers []float64 // metres; nil: 500 and 1000
	Lang    string    // sv | en
}

// SiteSummary is the overlay of every site of a layer.
type SiteSummary struct {
	Layer   data.SiteLayer `json:"layer"`
	Buffers []float64      `json:"buffers"`
	Method  string         `json:"method"`
	Sites   []SiteOverlay  `json:"sites"`
}

// SiteOverlay is one site's summary.
type SiteOverlay struct {
	ID          int64   `json:"id"`
	Name        string  `json:"name"`
	Kind        string  `json:"kind"` // polygon | point
	Dwellings   *int    `json:"dwellings"`
	Tenure      string  `json:"tenure"`
	TenureLabel string  `json:"tenure_label"`
	Year        *int    `json:"year"`
	AreaM2      float64 `json:"area_m2"`
	// Areas are the DeSO, RegSO and kommun the site touches (a point: the one containing it).
	Areas []TouchedArea `json:"areas"`
	// Zones are the site itself (polygons) and each buffer, with estimates.
	Zones []SiteZone `json:"zones"`
	// NearestType12 is the nearest RegSO of områdestyp 1 or 2 (nil: none
	// in the store, or it cannot be known: then NearestNote says why).
	NearestType12 *NearestArea `json:"nearest_type_1_2"`
	NearestNote   string       `json:"nearest_type_1_2_note,omitempty"`
	// TypeSource says which områdestyper the areas and the nearest area
	// use: SCB's official (which year) or computed (from which year's
	// shares); nil when the store has none.
	TypeSource *service.TypeSource `json:"type_source,omitempty"`
	TenureMix  []TenureMix         `json:"tenure_mix"`
	Notes      []string            `json:"notes,omitempty"`
}

// overlayArea is an area's boundary ready for overlay work.
type overlayArea struct {
	code, name string
	region     overlay.Region
	area       float64
}

// overlayCache keeps projected boundaries and DeSO values per data version.
type overlayCache struct {
	version int64
	areas   map[string][]overlayArea
	values  map[string]map[string]data.Value // indicator -> DeSO code -> latest total value
	years   map[string]int
	regso   map[string]int // RegSO code -> områdestyp (latest year)
	regsoY  int
	// typeSource says which types regso holds (nil: none).
	typeSource *service.TypeSource
	inds       []data.Indicator
	// tenure: level -> code -> dwellings rental, tenant-owned, owner-occupied
	// and all dwellings (incl. unknown tenure), of tenureY.
	tenure  map[string]map[string][4]float64
	tenureY int
}

func (s *Service) overlayData(ctx context.Context) (*overlayCache, error) {
	ver, err := s.store.DataVersion(ctx)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	c := s.cache
	s.mu.Unlock()
	if c != nil && c.version == ver {
		return c, nil
	}
	c = &overlayCache{version: ver, areas: map[string][]overlayArea{}, values: map[string]map[string]data.Value{}, years: map[string]int{}, regso: map[string]int{}}
	for _, level := range []string{data.LevelDeSO, data.LevelRegSO, data.LevelKommun} {
		as, err := s.store.Areas(ctx, level, data.AreasOptions{WithGeometry: true})
		if errors.Is(err, data.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		for _, a := range as {
			mp, ok := multiPolygon(a.Geometry)
			if !ok {
				continue
			}
			sw := project.Geometry(orb.Clone(mp), proj.WGS84ToSweref)
			// Normalize: dissolved RegSO/kommun rings may touch or cross
			// themselves; the even-odd interior is what the map shows.
			r := overlay.Normalize(overlay.FromMultiPolygon(toLocal(sw).(orb.MultiPolygon)))
			c.areas[level] = append(c.areas[level], overlayArea{code: a.Code, name: a.Name, region: r, area: r.Area()})
		}
	}
	inds, err := s.store.Indicators(ctx)
	if err != nil {
		return nil, err
	}
	for _, ind := range inds {
		if ind.ID == s.conf.OmradestypIndicator {
			continue // the types come from AreaTypes below
		}
		if ind.Aggregation == data.AggNone || len(ind.Years) == 0 {
			continue
		}
		// The DeSO's own latest year: a panel on RegSO may reach further.
		y := service.LatestYearAt(ind, data.LevelDeSO)
		vs, err := s.store.Values(ctx, data.ValuesQuery{Level: data.LevelDeSO, Indicator: ind.ID, Year: y})
		if err != nil {
			return nil, err
		}
		m := map[string]data.Value{}
		for _, v := range vs {
			if !v.Suppressed && finite(v.Value) {
				m[v.Code] = v
			}
		}
		if len(m) == 0 {
			continue
		}
		c.values[ind.ID], c.years[ind.ID] = m, y
		c.inds = append(c.inds, ind)
	}
	// The official types when the store has them, else computed ones.
	switch ts, types, err := s.svc.AreaTypes(ctx, ""); {
	case err == nil:
		c.regso, c.regsoY, c.typeSource = types, ts.Year, &ts
	case !errors.Is(err, fault.NotFound):
		return nil, err
	}
	if err := s.loadTenure(ctx, c); err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.cache = c
	s.mu.Unlock()
	return c, nil
}

// toLocal converts SWEREF 99 TM coordinates to the local frame (a copy).
func toLocal(g orb.Geometry) orb.Geometry {
	return project.Geometry(orb.Clone(g), func(p orb.Point) orb.Point { return orb.Point{p[0] - localOrigin[0], p[1] - localOrigin[1]} })
}

// SiteLayers lists the site layers.
func (s *Service) SiteLayers(ctx context.Context) ([]data.SiteLayer, error) {
	return s.store.SiteLayers(ctx)
}

// SiteLayer returns a layer and its sites.
func (s *Service) SiteLayer(ctx context.Context, id int64) (*data.SiteLayer, []data.Site, error) {
	l, err := s.store.SiteLayer(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	sites, err := s.store.Sites(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	return l, sites, nil
}

// ParseBuffers checks buffer distances (metres).
func ParseBuffers(ds []float64) ([]float64, error) {
	if len(ds) == 0 {
		return slices.Clone(defaultSiteBuffers), nil
	}
	if len(ds) > maxSiteBuffers {
		return nil, fault.New(fault.Invalid, "buffers: at most %d distances, got %d", maxSiteBuffers, len(ds)).
			Sv("buffers: högst %d avstånd, inte %d", maxSiteBuffers, len(ds))
	}
	out := slices.Clone(ds)
	for _, d := range out {
		if !(d > 0 && d <= maxSiteBufferM) {
			return nil, fault.New(fault.Invalid, "buffers: %g is not a distance between 1 and %d metres", d, maxSiteBufferM).
				Sv("buffers: %g är inte ett avstånd mellan 1 och %d meter", d, maxSiteBufferM)
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// SiteSummary overlays the sites of a layer on the areas and indicators.
// At most Options.MaxSummaries run at once; beyond that a summary waits
// Options.SummaryWait for a slot, then fails with an error of kind
// fault.Busy.
func (s *Service) SiteSummary(ctx context.Context, q SiteSummaryQuery) (*SiteSummary, error) {
	bufs, err := ParseBuffers(q.Buffers)
	if err != nil {
		return nil, err
	}
	release, err := s.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	l, sites, err := s.SiteLayer(ctx, q.Layer)
	if err != nil {
		return nil, err
	}
	c, err := s.overlayData(ctx)
	if err != nil {
		return nil, err
	}
	if q.Site == 0 && len(sites) > maxSummarySites {
		return nil, fault.New(fault.Invalid, "the layer has %d sites; a summary covers at most %d: ask for one site with site=<id>", len(sites), maxSummarySites).
			Sv("lagret har %d platser; en sammanställning omfattar högst %d: be om en plats i taget med site=<id>", len(sites), maxSummarySites)
	}
	out := &SiteSummary{Layer: *l, Buffers: bufs, Method: SiteMethodSV, Sites: []SiteOverlay{}}
	out.Layer.Localise(q.Lang)
	if q.Lang == "en" {
		out.Method = SiteMethodEN
	}
	found := q.Site == 0
	for _, st := range sites {
		if q.Site != 0 && st.ID != q.Site {
			continue
		}
		found = true
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		o, err := s.overlaySite(ctx, c, st, bufs, q.Lang)
		if err != nil {
			return nil, err
		}
		out.Sites = append(out.Sites, o)
	}
	if !found {
		return nil, fault.New(fault.NotFound, "no site %d in layer %d", q.Site, q.Layer).Sv("platsen %d finns inte i lager %d", q.Site, q.Layer)
	}
	return out, nil
}

// ImportSites validates and stores an uploaded site file as a new layer.
// On a read-only store it fails with an error of kind fault.ReadOnly.
func (s *Service) ImportSites(ctx context.Context, file string, body []byte, opts data.SiteOptions) (*data.SiteLayer, *data.SiteReport, error) {
	l, rep, err := s.store.ImportSites(ctx, file, body, opts)
	return l, rep, readOnly(err)
}

// RenameSiteLayer renames a layer.
func (s *Service) RenameSiteLayer(ctx context.Context, id int64, name string) error {
	return readOnly(s.store.RenameSiteLayer(ctx, id, name))
}

// DeleteSiteLayer deletes a layer and its sites.
func (s *Service) DeleteSiteLayer(ctx context.Context, id int64) error {
	err := s.store.DeleteSiteLayer(ctx, id)
	if err == nil {
		s.forgetTiles(id)
	}
	return readOnly(err)
}

// readOnly gives a write refused by a read-only store its message.
func readOnly(err error) error {
	if !errors.Is(err, fault.ReadOnly) {
		return err
	}
	return fault.Wrap(fault.ReadOnly, err, "the store is read-only; site layers cannot be uploaded, renamed or deleted on this server").
		Sv("databasen är skrivskyddad; lager med planerade bostäder kan inte laddas upp, döpas om eller tas bort på den här servern")
}

// Num is a number that is null in JSON when it is NaN or infinite.
type Num = service.Num

// multiPolygon is g's polygons (false: no polygon).
func multiPolygon(g orb.Geometry) (orb.MultiPolygon, bool) {
	switch t := g.(type) {
	case orb.MultiPolygon:
		return t, len(t) > 0
	case orb.Polygon:
		return orb.MultiPolygon{t}, len(t) > 0
	}
	return nil, false
}

var nan = math.NaN()

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
