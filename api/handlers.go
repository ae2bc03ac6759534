package api

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb"

	"github.com/segmap/segmap/internal/fault"
	"github.com/segmap/segmap/service"
)

// bad is a bad request with its English message for people; add the
// Swedish with Sv.
func bad(format string, args ...any) *fault.Error {
	return service.BadRequest(format, args...)
}

// queryInt parses an optional integer query parameter.
func queryInt(c echo.Context, name string, def int) (int, error) {
	v := c.QueryParam(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, bad("%s must be an integer, got %q", name, v).Sv("%s måste vara ett heltal, inte %q", name, v)
	}
	return n, nil
}

func queryFloat(c echo.Context, name string, def float64) (float64, error) {
	v := c.QueryParam(name)
	if v == "" {
		return def, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return 0, bad("%s must be a number, got %q", name, v).Sv("%s måste vara ett tal, inte %q", name, v)
	}
	return f, nil
}

func queryBool(c echo.Context, name string) (bool, error) {
	v := c.QueryParam(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, bad("%s must be true or false, got %q", name, v).Sv("%s måste vara true eller false, inte %q", name, v)
	}
	return b, nil
}

// queryList splits a comma-separated parameter (repeated parameters are joined).
func queryList(c echo.Context, name string) []string {
	var out []string
	for _, v := range c.QueryParams()[name] {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

func valuesQuery(c echo.Context) (service.ValuesQuery, error) {
	q := service.ValuesQuery{Level: c.QueryParam("level"), Indicator: c.QueryParam("indicator"),
		Breakdown: c.QueryParam("breakdown"), Kommuner: queryList(c, "kommun")}
	if q.Level == "" {
		q.Level = "deso"
	}
	var err error
	q.Year, err = queryInt(c, "year", 0)
	return q, err
}

func classifyQuery(c echo.Context) (service.ClassifyQuery, error) {
	vq, err := valuesQuery(c)
	if err != nil {
		return service.ClassifyQuery{}, err
	}
	q := service.ClassifyQuery{ValuesQuery: vq, Method: c.QueryParam("method"), Scheme: c.QueryParam("scheme"), Lang: langOf(c)}
	if q.K, err = queryInt(c, "k", 5); err != nil {
		return q, err
	}
	if q.K < 2 || q.K > 12 {
		return q, bad("k must be between 2 and 12, got %d", q.K).Sv("k måste vara mellan 2 och 12, inte %d", q.K)
	}
	if q.SDStep, err = queryFloat(c, "sd_step", 0); err != nil {
		return q, err
	}
	for _, p := range queryList(c, "pooled") {
		y, err := strconv.Atoi(p)
		if err != nil {
			return q, bad("pooled must be a comma-separated list of years, got %q", p).Sv("pooled måste vara en kommaseparerad lista med år, inte %q", p)
		}
		q.Pooled = append(q.Pooled, y)
	}
	for _, p := range queryList(c, "breaks") {
		f, err := strconv.ParseFloat(p, 64)
		if err != nil {
			return q, bad("breaks must be a comma-separated list of numbers, got %q", p).Sv("breaks måste vara en kommaseparerad lista med tal, inte %q", p)
		}
		q.Manual = append(q.Manual, f)
	}
	return q, nil
}

func (s *server) meta(c echo.Context) error {
	m, err := s.svc.Meta(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, metaAnswer{Meta: m, Basemap: s.basemap()})
}

// metaAnswer is /api/meta: the data's metadata and the deployment's basemap.
type metaAnswer struct {
	*service.Meta
	Basemap *basemap `json:"basemap,omitempty"`
}

// basemap tells the client what to draw under the areas.
type basemap struct {
	URL         string `json:"url"`
	Type        string `json:"type"` // "style" (MapLibre style JSON) or "raster" (XYZ template)
	Attribution string `json:"attribution,omitempty"`
}

func (s *server) basemap() *basemap {
	u := s.opts.Basemap
	if u == "" {
		return nil
	}
	b := &basemap{URL: u, Type: "style", Attribution: s.opts.BasemapAttribution}
	if isRasterTemplate(u) {
		b.Type = "raster"
	}
	return b
}

// isRasterTemplate reports whether u is an XYZ tile URL template.
func isRasterTemplate(u string) bool {
	return strings.Contains(u, "{z}") && strings.Contains(u, "{x}") && strings.Contains(u, "{y}")
}

func (s *server) areas(c echo.Context) error {
	as, err := s.svc.Areas(c.Request().Context(), c.Param("level"), queryList(c, "kommun"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"level": c.Param("level"), "areas": as})
}

func (s *server) profile(c echo.Context) error {
	enc, err := s.svc.EncodedProfile(c.Request().Context(), c.Param("level"), c.Param("code"))
	if err != nil {
		return err
	}
	return sendEncoded(c, enc)
}

// viewOf reads the view parameters of /api/values and /api/classify:
// format (objects or compact), bbox and mapped (see service.View).
func viewOf(c echo.Context) (service.View, error) {
	var v service.View
	switch f := c.QueryParam("format"); f {
	case "", "objects":
	case service.FormatCompact:
		v.Compact = true
	default:
		return v, bad("format must be objects or compact, got %q", f).Sv("format måste vara objects eller compact, inte %q", f)
	}
	var err error
	if v.Mapped, err = queryBool(c, "mapped"); err != nil {
		return v, err
	}
	if b := c.QueryParam("bbox"); b != "" {
		parts := strings.Split(b, ",")
		if len(parts) != 4 {
			return v, bad("bbox must be four comma-separated numbers west,south,east,north, got %q", b).
				Sv("bbox måste vara fyra kommaseparerade tal väst,syd,öst,nord, inte %q", b)
		}
		var f [4]float64
		for i, p := range parts {
			if f[i], err = strconv.ParseFloat(strings.TrimSpace(p), 64); err != nil {
				return v, bad("bbox must be four comma-separated numbers west,south,east,north, got %q", b).
					Sv("bbox måste vara fyra kommaseparerade tal väst,syd,öst,nord, inte %q", b)
			}
		}
		bb := orb.Bound{Min: orb.Point{f[0], f[1]}, Max: orb.Point{f[2], f[3]}}
		if err := service.CheckBBox(bb); err != nil {
			return v, err
		}
		v.BBox = &bb
	}
	return v, nil
}

func (s *server) values(c echo.Context) error {
	q, err := valuesQuery(c)
	if err != nil {
		return err
	}
	view, err := viewOf(c)
	if err != nil {
		return err
	}
	return s.cachedJSON(c, func(ctx context.Context) (any, error) { return s.svc.ValuesView(ctx, q, view) })
}

func (s *server) classify(c echo.Context) error {
	q, err := classifyQuery(c)
	if err != nil {
		return err
	}
	view, err := viewOf(c)
	if err != nil {
		return err
	}
	return s.cachedJSON(c, func(ctx context.Context) (any, error) {
		// The summary, like the breaks, is of the whole selection.
		full, err := s.svc.Classify(ctx, q)
		if err != nil {
			return nil, err
		}
		sum, err := s.svc.Summarize(ctx, full, q.Lang)
		if err != nil {
			return nil, err
		}
		r, err := s.svc.ClassifyView(ctx, q, view)
		if err != nil {
			return nil, err
		}
		switch r := r.(type) {
		case *service.CompactClassification:
			return compactClassifyResponse{CompactClassification: r, Summary: sum}, nil
		case *service.Classification:
			return classifyResponse{Classification: r, Summary: sum}, nil
		}
		return nil, fmt.Errorf("api: classify view of type %T", r)
	})
}

// classifyResponse is a classification with its written summary (the
// map's text alternative).
type classifyResponse struct {
	*service.Classification
	Summary *service.Summary `json:"summary"`
}

// compactClassifyResponse is classifyResponse in the compact form.
type compactClassifyResponse struct {
	*service.CompactClassification
	Summary *service.Summary `json:"summary"`
}

func (s *server) omradestyper(c echo.Context) error {
	r, err := s.svc.OmradestyperOf(c.Request().Context(), service.OmradestypQuery{Kommuner: queryList(c, "kommun"), Source: c.QueryParam("source")})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

func (s *server) inequality(c echo.Context) error {
	if ks := queryList(c, "kommun"); len(ks) > 0 || c.QueryParam("level") == "riket" {
		// One region: the kommuner's DeSO together (none: the whole country).
		r, err := s.svc.InequalityRegion(c.Request().Context(), ks)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, r)
	}
	r, err := s.svc.Inequality(c.Request().Context(), c.QueryParam("level"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

func (s *server) lisa(c echo.Context) error {
	vq, err := valuesQuery(c)
	if err != nil {
		return err
	}
	q := service.LISAQuery{ValuesQuery: vq, Neighbours: c.QueryParam("neighbours")}
	if q.Alpha, err = queryFloat(c, "alpha", 0.05); err != nil {
		return err
	}
	if q.Permutations, err = queryInt(c, "permutations", 999); err != nil {
		return err
	}
	seed, err := queryInt(c, "seed", 1)
	if err != nil {
		return err
	}
	if seed < 0 {
		return bad("seed must be >= 0, got %d", seed).Sv("seed måste vara >= 0, inte %d", seed)
	}
	q.Seed = uint64(seed)
	if q.FDR, err = queryBool(c, "fdr"); err != nil {
		return err
	}
	return s.cachedJSON(c, func(ctx context.Context) (any, error) { return s.svc.LISA(ctx, q) })
}

func (s *server) gistar(c echo.Context) error {
	vq, err := valuesQuery(c)
	if err != nil {
		return err
	}
	q := service.GiStarQuery{ValuesQuery: vq, Neighbours: c.QueryParam("neighbours")}
	r, err := s.svc.GiStar(c.Request().Context(), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

func (s *server) segregation(c echo.Context) error {
	year, err := queryInt(c, "year", 0)
	if err != nil {
		return err
	}
	q := service.SegregationQuery{Kommuner: queryList(c, "kommun"), Year: year, Neighbours: c.QueryParam("neighbours")}
	r, err := s.svc.SegregationOf(c.Request().Context(), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

func (s *server) correlation(c echo.Context) error {
	q := service.CorrelationQuery{Level: c.QueryParam("level"), X: c.QueryParam("x"), Y: c.QueryParam("y"),
		Kommuner: queryList(c, "kommun"), Method: c.QueryParam("method")}
	if q.Level == "" {
		q.Level = "deso"
	}
	var err error
	if q.Year, err = queryInt(c, "year", 0); err != nil {
		return err
	}
	if q.Weighted, err = queryBool(c, "weighted"); err != nil {
		return err
	}
	r, err := s.svc.Correlation(c.Request().Context(), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}
