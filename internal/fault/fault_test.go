package fault_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/segmap/segmap/internal/fault"
)

func TestKindsThroughWrapping(t *testing.T) {
	errNF := fault.Sentinel("data: not found", fault.NotFound)
	cause := context.DeadlineExceeded
	tests := []struct {
		name string
		err  error
		kind error
		msg  string // English message for people; "" none
	}{
		{"sentinel", errNF, fault.NotFound, ""},
		{"wrapped sentinel", fmt.Errorf("indicator %q: %w", "x", errNF), fault.NotFound, ""},
		{"new", fault.New(fault.Invalid, "k must be 2..9, got %d", 12), fault.Invalid, "k must be 2..9, got 12"},
		{"wrap keeps cause", fault.Wrap(fault.Timeout, cause, "report took too long"), fault.Timeout, "report took too long"},
		{"wrapped error", fmt.Errorf("service: %w", fault.New(fault.ReadOnly, "read-only store")), fault.ReadOnly, "read-only store"},
		{"plain", errors.New("boom"), nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fault.KindOf(tt.err); !errors.Is(got, tt.kind) || (got == nil) != (tt.kind == nil) {
				t.Errorf("KindOf = %v, want %v", got, tt.kind)
			}
			msg, ok := fault.MessageOf(tt.err, "en")
			if ok != (tt.msg != "") || msg != tt.msg {
				t.Errorf("MessageOf = %q, %v; want %q", msg, ok, tt.msg)
			}
		})
	}
	if !errors.Is(fault.Wrap(fault.Timeout, cause, "x"), context.DeadlineExceeded) {
		t.Error("Wrap hides its cause from errors.Is")
	}
}

func TestMessageLanguages(t *testing.T) {
	e := fault.New(fault.Invalid, "k must be 2..9").Sv("k måste vara 2–9")
	if got := e.Message("sv"); got != "k måste vara 2–9" {
		t.Errorf("sv = %q", got)
	}
	if got := e.Message("en"); got != "k must be 2..9" {
		t.Errorf("en = %q", got)
	}
	if got := fault.New(fault.Invalid, "only English").Message("sv"); got != "only English" {
		t.Errorf("sv falls back to English, got %q", got)
	}
	if got := fault.Wrap(fault.Busy, errors.New("slot"), "busy").Error(); got != "busy: slot" {
		t.Errorf("log text = %q", got)
	}
}
