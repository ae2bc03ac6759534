package main

import "testing"

func TestLonLatTile(t *testing.T) {
	// Expected tiles from the slippy-map formula worked by hand / OSM tile URLs.
	cases := []struct {
		name     string
		lon, lat float64
		z, x, y  int
	}{
		{"origin z0", 18.07, 59.33, 0, 0, 0},
		{"Stockholm z10", 18.07, 59.33, 10, 563, 301},
		{"Greenwich equator z1", 0.001, -0.001, 1, 1, 1},
		{"clamped north", 0, 89.9, 2, 2, 0},
	}
	for _, c := range cases {
		x, y := lonLatTile(c.lon, c.lat, c.z)
		if x != c.x || y != c.y {
			t.Errorf("%s: got %d/%d, want %d/%d", c.name, x, y, c.x, c.y)
		}
	}
}

func TestCountFeatures(t *testing.T) {
	feature := func(id byte) []byte { return []byte{0x12, 2, 0x08, id} } // Layer.features{id}
	layer := []byte{0x0a, 1, 'x'}                                        // name "x"
	layer = append(layer, feature(1)...)
	layer = append(layer, feature(2)...)
	layer = append(layer, 0x28, 0x80, 0x20) // extent 4096
	tile := append([]byte{0x1a, byte(len(layer))}, layer...)
	cases := []struct {
		name string
		in   []byte
		want int
	}{
		{"empty", nil, 0},
		{"two features", tile, 2},
		{"two layers", append(append([]byte{}, tile...), tile...), 4},
		{"truncated", tile[:len(tile)-2], -1},
	}
	for _, c := range cases {
		if got := countFeatures(c.in); got != c.want {
			t.Errorf("%s: got %d, want %d", c.name, got, c.want)
		}
	}
}
