package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"

	"github.com/labstack/echo/v4"

	"github.com/segmap/segmap/service"
)

type obj = map[string]any

func param(name, in, desc string, schema obj, required bool) obj {
	return obj{"name": name, "in": in, "description": desc, "required": required || in == "path", "schema": schema}
}

func tString() obj  { return obj{"type": "string"} }
func tInt() obj     { return obj{"type": "integer"} }
func tNumber() obj  { return obj{"type": "number"} }
func tBool() obj    { return obj{"type": "boolean"} }
func tNumNull() obj { return obj{"type": "number", "nullable": true} }

func q(name, desc string, schema obj) obj         { return param(name, "query", desc, schema, false) }
func qReq(name, desc string, schema obj) obj      { return param(name, "query", desc, schema, true) }
func pathParam(name, desc string, schema obj) obj { return param(name, "path", desc, schema, true) }
func enum(values ...string) obj                   { return obj{"type": "string", "enum": values} }
func arrayOf(items obj) obj                       { return obj{"type": "array", "items": items} }
func object(props obj) obj                        { return obj{"type": "object", "properties": props} }
func ref(name string) obj                         { return obj{"$ref": "#/components/schemas/" + name} }
func jsonResp(desc string, schema obj) obj {
	return obj{"description": desc, "content": obj{"application/json": obj{"schema": schema}}}
}
func fileResp(desc, mediaType string) obj {
	return obj{"description": desc, "content": obj{mediaType: obj{"schema": obj{"type": "string", "format": "binary"}}}}
}

// neighboursParam chooses the contiguity graph of the spatial statistics.
func neighboursParam() obj {
	return q("neighbours", "Neighbour graph: snap (default; queen contiguity in SWEREF 99 TM where a vertex within 1 m of the other area's boundary, vertex or edge, counts: SCB DeSO borders have T-junctions and slivers) or queen (exactly spdep::poly2nb(queen = TRUE): a shared vertex within 1.49e-8 in the stored WGS 84 degrees)", enum("snap", "queen"))
}

func valuesParams() []obj {
	return []obj{
		q("level", "Area level id (deso, regso, kommun, lan, riket or a custom level); default deso", tString()),
		qReq("indicator", "Indicator id (see /api/meta)", tString()),
		q("year", "Year; default the indicator's latest", tInt()),
		q("breakdown", "Breakdown; default total", tString()),
		q("kommun", "Comma-separated kommun codes to restrict to (e.g. 0180,0114)", tString()),
	}
}

// viewParams narrow the areas of /api/values and /api/classify and choose
// their form (service.View).
func viewParams() []obj {
	return []obj{
		q("format", "objects (default): one object per area in areas; compact: parallel arrays", enum("objects", "compact")),
		q("bbox", "west,south,east,north (WGS 84): only the areas whose boundary's bounding box meets it (areas without a boundary are left out); the classification is still of the whole selection", tString()),
		q("mapped", "Only the areas with a boundary (those a map can draw); the classification is still of the whole selection", tBool()),
	}
}

// classifyTileParams are the classify parameters a tile accepts (the level
// is the tile's layer).
func classifyTileParams() []obj {
	var out []obj
	for _, p := range classifyParams() {
		switch p["name"] {
		case "level":
		case "indicator":
			out = append(out, q("indicator", "Indicator id: when given, features carry value, class and color", tString()))
		default:
			out = append(out, p)
		}
	}
	return out
}

func classifyParams() []obj {
	return append(valuesParams(),
		q("method", "Classification method", enum("quantile", "equal", "fisher", "jenks", "sd", "pretty", "headtails", "manual")),
		q("k", "Number of classes (2-12); default 5", tInt()),
		q("scheme", "Colour scheme (ColorBrewer name)", tString()),
		q("pooled", "Comma-separated years whose values together decide the breaks", tString()),
		q("breaks", "Comma-separated breaks for method=manual", tString()),
		q("sd_step", "Class width in standard deviations for method=sd (1 or 0.5)", tNumber()),
		q("lang", "Label language", enum("sv", "en")))
}

func pictureParams() []obj {
	return append(classifyParams(),
		q("width", "Width in CSS px (120-4000); default 1000", tInt()),
		q("height", "Height in CSS px (120-4000); default 800", tInt()),
		q("dpi", "Resolution (72-300); default 96 = one pixel per CSS px", tNumber()))
}

// openAPIDoc is the OpenAPI 3.0 description of every route.
func openAPIDoc() obj {
	return openAPIDocOf((&server{}).routeTable())
}

// openAPIDocOf is the OpenAPI 3.0 description of routes.
func openAPIDocOf(routes []route) obj {
	paths := openAPIPaths(routes)
	return obj{
		"openapi": "3.0.3",
		"info": obj{"title": "segmap API", "version": "1",
			"description": "Map and analysis service for segregation analysis in Swedish kommuner. Missing numbers are null. Errors are {\"error\":{\"code\",\"message\"}}."},
		"paths": paths,
		"components": obj{
			"responses":       obj{"Error": jsonResp("error", object(obj{"error": object(obj{"code": tString(), "message": tString()})}))},
			"securitySchemes": obj{"bearer": obj{"type": "http", "scheme": "bearer", "description": "The API token of --api-token"}},
			"schemas": obj{
				"Indicator": object(obj{"id": tString(), "name_sv": tString(), "name_en": tString(), "unit": tString(), "description_sv": tString(), "description_en": tString(),
					"source": tString(), "higher_is_better": obj{"type": "boolean", "nullable": true}, "aggregation": enum("ratio", "sum", "weighted_mean", "none"),
					"scale": tNumber(), "decimals": tInt(), "years": arrayOf(tInt()), "breakdowns": arrayOf(tString()),
					"years_by_level": obj{"type": "object", "additionalProperties": arrayOf(tInt())}}),
				"Summary": obj{"type": "object", "description": "The map written out (in lang): its text alternative for screen readers, the embed page and the SVG <desc>. text = title, then the " +
					"3 highest and 3 lowest areas with values formatted for the language (ties by code), then the number of areas without data.",
					"properties": obj{"text": tString(), "title": tString(), "areas": tInt(), "with_value": tInt(), "missing": tInt(), "suppressed": tInt(),
						"highest": arrayOf(ref("SummaryArea")), "lowest": arrayOf(ref("SummaryArea"))}},
				"SummaryArea": object(obj{"code": tString(), "label": tString(), "value": tNumber(), "text": tString()}),
				"Meta": object(obj{"data_version": tInt(),
					"levels": arrayOf(object(obj{"id": tString(), "name_sv": tString(), "name_en": tString(), "kind": tString(), "parent": tString(), "feature_count": tInt(), "area_count": tInt(),
						"tiles":    obj{"type": "string", "description": "Vector tile URL template relative to the service's base URL (e.g. tiles/deso/{z}/{x}/{y}.mvt?v=8; no leading slash, so it works under a path prefix): resolve it against the page or the base URL"},
						"tilejson": obj{"type": "string", "description": "TileJSON URL relative to the service's base URL (e.g. tiles/deso.json)"}})),
					"indicators": arrayOf(ref("Indicator")),
					"kommuner":   arrayOf(object(obj{"code": tString(), "name": tString(), "lan": tString(), "mapped": obj{"type": "boolean"}})),
					"defaults":   object(obj{"level": tString(), "indicator": tString(), "year": tInt(), "method": tString(), "k": tInt(), "kommun": tString()}),
					"basemap":    object(obj{"url": tString(), "type": tString(), "attribution": tString()})}),
			},
		},
	}
}

// openAPIJSON is the document as served and as kept in api/openapi.json.
func openAPIJSON() ([]byte, error) {
	b, err := json.MarshalIndent(openAPIDoc(), "", "  ")
	if err != nil {
		return nil, fmt.Errorf("api: openapi: %w", err)
	}
	return append(b, '\n'), nil
}

// openAPICache holds openAPIJSON, made on the first request.
var openAPICache struct {
	once sync.Once
	b    []byte
	err  error
}

func (s *server) openapi(c echo.Context) error {
	openAPICache.once.Do(func() { openAPICache.b, openAPICache.err = openAPIJSON() })
	b, err := openAPICache.b, openAPICache.err
	if err != nil {
		return err
	}
	return c.JSONBlob(http.StatusOK, b)
}

// typeSourceSchema is service.TypeSource: which områdestyper an answer used.
func typeSourceSchema() obj {
	return object(obj{"source": enum("official", "computed"), "year": tInt(), "note_sv": tString(), "note_en": tString()})
}

// seriesGeographySchema is service.Geographies: where a series changes
// geography version (DeSO 2018 → DeSO 2025) and whether the years compare.
func seriesGeographySchema() obj {
	return object(obj{
		"years": arrayOf(object(obj{"year": tInt(), "geography": enum(service.GeoDeSO2018, service.GeoDeSO2025), "estimated": tBool()})),
		"breaks": arrayOf(object(obj{"year": tInt(), "from": tString(), "to": tString(), "comparable": tBool(),
			"note_sv": tString(), "note_en": tString()})),
	})
}
