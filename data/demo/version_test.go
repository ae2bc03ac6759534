package demo

import (
	"regexp"
	"testing"
)

func TestVersionIsStableAndShort(t *testing.T) {
	v := Version()
	if !regexp.MustCompile(`^[0-9a-f]{12}$`).MatchString(v) {
		t.Fatalf("Version() = %q, want 12 hex digits", v)
	}
	if Version() != v {
		t.Error("Version() differs between calls")
	}
}
