package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/segmap/segmap/internal/fault"
	"github.com/segmap/segmap/internal/locale"
)

// RetryAfterBusy is the Retry-After (seconds) sent with 503 when every
// slot for the work is taken (fault.Busy) or the work took too long
// (fault.Timeout).
const RetryAfterBusy = "1"

// kindStatus is one row of the status table: what a kind of error
// (internal/fault) answers over HTTP, and the sentence said when the error
// carries no message for people.
type kindStatus struct {
	kind   error
	status int
	code   string
	en, sv string
}

// statusTable is the one place where kinds become HTTP statuses. A
// read-only store and a server without an API token both refuse every
// write with 403 read_only: the request is understood, and no token or
// retry would make this server accept it.
var statusTable = []kindStatus{
	{fault.Invalid, http.StatusBadRequest, "bad_request",
		"the request is not valid; check its parameters",
		"begäran är felaktig; kontrollera parametrarna"},
	{fault.NotFound, http.StatusNotFound, "not_found",
		"there is nothing at this address",
		"det finns inget på den här adressen"},
	{fault.Conflict, http.StatusConflict, "conflict",
		"the change clashes with the data as it is now; reload and try again",
		"ändringen krockar med hur uppgifterna ser ut nu; läs in dem igen och försök på nytt"},
	{fault.ReadOnly, http.StatusForbidden, "read_only",
		"this server's data is read-only; nothing can be changed here",
		"serverns data är skrivskyddade; inget kan ändras här"},
	{fault.Unauthorized, http.StatusUnauthorized, "unauthorized",
		`this request needs the API token: send the header "Authorization: Bearer <token>"`,
		`den här begäran kräver API-nyckeln: skicka rubriken "Authorization: Bearer <nyckel>"`},
	{fault.TooLarge, http.StatusRequestEntityTooLarge, "request_entity_too_large",
		"the request is larger than this server accepts",
		"begäran är större än servern tar emot"},
	{fault.Busy, http.StatusServiceUnavailable, "busy",
		"the server is busy right now; try again in a second",
		"servern är upptagen just nu; försök igen om en sekund"},
	{fault.Timeout, http.StatusServiceUnavailable, "timeout",
		"the request took too long; try again, or ask for less",
		"begäran tog för lång tid; försök igen, eller be om mindre"},
	{fault.Unavailable, http.StatusServiceUnavailable, "unavailable",
		"the server cannot answer right now; try again shortly",
		"servern kan inte svara just nu; försök igen om en stund"},
}

// internalMessage is said for an error of no kind (a bug or a failing
// dependency); the error itself goes to the log.
var internalMessage = map[string]string{
	"en": "something went wrong on the server; the server log has the details",
	"sv": "något gick fel på servern; serverns logg har detaljerna",
}

// answer is what the error handler sends for an error.
type answer struct {
	status  int
	code    string
	message string
	kind    error // nil: no kind (internal, or an HTTP status of its own)
	generic bool  // the message is the kind's generic sentence: log the error
}

// statusOf maps err to its answer in lang ("sv" or "en").
func statusOf(err error, lang string) answer {
	if a, ok := httpErrorAnswer(err, lang); ok {
		return a
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		err = tooLarge(mbe.Limit)
	}
	if errors.Is(err, context.Canceled) || (errors.Is(err, context.DeadlineExceeded) && fault.KindOf(err) == nil) {
		err = fault.Wrap(fault.Unavailable, err, "the request was cancelled or timed out; try again").
			Sv("begäran avbröts eller tog för lång tid; försök igen")
	}
	kind := kindOf(err)
	for _, row := range statusTable {
		if !errors.Is(row.kind, kind) {
			continue
		}
		a := answer{status: row.status, code: row.code, kind: kind}
		if msg, ok := fault.MessageOf(err, lang); ok && msg != "" {
			a.message = msg
		} else {
			a.message, a.generic = pick(lang, row.en, row.sv), true
		}
		return a
	}
	return answer{status: http.StatusInternalServerError, code: "internal", message: internalMessage[lang], generic: true}
}

// kindOf is the kind of the outermost *fault.Error in err's chain, else
// the first kind err wraps.
func kindOf(err error) error {
	var fe *fault.Error
	if errors.As(err, &fe) {
		if k := fault.KindOf(fe.Kind); k != nil {
			return k
		}
	}
	return fault.KindOf(err)
}

// httpErrorAnswer answers an *echo.HTTPError: echo's own 404 and 405, and
// statuses outside the kinds (414, 501). Its Internal error, when it is a
// fault.Messager, gives the message in lang.
func httpErrorAnswer(err error, lang string) (answer, bool) {
	var he *echo.HTTPError
	if !errors.As(err, &he) {
		return answer{}, false
	}
	a := answer{status: he.Code, code: strings.ToLower(strings.ReplaceAll(http.StatusText(he.Code), " ", "_"))}
	if he.Internal != nil {
		a.message, _ = fault.MessageOf(he.Internal, lang)
	}
	if m, ok := he.Message.(string); a.message == "" && ok && m != http.StatusText(he.Code) {
		a.message = m // another handler's own words (English)
	}
	if a.message == "" {
		// echo's own errors carry only the status text.
		switch he.Code {
		case http.StatusNotFound:
			a.message = pick(lang, "there is nothing at this address", "det finns inget på den här adressen")
		case http.StatusMethodNotAllowed:
			a.message = pick(lang, "this address does not answer this method", "den här adressen svarar inte på den här metoden")
		default:
			a.message, a.generic = http.StatusText(he.Code), true
		}
	}
	if a.code == "" {
		a.code = "error"
	}
	return a, true
}

// tooLarge is a body over the server's limit.
func tooLarge(limit int64) *fault.Error {
	return fault.New(fault.TooLarge, "the request body is larger than this server's limit of %s", byteSize(limit)).
		Sv("begärans innehåll är större än serverns gräns på %s", byteSizeSV(limit))
}

// Message says the timeout in lang (fault.Messager); Unwrap makes it of
// kind fault.Timeout.
func (e *timeoutError) Message(lang string) string {
	if lang == "sv" {
		return fmt.Sprintf("begäran tog längre tid än serverns gräns på %s; försök igen, eller be om mindre (färre kommuner, en lägre nivå)", e.limit)
	}
	return e.Error()
}

func (e *timeoutError) Unwrap() error { return fault.Timeout }

// pick returns en or sv by lang.
func pick(lang, en, sv string) string {
	if lang == "en" {
		return en
	}
	return sv
}

// requestLang is the language of messages for people: lang=en or lang=sv
// in the query, else the first of sv and en in Accept-Language, else
// Swedish.
func requestLang(c echo.Context) string { return errorLang(c.Request()) }

// errorLang is requestLang for a plain *http.Request (the load shedder and
// the connection guard answer before echo's context exists): lang=, else
// Accept-Language, else Swedish (locale.Parse).
func errorLang(r *http.Request) string {
	return locale.Parse(r.URL.Query().Get("lang"), r.Header.Get("Accept-Language")).String()
}

// errorBody is the JSON shape of every error.
type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// handleError is echo's error handler: the status table, the message in
// the request's language, and the raw error in the log when the client
// hears a generic sentence or the status is 5xx.
func (s *server) handleError(err error, c echo.Context) {
	if c.Response().Committed || errors.As(err, new(*clientClosedError)) {
		return // nobody to answer
	}
	a := statusOf(err, requestLang(c))
	switch {
	case a.status >= 500 && a.kind == nil:
		s.log.Error("request failed", "method", c.Request().Method, "path", c.Request().URL.Path, "err", err)
	case a.status >= 500 || a.generic:
		s.log.Warn("request refused", "method", c.Request().Method, "path", c.Request().URL.Path, "status", a.status, "err", err)
	}
	h := c.Response().Header()
	h.Del("Content-Encoding")
	h.Del("ETag")
	h.Set("Cache-Control", "no-store")
	switch {
	case errors.Is(a.kind, fault.Busy), errors.Is(a.kind, fault.Timeout):
		if h.Get("Retry-After") == "" { // the load shedder may have set its own
			h.Set("Retry-After", RetryAfterBusy)
		}
	case errors.Is(a.kind, fault.Unauthorized):
		if h.Get("WWW-Authenticate") == "" {
			h.Set("WWW-Authenticate", `Bearer realm="segmap"`)
		}
	}
	var b errorBody
	b.Error.Code, b.Error.Message = a.code, a.message
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(a.status)
		return
	}
	if err := c.JSON(a.status, b); err != nil {
		s.log.Error("write error response", "err", err)
	}
}

// status is the HTTP status of err (for the request log).
func status(err error) (int, string, string) {
	a := statusOf(err, "en")
	return a.status, a.code, a.message
}
