package api

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/segmap/segmap/service"
	"github.com/segmap/segmap/tiles"
)

// tileJSON builds the TileJSON 3.0.0 document of one layer.
func (s *server) tileJSONDoc(c echo.Context, li tiles.LayerInfo) map[string]any {
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
	return map[string]any{
		"tilejson":    "3.0.0",
		"name":        li.Name,
		"description": "segmap " + li.Name + " boundaries; feature id = area id",
		"version":     "1.0.0",
		"attribution": "Källa: SCB, Lantmäteriet",
		"scheme":      "xyz",
		"tiles":       []string{fmt.Sprintf("%s/tiles/%s/{z}/{x}/{y}.mvt?v=%d", base, url.PathEscape(li.Name), ver)},
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
	return tiles.LayerInfo{}, fmt.Errorf("%w: no tile layer %q; layers: %s", service.ErrNotFound, name, strings.Join(names, ", "))
}

func (s *server) tileJSON(c echo.Context) error {
	name, ok := strings.CutSuffix(c.Param("layer.json"), ".json")
	if !ok {
		return echo.NewHTTPError(http.StatusNotFound, "no such resource; TileJSON is at /tiles/{layer}.json")
	}
	li, err := s.layerInfo(c, name)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-cache")
	return c.JSON(http.StatusOK, s.tileJSONDoc(c, li))
}

// style is a MapLibre style for the demo map: background, a DeSO fill and
// kommun and län outlines (layers the store does not have are left out).
func (s *server) style(c echo.Context) error {
	infos, err := s.svc.TileLayerInfo(c.Request().Context())
	if err != nil {
		return err
	}
	have := map[string]tiles.LayerInfo{}
	for _, li := range infos {
		have[li.Name] = li
	}
	base := s.baseURL(c)
	sources := map[string]any{}
	layers := []map[string]any{{"id": "background", "type": "background", "paint": map[string]any{"background-color": "#f4f1ea"}}}
	add := func(name string, layer map[string]any) {
		if _, ok := have[name]; !ok {
			return
		}
		sources[name] = map[string]any{"type": "vector", "url": base + "/tiles/" + url.PathEscape(name) + ".json"}
		layer["source"], layer["source-layer"] = name, name
		layers = append(layers, layer)
	}
	add("deso", map[string]any{"id": "deso-fill", "type": "fill", "paint": map[string]any{
		"fill-color": []any{"coalesce", []any{"feature-state", "color"}, "#c6dbef"}, "fill-opacity": 0.75, "fill-outline-color": "#ffffff"}})
	add("regso", map[string]any{"id": "regso-line", "type": "line", "minzoom": 9, "paint": map[string]any{"line-color": "#6b6b6b", "line-width": 0.6}})
	add("kommun", map[string]any{"id": "kommun-line", "type": "line", "paint": map[string]any{"line-color": "#333333", "line-width": 1.2}})
	add("lan", map[string]any{"id": "lan-line", "type": "line", "paint": map[string]any{"line-color": "#000000", "line-width": 2}})
	center, zoom := []float64{18.07, 59.33}, 8.0
	if li, ok := have["deso"]; ok && li.Bounds != ([4]float64{}) {
		center = []float64{(li.Bounds[0] + li.Bounds[2]) / 2, (li.Bounds[1] + li.Bounds[3]) / 2}
	}
	c.Response().Header().Set("Cache-Control", "no-cache")
	return c.JSON(http.StatusOK, map[string]any{
		"version": 8, "name": "segmap", "center": center, "zoom": zoom,
		"sources": sources, "layers": layers,
	})
}
