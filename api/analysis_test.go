package api_test

import (
	"math"
	"net/http"
	"slices"
	"strings"
	"testing"
)

func TestOmradestyper(t *testing.T) {
	t.Parallel()
	var r struct {
		Types []struct {
			Type            int      `json:"type"`
			LabelSV         string   `json:"label_sv"`
			Color           string   `json:"color"`
			RegSOCount      int      `json:"regso_count"`
			Population      *float64 `json:"population"`
			PopulationShare *float64 `json:"population_share"`
		} `json:"types"`
		Areas []struct {
			Code       string   `json:"code"`
			Kommun     string   `json:"kommun"`
			Type       int      `json:"type"`
			Population *float64 `json:"population"`
		} `json:"areas"`
	}
	getJSON(t, "/api/omradestyper?kommun=0180", &r)
	if len(r.Types) != 5 {
		t.Fatalf("%d types", len(r.Types))
	}
	typed, share := 0, 0.0
	for _, ty := range r.Types {
		typed += ty.RegSOCount
		if ty.Color == "" || ty.LabelSV == "" {
			t.Errorf("type %+v", ty)
		}
		if ty.PopulationShare != nil {
			share += *ty.PopulationShare
		}
	}
	n := 0
	for _, a := range r.Areas {
		if a.Kommun != "0180" {
			t.Fatalf("area %+v outside 0180", a)
		}
		if a.Type >= 1 && a.Type <= 5 {
			n++
		}
	}
	if typed != n || n == 0 {
		t.Errorf("type counts sum to %d, %d typed RegSO listed", typed, n)
	}
	if math.Abs(share-1) > 1e-9 {
		t.Errorf("population shares sum to %v", share)
	}
	expectError(t, "/api/omradestyper?kommun=9999", http.StatusNotFound, "not_found")
}

// dissimilarity is the textbook index, computed here independently.
func dissimilarity(a, b []float64) float64 {
	var sa, sb, d float64
	for i := range a {
		sa += a[i]
		sb += b[i]
	}
	for i := range a {
		d += math.Abs(a[i]/sa - b[i]/sb)
	}
	return d / 2
}

func TestInequality(t *testing.T) {
	t.Parallel()
	var r struct {
		Rows []struct {
			Code  string   `json:"code"`
			Year  int      `json:"year"`
			Index *float64 `json:"index"`
		} `json:"rows"`
	}
	getJSON(t, "/api/inequality?level=kommun", &r)
	ref := refRows(t, "0180")
	var low, high []float64
	for _, row := range ref {
		n := num(t, row["econ_standard_n_persons"])
		low = append(low, num(t, row["low_econ_standard_pct"])*n/100)
		high = append(high, num(t, row["high_econ_standard_pct"])*n/100)
	}
	want := 100 * dissimilarity(low, high)
	i := slices.IndexFunc(r.Rows, func(x struct {
		Code  string   `json:"code"`
		Year  int      `json:"year"`
		Index *float64 `json:"index"`
	}) bool {
		return x.Code == "0180" && x.Year == 2022
	})
	if i < 0 || r.Rows[i].Index == nil {
		t.Fatalf("no 0180/2022 row: %+v", r.Rows)
	}
	// The store's numerators are rounded to whole persons: allow 0.5 points.
	if got := *r.Rows[i].Index; math.Abs(got-want) > 0.5 {
		t.Errorf("ojämlikhetsindex 0180 = %v, independent %v", got, want)
	}
	for _, row := range r.Rows {
		if row.Index != nil && (*row.Index < 0 || *row.Index > 100) {
			t.Errorf("%+v out of 0..100", row)
		}
	}
	expectError(t, "/api/inequality?level=deso", http.StatusBadRequest, "bad_request")
}

func TestSegregation(t *testing.T) {
	t.Parallel()
	var r struct {
		Kommun  string `json:"kommun"`
		Level   string `json:"level"`
		Year    int    `json:"year"`
		Groups  string `json:"groups"`
		Indices map[string]*float64
	}
	getJSON(t, "/api/segregation?kommun=0180&year=2022", &r)
	ref := refRows(t, "0180")
	var a, b []float64
	for _, row := range ref {
		fb := num(t, row["born_europe_excl_sweden"]) + num(t, row["born_rest_of_world_incl_unknown"])
		a = append(a, fb)
		b = append(b, num(t, row["pop_total"])-fb)
	}
	want := dissimilarity(a, b)
	d := r.Indices["dissimilarity"]
	if d == nil || math.Abs(*d-want) > 1e-9 {
		t.Errorf("dissimilarity %v, independent %v", d, want)
	}
	for _, k := range []string{"isolation", "exposure", "theil", "gini", "morrill_d"} {
		if v := r.Indices[k]; v == nil || *v < 0 || *v > 1 {
			t.Errorf("%s = %v, want a number in 0..1", k, v)
		}
	}
	if r.Groups == "" || r.Level != "deso" || r.Year != 2022 {
		t.Errorf("groups %q level %q year %d", r.Groups, r.Level, r.Year)
	}
	expectError(t, "/api/segregation", http.StatusBadRequest, "bad_request")
	expectError(t, "/api/segregation?kommun=9999", http.StatusNotFound, "not_found")
}

func TestLISA(t *testing.T) {
	t.Parallel()
	var r struct {
		Moran struct {
			I, Expected, Z float64
			PSim           *float64 `json:"p_sim"`
		} `json:"moran"`
		Islands []string `json:"islands"`
		Areas   []struct {
			Code    string   `json:"code"`
			Value   *float64 `json:"value"`
			P       *float64 `json:"p"`
			Cluster string   `json:"cluster"`
		} `json:"areas"`
		Colors map[string]string `json:"colors"`
	}
	getJSON(t, "/api/lisa?level=deso&indicator=low_econ_standard_pct&year=2022&kommun=0180&permutations=99&seed=1", &r)
	// Low economic standard clusters strongly in Stockholm (Järva, söderort).
	if r.Moran.I < 0.3 || r.Moran.Z < 5 || r.Moran.PSim == nil || *r.Moran.PSim > 0.05 {
		t.Errorf("moran %+v: expected strong positive autocorrelation", r.Moran)
	}
	valid := []string{"HH", "LL", "HL", "LH", "ns", "island", "nodata"}
	for _, c := range valid { // the client draws with these
		if !strings.HasPrefix(r.Colors[c], "#") || len(r.Colors[c]) != 7 {
			t.Errorf("colour of %s: %q", c, r.Colors[c])
		}
	}
	count := map[string]int{}
	for _, a := range r.Areas {
		if !slices.Contains(valid, a.Cluster) {
			t.Fatalf("cluster %q", a.Cluster)
		}
		count[a.Cluster]++
		if (a.Cluster == "nodata") != (a.Value == nil) {
			t.Errorf("%s: cluster %s, value %v", a.Code, a.Cluster, a.Value)
		}
		if a.Cluster == "HH" && (a.P == nil || *a.P >= 0.05) {
			t.Errorf("%s HH with p %v", a.Code, a.P)
		}
	}
	if count["HH"] == 0 || count["LL"] == 0 {
		t.Errorf("clusters %v: expected both HH and LL", count)
	}
	if count["island"] != len(r.Islands) {
		t.Errorf("%d island clusters, islands %v", count["island"], r.Islands)
	}
	expectError(t, "/api/lisa?indicator=low_econ_standard_pct&kommun=0180&alpha=2", http.StatusBadRequest, "bad_request")
}

func TestGiStar(t *testing.T) {
	t.Parallel()
	var r struct {
		Areas []struct {
			Code  string   `json:"code"`
			Value *float64 `json:"value"`
			Z     *float64 `json:"z"`
		} `json:"areas"`
	}
	getJSON(t, "/api/gistar?level=deso&indicator=low_econ_standard_pct&kommun=0180", &r)
	hot := 0
	for _, a := range r.Areas {
		if (a.Value == nil) != (a.Z == nil) {
			t.Errorf("%s value %v z %v", a.Code, a.Value, a.Z)
		}
		if a.Z != nil && *a.Z > 1.96 {
			hot++
		}
	}
	if hot == 0 {
		t.Error("no hot spot of low economic standard in Stockholm")
	}
}

func TestCorrelation(t *testing.T) {
	t.Parallel()
	type resp struct {
		R      float64 `json:"r"`
		N      int     `json:"n"`
		Method string  `json:"method"`
		Points []struct {
			Code string
			X, Y float64
		} `json:"points"`
	}
	var r resp
	getJSON(t, "/api/correlation?level=deso&x=low_econ_standard_pct&y=foreign_born_pct&year=2022&kommun=0180", &r)
	if r.N != len(r.Points) || r.N < 100 {
		t.Fatalf("n %d points %d", r.N, len(r.Points))
	}
	// Independent Pearson over the returned points.
	var mx, my float64
	for _, p := range r.Points {
		mx += p.X
		my += p.Y
	}
	mx /= float64(r.N)
	my /= float64(r.N)
	var sxy, sxx, syy float64
	for _, p := range r.Points {
		sxy += (p.X - mx) * (p.Y - my)
		sxx += (p.X - mx) * (p.X - mx)
		syy += (p.Y - my) * (p.Y - my)
	}
	if want := sxy / math.Sqrt(sxx*syy); math.Abs(r.R-want) > 1e-9 || r.R < 0.5 {
		t.Errorf("pearson r %v, independent %v (expected strongly positive)", r.R, want)
	}
	var s resp
	getJSON(t, "/api/correlation?level=deso&x=low_econ_standard_pct&y=foreign_born_pct&kommun=0180&method=spearman", &s)
	if s.Method != "spearman" || s.R < 0.5 || s.R > 1 {
		t.Errorf("spearman %+v", s.R)
	}
	expectError(t, "/api/correlation?x=low_econ_standard_pct&y=foreign_born_pct&method=spearman&weighted=true", http.StatusBadRequest, "bad_request")
	expectError(t, "/api/correlation?x=low_econ_standard_pct", http.StatusBadRequest, "bad_request")
}
