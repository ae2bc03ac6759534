package service

import (
	"context"
	"errors"
	"math"
	"slices"
	"sort"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/simplify"
	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/spatial/overlay"
	"github.com/segmap/segmap/spatial/proj"
)

// Development-site overlay: where a planned development lands
// socioeconomically and what it does to the tenure mix. All geometry work
// is planar in SWEREF 99 TM (see spatial/overlay).

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
	// NearestType12 is the nearest RegSO of områdestyp 1 or 2 (nil: none known).
	NearestType12 *NearestArea `json:"nearest_type_1_2"`
	TenureMix     []TenureMix  `json:"tenure_mix"`
	Notes         []string     `json:"notes,omitempty"`
}

// TouchedArea is one area a site touches.
type TouchedArea struct {
	Level       string  `json:"level"`
	Code        string  `json:"code"`
	Name        string  `json:"name"`
	OverlapM2   float64 `json:"overlap_m2"`
	ShareOfSite Num     `json:"share_of_site"` // 0..1; 1 for the area containing a point
	ShareOfArea Num     `json:"share_of_area"` // 0..1 of the area covered by the site
	Omradestyp  int     `json:"omradestyp,omitempty"`
	TypeLabel   string  `json:"omradestyp_label,omitempty"`
}

// SiteZone is the site or one buffer around it.
type SiteZone struct {
	Zone      string         `json:"zone"`       // "site" or "buffer"
	DistanceM float64        `json:"distance_m"` // 0 for the site
	AreaM2    float64        `json:"area_m2"`
	Covered   Num            `json:"covered"` // share of the zone inside DeSO with geometry
	DeSO      []ZoneArea     `json:"deso"`
	Estimates []SiteEstimate `json:"estimates"`
}

// ZoneArea is a DeSO and the share of it inside a zone.
type ZoneArea struct {
	Code   string `json:"code"`
	Weight Num    `json:"weight"` // share of the DeSO's area inside the zone
}

// SiteEstimate is an area-weighted estimate of one indicator in a zone.
type SiteEstimate struct {
	Indicator   string `json:"indicator"`
	Name        string `json:"name"`
	Unit        string `json:"unit"`
	Year        int    `json:"year"`
	Value       Num    `json:"value"`
	Numerator   Num    `json:"numerator,omitempty"`
	Denominator Num    `json:"denominator,omitempty"`
	Method      string `json:"method"`   // sum | ratio | weighted_mean | population_weighted
	Coverage    Num    `json:"coverage"` // share of the zone's DeSO weight that had a value
	Decimals    int    `json:"decimals"`
}

// NearestArea is the nearest RegSO of a type.
type NearestArea struct {
	Code      string  `json:"code"`
	Name      string  `json:"name"`
	Type      int     `json:"type"`
	TypeLabel string  `json:"type_label"`
	DistanceM float64 `json:"distance_m"` // 0 when the site touches it
	Year      int     `json:"year"`
}

// TenureMix is the dwelling split of the areas a site touches, before and
// after its planned dwellings.
type TenureMix struct {
	Level  string         `json:"level"` // deso | regso
	Codes  []string       `json:"codes"`
	Year   int            `json:"year"`
	Before TenureCounts   `json:"before"`
	After  *TenureCounts  `json:"after"` // nil when the site has no dwellings or tenure
	Change map[string]Num `json:"change_pp,omitempty"`
	Note   string         `json:"note,omitempty"`
}

// TenureCounts are dwellings by tenure and their shares of all dwellings.
type TenureCounts struct {
	Rental        Num `json:"rental"`
	TenantOwned   Num `json:"tenant_owned"`
	OwnerOccupied Num `json:"owner_occupied"`
	Unknown       Num `json:"unknown"`
	Total         Num `json:"total"`
	RentalShare   Num `json:"rental_share"`
	TenantShare   Num `json:"tenant_owned_share"`
	OwnerShare    Num `json:"owner_occupied_share"`
}

// Tenure indicators of the demo (SCB 000006OC): ratio indicators whose
// numerator is the number of dwellings and denominator all dwellings.
var tenureIndicators = [3]string{"dwellings_rental_pct", "dwellings_tenant_owned_pct", "dwellings_owner_occupied_pct"}

// TenureLabel is the Swedish or English name of a tenure id.
func TenureLabel(t, lang string) string {
	sv, en := map[string]string{data.TenureRental: "hyresrätt", data.TenureTenantOwned: "bostadsrätt", data.TenureOwnerOccupied: "äganderätt"},
		map[string]string{data.TenureRental: "rental", data.TenureTenantOwned: "tenant-owned", data.TenureOwnerOccupied: "owner-occupied"}
	if t == "" {
		if lang == "en" {
			return "unknown"
		}
		return "okänd"
	}
	if lang == "en" {
		return en[t]
	}
	return sv[t]
}

// overlayArea is an area's boundary ready for overlay work.
type overlayArea struct {
	code, name string
	region     overlay.Region
	area       float64
}

// siteCache keeps projected boundaries and DeSO values per data version.
type siteCache struct {
	mu      sync.Mutex
	version int64
	areas   map[string][]overlayArea
	values  map[string]map[string]data.Value // indicator -> DeSO code -> latest total value
	years   map[string]int
	regso   map[string]int // RegSO code -> områdestyp (latest year)
	regsoY  int
	inds    []data.Indicator
	// tenure: level -> code -> dwellings rental, tenant-owned, owner-occupied
	// and all dwellings (incl. unknown tenure), of tenureY.
	tenure  map[string]map[string][4]float64
	tenureY int
}

func (s *Service) siteData(ctx context.Context) (*siteCache, error) {
	ver, err := s.store.DataVersion(ctx)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	c := s.sites
	s.mu.Unlock()
	if c != nil && c.version == ver {
		return c, nil
	}
	c = &siteCache{version: ver, areas: map[string][]overlayArea{}, values: map[string]map[string]data.Value{}, years: map[string]int{}, regso: map[string]int{}}
	for _, level := range []string{data.LevelDeSO, data.LevelRegSO, data.LevelKommun} {
		as, err := s.store.Areas(ctx, level, data.AreasOptions{WithGeometry: true})
		if errors.Is(err, data.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		for _, a := range as {
			var mp orb.MultiPolygon
			switch g := a.Geometry.(type) {
			case orb.Polygon:
				mp = orb.MultiPolygon{g}
			case orb.MultiPolygon:
				mp = g
			default:
				continue
			}
			sw := proj.Apply(orb.Clone(mp), proj.WGS84ToSweref)
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
		if ind.ID == s.opts.OmradestypIndicator {
			if y := slices.Max(append([]int{0}, ind.Years...)); y > 0 {
				vs, err := s.store.Values(ctx, data.ValuesQuery{Level: data.LevelRegSO, Indicator: ind.ID, Year: y})
				if err != nil {
					return nil, err
				}
				for _, v := range vs {
					if finite(v.Value) {
						c.regso[v.Code] = int(v.Value)
					}
				}
				c.regsoY = y
			}
			continue
		}
		if ind.Aggregation == data.AggNone || len(ind.Years) == 0 {
			continue
		}
		y := slices.Max(ind.Years)
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
	if err := s.loadTenure(ctx, c); err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.sites = c
	s.mu.Unlock()
	return c, nil
}

// loadTenure reads the dwellings by tenure (numerators of the tenure share
// indicators; denominator = all dwellings) of DeSO and RegSO, latest year
// common to the three indicators. A store without them leaves c.tenure empty.
func (s *Service) loadTenure(ctx context.Context, c *siteCache) error {
	c.tenure = map[string]map[string][4]float64{}
	year := 0
	for i, id := range tenureIndicators {
		ind, err := s.store.Indicator(ctx, id)
		if errors.Is(err, data.ErrNotFound) || err == nil && len(ind.Years) == 0 {
			return nil
		}
		if err != nil {
			return err
		}
		y := slices.Max(ind.Years)
		if i == 0 || y < year {
			year = y
		}
	}
	for _, level := range []string{data.LevelDeSO, data.LevelRegSO} {
		m := map[string][4]float64{}
		for i, id := range tenureIndicators {
			vs, err := s.store.Values(ctx, data.ValuesQuery{Level: level, Indicator: id, Year: year})
			if err != nil {
				return err
			}
			for _, v := range vs {
				if !finite(v.Numerator) || !finite(v.Denominator) {
					continue
				}
				row, ok := m[v.Code]
				if !ok {
					row = [4]float64{nan, nan, nan, nan}
				}
				row[i], row[3] = v.Numerator, v.Denominator
				m[v.Code] = row
			}
		}
		c.tenure[level] = m
	}
	c.tenureY = year
	return nil
}

// toLocal converts SWEREF 99 TM coordinates to the local frame (a copy).
func toLocal(g orb.Geometry) orb.Geometry {
	return proj.Apply(orb.Clone(g), func(p orb.Point) orb.Point { return orb.Point{p[0] - localOrigin[0], p[1] - localOrigin[1]} })
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
		return nil, badRequest("buffers: at most %d distances, got %d", maxSiteBuffers, len(ds))
	}
	out := slices.Clone(ds)
	for _, d := range out {
		if !(d > 0 && d <= maxSiteBufferM) {
			return nil, badRequest("buffers: %g is not a distance between 1 and %d metres", d, maxSiteBufferM)
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// SiteSummary overlays the sites of a layer on the areas and indicators.
func (s *Service) SiteSummary(ctx context.Context, q SiteSummaryQuery) (*SiteSummary, error) {
	bufs, err := ParseBuffers(q.Buffers)
	if err != nil {
		return nil, err
	}
	l, sites, err := s.SiteLayer(ctx, q.Layer)
	if err != nil {
		return nil, err
	}
	c, err := s.siteData(ctx)
	if err != nil {
		return nil, err
	}
	if q.Site == 0 && len(sites) > maxSummarySites {
		return nil, badRequest("the layer has %d sites; a summary covers at most %d: ask for one site with site=<id>", len(sites), maxSummarySites)
	}
	out := &SiteSummary{Layer: *l, Buffers: bufs, Method: SiteMethodSV, Sites: []SiteOverlay{}}
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
		return nil, notFound("site %d in layer %d", q.Site, q.Layer)
	}
	return out, nil
}

func (s *Service) overlaySite(ctx context.Context, c *siteCache, st data.Site, bufs []float64, lang string) (SiteOverlay, error) {
	o := SiteOverlay{ID: st.ID, Name: st.Name, Dwellings: st.Dwellings, Tenure: st.Tenure, TenureLabel: TenureLabel(st.Tenure, lang), Year: st.Year, AreaM2: st.AreaM2}
	local := toLocal(st.Sweref)
	var site overlay.Region
	var mp orb.MultiPolygon
	point, isPoint := local.(orb.Point)
	switch g := local.(type) {
	case orb.Point:
		o.Kind = "point"
	case orb.Polygon:
		o.Kind, mp = "polygon", orb.MultiPolygon{g}
	case orb.MultiPolygon:
		o.Kind, mp = "polygon", g
	}
	if !isPoint {
		site = overlay.FromMultiPolygon(mp)
	}
	labels := omradestypLabels()
	typeLabel := func(t int) string {
		if t < 1 || t > 5 {
			return ""
		}
		if lang == "en" {
			return labels[t-1][1]
		}
		return labels[t-1][0]
	}
	// Areas touched.
	touched := map[string][]string{}
	for _, level := range []string{data.LevelDeSO, data.LevelRegSO, data.LevelKommun} {
		for _, a := range c.areas[level] {
			var ov float64
			if isPoint {
				if !a.region.Contains(point) {
					continue
				}
			} else {
				if !boundsOverlap(a.region.Bound(), site.Bound()) {
					continue
				}
				var err error
				if ov, err = overlay.IntersectionAreaContext(ctx, site, a.region); err != nil {
					return o, err
				}
				if ov < 0.01 { // touching only (1 dm²)
					continue
				}
			}
			ta := TouchedArea{Level: level, Code: a.code, Name: a.name, OverlapM2: ov, ShareOfSite: 1, ShareOfArea: Num(ov / a.area)}
			if !isPoint {
				ta.ShareOfSite = Num(ov / st.AreaM2)
			} else {
				ta.ShareOfArea = Num(nan) // a point covers no area: null
			}
			if level == data.LevelRegSO {
				ta.Omradestyp = c.regso[a.code]
				ta.TypeLabel = typeLabel(ta.Omradestyp)
			}
			o.Areas = append(o.Areas, ta)
			touched[level] = append(touched[level], a.code)
		}
	}
	if len(touched[data.LevelDeSO]) == 0 {
		if lang == "en" {
			o.Notes = append(o.Notes, "the site touches no DeSO of the store (outside the loaded region or in water)")
		} else {
			o.Notes = append(o.Notes, "platsen berör ingen DeSO i databasen (utanför den inlästa regionen eller i vatten)")
		}
	}
	sort.SliceStable(o.Areas, func(i, j int) bool {
		if o.Areas[i].Level != o.Areas[j].Level {
			return false
		}
		return o.Areas[i].OverlapM2 > o.Areas[j].OverlapM2
	})
	// Zones: the site and its buffers.
	if !isPoint {
		z, err := s.zone(ctx, c, "site", 0, site, lang)
		if err != nil {
			return o, err
		}
		o.Zones = append(o.Zones, z)
	}
	// The outline buffered is simplified first (see bufferOutline).
	var outline orb.MultiPolygon
	if !isPoint {
		outline = bufferOutline(mp)
	}
	for _, d := range bufs {
		var r overlay.Region
		if isPoint {
			r = overlay.BufferPoint(point, d, siteBufferTolM)
		} else {
			var err error
			if r, err = overlay.BufferContext(ctx, outline, d, siteBufferTolM); err != nil {
				return o, err
			}
		}
		z, err := s.zone(ctx, c, "buffer", d, r, lang)
		if err != nil {
			return o, err
		}
		o.Zones = append(o.Zones, z)
	}
	// Nearest RegSO of type 1 or 2.
	for _, a := range c.areas[data.LevelRegSO] {
		t := c.regso[a.code]
		if t != 1 && t != 2 {
			continue
		}
		var d float64
		if isPoint {
			d = overlay.PointDistance(point, a.region)
		} else {
			if o.NearestType12 != nil && boundDistance(site.Bound(), a.region.Bound()) > o.NearestType12.DistanceM {
				continue
			}
			var err error
			if d, err = overlay.DistanceContext(ctx, site, a.region); err != nil {
				return o, err
			}
		}
		if o.NearestType12 == nil || d < o.NearestType12.DistanceM {
			o.NearestType12 = &NearestArea{Code: a.code, Name: a.name, Type: t, TypeLabel: typeLabel(t), DistanceM: math.Round(d*10) / 10, Year: c.regsoY}
		}
	}
	// Tenure mix.
	for _, level := range []string{data.LevelDeSO, data.LevelRegSO} {
		if codes := touched[level]; len(codes) > 0 {
			o.TenureMix = append(o.TenureMix, s.tenureMix(c, level, codes, st, lang))
		}
	}
	return o, nil
}

// bufferOutline is the site outline that is buffered: rings simplified by
// Douglas–Peucker with tolerance siteSimplifyM (0.5 m, the arc tolerance of
// the buffer itself, so the buffer boundary moves by at most that much,
// ≪ every buffer distance). A surveyed outline with thousands of vertices a
// few centimetres apart shrinks to what the buffer's resolution can show;
// the site zone and the touched areas use the exact outline.
func bufferOutline(mp orb.MultiPolygon) orb.MultiPolygon {
	out := make(orb.MultiPolygon, 0, len(mp))
	dp := simplify.DouglasPeucker(siteSimplifyM)
	for _, p := range mp {
		q := make(orb.Polygon, 0, len(p))
		for _, r := range p {
			sr := dp.Ring(r.Clone())
			if len(sr) < 4 { // collapsed: keep the exact ring
				sr = r
			}
			q = append(q, sr)
		}
		out = append(out, q)
	}
	return out
}

func boundsOverlap(a, b orb.Bound) bool {
	return a.Min[0] <= b.Max[0] && b.Min[0] <= a.Max[0] && a.Min[1] <= b.Max[1] && b.Min[1] <= a.Max[1]
}

func boundDistance(a, b orb.Bound) float64 {
	dx := math.Max(0, math.Max(a.Min[0]-b.Max[0], b.Min[0]-a.Max[0]))
	dy := math.Max(0, math.Max(a.Min[1]-b.Max[1], b.Min[1]-a.Max[1]))
	return math.Hypot(dx, dy)
}

// zone estimates every indicator inside one zone by areal interpolation.
func (s *Service) zone(ctx context.Context, c *siteCache, kind string, d float64, r overlay.Region, lang string) (SiteZone, error) {
	z := SiteZone{Zone: kind, DistanceM: d, AreaM2: r.Area(), DeSO: []ZoneArea{}, Estimates: []SiteEstimate{}}
	weights := map[string]float64{}
	var covered float64
	for _, a := range c.areas[data.LevelDeSO] {
		if !boundsOverlap(a.region.Bound(), r.Bound()) {
			continue
		}
		ov, err := overlay.IntersectionAreaContext(ctx, r, a.region)
		if err != nil {
			return z, err
		}
		if ov < 0.01 {
			continue
		}
		covered += ov
		w := ov / a.area
		weights[a.code] = w
		z.DeSO = append(z.DeSO, ZoneArea{Code: a.code, Weight: Num(w)})
	}
	z.Covered = Num(covered / z.AreaM2)
	sort.Slice(z.DeSO, func(i, j int) bool { return z.DeSO[i].Weight > z.DeSO[j].Weight })
	pop := c.values[s.opts.PopulationIndicator]
	for _, ind := range c.inds {
		vals := c.values[ind.ID]
		name := ind.NameSV
		if lang == "en" {
			name = ind.NameEN
		}
		e := SiteEstimate{Indicator: ind.ID, Name: name, Unit: ind.Unit, Year: c.years[ind.ID], Decimals: ind.Decimals, Method: string(ind.Aggregation)}
		var num, den, wsum, whave float64
		popWeighted := false
		for code, w := range weights {
			wsum += w
			v, ok := vals[code]
			if !ok {
				continue
			}
			switch ind.Aggregation {
			case data.AggSum:
				num += w * v.Value
				whave += w
			case data.AggRatio, data.AggWeightedMean:
				dv := v.Denominator
				if !finite(dv) {
					// No denominator: weight by the covered population.
					p, ok := pop[code]
					if !ok {
						continue
					}
					dv, popWeighted = p.Value, true
				}
				num += w * dv * v.Value
				den += w * dv
				whave += w
			}
		}
		if wsum > 0 {
			e.Coverage = Num(whave / wsum)
		} else {
			e.Coverage = Num(nan)
		}
		switch {
		case whave == 0:
			e.Value = Num(nan)
		case ind.Aggregation == data.AggSum:
			e.Value = Num(num)
		case den > 0:
			e.Value = Num(num / den)
			if ind.Aggregation == data.AggRatio && !popWeighted {
				scale := ind.Scale
				if scale == 0 {
					scale = 1
				}
				e.Numerator, e.Denominator = Num(num/scale), Num(den)
			}
		default:
			e.Value = Num(nan)
		}
		if popWeighted {
			e.Method = "population_weighted"
		}
		z.Estimates = append(z.Estimates, e)
	}
	return z, nil
}

// tenureMix sums the dwellings by tenure of whole areas and adds the site's.
func (s *Service) tenureMix(c *siteCache, level string, codes []string, st data.Site, lang string) TenureMix {
	tm := TenureMix{Level: level, Codes: codes, Year: c.tenureY}
	var counts [3]float64
	var total float64
	missing := c.tenure[level] == nil
	for _, code := range codes {
		row, ok := c.tenure[level][code]
		if !ok || math.IsNaN(row[0]) || math.IsNaN(row[1]) || math.IsNaN(row[2]) {
			missing = true
			break
		}
		for i := range counts {
			counts[i] += row[i]
		}
		total += row[3]
	}
	if missing {
		tm.Before = TenureCounts{Rental: Num(nan), TenantOwned: Num(nan), OwnerOccupied: Num(nan), Unknown: Num(nan), Total: Num(nan), RentalShare: Num(nan), TenantShare: Num(nan), OwnerShare: Num(nan)}
		if lang == "en" {
			tm.Note = "the store has no dwelling counts by tenure (SCB 000006OC) for these areas; the mix cannot be computed"
		} else {
			tm.Note = "databasen saknar antal lägenheter efter upplåtelseform (SCB 000006OC) för dessa områden; fördelningen kan inte beräknas"
		}
		return tm
	}
	tm.Before = tenureCounts(counts, total)
	if st.Dwellings == nil || st.Tenure == "" {
		if lang == "en" {
			tm.Note = "the site has no planned number of dwellings or no tenure, so the mix after cannot be computed"
		} else {
			tm.Note = "platsen saknar antal planerade bostäder eller upplåtelseform, så fördelningen efter kan inte beräknas"
		}
		return tm
	}
	after := counts
	switch st.Tenure {
	case data.TenureRental:
		after[0] += float64(*st.Dwellings)
	case data.TenureTenantOwned:
		after[1] += float64(*st.Dwellings)
	case data.TenureOwnerOccupied:
		after[2] += float64(*st.Dwellings)
	}
	a := tenureCounts(after, total+float64(*st.Dwellings))
	tm.After = &a
	tm.Change = map[string]Num{
		data.TenureRental:        Num(100 * (float64(a.RentalShare) - float64(tm.Before.RentalShare))),
		data.TenureTenantOwned:   Num(100 * (float64(a.TenantShare) - float64(tm.Before.TenantShare))),
		data.TenureOwnerOccupied: Num(100 * (float64(a.OwnerShare) - float64(tm.Before.OwnerShare))),
	}
	return tm
}

func tenureCounts(c [3]float64, total float64) TenureCounts {
	share := func(v float64) Num {
		if total <= 0 {
			return Num(nan)
		}
		return Num(v / total)
	}
	return TenureCounts{Rental: Num(c[0]), TenantOwned: Num(c[1]), OwnerOccupied: Num(c[2]), Unknown: Num(total - c[0] - c[1] - c[2]), Total: Num(total),
		RentalShare: share(c[0]), TenantShare: share(c[1]), OwnerShare: share(c[2])}
}

// ImportSites validates and stores an uploaded site file as a new layer.
func (s *Service) ImportSites(ctx context.Context, file string, body []byte, opts data.SiteOptions) (*data.SiteLayer, *data.SiteReport, error) {
	return s.store.ImportSites(ctx, file, body, opts)
}

// RenameSiteLayer renames a layer.
func (s *Service) RenameSiteLayer(ctx context.Context, id int64, name string) error {
	return s.store.RenameSiteLayer(ctx, id, name)
}

// DeleteSiteLayer deletes a layer and its sites.
func (s *Service) DeleteSiteLayer(ctx context.Context, id int64) error {
	err := s.store.DeleteSiteLayer(ctx, id)
	s.forgetSiteTiles(id)
	return err
}
