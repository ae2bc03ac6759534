package data

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync"

	sqlite3 "github.com/mattn/go-sqlite3"
)

// A GeoPackage given to segmap (an uploaded site layer, a boundary file to
// import) is an SQLite database written by someone else, and SQLite runs
// what a database's schema says: a view's query, a generated column's
// expression. So such a file is opened with its own guards:
//
//   - read-only (and immutable for an upload's private copy), with
//     query_only and trusted_schema=OFF, so no write, no trigger and no
//     function that is not innocuous runs from the schema;
//   - SQLite's own limits (sqlite3_limit) on value length, SQL length,
//     expression depth, compound SELECTs, attached databases and trigger
//     depth, and a 2 MiB page cache;
//   - an authorizer that lets a statement read only the tables it names
//     and call only count() and coalesce(), refuses recursive CTEs and
//     allows one SELECT per statement (SQLite asks again for each query
//     in FROM, and for a view's), so a view cannot run even if it posed
//     as a table;
//   - the context: go-sqlite3 interrupts (sqlite3_interrupt) a statement
//     whose context ends.
//
// Only real tables are read (gpkg_contents rows of data_type 'features'
// naming a table whose sqlite_master sql is a CREATE TABLE), and a table
// with generated columns is refused.

// Limits of an untrusted GeoPackage connection.
const (
	gpkgMaxValueBytes = 64 << 20 // one string, blob or row
	gpkgMaxSQLBytes   = 1 << 20  // one statement, also each schema entry
	gpkgMaxExprDepth  = 100
	gpkgMaxCompound   = 10
	gpkgCacheKiB      = 2048
)

// sqliteRecursive is SQLITE_RECURSIVE (go-sqlite3 does not export it).
const sqliteRecursive = 33

// gpkgCreateTableRe matches the sql of a plain table in sqlite_master.
var gpkgCreateTableRe = regexp.MustCompile(`(?is)^\s*CREATE\s+TABLE\s`)

// sqlName folds an identifier as SQLite compares them: ASCII letters
// case-insensitively, everything else exactly.
func sqlName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

// gpkgGuard is the authorizer of one untrusted connection: before each
// statement the reader names the tables it may read.
type gpkgGuard struct {
	mu      sync.Mutex
	tables  map[string]bool // names (sqlName) the next statement may read
	selects int             // SELECTs authorised since allow
}

// allow sets the tables the next statement may read.
func (g *gpkgGuard) allow(tables ...string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.tables = make(map[string]bool, len(tables))
	for _, t := range tables {
		g.tables[sqlName(t)] = true
	}
	g.selects = 0
}

// authorize is the sqlite3_set_authorizer callback.
func (g *gpkgGuard) authorize(op int, arg1, arg2, _ string) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	switch op {
	case sqlite3.SQLITE_SELECT:
		g.selects++
		if g.selects > 1 {
			return sqlite3.SQLITE_DENY
		}
		return sqlite3.SQLITE_OK
	case sqlite3.SQLITE_READ:
		if g.tables[sqlName(arg1)] {
			return sqlite3.SQLITE_OK
		}
	case sqlite3.SQLITE_FUNCTION:
		switch strings.ToLower(arg2) {
		case "count", "coalesce":
			return sqlite3.SQLITE_OK
		}
	case sqlite3.SQLITE_PRAGMA:
		if strings.EqualFold(arg1, "table_xinfo") && g.tables[sqlName(arg2)] {
			return sqlite3.SQLITE_OK
		}
	case sqliteRecursive: // WITH RECURSIVE: refused, like everything not named above
	}
	return sqlite3.SQLITE_DENY
}

// connect sets the limits and pragmas of a new connection, then the
// authorizer (last, so the pragmas themselves are not refused).
func (g *gpkgGuard) connect(c *sqlite3.SQLiteConn) error {
	for id, v := range map[int]int{
		sqlite3.SQLITE_LIMIT_LENGTH:          gpkgMaxValueBytes,
		sqlite3.SQLITE_LIMIT_SQL_LENGTH:      gpkgMaxSQLBytes,
		sqlite3.SQLITE_LIMIT_EXPR_DEPTH:      gpkgMaxExprDepth,
		sqlite3.SQLITE_LIMIT_COMPOUND_SELECT: gpkgMaxCompound,
		sqlite3.SQLITE_LIMIT_ATTACHED:        0,
		sqlite3.SQLITE_LIMIT_TRIGGER_DEPTH:   1,
		sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER: 16,
	} {
		c.SetLimit(id, v)
	}
	for _, p := range []string{
		"PRAGMA trusted_schema = OFF",
		"PRAGMA query_only = ON",
		fmt.Sprintf("PRAGMA cache_size = -%d", gpkgCacheKiB),
		"PRAGMA mmap_size = 0",
	} {
		if _, err := c.Exec(p, nil); err != nil {
			return fmt.Errorf("data: untrusted GeoPackage: %s: %w", p, err)
		}
	}
	c.RegisterAuthorizer(g.authorize)
	return nil
}

// gpkgConnector opens guarded connections (sql.OpenDB; no driver is
// registered by name).
type gpkgConnector struct {
	dsn string
	drv *sqlite3.SQLiteDriver
}

func (c gpkgConnector) Connect(context.Context) (driver.Conn, error) { return c.drv.Open(c.dsn) }
func (c gpkgConnector) Driver() driver.Driver                        { return c.drv }

// openUntrustedGeoPackage opens path read-only behind a gpkgGuard, on one
// connection. immutable tells SQLite that nothing else writes the file
// (true for an upload's private copy): no locks, no journal or WAL read.
func openUntrustedGeoPackage(path string, immutable bool) (*sql.DB, *gpkgGuard) {
	q := url.Values{}
	q.Set("mode", "ro")
	if immutable {
		q.Set("immutable", "1")
	}
	g := &gpkgGuard{}
	db := sql.OpenDB(gpkgConnector{
		dsn: "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode(),
		drv: &sqlite3.SQLiteDriver{ConnectHook: g.connect},
	})
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	return db, g
}

// gpkgObject is one entry of sqlite_master.
type gpkgObject struct{ typ, name, sql string }

// gpkgSchema reads sqlite_master.
func gpkgSchema(ctx context.Context, db *sql.DB, g *gpkgGuard) ([]gpkgObject, error) {
	g.allow("sqlite_master", "sqlite_schema")
	rows, err := db.QueryContext(ctx, `SELECT type, name, coalesce(sql, '') FROM sqlite_master`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []gpkgObject
	for rows.Next() {
		var o gpkgObject
		if err := rows.Scan(&o.typ, &o.name, &o.sql); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// plainTableProblem says why name is not a plain table of schema that
// segmap may read, in English and Swedish (empty when it is one): it must be a table whose sql is a
// CREATE TABLE (not a view, a virtual table or anything else posing as
// one) and have no generated columns.
func plainTableProblem(ctx context.Context, db *sql.DB, g *gpkgGuard, schema []gpkgObject, name string) (problemText, error) {
	var obj *gpkgObject
	for i := range schema {
		if sqlName(schema[i].name) == sqlName(name) {
			obj = &schema[i]
			break
		}
	}
	switch {
	case obj == nil:
		return problemText{"is not in the file", "finns inte i filen"}, nil
	case obj.typ == "view":
		return problemText{"is a view (an SQL query); segmap reads only tables from a file: export the layer as a table (QGIS: Export > Save Features As, or ogr2ogr)",
			"är en vy (en SQL-fråga); segmap läser bara tabeller ur en fil: exportera lagret som en tabell (QGIS: Exportera > Spara objekt som, eller ogr2ogr)"}, nil
	case obj.typ != "table" || !gpkgCreateTableRe.MatchString(obj.sql):
		return problemText{fmt.Sprintf("is not a plain table (sqlite_master type %q, sql %q); segmap reads only tables from a file: export the layer with QGIS or ogr2ogr", obj.typ, trimTo(obj.sql, 60)),
			fmt.Sprintf("är ingen vanlig tabell (sqlite_master type %q, sql %q); segmap läser bara tabeller ur en fil: exportera lagret med QGIS eller ogr2ogr", obj.typ, trimTo(obj.sql, 60))}, nil
	}
	g.allow(obj.name)
	rows, err := db.QueryContext(ctx, `PRAGMA table_xinfo(`+boundaryQuote(obj.name)+`)`)
	if err != nil {
		return problemText{}, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return problemText{}, err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return problemText{}, err
		}
		var col string
		var hidden int64
		for i, c := range cols {
			switch c {
			case "name":
				col = fmt.Sprint(vals[i])
				if b, ok := vals[i].([]byte); ok {
					col = string(b)
				}
			case "hidden":
				hidden, _ = vals[i].(int64)
			}
		}
		if hidden != 0 {
			return problemText{fmt.Sprintf("has the generated or hidden column %q, computed by SQL when read; segmap reads only stored values: export the layer with QGIS or ogr2ogr", col),
				fmt.Sprintf("har den genererade eller dolda kolumnen %q, som räknas fram med SQL när den läses; segmap läser bara lagrade värden: exportera lagret med QGIS eller ogr2ogr", col)}, nil
		}
	}
	return problemText{}, rows.Err()
}
