package demo

import (
	"context"
	"encoding/csv"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/data/national"
)

func TestBuild(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "demo.gpkg")
	if testing.Short() {
		// The cached store, which Build made for this version, instead of
		// a build of its own (the full run builds).
		if err := CopyTo(ctx, path); err != nil {
			t.Fatal(err)
		}
	} else {
		start := time.Now()
		if err := Build(ctx, path, Options{}); err != nil {
			t.Fatal(err)
		}
		t.Logf("built in %v", time.Since(start))
	}
	if err := Build(ctx, path, Options{}); err == nil {
		t.Error("Build over an existing file without Replace succeeded")
	}
	s, err := data.Open(ctx, path, data.OpenOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	deso, err := s.Areas(ctx, data.LevelDeSO, data.AreasOptions{WithGeometry: true, Kommuner: nil})
	if err != nil {
		t.Fatal(err)
	}
	withGeom := 0
	for _, a := range deso {
		if a.Geometry != nil {
			withGeom++
		}
	}
	if withGeom != 1287 {
		t.Errorf("DeSO with geometry = %d, want 1287", withGeom)
	}
	// RegSO polygons are dissolved from the DeSO: every RegSO of län 01 has one.
	regso, err := s.Areas(ctx, data.LevelRegSO, data.AreasOptions{WithGeometry: true, Kommuner: nil})
	if err != nil {
		t.Fatal(err)
	}
	regsoGeom, regso01 := 0, 0
	for _, a := range regso {
		if strings.HasPrefix(a.Code, "01") {
			regso01++
		}
		if a.Geometry != nil {
			regsoGeom++
			if !strings.HasPrefix(a.Code, "01") {
				t.Errorf("RegSO %s outside län 01 has geometry", a.Code)
			}
		}
	}
	if regsoGeom == 0 || regsoGeom != regso01 {
		t.Errorf("RegSO with geometry = %d, RegSO in län 01 = %d; want equal and > 0", regsoGeom, regso01)
	}
	kommuner, err := s.Areas(ctx, data.LevelKommun, data.AreasOptions{WithGeometry: true})
	if err != nil {
		t.Fatal(err)
	}
	kommunGeom := 0
	for _, a := range kommuner {
		if a.Geometry != nil {
			kommunGeom++
			if a.Name == "" {
				t.Errorf("kommun %s has no name", a.Code)
			}
		}
	}
	if kommunGeom != 26 {
		t.Errorf("kommuner with geometry = %d, want the 26 of Stockholms län", kommunGeom)
	}
	vs, err := s.Values(ctx, data.ValuesQuery{Level: data.LevelDeSO, Indicator: "population", Year: 2022})
	if err != nil || len(vs) != 5984 {
		t.Errorf("DeSO population values 2022 = %d (%v), want 5984", len(vs), err)
	}
	riket, err := s.Values(ctx, data.ValuesQuery{Level: data.LevelRiket, Indicator: "population", Year: 2022})
	if err != nil || len(riket) != 1 || riket[0].Value != 10521556 {
		t.Errorf("riket population 2022 = %+v (%v), want 10521556", riket, err)
	}
	// RegSO områdestyp 2022: 3,363 RegSO, 160 of type 1 (SCB).
	ot, _ := s.Values(ctx, data.ValuesQuery{Level: data.LevelRegSO, Indicator: "omradestyp", Year: 2022})
	type1 := 0
	for _, v := range ot {
		if v.Value == 1 {
			type1++
		}
	}
	if len(ot) != 3363 || type1 != 160 {
		t.Errorf("omradestyp: %d RegSO, %d of type 1; want 3363, 160", len(ot), type1)
	}
	// 2024 on DeSO 2025 codes: 0180C2780 was split into three; its value is their mean.
	inc, _ := s.Values(ctx, data.ValuesQuery{Level: data.LevelDeSO, Indicator: "net_income_mean_tkr", Year: 2024, Kommuner: []string{"0180"}})
	found := false
	for _, v := range inc {
		if v.Code == "0180C2780" {
			found = true
			if math.Abs(v.Value-483.5333333) > 1e-6 || !v.Estimated {
				t.Errorf("0180C2780 2024 = %+v", v)
			}
		}
	}
	if !found {
		t.Error("no 2024 income for 0180C2780")
	}
	inds, err := s.Indicators(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(inds) < 18 || inds[0].ID != "low_econ_standard_pct" {
		t.Errorf("%d indicators, first %v", len(inds), inds[0].ID)
	}
	for _, ind := range inds {
		if ind.NameSV == "" || ind.NameEN == "" || ind.Unit == "" || ind.Source == "" || len(ind.Years) == 0 {
			t.Errorf("indicator %s incomplete: %+v", ind.ID, ind)
		}
	}
	checkPanel(ctx, t, s)
}

// checkPanel checks the multi-year RegSO data against the embedded CSVs,
// read here on their own: every RegSO's population and foreign-born share
// for 2020–2023, the riket population per year recomputed from the rows,
// and the områdestyper of 2023.
func checkPanel(ctx context.Context, t *testing.T, s *data.Store) {
	t.Helper()
	f, err := national.Files().Open("files/regso2020_timeseries_2020_2023.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	num := func(r []string, c string) float64 {
		v, err := strconv.ParseFloat(r[col[c]], 64)
		if err != nil {
			t.Fatalf("%s %s: %v", r[col["regso"]], c, err)
		}
		return v
	}
	type key struct {
		code string
		year int
	}
	pop, fb := map[key]float64{}, map[key]float64{}
	riketPop := map[int]float64{}
	for _, r := range rows[1:] {
		year, _ := strconv.Atoi(r[col["year"]])
		k := key{r[col["regso"]], year}
		pop[k] = num(r, "pop_total")
		fb[k] = num(r, "foreign_born") / num(r, "pop_total") * 100
		riketPop[year] += num(r, "pop_total")
	}
	for year := 2020; year <= 2023; year++ {
		vs, err := s.Values(ctx, data.ValuesQuery{Level: data.LevelRegSO, Indicator: "population", Year: year})
		if err != nil || len(vs) != 3363 {
			t.Fatalf("RegSO population %d: %d values (%v), want 3363", year, len(vs), err)
		}
		for _, v := range vs {
			if want := pop[key{v.Code, year}]; v.Value != want {
				t.Errorf("RegSO %s population %d = %v, want %v", v.Code, year, v.Value, want)
			}
		}
		share, _ := s.Values(ctx, data.ValuesQuery{Level: data.LevelRegSO, Indicator: "foreign_born_pct", Year: year})
		for _, v := range share {
			if want := fb[key{v.Code, year}]; math.Abs(v.Value-want) > 1e-9 {
				t.Errorf("RegSO %s foreign_born_pct %d = %v, want %v", v.Code, year, v.Value, want)
			}
		}
		if len(share) != 3363 {
			t.Errorf("RegSO foreign_born_pct %d: %d values, want 3363", year, len(share))
		}
		riket, err := s.Values(ctx, data.ValuesQuery{Level: data.LevelRiket, Indicator: "population", Year: year})
		if err != nil || len(riket) != 1 || riket[0].Value != riketPop[year] {
			t.Errorf("riket population %d = %+v (%v), want %v", year, riket, err, riketPop[year])
		}
	}
	ot, _ := s.Values(ctx, data.ValuesQuery{Level: data.LevelRegSO, Indicator: "omradestyp", Year: 2023})
	type1 := 0
	for _, v := range ot {
		if v.Value == 1 {
			type1++
		}
	}
	if len(ot) != 3363 || type1 != 162 {
		t.Errorf("omradestyp 2023: %d RegSO, %d of type 1; want 3363, 162 (SCB)", len(ot), type1)
	}
}
