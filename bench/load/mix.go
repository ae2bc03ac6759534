package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
)

const mixSummary = "55% tiles z8-z14 over Stockholm (deso/regso/kommun, 1 in 4 revalidated with If-None-Match), 15% /api/values, 15% /api/classify, 10% profiles, 5% /api/meta"

// mix is what the generator learned from /api/meta and /api/areas.
type mix struct {
	base       string
	version    int64
	levels     []string // tiled levels
	indicators []indicator
	areas      []string // deso codes in Stockholm/Solna/Sundbyberg for profiles
	kommuner   []string
}

type indicator struct {
	ID         string   `json:"id"`
	Years      []int    `json:"years"`
	Breakdowns []string `json:"breakdowns"`
	// YearsByLevel (when the server lists it) keeps the mix to years that
	// have values at the chosen level, as a client should.
	YearsByLevel map[string][]int `json:"years_by_level"`
	Aggregation  string           `json:"aggregation"`
}

func discover(ctx context.Context, client *http.Client, base string) (*mix, error) {
	var meta struct {
		DataVersion int64 `json:"data_version"`
		Levels      []struct {
			ID string `json:"id"`
		} `json:"levels"`
		Indicators []indicator `json:"indicators"`
	}
	if err := getJSON(ctx, client, base+"/api/meta", &meta); err != nil {
		return nil, err
	}
	m := &mix{base: base, version: meta.DataVersion, kommuner: []string{"0180", "0184", "0183", "0114", "0182"}}
	for _, l := range meta.Levels {
		if l.ID == "deso" || l.ID == "regso" || l.ID == "kommun" {
			m.levels = append(m.levels, l.ID)
		}
	}
	for _, in := range meta.Indicators {
		if len(in.Years) > 0 && len(in.Breakdowns) > 0 {
			m.indicators = append(m.indicators, in)
		}
	}
	var areas struct {
		Areas []struct {
			Code string `json:"code"`
		} `json:"areas"`
	}
	if err := getJSON(ctx, client, base+"/api/areas/deso?kommun=0180,0184,0183", &areas); err != nil {
		return nil, err
	}
	for _, a := range areas.Areas {
		m.areas = append(m.areas, a.Code)
	}
	if len(m.levels) == 0 || len(m.indicators) == 0 || len(m.areas) == 0 {
		return nil, fmt.Errorf("%s/api/meta: no levels, indicators or areas to load", base)
	}
	return m, nil
}

func getJSON(ctx context.Context, client *http.Client, u string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("GET %s: %s: %s", u, resp.Status, b)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// next returns the next request of one simulated session.
func (m *mix) next(r *rand.Rand, etags map[string]string) (u string, ifNoneMatch string) {
	p := r.IntN(100)
	switch {
	case p < 55:
		return m.tile(r, etags)
	case p < 70:
		return m.base + "/api/values?" + m.valuesQuery(r).Encode(), ""
	case p < 85:
		q := m.valuesQuery(r)
		method := pick(r, []string{"quantile", "equal", "fisher", "jenks", "sd", "pretty"})
		k := 3 + r.IntN(5)
		if method == "pretty" {
			k = 3 + r.IntN(3) // pretty may round up to more classes than the palette has (see RELIABILITY.md)
		}
		q.Set("method", method)
		q.Set("k", strconv.Itoa(k))
		q.Set("lang", pick(r, []string{"sv", "sv", "en"}))
		return m.base + "/api/classify?" + q.Encode(), ""
	case p < 95:
		return m.base + "/api/areas/deso/" + pick(r, m.areas) + "/profile", ""
	default:
		return m.base + "/api/meta", ""
	}
}

func (m *mix) valuesQuery(r *rand.Rand) url.Values {
	in := m.indicators[r.IntN(len(m.indicators))]
	q := url.Values{}
	// what the client offers: parent levels only for aggregated indicators,
	// områdestyp only at its own level (regso)
	level := pick(r, []string{"deso", "deso", "regso", "kommun"})
	switch {
	case in.ID == "omradestyp":
		level = "regso"
	case in.Aggregation == "none":
		level = "deso"
	}
	q.Set("level", level)
	q.Set("indicator", in.ID)
	years := in.Years
	if ys := in.YearsByLevel[level]; len(ys) > 0 {
		years = ys
	}
	q.Set("year", strconv.Itoa(years[r.IntN(len(years))]))
	q.Set("breakdown", pick(r, in.Breakdowns))
	if level != "kommun" && r.IntN(2) == 0 { // one kommun at kommun level is a single area: see RELIABILITY.md
		q.Set("kommun", pick(r, m.kommuner))
	}
	return q
}

// tile picks a zoom 8..14 and a tile in a window around Stockholm that
// narrows as the zoom grows, like a user zooming in on the city.
func (m *mix) tile(r *rand.Rand, etags map[string]string) (string, string) {
	z := 8 + r.IntN(7)
	lon := 18.07 + (r.Float64()-0.5)*1.2/float64(int(1)<<max(0, z-8))*2
	lat := 59.33 + (r.Float64()-0.5)*0.6/float64(int(1)<<max(0, z-8))*2
	x, y := lonLatToTile(lon, lat, z)
	layer := pick(r, m.levels)
	u := fmt.Sprintf("%s/tiles/%s/%d/%d/%d.mvt?v=%d", m.base, layer, z, x, y, m.version)
	if tag, ok := etags[u]; ok && r.IntN(4) == 0 {
		return u, tag
	}
	return u, ""
}

func lonLatToTile(lon, lat float64, z int) (int, int) {
	n := math.Exp2(float64(z))
	x := int((lon + 180) / 360 * n)
	rad := lat * math.Pi / 180
	y := int((1 - math.Log(math.Tan(rad)+1/math.Cos(rad))/math.Pi) / 2 * n)
	return x, y
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }
