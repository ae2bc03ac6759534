package api_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/segmap/segmap/api"
	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/service/sites"
)

type gdalOverlap struct {
	site, deso                string
	siteM2, overlapM2, desoM2 float64
}

func gdalOverlaps(t *testing.T) []gdalOverlap {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(siteFile(t, "expected_overlaps_gdal.csv")))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []gdalOverlap
	for _, rec := range recs[1:] {
		f := func(s string) float64 {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		out = append(out, gdalOverlap{rec[0], rec[1], f(rec[2]), f(rec[3]), f(rec[4])})
	}
	return out
}

// TestSiteSummaryAgainstGDAL checks the overlap shares of a real-looking
// upload (three planned developments in Botkyrka, SWEREF 99 TM) against
// the areas GDAL/SpatiaLite computed (testdata/sites/gen.sh), and the
// estimates and tenure mix against sums made here from /api/values.
func TestSiteSummaryAgainstGDAL(t *testing.T) {
	e, _ := writableServer(t, api.Options{APIToken: siteToken})
	for _, file := range []string{"botkyrka_planerat_3006.geojson", "botkyrka_planerat_3006.zip", "botkyrka_planerat_3006.gpkg"} {
		t.Run(file, func(t *testing.T) {
			l := upload(t, e, file, siteFile(t, file), "Botkyrka "+file)
			rec := do(t, e, http.MethodGet, fmt.Sprintf("/api/sites/%d/summary?buffers=500,1000", l.ID), nil)
			if rec.Code != http.StatusOK {
				t.Fatalf("summary: %d %s", rec.Code, rec.Body.String())
			}
			var sum sites.SiteSummary
			if err := json.Unmarshal(rec.Body.Bytes(), &sum); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(sum.Method, "Areal interpolation") {
				t.Errorf("method not stated: %q", sum.Method)
			}
			bySite := map[string]sites.SiteOverlay{}
			for _, s := range sum.Sites {
				bySite[s.Name] = s
			}
			want := gdalOverlaps(t)
			for _, g := range want {
				o, ok := bySite[g.site]
				if !ok {
					t.Fatalf("site %q missing", g.site)
				}
				var got *sites.TouchedArea
				for i := range o.Areas {
					if o.Areas[i].Level == "deso" && o.Areas[i].Code == g.deso {
						got = &o.Areas[i]
					}
				}
				if got == nil {
					t.Errorf("%s: DeSO %s (GDAL overlap %.1f m²) not reported", g.site, g.deso, g.overlapM2)
					continue
				}
				// segmap and PROJ project the WGS 84 DeSO to SWEREF 99 TM
				// within a millimetre: allow 2 m² plus 0.01 %.
				if math.Abs(got.OverlapM2-g.overlapM2) > 2+1e-4*g.overlapM2 {
					t.Errorf("%s ∩ %s: %.3f m², GDAL %.3f", g.site, g.deso, got.OverlapM2, g.overlapM2)
				}
				if s := g.overlapM2 / g.siteM2; math.Abs(float64(got.ShareOfSite)-s) > 1e-4 {
					t.Errorf("%s ∩ %s: share of site %.6f, GDAL %.6f", g.site, g.deso, float64(got.ShareOfSite), s)
				}
				if s := g.overlapM2 / g.desoM2; math.Abs(float64(got.ShareOfArea)-s) > 1e-4 {
					t.Errorf("%s ∩ %s: share of area %.6f, GDAL %.6f", g.site, g.deso, float64(got.ShareOfArea), s)
				}
			}
			// Every reported DeSO overlap is one GDAL found too.
			for name, o := range bySite {
				for _, a := range o.Areas {
					if a.Level != "deso" || a.OverlapM2 < 1 {
						continue
					}
					found := false
					for _, g := range want {
						found = found || g.site == name && g.deso == a.Code
					}
					if !found {
						t.Errorf("%s: DeSO %s (%.1f m²) not in GDAL's result", name, a.Code, a.OverlapM2)
					}
				}
			}
			alby := bySite["Albyberget etapp 1"]
			checkAlby(t, alby, want)
		})
	}
}

func checkAlby(t *testing.T, alby sites.SiteOverlay, want []gdalOverlap) {
	t.Helper()
	// Population inside the site: Σ (overlap / DeSO area) × population, from
	// GDAL's areas and the store's values.
	pop := valuesOf(t, "population", "deso")
	var wantPop float64
	codes := []string{}
	for _, g := range want {
		if g.site == alby.Name {
			wantPop += g.overlapM2 / g.desoM2 * pop[g.deso][0]
			codes = append(codes, g.deso)
		}
	}
	if len(alby.Zones) != 3 || alby.Zones[0].Zone != "site" || alby.Zones[1].DistanceM != 500 || alby.Zones[2].DistanceM != 1000 {
		t.Fatalf("zones %+v", alby.Zones)
	}
	est := func(z sites.SiteZone, id string) sites.SiteEstimate {
		for _, e := range z.Estimates {
			if e.Indicator == id {
				return e
			}
		}
		t.Fatalf("no estimate of %s", id)
		return sites.SiteEstimate{}
	}
	if got := float64(est(alby.Zones[0], "population").Value); math.Abs(got-wantPop) > 0.5+1e-3*wantPop {
		t.Errorf("population in the site %.2f, want %.2f", got, wantPop)
	}
	// A share: Σ w·numerator / Σ w·denominator.
	fb := valuesOf(t, "foreign_born_pct", "deso")
	var n, d float64
	for _, g := range want {
		if g.site == alby.Name {
			w := g.overlapM2 / g.desoM2
			n += w * fb[g.deso][1]
			d += w * fb[g.deso][2]
		}
	}
	if got := float64(est(alby.Zones[0], "foreign_born_pct").Value); math.Abs(got-100*n/d) > 0.05 {
		t.Errorf("foreign born in the site %.3f %%, want %.3f", got, 100*n/d)
	}
	// Buffers grow: more population within 1 km than 500 m than in the site.
	p0, p1, p2 := est(alby.Zones[0], "population").Value, est(alby.Zones[1], "population").Value, est(alby.Zones[2], "population").Value
	if !(p0 < p1 && p1 < p2) {
		t.Errorf("population site %v, 500 m %v, 1 km %v: not increasing", p0, p1, p2)
	}
	// Tenure mix of the DeSO touched, before and after 450 rental dwellings.
	var mix *sites.TenureMix
	for i := range alby.TenureMix {
		if alby.TenureMix[i].Level == "deso" {
			mix = &alby.TenureMix[i]
		}
	}
	if mix == nil || mix.After == nil {
		t.Fatalf("no DeSO tenure mix: %+v", alby.TenureMix)
	}
	rent, tenant := valuesOf(t, "dwellings_rental_pct", "deso"), valuesOf(t, "dwellings_tenant_owned_pct", "deso")
	var r, tn, total float64
	for _, c := range codes {
		r += rent[c][1]
		tn += tenant[c][1]
		total += rent[c][2]
	}
	if math.Abs(float64(mix.Before.Rental)-r) > 1e-6 || math.Abs(float64(mix.Before.Total)-total) > 1e-6 || math.Abs(float64(mix.Before.TenantOwned)-tn) > 1e-6 {
		t.Errorf("before %+v, want rental %v tenant-owned %v of %v", mix.Before, r, tn, total)
	}
	if math.Abs(float64(mix.After.RentalShare)-(r+450)/(total+450)) > 1e-9 || math.Abs(float64(mix.After.TenantShare)-tn/(total+450)) > 1e-9 {
		t.Errorf("after %+v, want rental share %v", mix.After, (r+450)/(total+450))
	}
	if alby.NearestType12 == nil || alby.NearestType12.Type < 1 || alby.NearestType12.Type > 2 {
		t.Errorf("nearest type 1/2: %+v", alby.NearestType12)
	}
	var regso *sites.TouchedArea
	for i := range alby.Areas {
		if alby.Areas[i].Level == "regso" {
			regso = &alby.Areas[i]
		}
	}
	if regso == nil || regso.Omradestyp == 0 || regso.TypeLabel == "" {
		t.Errorf("RegSO with områdestyp: %+v", regso)
	}
	if regso != nil && regso.Omradestyp <= 2 && alby.NearestType12.DistanceM != 0 {
		t.Errorf("the site touches RegSO %s of type %d but the nearest type 1/2 is %v m away", regso.Code, regso.Omradestyp, alby.NearestType12.DistanceM)
	}
}

// valuesOf returns value, numerator, denominator per code of an indicator's latest year.
func valuesOf(t *testing.T, indicator, level string) map[string][3]float64 {
	t.Helper()
	var v struct {
		Areas []struct {
			Code                          string
			Value, Numerator, Denominator *float64
		}
	}
	getJSON(t, "/api/values?level="+level+"&indicator="+indicator, &v)
	out := map[string][3]float64{}
	f := func(p *float64) float64 {
		if p == nil {
			return math.NaN()
		}
		return *p
	}
	for _, a := range v.Areas {
		out[a.Code] = [3]float64{f(a.Value), f(a.Numerator), f(a.Denominator)}
	}
	return out
}

func TestSiteSummaryPoint(t *testing.T) {
	e, _ := writableServer(t, api.Options{APIToken: siteToken})
	l := upload(t, e, "b.geojson", siteFile(t, "botkyrka_planerat_4326.geojson"), "")
	if l.Name != "b" {
		t.Errorf("default name %q, want the file name", l.Name)
	}
	var layer struct {
		Sites []data.Site
	}
	json.Unmarshal(do(t, e, http.MethodGet, fmt.Sprintf("/api/sites/%d", l.ID), nil).Body.Bytes(), &layer)
	if len(layer.Sites) != 3 {
		t.Fatalf("sites %+v", layer.Sites)
	}
	pt := layer.Sites[2].ID
	rec := do(t, e, http.MethodGet, fmt.Sprintf("/api/sites/%d/summary?site=%d&buffers=250&lang=en", l.ID, pt), nil)
	var sum sites.SiteSummary
	if err := json.Unmarshal(rec.Body.Bytes(), &sum); err != nil || len(sum.Sites) != 1 {
		t.Fatalf("summary %d: %s", rec.Code, rec.Body.String())
	}
	o := sum.Sites[0]
	if o.Kind != "point" || o.TenureLabel != "owner-occupied" {
		t.Errorf("point site %+v", o)
	}
	levels := map[string]int{}
	for _, a := range o.Areas {
		levels[a.Level]++
		if a.ShareOfSite != 1 {
			t.Errorf("a point is wholly in its area: %+v", a)
		}
	}
	if levels["deso"] != 1 || levels["regso"] != 1 || levels["kommun"] != 1 {
		t.Errorf("a point is in one area per level: %+v", o.Areas)
	}
	if len(o.Zones) != 1 || o.Zones[0].Zone != "buffer" {
		t.Fatalf("zones %+v", o.Zones)
	}
	// The polygonal disc of 250 m: n/2·r²·sin(2π/n), n = 4·⌈…⌉ ≥ π/acos(1−0.5/250).
	if a := o.Zones[0].AreaM2; math.Abs(a-math.Pi*250*250) > 2*math.Pi*250*0.5 {
		t.Errorf("250 m disc %.1f m², circle %.1f", a, math.Pi*250*250)
	}
	if !strings.Contains(sum.Method, "interpolation") {
		t.Errorf("method %q", sum.Method)
	}
}
