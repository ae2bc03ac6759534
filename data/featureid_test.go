package data

import "testing"

func TestFeatureID(t *testing.T) {
	tests := []struct {
		code string
		want int64
	}{
		// FNV-1a 64 offset basis 0xcbf29ce484222325 masked to 53 bits.
		{"", 0xcbf29ce484222325 & (1<<53 - 1)},
		// python3: h=0xcbf29ce484222325; for c in b"a": h=((h^c)*0x100000001b3)%2**64 -> 0xaf63dc4c8601ec8c
		{"a", 0xaf63dc4c8601ec8c & (1<<53 - 1)},
	}
	for _, tt := range tests {
		if got := FeatureID(tt.code); got != tt.want {
			t.Errorf("FeatureID(%q) = %d, want %d", tt.code, got, tt.want)
		}
	}
	seen := map[int64]string{}
	for _, c := range []string{"0114A0010", "0114A0020", "0180", "01", "SE", "2081C1150"} {
		id := FeatureID(c)
		if id <= 0 || id >= 1<<53 {
			t.Errorf("FeatureID(%q) = %d out of range", c, id)
		}
		if o, ok := seen[id]; ok {
			t.Errorf("collision %q %q", c, o)
		}
		seen[id] = c
	}
}
