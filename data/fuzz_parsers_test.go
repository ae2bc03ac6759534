package data

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	sqlite3 "github.com/mattn/go-sqlite3"
	"github.com/xuri/excelize/v2"
)

// requireInputError fails unless err is nil or an *InputError (bad input
// must be reported as such, never as an internal error or a panic).
func requireInputError(t *testing.T, err error) {
	t.Helper()
	var ie *InputError
	if err != nil && !errors.As(err, &ie) {
		t.Fatalf("non-input error %T: %v", err, err)
	}
	if err != nil {
		requireSwedishProblem(t, ie)
	}
}

// smallXLSX is a plain workbook with a header and two rows.
func smallXLSX(f *testing.F) []byte {
	x := excelize.NewFile()
	for i, r := range [][]any{{"deso", "low_econ_standard_pct", "econ_standard_n_persons"}, {"0114A0010", 7.5, 1000}, {"0114C1010", "..", 1542}} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow("Sheet1", cell, &r); err != nil {
			f.Fatal(err)
		}
	}
	var b bytes.Buffer
	if err := x.Write(&b); err != nil {
		f.Fatal(err)
	}
	return b.Bytes()
}

// FuzzReadXLSX feeds workbooks (plain and SCB layout) to the XLSX reader:
// it must answer with a table whose rows are as wide as its header, or an
// InputError.
func FuzzReadXLSX(f *testing.F) {
	f.Add(smallXLSX(f), false)
	for _, name := range []string{"000005FB_20240813-152341.xlsx", "000005FC_20240806-102837.xlsx"} {
		b, err := os.ReadFile(tdir + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, true)
	}
	f.Fuzz(func(t *testing.T, b []byte, scb bool) {
		format := ""
		if scb {
			format = "scb"
		}
		tab, err := readXLSX("f.xlsx", b, "", format, LevelDeSO)
		requireInputError(t, err)
		if err != nil {
			return
		}
		for i, r := range tab.rows {
			if len(r) != len(tab.header) {
				t.Fatalf("row %d has %d cells, header %d", i, len(r), len(tab.header))
			}
		}
		if len(tab.places) != len(tab.rows) {
			t.Fatalf("%d places for %d rows", len(tab.places), len(tab.rows))
		}
	})
}

// FuzzParseLinkTable feeds SCB's DeSO→RegSO link CSV to its parser: every
// accepted row holds a DeSO, RegSO and kommun code of the right shape, the
// DeSO and RegSO in that kommun; anything else is an InputError.
func FuzzParseLinkTable(f *testing.F) {
	f.Add([]byte("deso,regso,regso_namn,kommun,kommunnamn\n0114A0010,0114R010,Upplands Väsby omland,0114,Upplands Väsby\n"))
	f.Add([]byte("deso;regso;regso_namn;kommun;kommunnamn\n114A0010;0114R010;x;0114;y\n"))
	f.Add([]byte("deso,regso,regso_namn,kommun,kommunnamn\n0114A0010.0,0114R010,x,0114,y\n"))
	if b, err := os.ReadFile(tdir + "deso2018_regso2020_link.csv"); err == nil && len(b) > 4096 {
		f.Add(b[:bytes.LastIndexByte(b[:4096], '\n')+1])
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		rows, err := parseLinkTable("link.csv", b)
		requireInputError(t, err)
		for i, r := range rows {
			if !looksLikeCode(LevelDeSO, r.deso) || !looksLikeCode(LevelRegSO, r.regso) || !looksLikeCode(LevelKommun, r.kommun) {
				t.Fatalf("row %d accepted with codes %q %q %q", i, r.deso, r.regso, r.kommun)
			}
			if r.deso[:4] != r.kommun || r.regso[:4] != r.kommun {
				t.Fatalf("row %d: %s / %s accepted in kommun %s", i, r.deso, r.regso, r.kommun)
			}
		}
	})
}

// FuzzReadBoundaryGeoPackage writes the input as a file and reads it as a
// boundary GeoPackage: SQLite files with broken or hostile gpkg tables,
// views, generated columns, geometry blobs and SRS rows must give an
// InputError (or features), never a panic or another error.
func FuzzReadBoundaryGeoPackage(f *testing.F) {
	b, err := os.ReadFile(filepath.Join("..", "testdata", "boundaries", "lan_13_halland_3006.gpkg"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte("SQLite format 3\x00"))
	addHostileGeoPackages(f)
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(dir, "f.gpkg")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		src, err := readBoundaryGeoPackage(context.Background(), p, "")
		requireInputError(t, err)
		if err == nil && src == nil {
			t.Fatal("nil source without error")
		}
	})
}

// addHostileGeoPackages seeds f with the GeoPackages of the hostile-schema
// tests: views (recursive, copying server facts), a generated column,
// gpkg_contents as a view, triggers.
func addHostileGeoPackages(f *testing.F) {
	f.Add(geoPackageWith(f))
	f.Add(geoPackageWith(f, realSites, `DROP TABLE sites`, `CREATE VIEW sites AS `+recursive+`SELECT x AS fid, (SELECT geom FROM real_sites LIMIT 1) AS geom, x AS namn FROM c`))
	f.Add(geoPackageWith(f, realSites, `DROP TABLE sites`, `CREATE VIEW sites AS SELECT fid, geom, sqlite_version() AS namn FROM real_sites`))
	f.Add(geoPackageWith(f, `DROP TABLE sites`, `CREATE TABLE sites (fid INTEGER PRIMARY KEY, geom BLOB, namn TEXT, v TEXT GENERATED ALWAYS AS (typeof(namn)) VIRTUAL)`))
	f.Add(geoPackageWith(f, `ALTER TABLE gpkg_contents RENAME TO c0`, `CREATE VIEW gpkg_contents AS `+recursive+`SELECT 'sites' || x AS table_name, 'features' AS data_type FROM c`))
	f.Add(geoPackageWith(f, `CREATE TABLE log (n INTEGER)`, `CREATE TRIGGER t_ins AFTER INSERT ON sites BEGIN INSERT INTO log VALUES (1); END`))
}

// FuzzSiteGeoPackage uploads the input as a site GeoPackage: it must give
// sites inside Sweden whose attributes are within the text limits, or an
// InputError; a site never carries what SQLite says about the server.
func FuzzSiteGeoPackage(f *testing.F) {
	addHostileGeoPackages(f)
	f.Add(siteFixture(f, "botkyrka_planerat_3006.gpkg"))
	sqliteVersion, _, _ := sqlite3.Version()
	f.Fuzz(func(t *testing.T, b []byte) {
		sites, _, err := ValidateSites(context.Background(), "f.gpkg", b, SiteOptions{MaxFeatures: 50})
		requireInputError(t, err)
		for _, s := range sites {
			if !inSweden(s.Geometry.Bound()) {
				t.Fatalf("site outside Sweden accepted: %v", s.Geometry.Bound())
			}
			if n := utf8.RuneCountInString(s.Name); n > SiteMaxNameRunes || strings.Contains(s.Name, sqliteVersion) {
				t.Fatalf("name %.80q of %d characters accepted", s.Name, n)
			}
			for k, v := range s.Props {
				if str, ok := v.(string); ok && (strings.Contains(str, sqliteVersion) || utf8.RuneCountInString(str) > SiteMaxTextRunes) {
					t.Fatalf("property %q = %.80q accepted", k, str)
				}
			}
		}
	})
}
