package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"sort"
)

type tileKey struct{ z, x, y int }

// runTileList writes a fixed list of tiles z0..maxzoom covering a GeoJSON
// layer: every tile meeting the layer's bounding box when there are at most
// -max of them, otherwise -max tiles picked at an even stride from the sorted
// set of tiles holding a feature's bounding-box centre (deterministic).
func runTileList(args []string) error {
	fs := flag.NewFlagSet("tilelist", flag.ContinueOnError)
	file := fs.String("geojson", "", "EPSG:4326 GeoJSON layer")
	max := fs.Int("max", 40, "tiles per zoom at most")
	maxZoom := fs.Int("maxzoom", 14, "highest zoom")
	if err := fs.Parse(args); err != nil {
		return err
	}
	b, err := os.ReadFile(*file)
	if err != nil {
		return err
	}
	var fc struct {
		Features []struct {
			Geometry struct {
				Coordinates json.RawMessage `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		return fmt.Errorf("%s: %w", *file, err)
	}
	all := [4]float64{180, 90, -180, -90}
	var centres [][2]float64
	for _, f := range fc.Features {
		if len(f.Geometry.Coordinates) == 0 {
			continue
		}
		var raw any
		if err := json.Unmarshal(f.Geometry.Coordinates, &raw); err != nil {
			return err
		}
		bb := [4]float64{180, 90, -180, -90}
		walk(raw, &bb)
		if bb[0] > bb[2] {
			continue
		}
		all = [4]float64{math.Min(all[0], bb[0]), math.Min(all[1], bb[1]), math.Max(all[2], bb[2]), math.Max(all[3], bb[3])}
		centres = append(centres, [2]float64{(bb[0] + bb[2]) / 2, (bb[1] + bb[3]) / 2})
	}
	for z := 0; z <= *maxZoom; z++ {
		x0, y0 := lonLatTile(all[0], all[3], z)
		x1, y1 := lonLatTile(all[2], all[1], z)
		var keys []tileKey
		if (x1-x0+1)*(y1-y0+1) <= *max {
			for x := x0; x <= x1; x++ {
				for y := y0; y <= y1; y++ {
					keys = append(keys, tileKey{z, x, y})
				}
			}
		} else {
			seen := map[tileKey]bool{}
			for _, c := range centres {
				x, y := lonLatTile(c[0], c[1], z)
				k := tileKey{z, x, y}
				if !seen[k] {
					seen[k] = true
					keys = append(keys, k)
				}
			}
			sort.Slice(keys, func(i, j int) bool {
				if keys[i].x != keys[j].x {
					return keys[i].x < keys[j].x
				}
				return keys[i].y < keys[j].y
			})
			if len(keys) > *max {
				picked := make([]tileKey, 0, *max)
				for i := 0; i < *max; i++ {
					picked = append(picked, keys[i*len(keys) / *max])
				}
				keys = picked
			}
		}
		for _, k := range keys {
			fmt.Printf("/tiles/deso/%d/%d/%d.mvt\n", k.z, k.x, k.y)
		}
	}
	return nil
}

func walk(v any, bb *[4]float64) {
	arr, ok := v.([]any)
	if !ok || len(arr) == 0 {
		return
	}
	if x, ok := arr[0].(float64); ok && len(arr) >= 2 {
		y, _ := arr[1].(float64)
		bb[0], bb[1] = math.Min(bb[0], x), math.Min(bb[1], y)
		bb[2], bb[3] = math.Max(bb[2], x), math.Max(bb[3], y)
		return
	}
	for _, e := range arr {
		walk(e, bb)
	}
}

func lonLatTile(lon, lat float64, z int) (int, int) {
	n := math.Exp2(float64(z))
	x := int((lon + 180) / 360 * n)
	r := lat * math.Pi / 180
	y := int((1 - math.Log(math.Tan(r)+1/math.Cos(r))/math.Pi) / 2 * n)
	clamp := func(v int) int { return max(0, min(int(n)-1, v)) }
	return clamp(x), clamp(y)
}
