package service

import (
	"strings"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/tiles"
)

// Message is err's text for a person: the same words without the Go
// package prefixes and sentinel names that make errors.Is work
// ("service: bad request: k must be …" reads "k must be …").
func Message(err error) string {
	if err == nil {
		return ""
	}
	msg := err.Error()
	for _, s := range []error{ErrBadRequest, ErrNotFound, data.ErrNotFound, data.ErrInvalid, data.ErrConflict, tiles.ErrBadTile, tiles.ErrUnknownLayer} {
		msg = strings.ReplaceAll(msg, s.Error()+": ", "")
	}
	for {
		trimmed := msg
		for _, p := range []string{"service: ", "data: ", "api: ", "tiles: "} {
			trimmed = strings.TrimPrefix(trimmed, p)
		}
		if trimmed == msg {
			break
		}
		msg = trimmed
	}
	for _, p := range []string{": data: ", ": service: "} {
		msg = strings.ReplaceAll(msg, p, ": ")
	}
	if msg == "" {
		return err.Error()
	}
	return msg
}
