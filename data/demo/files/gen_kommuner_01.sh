#!/bin/sh
# Writes kommuner_01_2025_4326.geojson: the 26 kommuner of Stockholms län (01)
# from ../shared/data/se/boundaries/kommuner_2025_attrs_4326.geojson. Run once
# from this directory; the output is committed.
set -e
ogr2ogr -f GeoJSON -lco RFC7946=YES -lco COORDINATE_PRECISION=6 \
  -select kommun_kod,kommun_namn,lan_kod,lan_namn \
  -where "kommun_kod LIKE '01%'" \
  kommuner_01_2025_4326.geojson ../../../../shared/data/se/boundaries/kommuner_2025_attrs_4326.geojson
