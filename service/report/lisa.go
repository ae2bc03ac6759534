package report

import (
	"context"
	"fmt"
	"html/template"
	"sort"
	"strings"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/internal/fault"
	"github.com/segmap/segmap/render"
	"github.com/segmap/segmap/service"
)

// Nulägesbild: the cluster part (LISA of one indicator).

// LISA is the cluster analysis of one indicator.
type LISA struct {
	Indicator    data.Indicator       `json:"indicator"`
	Year         int                  `json:"year"`
	Level        string               `json:"level"`
	Moran        service.MoranSummary `json:"moran"`
	Permutations int                  `json:"permutations"`
	Alpha        float64              `json:"alpha"`
	Seed         uint64               `json:"seed"`
	Counts       map[string]int       `json:"counts"` // HH, LL, HL, LH, ns, island, nodata
	Analysed     int                  `json:"analysed"`
	// HHPlaces and LLPlaces name the RegSO with most DeSO in each cluster
	// kind, most first (at most 5).
	HHPlaces []string           `json:"hh_places"`
	LLPlaces []string           `json:"ll_places"`
	Text     string             `json:"text"`
	Map      template.HTML      `json:"-"`
	Areas    []service.LISAArea `json:"-"`
}

func (b *builder) lisa(ctx context.Context, ind data.Indicator) error {
	lisaColors := service.LISAColors()
	if noTotal(ind) {
		err := fault.New(fault.NotFound, "indicator %q has no breakdown %q; breakdowns: %v", ind.ID, data.BreakdownTotal, ind.Breakdowns)
		return skipBecause(err, "skip_no_total", b.indName(ind), strings.Join(ind.Breakdowns, ", "))
	}
	res, err := b.svc.LISA(ctx, service.LISAQuery{ValuesQuery: service.ValuesQuery{Level: data.LevelDeSO, Indicator: ind.ID, Kommuner: b.q.Kommuner},
		Alpha: b.q.Alpha, Permutations: b.q.Permutations, Seed: b.q.Seed})
	if err != nil {
		if g, gerr := b.geometries(ctx, data.LevelDeSO); gerr == nil && len(g) == 0 {
			return skipBecause(err, "skip_no_polygons", levelLabel(data.LevelDeSO), b.r.Name)
		}
		return err
	}
	rl := &LISA{Indicator: ind, Year: res.Year, Level: res.Level, Moran: res.Moran, Permutations: b.q.Permutations,
		Alpha: b.q.Alpha, Seed: b.q.Seed, Counts: map[string]int{}, Areas: res.Areas, HHPlaces: []string{}, LLPlaces: []string{}}
	regOf := map[string]string{}
	for _, d := range b.deso {
		regOf[d.Code] = d.RegSO
	}
	hh, ll := map[string]int{}, map[string]int{}
	fill := map[string]string{}
	for _, a := range res.Areas {
		rl.Counts[a.Cluster]++
		if a.Cluster != "nodata" {
			rl.Analysed++
		}
		fill[a.Code] = lisaColors[a.Cluster]
		name := b.regso[regOf[a.Code]].Name
		if name == "" {
			continue
		}
		switch a.Cluster {
		case "HH":
			hh[name]++
		case "LL":
			ll[name]++
		}
	}
	rl.HHPlaces, rl.LLPlaces = topPlaces(hh, 5), topPlaces(ll, 5)
	var legend []render.LegendItem
	for _, c := range []string{"HH", "LL", "HL", "LH", "ns", "island", "nodata"} {
		if rl.Counts[c] == 0 && (c == "island" || c == "nodata") {
			continue
		}
		legend = append(legend, render.LegendItem{Label: b.t("cl_" + c), Color: lisaColors[c], Count: rl.Counts[c]})
	}
	rl.Text = b.lisaText(rl)
	rl.Map, err = b.mapSVG(ctx, data.LevelDeSO, fill, fmt.Sprintf("LISA – %s %d", b.indName(ind), res.Year),
		fmt.Sprintf("DeSO · %s · p < %s", b.r.Name, b.num(b.q.Alpha, -1)), b.t("cluster"), legend, res.Year)
	b.r.LISA = rl
	return err
}

// topPlaces returns up to n names by count (most first, then by name).
func topPlaces(m map[string]int, n int) []string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Slice(names, func(i, j int) bool {
		if m[names[i]] != m[names[j]] {
			return m[names[i]] > m[names[j]]
		}
		return names[i] < names[j]
	})
	if len(names) > n {
		names = names[:n]
	}
	return names
}
