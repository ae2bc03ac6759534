package data

// The store is an OGC GeoPackage 1.3 (https://www.geopackage.org/spec130/):
// the gpkg_* tables below are the spec's required tables, the segmap_* tables
// hold the hierarchy, indicator metadata and values. Boundary layers are
// feature tables created per level (see CreateFeatureTable) and registered in
// gpkg_contents and gpkg_geometry_columns; segmap_values is registered as an
// "attributes" table so GIS tools list it.
//
// Migrations are append-only: migrations[i] takes the store from schema
// version i to i+1. The current version is len(migrations) and is kept in
// segmap_meta('schema_version') (PRAGMA user_version is the GeoPackage
// version, 10300).
//
// Every table registered in gpkg_contents has an INTEGER PRIMARY KEY (fid),
// as GeoPackage requirement 119 asks; the natural keys are UNIQUE constraints.

const (
	gpkgApplicationID = 0x47504B47 // "GPKG"
	gpkgUserVersion   = 10300      // GeoPackage 1.3.0
)

var migrations = []string{
	// 0 -> 1: GeoPackage core and the segmap tables.
	`
CREATE TABLE IF NOT EXISTS gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL PRIMARY KEY,
  organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL,
  definition TEXT NOT NULL,
  description TEXT
);
CREATE TABLE IF NOT EXISTS gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY,
  data_type TEXT NOT NULL,
  identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE,
  srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id)
);
CREATE TABLE IF NOT EXISTS gpkg_geometry_columns (
  table_name TEXT NOT NULL,
  column_name TEXT NOT NULL,
  geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL,
  z TINYINT NOT NULL,
  m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id)
);
INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES
 ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
 ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
 ('WGS 84 geodetic', 4326, 'EPSG', 4326, 'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]', 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid'),
 ('SWEREF99 TM', 3006, 'EPSG', 3006, 'PROJCS["SWEREF99 TM",GEOGCS["SWEREF99",DATUM["SWEREF99",SPHEROID["GRS 1980",6378137,298.257222101,AUTHORITY["EPSG","7019"]],TOWGS84[0,0,0,0,0,0,0],AUTHORITY["EPSG","6619"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4619"]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",15],PARAMETER["scale_factor",0.9996],PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Northing",NORTH],AXIS["Easting",EAST],AUTHORITY["EPSG","3006"]]', 'SWEREF 99 TM, the national projected CRS of Sweden');

CREATE TABLE IF NOT EXISTS segmap_meta (
  key TEXT NOT NULL PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS segmap_levels (
  id TEXT NOT NULL PRIMARY KEY,
  name_sv TEXT NOT NULL,
  name_en TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('builtin','custom','overlay')),
  parent TEXT,
  table_name TEXT,
  source TEXT NOT NULL DEFAULT '',
  sort INTEGER NOT NULL DEFAULT 100
);
INSERT OR IGNORE INTO segmap_levels (id, name_sv, name_en, kind, parent, sort) VALUES
 ('deso', 'DeSO', 'DeSO', 'builtin', 'regso', 10),
 ('regso', 'RegSO', 'RegSO', 'builtin', 'kommun', 20),
 ('kommun', 'Kommun', 'Municipality', 'builtin', 'lan', 30),
 ('lan', 'Län', 'County', 'builtin', 'riket', 40),
 ('riket', 'Riket', 'Sweden', 'builtin', NULL, 50);
-- The area hierarchy: every known area of every level, with or without geometry.
CREATE TABLE IF NOT EXISTS segmap_areas (
  fid INTEGER PRIMARY KEY,
  level TEXT NOT NULL REFERENCES segmap_levels(id),
  code TEXT NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  parent TEXT,
  regso TEXT, kommun TEXT, lan TEXT,
  UNIQUE (level, code)
);
CREATE INDEX IF NOT EXISTS segmap_areas_kommun ON segmap_areas(level, kommun);
CREATE TABLE IF NOT EXISTS segmap_indicators (
  fid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  name_sv TEXT NOT NULL,
  name_en TEXT NOT NULL,
  unit TEXT NOT NULL DEFAULT '',
  description_sv TEXT NOT NULL DEFAULT '',
  description_en TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL DEFAULT '',
  higher_is_better INTEGER, -- 1, 0 or NULL
  aggregation TEXT NOT NULL DEFAULT 'ratio' CHECK (aggregation IN ('ratio','sum','weighted_mean','none')),
  scale REAL NOT NULL DEFAULT 1,
  decimals INTEGER NOT NULL DEFAULT 1,
  sort INTEGER NOT NULL DEFAULT 100
);
-- Long-format values. level/code point into segmap_areas.
CREATE TABLE IF NOT EXISTS segmap_values (
  fid INTEGER PRIMARY KEY,
  level TEXT NOT NULL,
  code TEXT NOT NULL,
  indicator TEXT NOT NULL REFERENCES segmap_indicators(id),
  year INTEGER NOT NULL,
  breakdown TEXT NOT NULL DEFAULT 'total',
  value REAL,
  numerator REAL,
  denominator REAL,
  suppressed INTEGER NOT NULL DEFAULT 0,
  estimated INTEGER NOT NULL DEFAULT 0,
  UNIQUE (level, indicator, year, breakdown, code)
);
INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description)
 VALUES ('segmap_values', 'attributes', 'segmap_values', 'Indicator values per area, year and breakdown (long format)');
INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description)
 VALUES ('segmap_indicators', 'attributes', 'segmap_indicators', 'Indicator metadata');
INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description)
 VALUES ('segmap_areas', 'attributes', 'segmap_areas', 'Area hierarchy DeSO -> RegSO -> kommun -> län');
CREATE TABLE IF NOT EXISTS segmap_imports (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  kind TEXT NOT NULL,
  file TEXT NOT NULL,
  summary TEXT NOT NULL DEFAULT ''
);
`,
	// 1 -> 2: area notes, planners' local knowledge on an area and year
	// ("nytt studentboende 2019 förklarar inkomstfallet"). Written through
	// the API, not by imports, so they do not move the data version.
	`
CREATE TABLE IF NOT EXISTS segmap_notes (
  fid INTEGER PRIMARY KEY,
  level TEXT NOT NULL,
  code TEXT NOT NULL,
  year INTEGER NOT NULL,
  indicator TEXT NOT NULL DEFAULT '',
  text TEXT NOT NULL,
  author TEXT NOT NULL DEFAULT '',
  created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
  updated TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
CREATE INDEX IF NOT EXISTS segmap_notes_area ON segmap_notes(level, code);
INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description)
 VALUES ('segmap_notes', 'attributes', 'segmap_notes', 'Area notes: local knowledge on an area and year');
`,
	// 2 -> 3: development-site layers (see sites.go). segmap_sites is a
	// GeoPackage feature table (WGS 84, any geometry type) that also keeps
	// each site in SWEREF 99 TM (geom_sweref99tm, a GeoPackage blob with
	// srs_id 3006) and its planar area for metric work.
	`
CREATE TABLE IF NOT EXISTS segmap_site_layers (
  fid INTEGER PRIMARY KEY AUTOINCREMENT, -- ids of deleted layers are never reused
  name TEXT NOT NULL,
  created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
  source_file TEXT NOT NULL DEFAULT '',
  source_srid INTEGER,
  notes TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS segmap_sites (
  fid INTEGER PRIMARY KEY,
  geom GEOMETRY,
  layer INTEGER NOT NULL REFERENCES segmap_site_layers(fid) ON DELETE CASCADE,
  name TEXT NOT NULL DEFAULT '',
  dwellings INTEGER,
  tenure TEXT CHECK (tenure IN ('rental','tenant_owned','owner_occupied')),
  year INTEGER,
  properties TEXT NOT NULL DEFAULT '{}',
  geom_sweref99tm BLOB,
  area_m2 REAL
);
CREATE INDEX IF NOT EXISTS segmap_sites_layer ON segmap_sites(layer);
INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description, srs_id)
 VALUES ('segmap_sites', 'features', 'segmap_sites', 'Development sites (planned housing), one layer per segmap_site_layers row', 4326);
INSERT OR IGNORE INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m)
 VALUES ('segmap_sites', 'geom', 'GEOMETRY', 4326, 0, 0);
INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description)
 VALUES ('segmap_site_layers', 'attributes', 'segmap_site_layers', 'Development-site layers: name, source file, CRS');
`,
	// 3 -> 4: crosswalks between geography versions (crosswalk.go): the
	// area overlap of every source and target area pair, and whether the
	// target takes the source's statistics exactly (a union of whole
	// source areas).
	`
CREATE TABLE IF NOT EXISTS segmap_crosswalk (
  from_level TEXT NOT NULL,
  from_code TEXT NOT NULL,
  to_level TEXT NOT NULL,
  to_code TEXT NOT NULL,
  area_m2 REAL NOT NULL,
  share_of_from REAL NOT NULL,
  share_of_to REAL NOT NULL,
  exact INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (from_level, to_level, to_code, from_code)
);
INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description)
 VALUES ('segmap_crosswalk', 'attributes', 'segmap_crosswalk', 'Area overlap between two geography versions and where statistics move exactly');
`,
	// 4 -> 5: one area's every value (an area profile, AreaValues) without
	// scanning the whole table: the UNIQUE index starts with (level,
	// indicator), not (level, code).
	`CREATE INDEX IF NOT EXISTS segmap_values_area ON segmap_values (level, code);`,
}
