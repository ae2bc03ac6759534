// Package deps pins the module's third-party dependencies while the packages
// that use them are written. It is removed once every dependency is imported
// by real code.
package deps

import (
	_ "github.com/labstack/echo/v4"
	_ "github.com/mattn/go-sqlite3"
	_ "github.com/paulmach/orb"
	_ "github.com/paulmach/orb/encoding/mvt"
	_ "github.com/paulmach/orb/geojson"
	_ "github.com/twpayne/go-geom"
	_ "github.com/twpayne/go-geom/encoding/wkb"
	_ "github.com/xuri/excelize/v2"
	_ "golang.org/x/sync/singleflight"
	_ "golang.org/x/term"
	_ "gopkg.in/yaml.v3"
)
