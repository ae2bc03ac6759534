package service

import (
	"context"
	"errors"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/internal/fault"
	"github.com/segmap/segmap/internal/locale"
	"github.com/segmap/segmap/spatial/correlate"
	"github.com/segmap/segmap/spatial/inequality"
)

// count returns the numerator of a ratio value, or value*den/scale when the
// numerator is missing.
func count(v data.Value, scale float64) float64 {
	if finite(v.Numerator) {
		return v.Numerator
	}
	if scale == 0 {
		scale = 1
	}
	if finite(v.Value) && finite(v.Denominator) {
		return v.Value * v.Denominator / scale
	}
	return nan
}

// InequalityRow is the ojämlikhetsindex of one area and year.
type InequalityRow struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	Year  int    `json:"year"`
	Index Num    `json:"index"`
	DeSO  int    `json:"deso_count"`
}

// Inequality is the answer to an inequality query.
type Inequality struct {
	Level      string          `json:"level"`
	Definition string          `json:"definition"`
	Rows       []InequalityRow `json:"rows"`
}

// Inequality computes the ojämlikhetsindex (100 × the dissimilarity index
// between persons with low and with high economic standard across the DeSO
// of each kommun or län) for every year both indicators have.
func (s *Service) Inequality(ctx context.Context, level string) (*Inequality, error) {
	if level == "" {
		level = data.LevelKommun
	}
	switch level {
	case data.LevelKommun, data.LevelLan:
	case data.LevelRiket:
		// The whole country as one region, as /api/inequality?level=riket.
		return s.InequalityRegion(ctx, nil)
	default:
		return nil, badRequest("level must be kommun, lan or riket, got %q", level).Sv("level måste vara kommun, lan eller riket, inte %q", level)
	}
	low, high, err := s.econIndicators(ctx)
	if err != nil {
		return nil, err
	}
	parents, err := s.store.Areas(ctx, level, data.AreasOptions{})
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, p := range parents {
		names[p.Code] = p.Name
	}
	desos, err := s.store.Areas(ctx, data.LevelDeSO, data.AreasOptions{})
	if err != nil {
		return nil, err
	}
	parentOf := map[string]string{}
	for _, d := range desos {
		if level == data.LevelKommun {
			parentOf[d.Code] = d.Kommun
		} else {
			parentOf[d.Code] = d.Lan
		}
	}
	out := &Inequality{Level: level, Rows: []InequalityRow{},
		Definition: "100 × D(low, high): dissimilarity between persons with low (" + low.ID + ") and high (" + high.ID + ") economic standard across DeSO"}
	for _, y := range low.Years {
		if !slices.Contains(high.Years, y) {
			continue
		}
		lv, err := s.store.Values(ctx, data.ValuesQuery{Level: data.LevelDeSO, Indicator: low.ID, Year: y})
		if err != nil {
			return nil, err
		}
		hv, err := s.store.Values(ctx, data.ValuesQuery{Level: data.LevelDeSO, Indicator: high.ID, Year: y})
		if err != nil {
			return nil, err
		}
		hi := map[string]float64{}
		for _, v := range hv {
			hi[v.Code] = count(v, high.Scale)
		}
		type pair struct{ low, high []float64 }
		groups := map[string]*pair{}
		for _, v := range lv {
			l, h := count(v, low.Scale), hi[v.Code]
			p := parentOf[v.Code]
			if p == "" || !finite(l) || !finite(h) {
				continue
			}
			if groups[p] == nil {
				groups[p] = &pair{}
			}
			groups[p].low = append(groups[p].low, l)
			groups[p].high = append(groups[p].high, h)
		}
		for code, g := range groups {
			idx, err := inequality.Ojamlikhetsindex(g.low, g.high)
			if err != nil {
				idx = nan
			}
			out.Rows = append(out.Rows, InequalityRow{Code: code, Name: names[code], Year: y, Index: Num(idx), DeSO: len(g.low)})
		}
	}
	sort.Slice(out.Rows, func(i, j int) bool {
		if out.Rows[i].Code != out.Rows[j].Code {
			return out.Rows[i].Code < out.Rows[j].Code
		}
		return out.Rows[i].Year < out.Rows[j].Year
	})
	return out, nil
}

// SegregationIndices are the residential segregation indices of a kommun.
type SegregationIndices struct {
	Dissimilarity Num `json:"dissimilarity"`
	Isolation     Num `json:"isolation"`
	Exposure      Num `json:"exposure"`
	Theil         Num `json:"theil"`
	Gini          Num `json:"gini"`
	MorrillD      Num `json:"morrill_d"`
}

// Segregation is the answer to a segregation query.
type Segregation struct {
	Kommun     string             `json:"kommun"`
	Name       string             `json:"name"`
	Level      string             `json:"level"`
	Year       int                `json:"year"`
	Areas      int                `json:"areas"`
	Neighbours string             `json:"neighbours"` // graph of Morrill's D: snap or queen
	Indices    SegregationIndices `json:"indices"`
	Groups     string             `json:"groups"`
}

// SegregationQuery asks for the segregation indices of one region.
type SegregationQuery struct {
	Kommuner []string // one kommun, or several analysed as one region
	Year     int      // 0: the latest
	// Neighbours is the graph of Morrill's D: NeighboursSnap ("" =
	// default) or NeighboursQueen.
	Neighbours string
}

// Segregation computes segregation indices between foreign-born and
// Sweden-born residents across the DeSO of one kommun. The groups come from
// the foreign-born indicator: a = its numerator (born abroad), b =
// denominator − numerator (born in Sweden), total = denominator. Isolation
// is of the foreign-born; exposure is of foreign-born to Sweden-born; Gini is
// the segregation Gini index of the foreign-born (inequality.SegregationGini,
// Duncan & Duncan; Massey & Denton); Morrill's D adjusts D with the
// contiguity graph (NaN when the kommun has no DeSO boundaries).
func (s *Service) Segregation(ctx context.Context, kommun string, year int) (*Segregation, error) {
	if kommun == "" {
		return nil, badRequest("kommun is required (4-digit kommun code, e.g. 0180)").Sv("kommun måste anges (fyrsiffrig kommunkod, t.ex. 0180)")
	}
	return s.SegregationRegion(ctx, []string{kommun}, year)
}

// SegregationRegion is Segregation over the DeSO of several kommuner
// analysed as one region (Kommun is the codes joined by commas, Name the
// names joined as "A, B och C").
func (s *Service) SegregationRegion(ctx context.Context, kommuner []string, year int) (*Segregation, error) {
	return s.SegregationOf(ctx, SegregationQuery{Kommuner: kommuner, Year: year})
}

// SegregationOf is SegregationRegion with the choice of neighbour graph.
func (s *Service) SegregationOf(ctx context.Context, sq SegregationQuery) (*Segregation, error) {
	kommuner, year := sq.Kommuner, sq.Year
	rule, err := checkNeighbours(sq.Neighbours)
	if err != nil {
		return nil, err
	}
	if len(kommuner) == 0 {
		return nil, badRequest("kommun is required (4-digit kommun code, e.g. 0180)").Sv("kommun måste anges (fyrsiffrig kommunkod, t.ex. 0180)")
	}
	var names []string
	for _, kc := range kommuner {
		k, err := s.store.Area(ctx, data.LevelKommun, kc)
		if err != nil {
			return nil, err
		}
		names = append(names, k.Name)
	}
	kommun := strings.Join(kommuner, ",")
	k := data.Area{Name: locale.JoinNames(names, locale.SV)}
	ind, err := s.indicator(ctx, s.opts.ForeignBornIndicator)
	if err != nil {
		return nil, err
	}
	q, _, err := s.normalise(ctx, ValuesQuery{Level: data.LevelDeSO, Indicator: ind.ID, Year: year, Kommuner: kommuner})
	if err != nil {
		return nil, err
	}
	vals, err := s.store.Values(ctx, data.ValuesQuery{Level: q.Level, Indicator: q.Indicator, Year: q.Year, Kommuner: q.Kommuner})
	if err != nil {
		return nil, err
	}
	var a, b, total []float64
	var codes []string
	for _, v := range vals {
		fb := count(v, ind.Scale)
		if !finite(fb) || !finite(v.Denominator) || v.Denominator <= 0 {
			continue
		}
		codes = append(codes, v.Code)
		a = append(a, fb)
		b = append(b, v.Denominator-fb)
		total = append(total, v.Denominator)
	}
	if len(a) < 2 {
		return nil, notFound("kommun %s has %d DeSO with foreign-born counts in %d; indices need at least 2", kommun, len(a), q.Year).
			Sv("kommun %s har %d DeSO med antal utrikes födda %d; indexen behöver minst 2", kommun, len(a), q.Year)
	}
	out := &Segregation{Kommun: kommun, Name: k.Name, Level: data.LevelDeSO, Year: q.Year, Areas: len(a), Neighbours: rule,
		Groups: "a = foreign-born (utrikes födda: numerator of " + ind.ID + "), b = Sweden-born (inrikes födda: denominator − numerator), total = population (denominator)"}
	val := func(f float64, err error) Num {
		if err != nil {
			return Num(math.NaN())
		}
		return Num(f)
	}
	out.Indices.Dissimilarity = val(inequality.Dissimilarity(a, b))
	out.Indices.Isolation = val(inequality.Isolation(a, total))
	out.Indices.Exposure = val(inequality.Exposure(a, b, total))
	out.Indices.Theil = val(inequality.Theil([][]float64{a, b}))
	out.Indices.Gini = val(inequality.SegregationGini(a, total))
	out.Indices.MorrillD = Num(nan)
	if g, err := s.graph(ctx, data.LevelDeSO, kommuner, rule); err == nil {
		keep := make([]int, 0, len(codes))
		ok := true
		for _, c := range codes {
			i, found := g.index[c]
			if !found {
				ok = false
				break
			}
			keep = append(keep, i)
		}
		if ok {
			out.Indices.MorrillD = val(inequality.MorrillD(a, b, g.subset(keep)))
		}
	}
	return out, nil
}

// CorrelationQuery asks for the correlation of two indicators over areas.
type CorrelationQuery struct {
	Level    string
	X, Y     string
	Year     int
	Kommuner []string
	Method   string // pearson (default) or spearman
	// Weighted weights Pearson's r by the x indicator's denominator
	// (population base); not available for Spearman.
	Weighted bool
}

// CorrelationPoint is one area in the scatter plot.
type CorrelationPoint struct {
	Code string  `json:"code"`
	X    float64 `json:"x"`
	Y    float64 `json:"y"`
}

// Correlation is the answer to a CorrelationQuery.
type Correlation struct {
	R      Num                `json:"r"`
	N      int                `json:"n"`
	Method string             `json:"method"`
	Year   int                `json:"year"`
	Points []CorrelationPoint `json:"points"`
}

// Correlation correlates two indicators over the areas that have both.
func (s *Service) Correlation(ctx context.Context, q CorrelationQuery) (*Correlation, error) {
	if q.Method == "" {
		q.Method = "pearson"
	}
	if q.Method != "pearson" && q.Method != "spearman" {
		return nil, badRequest("method must be pearson or spearman, got %q", q.Method).Sv("method måste vara pearson eller spearman, inte %q", q.Method)
	}
	if q.Weighted && q.Method == "spearman" {
		return nil, badRequest("weighted correlation is only available for pearson").Sv("viktad korrelation finns bara för pearson")
	}
	if q.X == "" || q.Y == "" {
		return nil, badRequest("x and y indicators are required").Sv("indikatorerna x och y måste anges")
	}
	xv, err := s.Values(ctx, ValuesQuery{Level: q.Level, Indicator: q.X, Year: q.Year, Kommuner: q.Kommuner})
	if err != nil {
		return nil, err
	}
	yv, err := s.Values(ctx, ValuesQuery{Level: q.Level, Indicator: q.Y, Year: xv.Year, Kommuner: q.Kommuner})
	if err != nil {
		return nil, err
	}
	ys := map[string]AreaValue{}
	for _, a := range yv.Areas {
		ys[a.Code] = a
	}
	out := &Correlation{Method: q.Method, Year: xv.Year, Points: []CorrelationPoint{}, R: Num(nan)}
	var x, y, w []float64
	for _, a := range xv.Areas {
		b, ok := ys[a.Code]
		if !ok || !a.Value.Valid() || !b.Value.Valid() {
			continue
		}
		if q.Weighted && (!a.Denominator.Valid() || a.Denominator <= 0) {
			continue
		}
		x = append(x, float64(a.Value))
		y = append(y, float64(b.Value))
		w = append(w, float64(a.Denominator))
		out.Points = append(out.Points, CorrelationPoint{Code: a.Code, X: float64(a.Value), Y: float64(b.Value)})
	}
	out.N = len(x)
	if out.N < 3 {
		return nil, badRequest("only %d areas have both %s and %s in %d; correlation needs at least 3", out.N, q.X, q.Y, xv.Year).
			Sv("bara %d områden har både %s och %s %d; korrelationen behöver minst 3", out.N, q.X, q.Y, xv.Year)
	}
	var r float64
	switch {
	case q.Method == "spearman":
		r, err = correlate.Spearman(x, y)
	case q.Weighted:
		r, err = correlate.Pearson(x, y, w)
	default:
		r, err = correlate.Pearson(x, y, nil)
	}
	if err != nil {
		return nil, correlationFault(err, q, out.N, xv.Year)
	}
	out.R = Num(r)
	return out, nil
}

// correlationFault says in Swedish and English why spatial/correlate could
// not compute r over the n areas that have both indicators.
func correlationFault(err error, q CorrelationQuery, n, year int) *fault.Error {
	switch {
	case errors.Is(err, correlate.ErrConstant):
		return badRequest("%s or %s has the same value in all %d areas in %d; the correlation is undefined", q.X, q.Y, n, year).
			Sv("%s eller %s har samma värde i alla %d områden %d; korrelationen går inte att beräkna", q.X, q.Y, n, year)
	case errors.Is(err, correlate.ErrTooFew), errors.Is(err, correlate.ErrLength):
		return badRequest("too few areas have both %s and %s in %d to correlate them", q.X, q.Y, year).
			Sv("för få områden har både %s och %s %d för att de ska kunna korreleras", q.X, q.Y, year)
	case errors.Is(err, correlate.ErrWeight):
		return badRequest("the population base of %s is negative in some area in %d, so the weighted correlation is undefined; ask without weighted", q.X, year).
			Sv("befolkningsbasen för %s är negativ i något område %d, så den viktade korrelationen går inte att beräkna; fråga utan weighted", q.X, year)
	case errors.Is(err, correlate.ErrNumeric):
		return badRequest("the values of %s and %s in %d are too extreme for a correlation", q.X, q.Y, year).
			Sv("värdena för %s och %s %d är för extrema för att korreleras", q.X, q.Y, year)
	}
	return badRequest("the correlation of %s and %s in %d could not be computed", q.X, q.Y, year).
		Sv("korrelationen mellan %s och %s %d gick inte att beräkna", q.X, q.Y, year)
}

// econIndicators are the indicators of low and high economic standard the
// ojämlikhetsindex compares (Options.LowEconIndicator, HighEconIndicator).
func (s *Service) econIndicators(ctx context.Context) (low, high data.Indicator, err error) {
	if low, err = s.indicator(ctx, s.opts.LowEconIndicator); err != nil {
		return low, high, err
	}
	if high, err = s.indicator(ctx, s.opts.HighEconIndicator); err != nil {
		return low, high, err
	}
	return low, high, nil
}
