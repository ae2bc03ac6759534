#!/bin/sh
# Generates sweref_wgs84.txt ONCE with PROJ's cs2cs; the Go tests read the
# committed output. Input: SWEREF 99 TM points "northing easting" (EPSG axis
# order) spread over Sweden, from Smygehuk to Treriksröset, coast to border.
# Output columns: northing easting lat lon (degrees, 10 decimals).
set -eu
cd "$(dirname "$0")"
cat > sweref_points.txt <<'PTS'
6133000 374000
6167000 386000
6220000 320000
6300000 354084.75
6400000 438000
6580000 674000
6581000 664000
6600000 500000
6640000 560000
6720000 520000
6800000 450000
6900000 600000
6990000 420000
7050000 360000
7200000 530000
7320000 640000
7430000 830000
7540000 900000
7600000 760000
7660000 310000
7690000 650000
7220000 260000
PTS
cs2cs EPSG:3006 EPSG:4326 -f %.10f < sweref_points.txt | paste sweref_points.txt - | awk '{print $1, $2, $3, $4}' > sweref_wgs84.txt
cs2cs --version 2>&1 | head -1 > cs2cs_version.txt || true
