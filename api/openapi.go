package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
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
func op(summary string, params []obj, ok obj) obj {
	return obj{"get": obj{"summary": summary, "parameters": params, "responses": obj{
		"200": ok, "400": obj{"$ref": "#/components/responses/Error"}, "404": obj{"$ref": "#/components/responses/Error"}}}}
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
	num := tNumNull()
	areaValue := object(obj{"id": tInt(), "code": tString(), "name": tString(), "kommun": tString(), "lan": tString(),
		"value": num, "numerator": num, "denominator": num, "suppressed": tBool(), "estimated": tBool()})
	tileParams := []obj{pathParam("layer", "Layer (level id)", tString()), pathParam("z", "Zoom", tInt()), pathParam("x", "Column", tInt()),
		pathParam("y", "Row (XYZ scheme)", tInt()), q("v", "Data version; when it is the current one the tile is cached as immutable", tInt())}
	paths := obj{
		"/healthz":  op("Liveness", nil, jsonResp("alive", object(obj{"status": tString()}))),
		"/readyz":   op("Readiness (store open)", nil, jsonResp("ready", object(obj{"status": tString()}))),
		"/api/meta": op("Levels, indicators, kommuner and defaults", nil, jsonResp("meta", ref("Meta"))),
		"/api/areas/{level}": op("Areas of a level", []obj{pathParam("level", "Level id", tString()), q("kommun", "Comma-separated kommun codes", tString())},
			jsonResp("areas", object(obj{"level": tString(), "areas": arrayOf(object(obj{"id": tInt(), "code": tString(), "name": tString(), "kommun": tString(), "lan": tString(), "regso": tString()}))}))),
		"/api/areas/{level}/{code}/profile": op("Profile of one area: every indicator and year beside its kommun, län and riket",
			[]obj{pathParam("level", "Level id", tString()), pathParam("code", "Area code", tString())},
			jsonResp("profile", object(obj{"area": object(obj{"id": tInt(), "code": tString(), "name": tString(), "level": tString(), "kommun": tString(), "kommun_name": tString(), "lan": tString(), "lan_name": tString(), "regso": tString(), "omradestyp": tInt()}),
				"indicators": arrayOf(object(obj{"indicator": ref("Indicator"), "series": arrayOf(object(obj{"year": tInt(), "breakdown": tString(), "value": num, "kommun": num, "lan": num, "riket": num, "suppressed": tBool(), "estimated": tBool()}))}))}))),
		"/api/values": op("Values of one indicator, level and year", valuesParams(),
			jsonResp("values", object(obj{"indicator": ref("Indicator"), "level": tString(), "year": tInt(), "breakdown": tString(), "areas": arrayOf(areaValue)}))),
		"/api/classify": op("Classified values with legend and colours", classifyParams(), jsonResp("classification", object(obj{
			"method": tString(), "k": tInt(), "scheme": tString(), "breaks": arrayOf(tNumber()), "closure": tString(), "pooled": arrayOf(tInt()), "note": tString(), "notes": arrayOf(object(obj{"kind": tString(), "method": tString(), "k": tInt(), "n": tInt()})), "summary": ref("Summary"),
			"legend": arrayOf(object(obj{"label": tString(), "color": tString(), "count": tInt(), "min": num, "max": num, "kind": enum("class", "nodata", "suppressed")})),
			"areas":  arrayOf(object(obj{"id": tInt(), "code": tString(), "name": tString(), "value": num, "class": tInt(), "color": tString(), "suppressed": tBool()}))}))),
		"/api/omradestyper": op("Population per socio-economic area type (RegSO områdestyp)", []obj{q("kommun", "Kommun codes, comma-separated; empty: all", tString())},
			jsonResp("types", object(obj{"year": tInt(),
				"types": arrayOf(object(obj{"type": tInt(), "label_sv": tString(), "label_en": tString(), "color": tString(), "regso_count": tInt(), "population": num, "population_share": num})),
				"areas": arrayOf(object(obj{"id": tInt(), "code": tString(), "name": tString(), "kommun": tString(), "type": tInt(), "population": num}))}))),
		"/api/inequality": op("Ojämlikhetsindex (100 × dissimilarity of low vs high economic standard across DeSO) per kommun or län and year",
			[]obj{q("level", "kommun (default), lan, or riket (the whole country as one region)", enum("kommun", "lan", "riket")),
				q("kommun", "Comma-separated kommun codes: the index over all their DeSO together, as one region", tString())},
			jsonResp("rows", object(obj{"level": tString(), "definition": tString(), "rows": arrayOf(object(obj{"code": tString(), "name": tString(), "year": tInt(), "index": num, "deso_count": tInt()}))}))),
		"/api/lisa": op("Global and local Moran's I (queen contiguity, row-standardised; local p: esda's folded pseudo p-value)", append(valuesParams(),
			q("alpha", "Significance level; default 0.05", tNumber()), q("permutations", "Conditional permutations; default 999", tInt()),
			q("seed", "Random seed; default 1", tInt()), q("fdr", "Use the false discovery rate", tBool()), neighboursParam()),
			jsonResp("lisa", object(obj{"colors": object(obj{"HH": tString(), "LL": tString(), "HL": tString(), "LH": tString(), "ns": tString(), "island": tString(), "nodata": tString()}), "level": tString(), "year": tInt(), "neighbours": enum("snap", "queen"), "moran": object(obj{"i": num, "expected": num, "z": num, "p_norm": num, "p_sim": num}),
				"islands": arrayOf(tString()), "areas": arrayOf(object(obj{"id": tInt(), "code": tString(), "value": num, "ii": num, "z": num, "p": num,
					"cluster": enum("HH", "LL", "HL", "LH", "ns", "island", "nodata")}))}))),
		"/api/gistar": op("Getis-Ord Gi* hot spots (queen contiguity)", append(valuesParams(), neighboursParam()),
			jsonResp("gi*", object(obj{"level": tString(), "year": tInt(), "neighbours": enum("snap", "queen"), "areas": arrayOf(object(obj{"id": tInt(), "code": tString(), "value": num, "g": num, "z": num, "p": num}))}))),
		"/api/segregation": op("Segregation indices of foreign-born vs Sweden-born across the DeSO of a kommun",
			[]obj{qReq("kommun", "Kommun code; several comma-separated: their DeSO together, as one region", tString()), q("year", "Year; default latest", tInt()), neighboursParam()},
			jsonResp("indices", object(obj{"kommun": tString(), "name": tString(), "level": tString(), "year": tInt(), "areas": tInt(), "groups": tString(), "neighbours": enum("snap", "queen"),
				"indices": object(obj{"dissimilarity": num, "isolation": num, "exposure": num, "theil": num, "gini": num, "morrill_d": num})}))),
		"/api/correlation": op("Correlation of two indicators over areas", []obj{
			q("level", "Level; default deso", tString()), qReq("x", "Indicator id on the x axis", tString()), qReq("y", "Indicator id on the y axis", tString()),
			q("year", "Year; default x's latest", tInt()), q("kommun", "Comma-separated kommun codes", tString()),
			q("method", "pearson (default) or spearman", enum("pearson", "spearman")), q("weighted", "Weight Pearson's r by x's denominator", tBool())},
			jsonResp("correlation", object(obj{"r": num, "n": tInt(), "method": tString(), "year": tInt(), "points": arrayOf(object(obj{"code": tString(), "x": tNumber(), "y": tNumber()}))}))),
		"/api/export.csv":     op("CSV download (UTF-8 with BOM, ';' separated, decimal comma: opens in Swedish Excel)", classifyParams(), fileResp("CSV", "text/csv")),
		"/api/export.xlsx":    op("Excel download: sheet Data and sheet Metadata (source, definitions, classification, suppression)", classifyParams(), fileResp("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")),
		"/api/export.geojson": op("GeoJSON download (WGS 84)", classifyParams(), fileResp("GeoJSON", "application/geo+json")),
		"/api/openapi.json":   op("This document", nil, jsonResp("OpenAPI 3.0", obj{"type": "object"})),
		"/api/map.png":        op("Map picture (PNG) of the classify query: areas, kommun borders, title, legend, source, scale bar, north arrow", pictureParams(), fileResp("PNG", "image/png")),
		"/api/map.svg":        op("Map picture (SVG) of the classify query, same layout as map.png", pictureParams(), fileResp("SVG", "image/svg+xml")),
		"/api/oembed": op("oEmbed 1.0 (type rich) for an /embed URL of this service; 404 for other URLs, 501 for format=xml", []obj{
			qReq("url", "The /embed URL", tString()), q("maxwidth", "Maximum iframe width", tInt()), q("maxheight", "Maximum iframe height", tInt()), q("format", "json only", enum("json", "xml"))},
			jsonResp("oEmbed", object(obj{"version": tString(), "type": tString(), "title": tString(), "provider_name": tString(), "provider_url": tString(), "html": tString(), "width": tInt(), "height": tInt(), "cache_age": tInt()}))),
		"/tiles/{layer}.json": op("TileJSON 3.0.0 of a layer. With indicator= (and the other classify parameters) its tiles are the tiles with values and vector_layers lists value, class and color",
			append([]obj{pathParam("layer", "Layer (level id)", tString())}, classifyTileParams()...), jsonResp("TileJSON", obj{"type": "object"})),
		"/tiles/{layer}/{z}/{x}/{y}.mvt": op("Mapbox vector tile (gzip-encoded when accepted); feature id = area id, properties code and name; 204 when empty. With indicator= (and the other classify parameters) every feature also carries value, class and color, for clients that cannot join (QGIS, static exports)",
			append(tileParams, classifyTileParams()...), fileResp("MVT", MVTContentType)),
		"/style.json": op("MapLibre style: DeSO coloured by the color property of the tiles with values of the classification (indicator= and the classify parameters; without indicator= the client's first view), kommun and län outlines; metadata[\"segmap:legend\"] is the legend (in lang)",
			classifyTileParams(), jsonResp("style", obj{"type": "object"})),
	}
	reportOpenAPI(paths)
	changeOpenAPI(paths)
	notesOpenAPI(paths)
	for k, v := range sitesOpenAPI() {
		paths[k] = v
	}
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

func (s *server) openapi(c echo.Context) error {
	return c.JSON(http.StatusOK, openAPIDoc())
}
