package data

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/segmap/segmap/data/gpkg"
	"github.com/segmap/segmap/internal/fault"
)

// geoPackageWith builds a small GeoPackage with one feature table "sites"
// (two points in Botkyrka, WGS 84, a namn column) and runs extra on it, as
// someone preparing a hostile file would; it returns the file's bytes.
func geoPackageWith(t testing.TB, extra ...string) []byte {
	t.Helper()
	p := filepath.Join(t.TempDir(), "h.gpkg")
	db, err := sql.Open("sqlite3", p)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	stmts := []string{
		`CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT)`,
		`INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84', 4326, 'EPSG', 4326, 'GEOGCS["WGS 84"]', NULL)`,
		`CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT, description TEXT DEFAULT '', last_change TEXT, min_x REAL, min_y REAL, max_x REAL, max_y REAL, srs_id INTEGER)`,
		`INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) VALUES ('sites', 'features', 'sites', 4326)`,
		`CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL)`,
		`INSERT INTO gpkg_geometry_columns VALUES ('sites', 'geom', 'POINT', 4326, 0, 0)`,
		`CREATE TABLE sites (fid INTEGER PRIMARY KEY, geom BLOB, namn TEXT)`,
	}
	for _, s := range append(stmts, extra...) {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	for i, pt := range []orb.Point{{17.80, 59.20}, {17.81, 59.21}} {
		blob, err := gpkg.Encode(pt, 4326)
		if err != nil {
			t.Fatal(err)
		}
		// The table may have been replaced by extra; a view takes no rows.
		db.Exec(`INSERT INTO sites (fid, geom, namn) VALUES (?, ?, ?)`, i+1, blob, "Kvarn "+string(rune('A'+i)))
		db.Exec(`INSERT INTO real_sites (fid, geom, namn) VALUES (?, ?, ?)`, i+1, blob, "Kvarn "+string(rune('A'+i)))
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// realSites keeps the features in a table real_sites, for views over it.
const realSites = `CREATE TABLE real_sites (fid INTEGER PRIMARY KEY, geom BLOB, namn TEXT)`

// recursive is a view body that counts without end.
const recursive = `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) `

// TestGeoPackageHostileSchema: a GeoPackage whose layer or metadata is a
// view, a recursive query, a table in disguise or has computed columns is
// refused with a message naming the file and the table, no SQL of the
// file runs, and nothing is stored.
func TestGeoPackageHostileSchema(t *testing.T) {
	tests := []struct {
		name  string
		extra []string
		want  []string
	}{
		{"layer is a view with a recursive CTE", []string{realSites, `DROP TABLE sites`,
			`CREATE VIEW sites AS ` + recursive + `SELECT x AS fid, (SELECT geom FROM real_sites LIMIT 1) AS geom, x AS namn FROM c`},
			[]string{"h.gpkg", `layer sites`, "is a view", "export the layer as a table"}},
		{"layer is a view copying the SQLite version", []string{realSites, `DROP TABLE sites`,
			`CREATE VIEW sites AS SELECT fid, geom, sqlite_version() || ' ' || sqlite_compileoption_get(0) AS namn FROM real_sites`},
			[]string{"h.gpkg", "layer sites", "is a view"}},
		{"a view disguised as a table in sqlite_master", []string{realSites, `DROP TABLE sites`,
			`CREATE VIEW sites AS ` + recursive + `SELECT x AS fid, NULL AS geom, x AS namn FROM c`,
			`PRAGMA writable_schema = ON`, `UPDATE sqlite_master SET type = 'table' WHERE name = 'sites'`, `PRAGMA writable_schema = OFF`},
			// SQLite itself notices that the sql is not a table's.
			[]string{"h.gpkg", "cannot open as a GeoPackage", "malformed database schema"}},
		{"a view whose name differs from a table's only in non-ASCII case", []string{`CREATE TABLE "Å" (fid INTEGER PRIMARY KEY, geom BLOB, namn TEXT)`,
			`DROP TABLE sites`, `CREATE VIEW "å" AS SELECT * FROM "Å"`,
			`UPDATE gpkg_contents SET table_name = 'å'`, `UPDATE gpkg_geometry_columns SET table_name = 'å'`},
			[]string{"h.gpkg", "layer å", "is a view"}},
		{"a generated column", []string{`DROP TABLE sites`,
			`CREATE TABLE sites (fid INTEGER PRIMARY KEY, geom BLOB, namn TEXT, v TEXT GENERATED ALWAYS AS (typeof(namn)) VIRTUAL)`},
			[]string{"h.gpkg", "layer sites", `generated or hidden column "v"`}},
		{"gpkg_contents is a recursive view", []string{`ALTER TABLE gpkg_contents RENAME TO c0`,
			`CREATE VIEW gpkg_contents AS ` + recursive + `SELECT 'sites' || x AS table_name, 'features' AS data_type FROM c`},
			[]string{"h.gpkg", `"gpkg_contents"`, "not a GeoPackage: gpkg_contents is a view"}},
		{"gpkg_spatial_ref_sys is missing", []string{`DROP TABLE gpkg_spatial_ref_sys`},
			[]string{"h.gpkg", "gpkg_spatial_ref_sys is not in the file"}},
	}
	ctx := context.Background()
	s := newStore(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body := geoPackageWith(t, tc.extra...)
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, _, err := s.ImportSites(ctx, "h.gpkg", body, SiteOptions{})
			runtime.ReadMemStats(&after)
			var ie *InputError
			if !errors.As(err, &ie) || !errors.Is(err, fault.Invalid) {
				t.Fatalf("error %v, want an *InputError", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			checkLanguages(t, err, []string{"h.gpkg"}, nil)
			if grown := after.TotalAlloc - before.TotalAlloc; grown > 32<<20 {
				t.Errorf("refusing it allocated %d MiB", grown>>20)
			}
			// The boundary import reads GeoPackages the same way.
			p := filepath.Join(t.TempDir(), "b.gpkg")
			if err := os.WriteFile(p, body, 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := readBoundaryGeoPackage(ctx, p, ""); !errors.As(err, &ie) || !strings.Contains(err.Error(), tc.want[len(tc.want)-1]) {
				t.Errorf("boundary read: %v", err)
			}
		})
	}
	if layers, sites := storedSites(t, s); layers != 0 || sites != 0 {
		t.Errorf("%d layers, %d sites stored after refused uploads", layers, sites)
	}
}

// TestGeoPackageTriggersDoNotRun: triggers in an uploaded file are inert
// (the file is read-only and only read); the layer itself is read.
func TestGeoPackageTriggersDoNotRun(t *testing.T) {
	body := geoPackageWith(t,
		`CREATE TABLE log (n INTEGER)`,
		`CREATE TRIGGER t_ins AFTER INSERT ON sites BEGIN INSERT INTO log VALUES (1); END`,
		`CREATE TRIGGER t_del BEFORE DELETE ON sites BEGIN SELECT RAISE(ABORT, 'no'); END`)
	sites, rep, err := ValidateSites(context.Background(), "t.gpkg", body, SiteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(sites) != 2 || rep.NameField != "namn" || sites[0].Name != "Kvarn A" {
		t.Errorf("%d sites, report %+v", len(sites), rep)
	}
}

// TestGeoPackageGuard: the authorizer is a second line behind the schema
// checks: on a guarded connection a view, a recursive CTE, a function
// outside count/coalesce, a table not named and a write are refused.
func TestGeoPackageGuard(t *testing.T) {
	body := geoPackageWith(t, realSites, `CREATE VIEW v AS SELECT * FROM real_sites`,
		`CREATE VIEW r AS `+recursive+`SELECT x FROM c`)
	p := filepath.Join(t.TempDir(), "g.gpkg")
	if err := os.WriteFile(p, body, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	db, g := openUntrustedGeoPackage(p, true)
	defer db.Close()
	tests := []struct {
		query  string
		tables []string
		ok     bool
	}{
		{`SELECT fid, namn FROM sites`, []string{"sites"}, true},
		{`SELECT count(*), coalesce(max(fid), 0) FROM sites`, []string{"sites"}, false}, // max is not allowed
		{`SELECT count(*) FROM sites`, []string{"sites"}, true},
		{`SELECT * FROM v`, []string{"v"}, false},
		{`SELECT * FROM v`, []string{"v", "real_sites"}, false}, // the view's SELECT is a second one
		{`SELECT * FROM r`, []string{"r"}, false},
		{recursive + `SELECT x FROM c LIMIT 1`, nil, false},
		{`SELECT sqlite_version()`, nil, false},
		{`SELECT * FROM real_sites`, []string{"sites"}, false},
		{`SELECT * FROM (SELECT * FROM sites)`, []string{"sites"}, false}, // a second SELECT in FROM
		{`ATTACH DATABASE ':memory:' AS x`, nil, false},
		{`DELETE FROM sites`, []string{"sites"}, false},
		{`PRAGMA table_xinfo(sites)`, []string{"sites"}, true},
		{`PRAGMA writable_schema = ON`, nil, false},
	}
	for _, tc := range tests {
		g.allow(tc.tables...)
		rows, err := db.QueryContext(ctx, tc.query)
		if err == nil {
			for rows.Next() {
			}
			err = rows.Err()
			rows.Close()
		}
		if (err == nil) != tc.ok {
			t.Errorf("%s (tables %v): error %v, want ok=%v", tc.query, tc.tables, err, tc.ok)
		}
	}
	// The limits of the connection hold.
	g.allow()
	if _, err := db.ExecContext(ctx, `SELECT 1 UNION SELECT 2 UNION SELECT 3 UNION SELECT 4 UNION SELECT 5 UNION SELECT 6 UNION SELECT 7 UNION SELECT 8 UNION SELECT 9 UNION SELECT 10 UNION SELECT 11 UNION SELECT 12`); err == nil {
		t.Error("a compound of 12 SELECTs ran")
	}
}

// TestGeoPackageCancelled: reading stops when the context ends.
func TestGeoPackageCancelled(t *testing.T) {
	p := filepath.Join(t.TempDir(), "c.gpkg")
	if err := os.WriteFile(p, geoPackageWith(t), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := readGeoPackage(ctx, p, gpkgReadOptions{Immutable: true, What: "site"}); !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
}

// TestGeoPackageFeatureLimit: a layer with more features than allowed is
// refused while reading, not after.
func TestGeoPackageFeatureLimit(t *testing.T) {
	_, _, err := ValidateSites(context.Background(), "m.gpkg", geoPackageWith(t), SiteOptions{MaxFeatures: 1})
	if err == nil || !strings.Contains(err.Error(), "m.gpkg: layer sites: more than 1 features, the limit of sites per layer") {
		t.Fatalf("error %v", err)
	}
}
