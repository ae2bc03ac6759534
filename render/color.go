package render

import (
	"fmt"
	"image/color"
)

// parseColor reads "#rrggbb" or "#rgb" (case-insensitive).
func parseColor(s string) (color.RGBA, error) {
	hex := func(b byte) (uint8, bool) {
		switch {
		case b >= '0' && b <= '9':
			return b - '0', true
		case b >= 'a' && b <= 'f':
			return b - 'a' + 10, true
		case b >= 'A' && b <= 'F':
			return b - 'A' + 10, true
		}
		return 0, false
	}
	bad := fmt.Errorf("%w: %q (want #rrggbb)", ErrBadColor, s)
	if len(s) != 7 && len(s) != 4 || s[0] != '#' {
		return color.RGBA{}, bad
	}
	var v [6]uint8
	for i := 1; i < len(s); i++ {
		d, ok := hex(s[i])
		if !ok {
			return color.RGBA{}, bad
		}
		v[i-1] = d
	}
	if len(s) == 4 {
		return color.RGBA{v[0] * 17, v[1] * 17, v[2] * 17, 255}, nil
	}
	return color.RGBA{v[0]<<4 | v[1], v[2]<<4 | v[3], v[4]<<4 | v[5], 255}, nil
}

// mustColor parses a colour already checked by checkMap or withDefaults.
func mustColor(s string) color.RGBA {
	c, err := parseColor(s)
	if err != nil {
		return color.RGBA{0, 0, 0, 255}
	}
	return c
}

// hexColor formats c as "#rrggbb".
func hexColor(c color.RGBA) string {
	return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B)
}
