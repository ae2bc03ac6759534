#!/bin/sh
# Regenerates the site fixtures from botkyrka_planerat_4326.geojson (authored
# by hand: three planned developments in Botkyrka over real DeSO 2018) and the
# expected overlap areas, computed independently of segmap by GDAL/SpatiaLite
# (ST_Intersection, ST_Area in SWEREF 99 TM). Needs gdal-bin and the demo
# store (go run ./cmd/segmap demo /tmp/demo.gpkg).
set -eu
cd "$(dirname "$0")"
DEMO=${1:-/tmp/demo.gpkg}
rm -f botkyrka_planerat_3006.geojson botkyrka_planerat_3006.gpkg botkyrka_planerat_3006.zip
rm -rf shp && mkdir shp
ogr2ogr -f GeoJSON -t_srs EPSG:3006 -lco COORDINATE_PRECISION=2 -lco RFC7946=NO botkyrka_planerat_3006.geojson botkyrka_planerat_4326.geojson
ogr2ogr -f GPKG -t_srs EPSG:3006 -nln planerat botkyrka_planerat_3006.gpkg botkyrka_planerat_3006.geojson
# Shapefiles hold one geometry type: the two areas as polygons.
ogr2ogr -f "ESRI Shapefile" -lco ENCODING=UTF-8 -where "OGR_GEOMETRY='POLYGON'" shp/botkyrka_planerat.shp botkyrka_planerat_3006.geojson
(cd shp && zip -q -X ../botkyrka_planerat_3006.zip botkyrka_planerat.*)
rm -rf shp
# Expected: area of each polygon site and of its intersection with each DeSO.
ogr2ogr -f GPKG /tmp/sites_expected.gpkg botkyrka_planerat_3006.gpkg -nln sites
ogr2ogr -update -f GPKG /tmp/sites_expected.gpkg "$DEMO" deso -t_srs EPSG:3006 -nln deso3006
ogrinfo -q -dialect sqlite -sql "SELECT s.namn AS site, d.code AS deso,
  printf('%.3f', ST_Area(s.geom)) AS site_m2,
  printf('%.3f', ST_Area(ST_Intersection(s.geom, d.geom))) AS overlap_m2,
  printf('%.3f', ST_Area(d.geom)) AS deso_m2
  FROM sites s, deso3006 d
  WHERE ST_GeometryType(s.geom) LIKE '%POLYGON%' AND ST_Intersects(s.geom, d.geom)
    AND ST_Area(ST_Intersection(s.geom, d.geom)) > 0.001
  ORDER BY s.namn, d.code" /tmp/sites_expected.gpkg \
 | awk -F' = ' 'BEGIN{print "site;deso;site_m2;overlap_m2;deso_m2"} /site \(String\)/{s=$2} /deso \(String\)/{d=$2} /site_m2/{a=$2} /overlap_m2/{o=$2} /deso_m2/{print s";"d";"a";"o";"$2}' > expected_overlaps_gdal.csv
rm -f /tmp/sites_expected.gpkg
cat expected_overlaps_gdal.csv
