package sites

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/internal/download"
)

// SiteRow is one line of a site-summary download (CSV, XLSX): the summary
// in long form, one section after the other.
type SiteRow struct {
	SiteID      int64
	Site        string
	Section     string // area | estimate | nearest_type_1_2 | tenure
	Zone        string // level (area), "site"/"buffer 500 m" (estimate), "deso before" ... (tenure)
	Key         string // area code, indicator id or tenure id
	Label       string
	Value       float64 // NaN when missing
	Unit        string
	Year        int
	ShareOfSite float64 // NaN when not applicable
	ShareOfArea float64
	Coverage    float64
	Note        string
}

// SiteRowHeader is the export header.
func SiteRowHeader(lang string) []string {
	if lang == "en" {
		return []string{"site_id", "site", "section", "zone", "key", "label", "value", "unit", "year", "share_of_site", "share_of_area", "coverage", "note"}
	}
	return []string{"plats_id", "plats", "avsnitt", "zon", "nyckel", "namn", "värde", "enhet", "år", "andel_av_platsen", "andel_av_området", "täckning", "anmärkning"}
}

// ZoneName names a zone in exports.
func ZoneName(z SiteZone, lang string) string {
	if z.Zone == "site" {
		if lang == "en" {
			return "site"
		}
		return "platsen"
	}
	if lang == "en" {
		return fmt.Sprintf("buffer %g m", z.DistanceM)
	}
	return fmt.Sprintf("buffert %g m", z.DistanceM)
}

// Rows flattens the summary for CSV and XLSX.
func (sum *SiteSummary) Rows(lang string) []SiteRow {
	var out []SiteRow
	for _, st := range sum.Sites {
		base := SiteRow{SiteID: st.ID, Site: st.Name, Value: nan, ShareOfSite: nan, ShareOfArea: nan, Coverage: nan}
		for _, a := range st.Areas {
			r := base
			r.Section, r.Zone, r.Key, r.Label = "area", a.Level, a.Code, a.Name
			r.Value, r.Unit = a.OverlapM2, "m²"
			r.ShareOfSite, r.ShareOfArea = float64(a.ShareOfSite), float64(a.ShareOfArea)
			if a.Omradestyp > 0 {
				r.Note = fmt.Sprintf("områdestyp %d: %s", a.Omradestyp, a.TypeLabel)
				if lang == "en" {
					r.Note = fmt.Sprintf("area type %d: %s", a.Omradestyp, a.TypeLabel)
				}
			}
			out = append(out, r)
		}
		for _, z := range st.Zones {
			for _, e := range z.Estimates {
				r := base
				r.Section, r.Zone, r.Key, r.Label = "estimate", ZoneName(z, lang), e.Indicator, e.Name
				r.Value, r.Unit, r.Year, r.Coverage, r.Note = float64(e.Value), e.Unit, e.Year, float64(e.Coverage), e.Method
				out = append(out, r)
			}
		}
		if n := st.NearestType12; n != nil {
			r := base
			r.Section, r.Key, r.Label, r.Value, r.Unit, r.Year = "nearest_type_1_2", n.Code, n.Name, n.DistanceM, "m", n.Year
			r.Note = fmt.Sprintf("%d: %s", n.Type, n.TypeLabel)
			out = append(out, r)
		} else if st.NearestNote != "" {
			r := base
			r.Section, r.Note = "nearest_type_1_2", st.NearestNote
			out = append(out, r)
		}
		for _, tm := range st.TenureMix {
			add := func(when string, c TenureCounts) {
				for _, t := range []struct {
					id           string
					count, share Num
				}{
					{data.TenureRental, c.Rental, c.RentalShare},
					{data.TenureTenantOwned, c.TenantOwned, c.TenantShare},
					{data.TenureOwnerOccupied, c.OwnerOccupied, c.OwnerShare},
				} {
					r := base
					r.Section, r.Zone, r.Key, r.Label = "tenure", tm.Level+" "+when, t.id, TenureLabel(t.id, lang)
					r.Value, r.Unit, r.Year, r.ShareOfArea = float64(t.count), "lgh", tm.Year, float64(t.share)
					if lang == "en" {
						r.Unit = "dwellings"
					}
					r.Note = strings.Join(tm.Codes, " ")
					out = append(out, r)
				}
			}
			add("before", tm.Before)
			if tm.After != nil {
				add("after", *tm.After)
			}
		}
	}
	return out
}

// siteMetaLabels are the metadata sheet's labels, Swedish first.
var siteMetaLabels = map[string][2]string{
	"layer":       {"lager", "layer"},
	"source_file": {"källfil", "source_file"},
	"source_srid": {"källans_srid", "source_srid"},
	"buffers_m":   {"buffertar_m", "buffers_m"},
	"method":      {"metod", "method"},
	"crs":         {"referenssystem", "crs"},
	"crs_value":   {"SWEREF 99 TM (EPSG:3006) för ytor och avstånd", "SWEREF 99 TM (EPSG:3006) for areas and distances"},
	"source":      {"källa", "source"},
}

func siteMetaLabel(key, lang string) string {
	if lang == "en" {
		return siteMetaLabels[key][1]
	}
	return siteMetaLabels[key][0]
}

// siteColumnKinds are the types of the SiteRowHeader columns.
var siteColumnKinds = []download.Kind{download.Integer, download.Text, download.Text, download.Text, download.Text, download.Text,
	download.Number, download.Text, download.Integer, download.Number, download.Number, download.Number, download.Text}

// Sheet lays the summary out for a download in lang ("sv" unless "en"):
// the long-form rows of Rows (missing numbers are empty cells) and the
// metadata (layer, source, buffers, method, CRS).
func (sum *SiteSummary) Sheet(lang string) download.Sheet {
	var out download.Sheet
	for i, h := range SiteRowHeader(lang) {
		out.Columns = append(out.Columns, download.Column{Name: h, Kind: siteColumnKinds[i]})
	}
	for _, r := range sum.Rows(lang) {
		var year any
		if r.Year != 0 {
			year = r.Year
		}
		out.Rows = append(out.Rows, []any{r.SiteID, r.Site, r.Section, r.Zone, r.Key, r.Label, r.Value, r.Unit, year,
			r.ShareOfSite, r.ShareOfArea, r.Coverage, r.Note})
	}
	bufs := make([]string, len(sum.Buffers))
	for i, b := range sum.Buffers {
		bufs[i] = strconv.FormatFloat(b, 'g', -1, 64)
	}
	for _, m := range [][2]string{
		{"layer", sum.Layer.Name},
		{"source_file", sum.Layer.SourceFile},
		{"source_srid", strconv.Itoa(sum.Layer.SourceSRID)},
		{"buffers_m", strings.Join(bufs, ", ")},
		{"method", sum.Method},
		{"crs", siteMetaLabel("crs_value", lang)},
		{"source", "SCB"},
	} {
		out.Meta = append(out.Meta, [2]string{siteMetaLabel(m[0], lang), m[1]})
	}
	return out
}
