package service

import (
	"errors"
	"fmt"
	"testing"

	"github.com/segmap/segmap/data"
)

func TestMessage(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{badRequest("k must be between 2 and 12, got %d", 40), "k must be between 2 and 12, got 40"},
		{fmt.Errorf("%w: indicator %q", data.ErrNotFound, "nope"), `indicator "nope"`},
		{fmt.Errorf("data: x.txt: %w", errors.New("data: unknown boundary file type")), "x.txt: unknown boundary file type"},
		{fmt.Errorf("service: load: %w", fmt.Errorf("%w: level %q", ErrNotFound, "x")), `load: level "x"`},
		{errors.New("plain"), "plain"},
		{nil, ""},
	} {
		if got := Message(tc.err); got != tc.want {
			t.Errorf("Message(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
}
