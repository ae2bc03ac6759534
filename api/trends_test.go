package api_test

import (
	"bytes"
	"encoding/csv"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// panelSeries is an area's foreign-born share per year from the RegSO
// panel's counts, and its kommun's share from the summed counts.
func panelSeries(t *testing.T, regso string) (area, kommun map[int]float64) {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "data", "national", "files", "regso2020_timeseries_2020_2023.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	num := func(r []string, name string) float64 {
		v, err := strconv.ParseFloat(r[col[name]], 64)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	kommunCode := strings.SplitN(regso, "R", 2)[0]
	area, kommun = map[int]float64{}, map[int]float64{}
	fb, pop := map[int]float64{}, map[int]float64{}
	for _, r := range recs[1:] {
		y, _ := strconv.Atoi(r[col["year"]])
		if r[col["regso"]] == regso {
			area[y] = 100 * num(r, "foreign_born") / num(r, "pop_total")
		}
		if r[col["kommun"]] == kommunCode {
			fb[y] += num(r, "foreign_born")
			pop[y] += num(r, "pop_total")
		}
	}
	for y := range fb {
		kommun[y] = 100 * fb[y] / pop[y]
	}
	return area, kommun
}

type trendJSON struct {
	Years []int `json:"years"`
	Areas []struct {
		Code   string     `json:"code"`
		Kommun string     `json:"kommun"`
		Values []*float64 `json:"values"`
	} `json:"areas"`
	Parents []struct {
		Code   string     `json:"code"`
		Level  string     `json:"level"`
		Values []*float64 `json:"values"`
	} `json:"parents"`
}

func TestTrendAPI(t *testing.T) {
	t.Parallel()
	area, kommun := panelSeries(t, "0180R001")
	var tr trendJSON
	getJSON(t, "/api/trend?indicator=foreign_born_pct&level=regso&codes=0180R001,0114R001", &tr)
	if len(tr.Years) != 4 || len(tr.Areas) != 2 || tr.Areas[0].Code != "0180R001" || tr.Areas[0].Kommun != "0180" {
		t.Fatalf("trend %+v", tr)
	}
	for i, y := range tr.Years {
		if v := tr.Areas[0].Values[i]; v == nil || math.Abs(*v-area[y]) > 1e-9 {
			t.Errorf("0180R001 %d: %v, want %v", y, v, area[y])
		}
	}
	found := false
	for _, p := range tr.Parents {
		if p.Level == "kommun" && p.Code == "0180" {
			found = true
			for i, y := range tr.Years {
				if v := p.Values[i]; v == nil || math.Abs(*v-kommun[y]) > 1e-9 {
					t.Errorf("kommun 0180 %d: %v, want %v", y, v, kommun[y])
				}
			}
		}
	}
	if !found {
		t.Error("kommun 0180 not among the parents")
	}
}

func TestTrendAPIErrors(t *testing.T) {
	t.Parallel()
	expectError(t, "/api/trend?indicator=foreign_born_pct", http.StatusBadRequest, "bad_request")
	expectError(t, "/api/trend?indicator=foreign_born_pct&codes=0180R001&format=pdf", http.StatusBadRequest, "bad_request")
	expectError(t, "/api/trend?indicator=foreign_born_pct&codes=nope", http.StatusNotFound, "not_found")
	expectError(t, "/api/segregation/trend", http.StatusBadRequest, "bad_request")
	expectError(t, "/api/omradestyper/transition?from=2023&to=2022", http.StatusBadRequest, "bad_request")
	expectError(t, "/api/omradestyper/transition?from=x", http.StatusBadRequest, "bad_request")
}

func TestTrendTables(t *testing.T) {
	t.Parallel()
	area, _ := panelSeries(t, "0180R001")
	rec := get(t, "/api/trend?indicator=foreign_born_pct&codes=0180R001&format=csv")
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") {
		t.Fatalf("csv: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(rec.Body.Bytes(), []byte("\uFEFF"))))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(recs[0], "|"); got != "kod|namn|nivå|kommun|län|2020|2021|2022|2023" {
		t.Fatalf("header %s", got)
	}
	// the area, kommun, län, riket
	if len(recs) != 5 || recs[1][0] != "0180R001" || recs[4][2] != "riket" {
		t.Fatalf("rows %v", recs)
	}
	for i, y := range []int{2020, 2021, 2022, 2023} {
		v, err := strconv.ParseFloat(strings.Replace(recs[1][5+i], ",", ".", 1), 64)
		if err != nil || math.Abs(v-area[y]) > 1e-9 {
			t.Errorf("csv %d: %q, want %v", y, recs[1][5+i], area[y])
		}
	}

	rec = get(t, "/api/trend?indicator=foreign_born_pct&codes=0180R001&format=xlsx&lang=en")
	if rec.Code != http.StatusOK {
		t.Fatalf("xlsx: %d %s", rec.Code, rec.Body.String())
	}
	f, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Data")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 || rows[0][0] != "code" || rows[0][8] != "2023" || rows[1][0] != "0180R001" {
		t.Fatalf("xlsx rows %v", rows)
	}
	typ, err := f.GetCellType("Data", "I2")
	if err != nil {
		t.Fatal(err)
	}
	v, _ := f.GetCellValue("Data", "I2", excelize.Options{RawCellValue: true})
	if x, err := strconv.ParseFloat(v, 64); err != nil || math.Abs(x-area[2023]) > 1e-9 || typ == excelize.CellTypeSharedString {
		t.Errorf("xlsx 2023: %q (type %v), want the number %v", v, typ, area[2023])
	}
}

func TestSegregationTrendAndTransitionAPI(t *testing.T) {
	t.Parallel()
	var st struct {
		Years  []int             `json:"years"`
		Levels map[string]string `json:"levels"`
		Series []struct {
			Code  string `json:"code"`
			Kind  string `json:"kind"`
			Years []struct {
				Level   string `json:"level"`
				Indices struct {
					D *float64 `json:"dissimilarity"`
				} `json:"indices"`
			} `json:"years"`
		} `json:"series"`
	}
	getJSON(t, "/api/segregation/trend?kommun=0180", &st)
	if len(st.Years) != 4 || st.Levels["2022"] != "deso" || st.Levels["2023"] != "regso" || len(st.Series) != 3 {
		t.Fatalf("segregation trend %+v", st)
	}
	for _, s := range st.Series {
		for _, y := range s.Years {
			if y.Indices.D == nil || *y.Indices.D <= 0 || *y.Indices.D >= 1 {
				t.Errorf("%s %s: D %v", s.Kind, s.Code, y.Indices.D)
			}
		}
	}
	// The groups and the note: Swedish by default, English on request.
	for lang, want := range map[string][2]string{"": {"utrikes födda", "inte jämförbara"}, "&lang=en": {"foreign-born", "not comparable"}} {
		var words struct{ Groups, Note string }
		getJSON(t, "/api/segregation/trend?kommun=0180"+lang, &words)
		if !strings.Contains(words.Groups, want[0]) || !strings.Contains(words.Note, want[1]) {
			t.Errorf("lang %q: groups %q, note %q", lang, words.Groups, words.Note)
		}
	}
	var tr struct {
		Areas [5][5]int `json:"areas"`
		Moves []struct {
			Direction string `json:"direction"`
		} `json:"moves"`
		Better, Worse int
	}
	getJSON(t, "/api/omradestyper/transition?from=2022&to=2023", &tr)
	if len(tr.Moves) != 253 || tr.Better+tr.Worse != 253 {
		t.Errorf("national transition: %d moves (%d better, %d worse), want 253", len(tr.Moves), tr.Better, tr.Worse)
	}
}

func TestTrendSVG(t *testing.T) {
	t.Parallel()
	area, kommun := panelSeries(t, "0180R001")
	rec := get(t, "/api/trend.svg?indicator=foreign_born_pct&codes=0180R001")
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "image/svg+xml" {
		t.Fatalf("trend.svg: %d %q %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
	}
	svg := rec.Body.String()
	if !strings.HasPrefix(strings.TrimSpace(svg), "<svg") {
		t.Fatalf("not an SVG: %.80s", svg)
	}
	// Each point's tooltip carries its value (decimal comma): the area's
	// and its kommun's 2023 values from the source counts.
	for name, v := range map[string]float64{"2023": area[2023], "Stockholm 2023": kommun[2023]} {
		want := strings.Replace(strconv.FormatFloat(v, 'f', 1, 64), ".", ",", 1)
		if !strings.Contains(svg, " "+name+": "+want+"</title>") && !strings.Contains(svg, name+": "+want+"</title>") {
			t.Errorf("no point %s: %s in the chart", name, want)
		}
	}
	expectError(t, "/api/trend.svg?indicator=foreign_born_pct", http.StatusBadRequest, "bad_request")
}
