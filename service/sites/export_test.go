package sites

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/internal/download"
)

// TestSiteSheet: the spreadsheet of a site summary has the long-form rows
// of Rows with empty cells for missing numbers, and metadata labelled in
// the language asked for.
func TestSiteSheet(t *testing.T) {
	t.Parallel()
	sum := &SiteSummary{
		Layer:   data.SiteLayer{Name: "Planerat", SourceFile: "p.geojson", SourceSRID: 3006},
		Buffers: []float64{500, 1000},
		Method:  "metod",
		Sites: []SiteOverlay{{ID: 7, Name: "Albyberget", Areas: []TouchedArea{
			{Level: "deso", Code: "0127C1300", Name: "Alby", OverlapM2: 1200, ShareOfSite: Num(0.25), ShareOfArea: Num(math.NaN())},
		}}},
	}
	tests := []struct {
		lang      string
		labels    []string
		crs       string
		foreign   []string
		firstHead string
	}{
		{"sv", []string{"lager", "källfil", "källans_srid", "buffertar_m", "metod", "referenssystem", "källa"}, "SWEREF 99 TM (EPSG:3006) för ytor och avstånd",
			[]string{"layer", "source", "method", "buffers", " for "}, "plats_id"},
		{"en", []string{"layer", "source_file", "source_srid", "buffers_m", "method", "crs", "source"}, "SWEREF 99 TM (EPSG:3006) for areas and distances",
			[]string{"lager", "källa", "metod", "buffert", " för "}, "site_id"},
	}
	for _, tc := range tests {
		sh := sum.Sheet(tc.lang)
		var labels []string
		for _, m := range sh.Meta {
			labels = append(labels, m[0])
			for _, f := range tc.foreign {
				if strings.Contains(m[0], f) || m[0] != "metod" && m[0] != "method" && strings.Contains(m[1], f) {
					t.Errorf("%s: metadata %q has %q of the other language", tc.lang, m, f)
				}
			}
		}
		if !slices.Equal(labels, tc.labels) || sh.Meta[5][1] != tc.crs || sh.Meta[3][1] != "500, 1000" || sh.Meta[6][1] != "SCB" {
			t.Errorf("%s: metadata %v", tc.lang, sh.Meta)
		}
		rows := sum.Rows(tc.lang)
		if sh.Columns[0].Name != tc.firstHead || len(sh.Columns) != len(SiteRowHeader(tc.lang)) || len(sh.Rows) != len(rows) || len(rows) == 0 {
			t.Fatalf("%s: columns %v, %d rows of %d", tc.lang, sh.Columns, len(sh.Rows), len(rows))
		}
		r := sh.Rows[0]
		if len(r) != len(sh.Columns) || r[0] != int64(7) || r[4] != "0127C1300" || r[6] != 1200.0 || r[9] != 0.25 || !math.IsNaN(r[10].(float64)) || r[8] != nil {
			t.Errorf("%s: row %v", tc.lang, r)
		}
		for i, c := range sh.Columns {
			switch v := r[i].(type) {
			case string:
				if c.Kind != download.Text {
					t.Errorf("%s: column %s holds text %q", tc.lang, c.Name, v)
				}
			case float64:
				if c.Kind != download.Number {
					t.Errorf("%s: column %s holds the number %v", tc.lang, c.Name, v)
				}
			}
		}
	}
}
