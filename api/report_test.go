package api_test

import (
	"fmt"
	"math"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/segmap/segmap/internal/locale"
)

// reportJSON is the part of /report?format=json the tests read.
type reportJSON struct {
	Name         string `json:"name"`
	Codes        []string
	Population   *float64 `json:"population"`
	DeSOCount    int      `json:"deso_count"`
	RegSOCount   int      `json:"regso_count"`
	LanCode      string   `json:"lan_code"`
	Omradestyper struct {
		Year  int              `json:"year"`
		Types []omradestypJSON `json:"types"`
	} `json:"omradestyper"`
	Inequality []struct {
		Year   int      `json:"year"`
		Region *float64 `json:"region"`
		Lan    *float64 `json:"lan"`
		Riket  *float64 `json:"riket"`
		DeSO   int      `json:"deso_count"`
	} `json:"inequality"`
	Segregation struct {
		Year    int                 `json:"year"`
		Areas   int                 `json:"areas"`
		Indices map[string]*float64 `json:"indices"`
	} `json:"segregation"`
	Indicators []struct {
		Indicator struct {
			ID       string `json:"id"`
			Decimals int    `json:"decimals"`
		} `json:"indicator"`
		Year    int      `json:"year"`
		Region  *float64 `json:"region"`
		Highest []struct {
			Code  string  `json:"code"`
			Value float64 `json:"value"`
		} `json:"highest"`
		Lowest []struct {
			Code  string  `json:"code"`
			Value float64 `json:"value"`
		} `json:"lowest"`
		Suppressed int `json:"deso_suppressed"`
		Missing    int `json:"deso_missing"`
		Areas      int `json:"deso_count"`
	} `json:"indicators"`
	LISA struct {
		Indicator struct {
			ID string `json:"id"`
		} `json:"indicator"`
		Year   int            `json:"year"`
		Counts map[string]int `json:"counts"`
		Moran  struct {
			I    float64 `json:"i"`
			PSim float64 `json:"p_sim"`
		} `json:"moran"`
		Text string `json:"text"`
	} `json:"lisa"`
	Correlation struct {
		Year       int `json:"year"`
		Indicators []struct {
			ID string `json:"id"`
		} `json:"indicators"`
		R [][]*float64 `json:"r"`
		N [][]int      `json:"n"`
	} `json:"correlation"`
	Change struct {
		Change struct {
			Indicator struct {
				ID string `json:"id"`
			} `json:"indicator"`
			From    int `json:"from"`
			To      int `json:"to"`
			Summary struct {
				N         int      `json:"n"`
				Increased int      `json:"increased"`
				Decreased int      `json:"decreased"`
				Mean      *float64 `json:"mean"`
			} `json:"summary"`
		} `json:"change"`
		Increases []struct {
			Code   string  `json:"code"`
			Change float64 `json:"change"`
		} `json:"increases"`
	} `json:"change"`
	Notes []struct {
		ID   int64  `json:"id"`
		Text string `json:"text"`
	} `json:"notes"`
	Warnings []string `json:"warnings"`
}

// omradestypJSON is one områdestyp row, as in the report and /api/omradestyper.
type omradestypJSON struct {
	Type            int      `json:"type"`
	RegSOCount      int      `json:"regso_count"`
	Population      *float64 `json:"population"`
	PopulationShare *float64 `json:"population_share"`
}

type repValues struct {
	Year  int `json:"year"`
	Areas []struct {
		Code        string   `json:"code"`
		Value       *float64 `json:"value"`
		Numerator   *float64 `json:"numerator"`
		Denominator *float64 `json:"denominator"`
		Suppressed  bool     `json:"suppressed"`
	} `json:"areas"`
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// ojIndex is 100 × ½ Σ|lᵢ/L − hᵢ/H|, computed here from /api/values counts
// (numerators, or value × denominator / 100), independently of the service.
func ojIndex(t *testing.T, kommun string, year int) (float64, int) {
	t.Helper()
	var low, high repValues
	getJSON(t, fmt.Sprintf("/api/values?level=deso&indicator=low_econ_standard_pct&year=%d&kommun=%s", year, kommun), &low)
	getJSON(t, fmt.Sprintf("/api/values?level=deso&indicator=high_econ_standard_pct&year=%d&kommun=%s", year, kommun), &high)
	cnt := func(num, val, den *float64) (float64, bool) {
		if num != nil {
			return *num, true
		}
		if val != nil && den != nil {
			return *val * *den / 100, true
		}
		return 0, false
	}
	hi := map[string]float64{}
	for _, a := range high.Areas {
		if c, ok := cnt(a.Numerator, a.Value, a.Denominator); ok {
			hi[a.Code] = c
		}
	}
	var l, h []float64
	for _, a := range low.Areas {
		c, ok := cnt(a.Numerator, a.Value, a.Denominator)
		hc, ok2 := hi[a.Code]
		if ok && ok2 {
			l, h = append(l, c), append(h, hc)
		}
	}
	var L, H float64
	for i := range l {
		L += l[i]
		H += h[i]
	}
	d := 0.0
	for i := range l {
		d += math.Abs(l[i]/L - h[i]/H)
	}
	return 50 * d, len(l)
}

var (
	reDataType = regexp.MustCompile(`<tr data-type="(\d)"><td>.*?</td><td class="num" data-col="count">(\d+)</td><td class="num" data-col="population">([^<]*)</td><td class="num" data-col="share">([^<]*)</td></tr>`)
	reSVG      = regexp.MustCompile(`<svg xmlns="http://www.w3.org/2000/svg" class="([^"]+)"`)
)

// cell returns the text of the first <td … data-col="col"> after anchor.
func cell(t *testing.T, html, anchor, col string) string {
	t.Helper()
	i := strings.Index(html, anchor)
	if i < 0 {
		t.Fatalf("HTML has no %q", anchor)
	}
	re := regexp.MustCompile(`data-col="` + col + `">([^<]*)<`)
	m := re.FindStringSubmatch(html[i:])
	if m == nil {
		t.Fatalf("no cell %s after %q", col, anchor)
	}
	return m[1]
}

func TestReportMatchesAPI(t *testing.T) {
	tests := []struct {
		kommun string
		name   string
	}{
		{"0180", "Stockholm"},
		{"0126,0127,0128", "Huddinge, Botkyrka och Salem"},
	}
	for _, tc := range tests {
		t.Run(tc.kommun, func(t *testing.T) {
			var r reportJSON
			getJSON(t, "/report?format=json&kommun="+tc.kommun, &r)
			rec := get(t, "/report?kommun="+tc.kommun)
			if rec.Code != http.StatusOK {
				t.Fatalf("GET /report: %d %s", rec.Code, rec.Body.String())
			}
			page := rec.Body.String()
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("Content-Type %q", ct)
			}
			if r.Name != tc.name || len(r.Warnings) != 0 {
				t.Errorf("report %q, warnings %v", r.Name, r.Warnings)
			}

			// Self-contained: no scripts, no external resources, inline SVG maps and charts.
			for _, bad := range []string{"<script", "src=\"http", "href=\"http", "<link", "<img"} {
				if strings.Contains(page, bad) {
					t.Errorf("report contains %q", bad)
				}
			}
			maps := 0
			for _, m := range reSVG.FindAllStringSubmatch(page, -1) {
				if m[1] == "map" {
					maps++
				}
			}
			if maps != 3 || !strings.Contains(page, `class="chart line-chart"`) || strings.Count(page, `class="chart scatter"`) != 3 {
				t.Errorf("%d maps (want 3: types, LISA, change), line chart %v, scatters %d", maps,
					strings.Contains(page, "line-chart"), strings.Count(page, `class="chart scatter"`))
			}
			if !strings.Contains(page, `<html lang="sv">`) || !strings.Contains(page, "@page") || !strings.Contains(page, "size: A4") {
				t.Error("no lang=sv or no A4 print stylesheet")
			}

			// Områdestyper: counts and shares as /api/omradestyper, in the struct and the HTML.
			var ot struct {
				Year  int                     `json:"year"`
				Types []omradestypJSON        `json:"types"`
				Areas []struct{ Code string } `json:"areas"`
			}
			getJSON(t, "/api/omradestyper?kommun="+tc.kommun, &ot)
			rows := reDataType.FindAllStringSubmatch(page, -1)
			if len(rows) != 5 || len(ot.Types) != 5 || len(r.Omradestyper.Types) != 5 {
				t.Fatalf("type rows: HTML %d, API %d, report %d", len(rows), len(ot.Types), len(r.Omradestyper.Types))
			}
			sum := 0
			for i, want := range ot.Types {
				got := r.Omradestyper.Types[i]
				if got.RegSOCount != want.RegSOCount || !near(*got.PopulationShare, *want.PopulationShare, 1e-12) {
					t.Errorf("type %d: report %d RegSO %.4f, API %d %.4f", want.Type, got.RegSOCount, *got.PopulationShare, want.RegSOCount, *want.PopulationShare)
				}
				if rows[i][2] != strconv.Itoa(want.RegSOCount) || rows[i][4] != locale.FormatNumber(*want.PopulationShare*100, 1, locale.SV)+" %" ||
					rows[i][3] != locale.FormatNumber(*want.Population, 0, locale.SV) {
					t.Errorf("type %d HTML row %q, API %d RegSO %.4f", want.Type, rows[i][1:], want.RegSOCount, *want.PopulationShare)
				}
				sum += want.RegSOCount
			}
			if sum == 0 || r.RegSOCount != len(ot.Areas) {
				t.Errorf("%d typed RegSO, report has %d RegSO, API %d", sum, r.RegSOCount, len(ot.Areas))
			}

			// Ojämlikhetsindex: the region against /api/inequality and an
			// independent computation; the län and riket against the API.
			if len(r.Inequality) == 0 {
				t.Fatal("no ojämlikhetsindex")
			}
			last := r.Inequality[len(r.Inequality)-1]
			want, n := ojIndex(t, tc.kommun, last.Year)
			if !near(*last.Region, want, 1e-9) || last.DeSO != n {
				t.Errorf("ojämlikhetsindex %d: report %.6f over %d DeSO, computed %.6f over %d", last.Year, *last.Region, last.DeSO, want, n)
			}
			var reg, lan, riket struct {
				Rows []struct {
					Code  string   `json:"code"`
					Year  int      `json:"year"`
					Index *float64 `json:"index"`
				} `json:"rows"`
			}
			getJSON(t, "/api/inequality?kommun="+tc.kommun, &reg)
			getJSON(t, "/api/inequality?level=lan", &lan)
			getJSON(t, "/api/inequality?level=riket", &riket)
			if len(reg.Rows) == 0 || !near(*reg.Rows[len(reg.Rows)-1].Index, *last.Region, 1e-9) {
				t.Errorf("/api/inequality?kommun= %+v, report %.6f", reg.Rows, *last.Region)
			}
			if !strings.Contains(tc.kommun, ",") {
				var kom struct {
					Rows []struct {
						Code  string   `json:"code"`
						Year  int      `json:"year"`
						Index *float64 `json:"index"`
					} `json:"rows"`
				}
				getJSON(t, "/api/inequality?level=kommun", &kom)
				found := false
				for _, row := range kom.Rows {
					if row.Code == tc.kommun && row.Year == last.Year {
						found = true
						if !near(*row.Index, *last.Region, 1e-9) {
							t.Errorf("kommun index %.6f, report %.6f", *row.Index, *last.Region)
						}
					}
				}
				if !found {
					t.Error("kommun not in /api/inequality")
				}
			}
			for _, row := range lan.Rows {
				if row.Code == r.LanCode && row.Year == last.Year && !near(*row.Index, *last.Lan, 1e-9) {
					t.Errorf("län index %.6f, report %.6f", *row.Index, *last.Lan)
				}
			}
			wantRiket, nRiket := ojIndex(t, "", last.Year)
			if !near(*last.Riket, wantRiket, 1e-9) || !near(*riket.Rows[len(riket.Rows)-1].Index, wantRiket, 1e-9) || nRiket < 5000 {
				t.Errorf("riket index: report %.6f, API %.6f, computed %.6f over %d DeSO", *last.Riket, *riket.Rows[len(riket.Rows)-1].Index, wantRiket, nRiket)
			}
			if got := cell(t, page, fmt.Sprintf(`<tr data-year="%d">`, last.Year), "region"); got != locale.FormatNumber(want, 1, locale.SV) {
				t.Errorf("HTML ojämlikhetsindex %q, want %s", got, locale.FormatNumber(want, 1, locale.SV))
			}

			// Segregation indices as /api/segregation.
			var seg struct {
				Year    int                 `json:"year"`
				Areas   int                 `json:"areas"`
				Indices map[string]*float64 `json:"indices"`
			}
			getJSON(t, "/api/segregation?kommun="+tc.kommun, &seg)
			for k, v := range seg.Indices {
				g := r.Segregation.Indices[k]
				if (v == nil) != (g == nil) || v != nil && !near(*v, *g, 1e-12) {
					t.Errorf("segregation %s: report %v, API %v", k, g, v)
				}
			}
			if got := cell(t, page, `id="segregation-table"`, "dissimilarity"); got != locale.FormatNumber(*seg.Indices["dissimilarity"], 3, locale.SV) {
				t.Errorf("HTML dissimilarity %q, API %g", got, *seg.Indices["dissimilarity"])
			}

			// Highest and lowest RegSO per indicator as /api/values sorted.
			if len(r.Indicators) < 8 {
				t.Fatalf("%d key indicators", len(r.Indicators))
			}
			for _, ki := range r.Indicators {
				var v repValues
				getJSON(t, fmt.Sprintf("/api/values?level=regso&indicator=%s&year=%d&kommun=%s", ki.Indicator.ID, ki.Year, tc.kommun), &v)
				type cv struct {
					code string
					v    float64
				}
				var all []cv
				for _, a := range v.Areas {
					if a.Value != nil {
						all = append(all, cv{a.Code, *a.Value})
					}
				}
				sort.SliceStable(all, func(i, j int) bool {
					if all[i].v != all[j].v {
						return all[i].v > all[j].v
					}
					return all[i].code < all[j].code
				})
				n := min(3, len(all)/2)
				if len(ki.Highest) != n || len(ki.Lowest) != n {
					t.Errorf("%s: %d highest, %d lowest, want %d", ki.Indicator.ID, len(ki.Highest), len(ki.Lowest), n)
					continue
				}
				for i := 0; i < n; i++ {
					hi, lo := all[i], all[len(all)-1-i]
					if ki.Highest[i].Value != hi.v || ki.Lowest[i].Value != lo.v {
						t.Errorf("%s: highest/lowest %d: %+v / %+v, API %+v / %+v", ki.Indicator.ID, i, ki.Highest[i], ki.Lowest[i], hi, lo)
					}
					if !strings.Contains(page, fmt.Sprintf(`data-code="%s"`, ki.Highest[i].Code)) {
						t.Errorf("%s: highest %s not in the HTML", ki.Indicator.ID, ki.Highest[i].Code)
					}
				}
				var dv repValues
				getJSON(t, fmt.Sprintf("/api/values?level=deso&indicator=%s&year=%d&kommun=%s", ki.Indicator.ID, ki.Year, tc.kommun), &dv)
				sup, miss := 0, 0
				for _, a := range dv.Areas {
					switch {
					case a.Suppressed:
						sup++
					case a.Value == nil:
						miss++
					}
				}
				if ki.Suppressed != sup || ki.Missing != miss || ki.Areas != len(dv.Areas) {
					t.Errorf("%s: suppressed/missing/areas %d/%d/%d, API %d/%d/%d", ki.Indicator.ID, ki.Suppressed, ki.Missing, ki.Areas, sup, miss, len(dv.Areas))
				}
			}

			// LISA as /api/lisa with the same seed and permutations.
			var lisa struct {
				Moran struct {
					I    float64 `json:"i"`
					PSim float64 `json:"p_sim"`
				} `json:"moran"`
				Areas []struct{ Cluster string } `json:"areas"`
			}
			getJSON(t, "/api/lisa?level=deso&indicator="+r.LISA.Indicator.ID+"&permutations=999&seed=1&kommun="+tc.kommun, &lisa)
			counts := map[string]int{}
			for _, a := range lisa.Areas {
				counts[a.Cluster]++
			}
			if lisa.Moran.I != r.LISA.Moran.I || lisa.Moran.PSim != r.LISA.Moran.PSim {
				t.Errorf("Moran: report %+v, API %+v", r.LISA.Moran, lisa.Moran)
			}
			for k, v := range counts {
				if r.LISA.Counts[k] != v {
					t.Errorf("LISA %s: report %d, API %d", k, r.LISA.Counts[k], v)
				}
			}
			if counts["HH"]+counts["LL"] == 0 || !strings.Contains(r.LISA.Text, strconv.Itoa(counts["HH"])+" i kluster av höga") ||
				!strings.Contains(page, locale.FormatNumber(lisa.Moran.I, 2, locale.SV)) {
				t.Errorf("LISA text %q does not give the counts (HH %d) or Moran's I %.2f", r.LISA.Text, counts["HH"], lisa.Moran.I)
			}

			// Correlations as /api/correlation.
			ids := r.Correlation.Indicators
			for _, p := range [][2]int{{0, 1}, {0, len(ids) - 1}, {1, 3}} {
				var c struct {
					R float64 `json:"r"`
					N int     `json:"n"`
				}
				getJSON(t, fmt.Sprintf("/api/correlation?level=deso&x=%s&y=%s&year=%d&kommun=%s", ids[p[0]].ID, ids[p[1]].ID, r.Correlation.Year, tc.kommun), &c)
				if got := r.Correlation.R[p[0]][p[1]]; got == nil || !near(*got, c.R, 1e-12) || r.Correlation.N[p[0]][p[1]] != c.N {
					t.Errorf("r(%s, %s): report %v n=%d, API %.6f n=%d", ids[p[0]].ID, ids[p[1]].ID, got, r.Correlation.N[p[0]][p[1]], c.R, c.N)
				}
			}

			// Change as /api/change and as the difference of two /api/values.
			ch := r.Change.Change
			var api struct {
				Summary struct {
					N         int     `json:"n"`
					Increased int     `json:"increased"`
					Mean      float64 `json:"mean"`
				} `json:"summary"`
			}
			getJSON(t, fmt.Sprintf("/api/change?level=deso&indicator=%s&from=%d&to=%d&kommun=%s", ch.Indicator.ID, ch.From, ch.To, tc.kommun), &api)
			var a, b repValues
			getJSON(t, fmt.Sprintf("/api/values?level=deso&indicator=%s&year=%d&kommun=%s", ch.Indicator.ID, ch.From, tc.kommun), &a)
			getJSON(t, fmt.Sprintf("/api/values?level=deso&indicator=%s&year=%d&kommun=%s", ch.Indicator.ID, ch.To, tc.kommun), &b)
			from := map[string]float64{}
			for _, x := range a.Areas {
				if x.Value != nil {
					from[x.Code] = *x.Value
				}
			}
			nn, inc, total, maxInc, maxCode := 0, 0, 0.0, math.Inf(-1), ""
			for _, x := range b.Areas {
				f, ok := from[x.Code]
				if !ok || x.Value == nil {
					continue
				}
				d := *x.Value - f
				nn++
				total += d
				if d > 0 {
					inc++
				}
				if d > maxInc {
					maxInc, maxCode = d, x.Code
				}
			}
			if ch.Summary.N != nn || api.Summary.N != nn || ch.Summary.Increased != inc || !near(*ch.Summary.Mean, total/float64(nn), 1e-9) || !near(api.Summary.Mean, total/float64(nn), 1e-9) {
				t.Errorf("change: report %+v, API %+v, computed n=%d inc=%d mean=%.4f", ch.Summary, api.Summary, nn, inc, total/float64(nn))
			}
			if len(r.Change.Increases) == 0 || r.Change.Increases[0].Code != maxCode || !near(r.Change.Increases[0].Change, maxInc, 1e-9) {
				t.Errorf("largest increase %+v, computed %s %.3f", r.Change.Increases, maxCode, maxInc)
			}
		})
	}
}
