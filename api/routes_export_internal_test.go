package api

// RouteInfo is one entry of the route table as the external tests see it.
type RouteInfo struct {
	Method, Path string
	Access       string // "public", "read" (token with --private-reads) or "write"
	Query        []QueryParam
}

// QueryParam is a documented query parameter of a route.
type QueryParam struct {
	Name     string
	Type     string // OpenAPI type: string, integer, number, boolean
	Enum     bool
	Required bool
}

// Routes is the route table (for the tests that walk every route).
func Routes() []RouteInfo {
	var out []RouteInfo
	for _, r := range (&server{}).routeTable() {
		ri := RouteInfo{Method: r.method, Path: r.path, Access: [...]string{"public", "read", "write"}[r.access]}
		params, _ := r.doc["parameters"].([]obj)
		for _, p := range params {
			if p["in"] != "query" {
				continue
			}
			schema, _ := p["schema"].(obj)
			typ, _ := schema["type"].(string)
			_, enum := schema["enum"]
			req, _ := p["required"].(bool)
			ri.Query = append(ri.Query, QueryParam{Name: p["name"].(string), Type: typ, Enum: enum, Required: req})
		}
		out = append(out, ri)
	}
	return out
}
