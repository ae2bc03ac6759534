package api

import "testing"

func TestFitOEmbed(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ mw, mh, w, h int }{
		{0, 0, 800, 600},
		{300, 0, 300, 225},
		{0, 300, 400, 300},
		{300, 100, 133, 100},
		{1000, 1000, 800, 600},
		{1, 0, 1, 1},
	} {
		w, h := fitOEmbed(tc.mw, tc.mh)
		if w != tc.w || h != tc.h {
			t.Errorf("fitOEmbed(%d, %d) = %d×%d, want %d×%d", tc.mw, tc.mh, w, h, tc.w, tc.h)
		}
	}
}
