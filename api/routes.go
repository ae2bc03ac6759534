package api

import (
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
)

// The route table. Every route of the server is one entry, and echo's
// routes and the OpenAPI document (api/openapi.json) are both made from
// it. Each feature file lists its own routes (server.coreRoutes,
// server.reportRoutes, server.sitesRoutes, webRoutes); adding a route is
// one entry there:
//
//	{http.MethodGet, "/api/things/:id", s.thing, public, op("A thing", []obj{pathParam("id", "Thing id", tInt())}, jsonResp("thing", ref("Thing")))},
//
// then `go test ./api -run TestOpenAPIFile -update` rewrites openapi.json.

// access is what a route needs besides its parameters.
type access int

const (
	public     access = iota
	readToken         // kommun-made data: the API token when the server runs with --private-reads
	writeToken        // a change: the API token, and a store that may be written
)

// route is one entry of the route table.
type route struct {
	method  string // http.MethodGet, …
	path    string // echo syntax: /api/areas/:level/:code/profile
	handler echo.HandlerFunc
	access  access
	// doc is the OpenAPI operation (summary, parameters, the success
	// response; see op). The error responses and security follow from
	// access. nil: not in the OpenAPI document (the web client's pages).
	doc obj
}

// routeTable is every route of the server.
func (s *server) routeTable() []route {
	return slices.Concat(s.coreRoutes(), s.reportRoutes(), s.changeRoutes(), s.notesRoutes(), s.trendRoutes(), s.sitesRoutes(), s.dataRoutes(), webRoutes(s.pageHTML))
}

// register adds the routes to e with the middleware their access needs.
func (s *server) register(e *echo.Echo, routes []route) {
	for _, r := range routes {
		var mw []echo.MiddlewareFunc
		switch r.access {
		case readToken:
			mw = append(mw, s.requireReadToken)
		case writeToken:
			mw = append(mw, s.requireToken, s.requireWritable)
		}
		e.Add(r.method, r.path, r.handler, mw...)
	}
}

// echoParam matches an echo path parameter: ":name" up to the first "."
// (the rest of the segment is literal, as in /tiles/:layer.json).
var echoParam = regexp.MustCompile(`:([a-z_]+)`)

// openAPIPath is an echo path in OpenAPI form: /api/areas/{level}.
func openAPIPath(p string) string { return echoParam.ReplaceAllString(p, "{$1}") }

// openAPIPaths is the "paths" object of the OpenAPI document of routes.
func openAPIPaths(routes []route) obj {
	paths := obj{}
	for _, r := range routes {
		if r.doc == nil {
			continue
		}
		p := openAPIPath(r.path)
		item, _ := paths[p].(obj)
		if item == nil {
			item = obj{}
			paths[p] = item
		}
		item[strings.ToLower(r.method)] = documented(r)
	}
	return paths
}

// documented is r's OpenAPI operation with the error responses every
// route can give and those its access adds, and its security.
func documented(r route) obj {
	o := obj{}
	for k, v := range r.doc {
		o[k] = v
	}
	resp := obj{}
	if rs, ok := o["responses"].(obj); ok {
		for k, v := range rs {
			resp[k] = v
		}
	}
	codes := []string{"400", "404"}
	switch r.access {
	case readToken:
		codes = append(codes, "401")
		o["security"] = []obj{{}, {"bearer": []string{}}}
	case writeToken:
		codes = append(codes, "401", "403")
		o["security"] = []obj{{"bearer": []string{}}}
	}
	for _, c := range codes {
		if _, ok := resp[c]; !ok {
			resp[c] = obj{"$ref": "#/components/responses/Error"}
		}
	}
	o["responses"] = resp
	if _, ok := o["parameters"]; !ok {
		o["parameters"] = []obj{}
	}
	return o
}

// op is an operation answering 200 with ok.
func op(summary string, params []obj, ok obj) obj {
	return opStatus(summary, params, http.StatusOK, ok)
}

// opStatus is an operation answering status with ok (201 created, 204).
func opStatus(summary string, params []obj, status int, ok obj) obj {
	if params == nil {
		params = []obj{}
	}
	return obj{"summary": summary, "parameters": params, "responses": obj{strconv.Itoa(status): ok}}
}

// withBody adds a request body to an operation.
func withBody(o obj, body obj) obj {
	o["requestBody"] = body
	return o
}

// xEncodedOnce is the OpenAPI extension that marks an operation answered
// through cachedJSON (see encodedOnce).
const xEncodedOnce = "x-segmap-encoded-once"

// encodedOnce marks a route's operation as answered through cachedJSON:
// its JSON and gzip bytes are made once per data version and query, with
// a strong ETag (If-None-Match gives 304). The handler sends the gzip
// bytes itself, so echo's Gzip leaves the route alone (selfEncodedPaths).
// The mark is declared where the route is and is part of the OpenAPI
// document:
//
//	{http.MethodGet, "/api/values", s.values, public, encodedOnce(op(…))},
func encodedOnce(o obj) obj {
	o[xEncodedOnce] = "The answer is encoded once per data version and query: a strong ETag (If-None-Match answers 304) and gzip when accepted."
	return o
}

// selfEncodedPaths is the set of the paths of routes marked encodedOnce.
func selfEncodedPaths(routes []route) map[string]bool {
	out := map[string]bool{}
	for _, r := range routes {
		if _, ok := r.doc[xEncodedOnce]; ok {
			out[r.path] = true
		}
	}
	return out
}
