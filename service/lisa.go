package service

import (
	"context"

	"github.com/segmap/segmap/spatial/autocorr"
)

// LISAQuery is a values query plus the permutation test's settings.
type LISAQuery struct {
	ValuesQuery
	Alpha        float64 // 0: 0.05
	Permutations int     // 0: 999
	Seed         uint64
	FDR          bool
	// Neighbours is the neighbour graph: NeighboursSnap ("" = default) or
	// NeighboursQueen.
	Neighbours string
}

// MoranSummary is the global Moran's I.
type MoranSummary struct {
	I        Num `json:"i"`
	Expected Num `json:"expected"`
	Z        Num `json:"z"`
	PNorm    Num `json:"p_norm"`
	PSim     Num `json:"p_sim"`
}

// LISAArea is one area's local Moran's I. Cluster is HH, LL, HL, LH, ns
// (not significant), island (no neighbour with a value) or nodata.
type LISAArea struct {
	ID      int64  `json:"id"`
	Code    string `json:"code"`
	Value   Num    `json:"value"`
	Ii      Num    `json:"ii"`
	Z       Num    `json:"z"`
	P       Num    `json:"p"`
	Cluster string `json:"cluster"`
}

// LISA is the answer to a LISAQuery.
type LISA struct {
	Level      string       `json:"level"`
	Year       int          `json:"year"`
	Neighbours string       `json:"neighbours"` // the graph used: snap or queen
	Moran      MoranSummary `json:"moran"`
	Islands    []string     `json:"islands"`
	Areas      []LISAArea   `json:"areas"`
	// Colors is the colour of each cluster (LISAColors), so clients draw
	// the map as the report does.
	Colors map[string]string `json:"colors"`
}

// LISAColors returns the colour of each cluster: HH, LL, HL, LH, ns,
// island and nodata (a new map on each call).
func LISAColors() map[string]string {
	return map[string]string{"HH": "#d7191c", "LL": "#2c7bb6", "HL": "#f4a582", "LH": "#92c5de", "ns": "#e3e3e3", "island": "#9e9e9e", "nodata": "#ffffff"}
}

// analysed holds the areas of a values answer that have both a polygon and a
// value, with their neighbours among each other.
type analysed struct {
	rule  string // the neighbour graph (NeighboursSnap or NeighboursQueen)
	vals  *Values
	rows  []int // index into vals.Areas per analysed area
	x     []float64
	nb    [][]int
	inSet map[int]int // vals.Areas index -> analysed index
}

func (s *Service) analyse(ctx context.Context, q ValuesQuery, neighbours string) (*analysed, error) {
	rule, err := checkNeighbours(neighbours)
	if err != nil {
		return nil, err
	}
	vals, err := s.Values(ctx, q)
	if err != nil {
		return nil, err
	}
	g, err := s.graph(ctx, vals.Level, q.Kommuner, rule)
	if err != nil {
		return nil, err
	}
	a := &analysed{rule: rule, vals: vals, inSet: map[int]int{}}
	var keep []int
	for i, av := range vals.Areas {
		gi, ok := g.index[av.Code]
		if !ok || !av.Value.Valid() {
			continue
		}
		a.inSet[i] = len(a.rows)
		a.rows = append(a.rows, i)
		a.x = append(a.x, float64(av.Value))
		keep = append(keep, gi)
	}
	if len(a.rows) < 3 {
		return nil, badRequest("only %d areas have both a boundary and a value; spatial statistics need at least 3", len(a.rows)).
			Sv("bara %d områden har både gräns och värde; rumslig statistik kräver minst 3", len(a.rows))
	}
	a.nb = g.subset(keep)
	return a, nil
}

// LISA computes global and local Moran's I with queen contiguity
// (q.Neighbours; row-standardised) over the areas that have a value. Local
// pseudo p-values are esda's folded rule (autocorr.LocalResult.PSim).
func (s *Service) LISA(ctx context.Context, q LISAQuery) (*LISA, error) {
	if q.Alpha == 0 {
		q.Alpha = 0.05
	}
	if q.Alpha <= 0 || q.Alpha >= 1 {
		return nil, badRequest("alpha must be between 0 and 1, got %g", q.Alpha).Sv("alpha måste vara mellan 0 och 1, inte %g", q.Alpha)
	}
	if q.Permutations == 0 {
		q.Permutations = 999
	}
	if q.Permutations < 0 || q.Permutations > 99999 {
		return nil, badRequest("permutations must be 1..99999, got %d", q.Permutations).Sv("permutations måste vara 1–99999, inte %d", q.Permutations)
	}
	// Deterministic for a seed: cached per data version like the values.
	q.ValuesQuery = sortedKommuner(q.ValuesQuery)
	return cached(ctx, s, "lisa\x00"+queryKey(q), func(l *LISA) int64 { return int64(len(l.Areas))*areaBytes + 512 },
		func(ctx context.Context) (*LISA, error) { return s.buildLISA(ctx, q) })
}

func (s *Service) buildLISA(ctx context.Context, q LISAQuery) (*LISA, error) {
	a, err := s.analyse(ctx, q.ValuesQuery, q.Neighbours)
	if err != nil {
		return nil, err
	}
	w, err := rowStandardised(a.nb)
	if err != nil {
		return nil, err
	}
	opts := autocorr.Options{Permutations: q.Permutations, Seed: q.Seed, FDR: q.FDR, Alpha: q.Alpha}
	m, err := autocorr.Moran(a.x, w, opts)
	if err != nil {
		return nil, spatialStatsFailed(err)
	}
	loc, err := autocorr.LocalMoran(a.x, w, opts)
	if err != nil {
		return nil, spatialStatsFailed(err)
	}
	out := &LISA{Colors: LISAColors(), Level: a.vals.Level, Year: a.vals.Year, Neighbours: a.rule, Islands: []string{}, Areas: make([]LISAArea, 0, len(a.vals.Areas)),
		Moran: MoranSummary{I: Num(m.I), Expected: Num(m.EI), Z: Num(m.Z), PNorm: Num(m.PNorm), PSim: Num(m.PSim)}}
	for i, av := range a.vals.Areas {
		la := LISAArea{ID: av.ID, Code: av.Code, Value: av.Value, Ii: Num(nan), Z: Num(nan), P: Num(nan), Cluster: "nodata"}
		if k, ok := a.inSet[i]; ok {
			r := loc[k]
			switch {
			case r.Island || len(a.nb[k]) == 0:
				la.Cluster = "island"
				out.Islands = append(out.Islands, av.Code)
			case r.Cluster == "":
				la.Cluster = "ns"
			default:
				la.Cluster = r.Cluster
			}
			la.Ii, la.Z = Num(r.Ii), Num(r.Z)
			la.P = Num(r.PAdj)
			if !finite(r.PAdj) {
				la.P = Num(r.P)
			}
		}
		out.Areas = append(out.Areas, la)
	}
	return out, nil
}

// GiArea is one area's Getis-Ord Gi*.
type GiArea struct {
	ID    int64  `json:"id"`
	Code  string `json:"code"`
	Value Num    `json:"value"`
	G     Num    `json:"g"`
	Z     Num    `json:"z"`
	P     Num    `json:"p"`
}

// GiStarQuery is a values query plus the neighbour graph.
type GiStarQuery struct {
	ValuesQuery
	// Neighbours: NeighboursSnap ("" = default) or NeighboursQueen.
	Neighbours string
}

// GiStar is the answer to a Gi* query.
type GiStar struct {
	Level      string   `json:"level"`
	Year       int      `json:"year"`
	Neighbours string   `json:"neighbours"` // the graph used: snap or queen
	Areas      []GiArea `json:"areas"`
}

// GiStar computes Getis-Ord Gi* hot spots with queen contiguity
// (q.Neighbours), each area included in its own neighbourhood,
// row-standardised (as PySAL's G_Local with star=True and the default "R"
// transform).
func (s *Service) GiStar(ctx context.Context, q GiStarQuery) (*GiStar, error) {
	a, err := s.analyse(ctx, q.ValuesQuery, q.Neighbours)
	if err != nil {
		return nil, err
	}
	w, err := rowStandardised(a.nb)
	if err != nil {
		return nil, err
	}
	res, err := autocorr.GetisOrdGiStar(a.x, w)
	if err != nil {
		return nil, spatialStatsFailed(err)
	}
	out := &GiStar{Level: a.vals.Level, Year: a.vals.Year, Neighbours: a.rule, Areas: make([]GiArea, 0, len(a.vals.Areas))}
	for i, av := range a.vals.Areas {
		ga := GiArea{ID: av.ID, Code: av.Code, Value: av.Value, G: Num(nan), Z: Num(nan), P: Num(nan)}
		if k, ok := a.inSet[i]; ok {
			ga.G, ga.Z, ga.P = Num(res[k].G), Num(res[k].Z), Num(res[k].P)
		}
		out.Areas = append(out.Areas, ga)
	}
	return out, nil
}

// spatialStatsFailed is an analysis the values do not allow (all equal,
// too few neighbours); the cause goes to the log.
func spatialStatsFailed(err error) error {
	return invalidBecause(err, "the spatial statistics cannot be computed for these values (too few areas with neighbours, or all values equal)",
		"den rumsliga statistiken går inte att beräkna för de här värdena (för få områden med grannar, eller alla värden lika)")
}
