package api

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/segmap/segmap/internal/fault"
	"github.com/segmap/segmap/service"
	"github.com/segmap/segmap/tiles"
)

// tileJSON builds the TileJSON 3.0.0 document of one layer.
// With values (indicator=… and the other classify parameters, see
// valueTileQuery) the tile URL carries them, so every feature has value,
// class and color, and vector_layers lists those fields.
func (s *server) tileJSONDoc(c echo.Context, li tiles.LayerInfo, values url.Values) map[string]any {
	base := s.baseURL(c)
	ver := s.svc.TileVersion()
	bounds := li.Bounds[:]
	if li.Bounds == ([4]float64{}) {
		bounds = []float64{-180, -85.0511, 180, 85.0511}
	}
	center := li.Center[:]
	if li.Center == ([3]float64{}) {
		center = []float64{(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, float64(min(max(li.MinZoom, 4), li.MaxZoom))}
	}
	fields := map[string]string{}
	for k, v := range li.Fields {
		fields[k] = v
	}
	if len(fields) == 0 {
		fields = map[string]string{"code": "String", "name": "String"}
	}
	query := fmt.Sprintf("v=%d", ver)
	desc := "segmap " + li.Name + " boundaries; feature id = area id"
	if len(values) > 0 {
		query = values.Encode() + "&" + query
		desc += "; value, class (0..k-1, -1 no data, -2 suppressed) and color of " + values.Get("indicator")
		fields["value"], fields["class"], fields["color"] = "Number", "Number", "String"
	}
	return map[string]any{
		"tilejson":    "3.0.0",
		"name":        li.Name,
		"description": desc,
		"version":     "1.0.0",
		"attribution": "Källa: SCB, Lantmäteriet",
		"scheme":      "xyz",
		"tiles":       []string{fmt.Sprintf("%s/tiles/%s/{z}/{x}/{y}.mvt?%s", base, url.PathEscape(li.Name), query)},
		"minzoom":     li.MinZoom,
		"maxzoom":     li.MaxZoom,
		"bounds":      bounds,
		"center":      center,
		"vector_layers": []map[string]any{{
			"id": li.Name, "fields": fields, "minzoom": li.MinZoom, "maxzoom": li.MaxZoom,
		}},
	}
}

func (s *server) layerInfo(c echo.Context, name string) (tiles.LayerInfo, error) {
	infos, err := s.svc.TileLayerInfo(c.Request().Context())
	if err != nil {
		return tiles.LayerInfo{}, err
	}
	names := make([]string, 0, len(infos))
	for _, li := range infos {
		if li.Name == name {
			return li, nil
		}
		names = append(names, li.Name)
	}
	list := strings.Join(names, ", ")
	return tiles.LayerInfo{}, fault.New(tiles.ErrUnknownLayer, "unknown layer %q; layers are %s", name, list).
		Sv("okänt lager %q; lagren är %s", name, list)
}

func (s *server) tileJSON(c echo.Context) error {
	name, ok := strings.CutSuffix(c.Param("layer.json"), ".json")
	if !ok {
		return fault.New(fault.NotFound, "no such resource; TileJSON is at /tiles/{layer}.json").
			Sv("det finns ingen sådan resurs; TileJSON finns på /tiles/{lager}.json")
	}
	li, err := s.layerInfo(c, name)
	if err != nil {
		return err
	}
	values := valueTileQuery(c.QueryParams())
	if len(values) > 0 {
		// Check the classification now: a bad one is an error here, not
		// an empty map of failing tiles.
		if _, err := s.classifyTiles(c, name, values); err != nil {
			return err
		}
	}
	c.Response().Header().Set("Cache-Control", "no-cache")
	return c.JSON(http.StatusOK, s.tileJSONDoc(c, li, values))
}

// valueTileParams are the query parameters of a tile with values (see
// server.tile): the classification, without level (the tile's layer) and
// lang (legend labels only).
var valueTileParams = []string{"indicator", "year", "breakdown", "kommun", "method", "k", "scheme", "sd_step", "pooled", "breaks"}

// valueTileQuery picks the value-tile parameters from q; nil without indicator.
func valueTileQuery(q url.Values) url.Values {
	if q.Get("indicator") == "" {
		return nil
	}
	out := url.Values{}
	for _, k := range valueTileParams {
		for _, v := range q[k] {
			if v != "" {
				out.Add(k, v)
			}
		}
	}
	return out
}

// classifyTiles classifies layer as tiles with the values query q would
// (server.tile), in the request's lang.
func (s *server) classifyTiles(c echo.Context, layer string, q url.Values) (*service.Classification, error) {
	r := c.Request().Clone(c.Request().Context())
	u := *r.URL
	vals := url.Values{}
	for k, v := range q {
		vals[k] = v
	}
	if l := c.QueryParam("lang"); l != "" {
		vals.Set("lang", l)
	}
	u.RawQuery = vals.Encode()
	r.URL = &u
	cq, err := classifyQuery(c.Echo().NewContext(r, nil))
	if err != nil {
		return nil, err
	}
	cq.Level = layer
	return s.svc.Classify(c.Request().Context(), cq)
}

// style is a MapLibre style for the demo map: background, a DeSO
// choropleth and kommun and län outlines (layers the store does not have are
// left out). The DeSO source is the tiles with values (value, class, color
// per feature) of the classification in the query (indicator=, year=, method=,
// k=, scheme=, breakdown=, kommun=, pooled=, breaks=), by default the
// client's first view, so a plain MapLibre page shows the choropleth without
// joining values itself. metadata["segmap:legend"] is its legend (in lang).
func (s *server) style(c echo.Context) error {
	ctx := c.Request().Context()
	infos, err := s.svc.TileLayerInfo(ctx)
	if err != nil {
		return err
	}
	have := map[string]tiles.LayerInfo{}
	for _, li := range infos {
		have[li.Name] = li
	}
	values := valueTileQuery(c.QueryParams())
	explicit := values != nil
	if !explicit {
		values, err = s.defaultValueQuery(ctx)
		if err != nil {
			return err
		}
	}
	metadata := map[string]any{}
	if _, ok := have["deso"]; ok && values != nil {
		cl, err := s.classifyTiles(c, "deso", values)
		switch {
		case err != nil && explicit:
			return err
		case err != nil:
			// The default view cannot be drawn (e.g. its indicator has no
			// DeSO values): plain areas.
			s.log.Warn("style.json: default classification", "err", err)
			values = nil
		default:
			// The tiles name the year, so they stay right when a new year is imported.
			values.Set("year", strconv.Itoa(cl.Year))
			metadata["segmap:indicator"], metadata["segmap:year"], metadata["segmap:legend"] = cl.Indicator.ID, cl.Year, cl.Legend
		}
	}
	base := s.baseURL(c)
	sources := map[string]any{}
	layers := []map[string]any{{"id": "background", "type": "background", "paint": map[string]any{"background-color": "#f4f1ea"}}}
	add := func(name string, q url.Values, layer map[string]any) {
		if _, ok := have[name]; !ok {
			return
		}
		u := base + "/tiles/" + url.PathEscape(name) + ".json"
		if len(q) > 0 {
			u += "?" + q.Encode()
		}
		sources[name] = map[string]any{"type": "vector", "url": u}
		layer["source"], layer["source-layer"] = name, name
		layers = append(layers, layer)
	}
	// feature-state first: a client that joins values itself (segmap's own)
	// can still colour the areas; then the tile's color; then a plain fill
	// (areas outside the classified kommuner are left clear).
	fallback := "#c6dbef"
	if values != nil {
		fallback = "rgba(0,0,0,0)"
	}
	add("deso", values, map[string]any{"id": "deso-fill", "type": "fill", "paint": map[string]any{
		"fill-color": []any{"coalesce", []any{"feature-state", "color"}, []any{"get", "color"}, fallback}, "fill-opacity": 0.75, "fill-outline-color": "#ffffff"}})
	add("regso", nil, map[string]any{"id": "regso-line", "type": "line", "minzoom": 9, "paint": map[string]any{"line-color": "#6b6b6b", "line-width": 0.6}})
	add("kommun", nil, map[string]any{"id": "kommun-line", "type": "line", "paint": map[string]any{"line-color": "#333333", "line-width": 1.2}})
	add("lan", nil, map[string]any{"id": "lan-line", "type": "line", "paint": map[string]any{"line-color": "#000000", "line-width": 2}})
	center, zoom := []float64{18.07, 59.33}, 8.0
	if li, ok := have["deso"]; ok && li.Bounds != ([4]float64{}) {
		center = []float64{(li.Bounds[0] + li.Bounds[2]) / 2, (li.Bounds[1] + li.Bounds[3]) / 2}
	}
	c.Response().Header().Set("Cache-Control", "no-cache")
	return c.JSON(http.StatusOK, map[string]any{
		"version": 8, "name": "segmap", "center": center, "zoom": zoom,
		"sources": sources, "layers": layers, "metadata": metadata,
	})
}

// defaultValueQuery is the classification of the client's first view
// (/api/meta defaults); nil when the store has no indicator.
func (s *server) defaultValueQuery(ctx context.Context) (url.Values, error) {
	m, err := s.svc.Meta(ctx)
	if err != nil {
		return nil, err
	}
	d := m.Defaults
	if d.Indicator == "" {
		return nil, nil
	}
	q := url.Values{"indicator": {d.Indicator}}
	if d.Year != 0 {
		q.Set("year", strconv.Itoa(d.Year))
	}
	if d.Method != "" {
		q.Set("method", d.Method)
	}
	if d.K != 0 {
		q.Set("k", strconv.Itoa(d.K))
	}
	if d.Kommun != "" {
		q.Set("kommun", d.Kommun)
	}
	return q, nil
}
