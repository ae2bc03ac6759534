package api_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/segmap/segmap/api"
)

// The walk: every route of the route table (so a new route is covered
// without a new test) answered with bad input must say what is wrong with
// the right status and code, in a sentence for people, in Swedish by
// default and in English on Accept-Language: en.

// pathValues fill an echo path's parameters.
type pathValues map[string]string

var (
	// goodPath are values that exist in the demo store (site layer 1 and
	// note 1 do not: there are none).
	goodPath = pathValues{"level": "deso", "code": "0180C1010", "layer": "deso", "z": "12", "x": "2253", "y": "1204", "id": "1", "*": "nope.js"}
	// unknownPath are well-formed values that name nothing.
	unknownPath = pathValues{"level": "nope", "code": "0000X0000", "layer": "nope", "z": "1", "x": "0", "y": "0", "id": "999999", "*": "nope.js"}
)

var echoParamRE = regexp.MustCompile(`:([a-z_]+)|\*$`)

func fill(path string, v pathValues) string {
	return echoParamRE.ReplaceAllStringFunc(path, func(m string) string {
		return v[strings.TrimPrefix(m, ":")]
	})
}

// rawError is what a message for people must not contain: Go package
// prefixes, sentinel texts, type names, formatting mistakes.
var rawError = regexp.MustCompile(`\b(service|data|classify|tiles|api|palette|render|fault|echo|sqlite3?):|\b(fault|data|service|tiles|classify|echo|http|errors)\.[A-Z]|%!|<nil>|\*[a-z]+\.[A-Z]|HTTPError|^(invalid|not found|bad request|conflict|read-only|internal server error)$`)

type walkAnswer struct {
	status  int
	code    string
	message string
	header  http.Header
}

func walkDo(t *testing.T, e *echo.Echo, method, target, lang string, headers ...string) walkAnswer {
	t.Helper()
	var body *strings.Reader
	if method == http.MethodPost || method == http.MethodPatch {
		body = strings.NewReader(`{}`)
	} else {
		body = strings.NewReader("")
	}
	req := httptest.NewRequest(method, target, body)
	req.Header.Set("Content-Type", "application/json")
	if lang != "" {
		req.Header.Set("Accept-Language", lang)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	a := walkAnswer{status: rec.Code, header: rec.Header()}
	if rec.Code >= 400 {
		var b struct {
			Error struct{ Code, Message string }
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil {
			t.Errorf("%s %s: error body is not JSON: %v: %q", method, target, err, rec.Body.String())
		}
		a.code, a.message = b.Error.Code, b.Error.Message
	}
	return a
}

// expectRefusal asks target in Swedish (the default) and English and
// checks status, code and both messages.
func expectRefusal(t *testing.T, e *echo.Echo, method, target string, statuses []int, code string, headers ...string) (sv, en walkAnswer) {
	t.Helper()
	sv = walkDo(t, e, method, target, "", headers...)
	en = walkDo(t, e, method, target, "en", headers...)
	for _, a := range []walkAnswer{sv, en} {
		if !slices.Contains(statuses, a.status) || (code != "" && a.code != code) {
			t.Errorf("%s %s: %d %s %q, want %v %s", method, target, a.status, a.code, a.message, statuses, code)
			continue
		}
		checkSentence(t, method+" "+target, a.message)
	}
	return sv, en
}

func checkSentence(t *testing.T, what, msg string) {
	t.Helper()
	if len(msg) < 12 || !strings.Contains(msg, " ") || rawError.MatchString(msg) {
		t.Errorf("%s: message %q is not a sentence for people", what, msg)
	}
}

func statusesOf(a ...int) []int { return a }

func TestWalkRoutesUnknownCodes(t *testing.T) {
	t.Parallel()
	e := api.New(testSvc, api.Options{})
	for _, r := range api.Routes() {
		if !strings.ContainsAny(r.Path, ":*") {
			continue
		}
		want := statusesOf(http.StatusBadRequest, http.StatusNotFound)
		code := ""
		if r.Access == "write" {
			// No token configured: this server accepts no changes.
			want, code = statusesOf(http.StatusForbidden), "read_only"
		}
		expectRefusal(t, e, r.Method, fill(r.Path, unknownPath), want, code)
	}
}

func TestWalkRoutesBadParameters(t *testing.T) {
	t.Parallel()
	e := api.New(testSvc, api.Options{})
	for _, r := range api.Routes() {
		if r.Method != http.MethodGet {
			continue
		}
		path := fill(r.Path, goodPath)
		want := statusesOf(http.StatusBadRequest)
		if r.Access != "public" {
			want = append(want, http.StatusNotFound) // no site layer 1: the id may be looked up first
		}
		// Tiles, TileJSON and style.json read the classify parameters only
		// with indicator=.
		withIndicator := slices.ContainsFunc(r.Query, func(p api.QueryParam) bool { return p.Name == "indicator" && !p.Required })
		base := path + "?"
		if withIndicator {
			base += "indicator=population&"
		}
		var required []string
		for _, p := range r.Query {
			if p.Required {
				required = append(required, p.Name)
			}
			switch {
			case p.Name == "v":
				// The data version is a cache key: any value but the current
				// one is served with the short Cache-Control.
			case p.Type == "integer" || p.Type == "number" || p.Type == "boolean":
				expectRefusal(t, e, r.Method, base+p.Name+"=x!", want, "")
			case p.Name == "indicator" || p.Name == "x" || p.Name == "y":
				// An unknown indicator: 404 where it is looked up.
				target := path + "?" + p.Name + "=nope"
				switch p.Name {
				case "x":
					target += "&y=population"
				case "y":
					target += "&x=population"
				}
				if a := walkDo(t, e, r.Method, target, ""); a.status >= 400 {
					expectRefusal(t, e, r.Method, target, statusesOf(http.StatusBadRequest, http.StatusNotFound), "")
				}
			case p.Enum:
				// A value outside the enum must never be a 5xx; when refused,
				// in words.
				// (oEmbed answers an unknown format with 501, as its spec says.)
				if a := walkDo(t, e, r.Method, base+p.Name+"=nope", ""); a.status >= 400 {
					expectRefusal(t, e, r.Method, base+p.Name+"=nope", statusesOf(http.StatusBadRequest, http.StatusNotFound, http.StatusNotImplemented), "")
				}
			}
		}
		if len(required) > 0 && r.Access == "public" {
			expectRefusal(t, e, r.Method, path, want, "bad_request")
		}
	}
}

func TestWalkWriteRoutes(t *testing.T) {
	t.Parallel()
	const tok = "walk-token-0123456789abcdef0123456789"
	withToken := api.New(testSvc, api.Options{APIToken: tok})
	private := api.New(testSvc, api.Options{APIToken: tok, PrivateReads: true})
	n := 0
	for _, r := range api.Routes() {
		path := fill(r.Path, goodPath)
		switch r.Access {
		case "write":
			n++
			// Missing and wrong tokens: 401 with a challenge.
			a, _ := expectRefusal(t, withToken, r.Method, path, statusesOf(http.StatusUnauthorized), "unauthorized")
			if a.header.Get("WWW-Authenticate") == "" {
				t.Errorf("%s %s without a token: no WWW-Authenticate", r.Method, path)
			}
			expectRefusal(t, withToken, r.Method, path, statusesOf(http.StatusUnauthorized), "unauthorized", "Authorization", "Bearer wrong")
			// The demo store is read-only: every write is 403 read_only,
			// whatever its body.
			expectRefusal(t, withToken, r.Method, path, statusesOf(http.StatusForbidden), "read_only", "Authorization", "Bearer "+tok)
		case "read":
			expectRefusal(t, private, r.Method, path, statusesOf(http.StatusUnauthorized), "unauthorized")
		}
	}
	if n < 5 {
		t.Errorf("only %d write routes in the table", n)
	}
}

// TestWalkMessages: the most common refusals say what is wrong, in
// Swedish by default and in English on request.
func TestWalkMessages(t *testing.T) {
	t.Parallel()
	e := api.New(testSvc, api.Options{})
	for _, tc := range []struct {
		method, target string
		status         int
		code, sv, en   string
	}{
		{"GET", "/tiles/nope/1/0/0.mvt", 404, "not_found", `okänt lager "nope"; lagren är deso`, `unknown layer "nope"; layers are deso`},
		{"GET", "/tiles/nope.json", 404, "not_found", `okänt lager "nope"`, `unknown layer "nope"`},
		{"GET", "/tiles/deso/3/99/0.mvt", 400, "bad_request", "x och y måste vara 0..7", "x and y must be in 0..7"},
		{"GET", "/tiles/deso/3/a/0.mvt", 400, "bad_request", `kartbitens koordinater ska vara heltal: z="3" x="a"`, `tile coordinates must be integers: z="3" x="a"`},
		{"GET", "/tiles/deso/3/0/0.png", 400, "bad_request", "sökvägen till en kartbit (tile) ska sluta på .mvt", "tile path must end in .mvt"},
		{"GET", "/report?kommun=0180&format=pdf", 400, "bad_request", `format ska vara html eller json, inte "pdf"`, `format must be html or json, got "pdf"`},
		{"GET", "/api/values?indicator=nope", 404, "not_found", `okänd indikator "nope"`, `unknown indicator "nope"`},
		{"GET", "/api/values?level=mars&indicator=population", 404, "not_found", `okänd nivå "mars"`, `unknown level "mars"`},
		{"GET", "/api/values?indicator=population&year=1900", 404, "not_found", "inga värden för år 1900", "no values for year 1900"},
		{"GET", "/api/values?indicator=population&year=x", 400, "bad_request", `year måste vara ett heltal, inte "x"`, `year must be an integer, got "x"`},
		{"GET", "/api/classify?indicator=population&k=40", 400, "bad_request", "k måste vara mellan 2 och 12", "k must be between 2 and 12"},
		{"GET", "/api/classify?indicator=population&method=kmeans", 400, "bad_request", `okänd metod "kmeans"`, `unknown method "kmeans"`},
		{"GET", "/api/classify?indicator=population&method=manual", 400, "bad_request", "method=manual kräver minst 2 tal i breaks", "method=manual needs at least 2 numbers in breaks"},
		{"GET", "/api/classify?indicator=population&method=manual&breaks=1,x", 400, "bad_request", "breaks måste vara en kommaseparerad lista", "breaks must be a comma-separated list"},
		{"GET", "/api/classify?indicator=population&scheme=Nope", 400, "bad_request", `okänt färgschema "Nope"`, `unknown colour scheme "Nope"`},
		{"GET", "/api/classify?indicator=population&lang=de", 400, "bad_request", "lang måste vara sv eller en", "lang must be sv or en"},
		{"GET", "/api/map.png?indicator=population&width=5", 400, "bad_request", "width måste vara mellan", "width must be between"},
		{"GET", "/api/areas/nope", 404, "not_found", `okänd nivå "nope"`, `unknown level "nope"`},
		{"GET", "/api/oembed?url=https://example.com/", 404, "not_found", "är ingen karta från den här tjänsten", "is not a map of this service"},
		{"GET", "/api/oembed?url=x&format=xml", 501, "not_implemented", `oEmbed-formatet "xml" stöds inte`, `oEmbed format "xml" is not supported`},
		{"GET", "/api/sites/999999", 404, "not_found", "det finns inget lager med planerade bostäder med id 999999", "there is no site layer 999999"},
		{"GET", "/no/such/page", 404, "not_found", "det finns inget på den här adressen", "there is nothing at this address"},
		{"DELETE", "/api/meta", 405, "method_not_allowed", "svarar inte på den här metoden", "does not answer this method"},
		{"POST", "/api/sites", 403, "read_only", "servern tar inte emot ändringar", "this server accepts no changes"},
	} {
		sv, en := expectRefusal(t, e, tc.method, tc.target, statusesOf(tc.status), tc.code)
		if !strings.Contains(sv.message, tc.sv) {
			t.Errorf("%s %s (sv): %q, want %q", tc.method, tc.target, sv.message, tc.sv)
		}
		if !strings.Contains(en.message, tc.en) {
			t.Errorf("%s %s (en): %q, want %q", tc.method, tc.target, en.message, tc.en)
		}
		if strings.Contains(tc.target, "lang=") {
			continue
		}
		if q := walkDo(t, e, tc.method, tc.target+sep(tc.target)+"lang=en", ""); q.message != en.message {
			t.Errorf("%s %s: lang=en says %q, Accept-Language: en %q", tc.method, tc.target, q.message, en.message)
		}
	}
}

func sep(target string) string {
	if strings.Contains(target, "?") {
		return "&"
	}
	return "?"
}
