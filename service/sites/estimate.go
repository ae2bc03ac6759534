package sites

import (
	"context"
	"math"
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/simplify"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/service"
	"github.com/segmap/segmap/spatial/overlay"
)

// Development-site overlay: one site's touched areas, zones (site and
// buffers) and their area-weighted estimates.

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

func (s *Service) overlaySite(ctx context.Context, c *overlayCache, st data.Site, bufs []float64, lang string) (SiteOverlay, error) {
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
	typeLabel := func(t int) string { return service.OmradestypLabel(t, lang) }
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
	// Nearest RegSO of type 1 or 2; "none" only when it can be known.
	o.NearestNote = nearestNote(c, lang)
	if len(c.regso) > 0 {
		o.TypeSource = c.typeSource
	}
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

// nearestNote says, in one sentence, why the nearest RegSO of områdestyp
// 1 or 2 cannot be known: the store has no RegSO boundaries (the RegSO
// rows of the touched areas are missing too) or no områdestyp values.
// "" when both are there.
func nearestNote(c *overlayCache, lang string) string {
	switch {
	case len(c.areas[data.LevelRegSO]) == 0 && lang == "en":
		return "The store has no RegSO boundaries, so the RegSO the site touches and the distance to the nearest area of områdestyp 1 or 2 cannot be given."
	case len(c.areas[data.LevelRegSO]) == 0:
		return "Databasen saknar RegSO-gränser, så varken platsens RegSO eller avståndet till närmaste område med områdestyp 1 eller 2 kan anges."
	case len(c.regso) == 0 && lang == "en":
		return "The store has no områdestyp for the RegSO, so the distance to the nearest area of type 1 or 2 cannot be given."
	case len(c.regso) == 0:
		return "Databasen saknar områdestyp för RegSO, så avståndet till närmaste område med områdestyp 1 eller 2 kan inte anges."
	}
	return ""
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
func (s *Service) zone(ctx context.Context, c *overlayCache, kind string, d float64, r overlay.Region, lang string) (SiteZone, error) {
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
	pop := c.values[s.conf.PopulationIndicator]
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
