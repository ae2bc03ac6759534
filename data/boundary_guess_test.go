package data

import "testing"

// The code field guessed from a file whose name field repeats the code
// (Växjö's DeSO 2025 file: desokod and deso_name) does not depend on the
// order in which the file lists its properties.
func TestGuessBoundaryLevelTie(t *testing.T) {
	props := map[string]any{"desokod": "0780C1210", "kommunnamn": "Växjö", "deso_name": "0780C1210"}
	for _, tc := range []struct {
		name   string
		fields []string
		want   string
	}{
		{"code field first", []string{"desokod", "kommunnamn", "deso_name"}, "desokod"},
		{"name field first", []string{"deso_name", "kommunnamn", "desokod"}, "desokod"},
		{"neither named as code", []string{"namn_b", "namn_a"}, "namn_a"},
		{"shorter name wins", []string{"deso_namn", "deso"}, "deso"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := map[string]any{}
			for _, f := range tc.fields {
				p[f] = props["desokod"]
			}
			p["kommunnamn"] = "Växjö"
			src := &boundarySource{Fields: tc.fields, Features: []boundaryFeature{{Props: p}}}
			level, field := guessBoundaryLevel(src, "")
			if level != LevelDeSO || field != tc.want {
				t.Fatalf("guess = %s %s, want deso %s", level, field, tc.want)
			}
		})
	}
}
