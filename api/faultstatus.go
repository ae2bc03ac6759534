package api

import (
	"errors"
	"net/http"

	"github.com/segmap/segmap/internal/fault"
)

// faultStatus answers a *fault.Error that the report and notes routes
// return, by its kind, with its English message. Interim: the one status
// table of api.go replaces it when it covers every kind.
func faultStatus(err error) (int, string, string) {
	msg, _ := fault.MessageOf(err, "en")
	kinds := []struct {
		kind error
		st   int
		code string
	}{
		{fault.Invalid, http.StatusBadRequest, "bad_request"},
		{fault.NotFound, http.StatusNotFound, "not_found"},
		{fault.Conflict, http.StatusConflict, "conflict"},
		{fault.ReadOnly, http.StatusConflict, "conflict"},
		{fault.Unauthorized, http.StatusUnauthorized, "unauthorized"},
		{fault.TooLarge, http.StatusRequestEntityTooLarge, "request_entity_too_large"},
		{fault.Busy, http.StatusServiceUnavailable, "busy"},
		{fault.Timeout, http.StatusServiceUnavailable, "timeout"},
		{fault.Unavailable, http.StatusServiceUnavailable, "unavailable"},
	}
	for _, k := range kinds {
		if errors.Is(err, k.kind) {
			return k.st, k.code, msg
		}
	}
	return http.StatusInternalServerError, "internal", "internal server error; the server log has details"
}
