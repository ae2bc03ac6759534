package data

import "hash/fnv"

// featureIDMask keeps ids below 2^53 so they survive JSON numbers and
// JavaScript (MapLibre feature-state ids).
const featureIDMask = 1<<53 - 1

// FeatureID is the stable positive id of an area code: FNV-1a 64 of the
// code masked to 53 bits, with 0 mapped to 1. It is the GeoPackage fid and
// the vector-tile feature id. Imports fail on a collision within a level.
func FeatureID(code string) int64 {
	h := fnv.New64a()
	h.Write([]byte(code))
	id := int64(h.Sum64() & featureIDMask)
	if id == 0 {
		return 1
	}
	return id
}
