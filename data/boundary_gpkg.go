package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/segmap/segmap/data/gpkg"
)

// quoteIdent quotes an SQLite identifier.
func boundaryQuote(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// gpkgReadOptions say how to read a GeoPackage layer.
type gpkgReadOptions struct {
	// Layer is the feature layer (table) to read; "" selects the only one.
	Layer string
	// Immutable: the file is a private copy nothing else writes (an upload).
	Immutable bool
	// MaxFeatures stops reading after this many features (0: no limit);
	// the caller refuses the layer when there are more.
	MaxFeatures int
	// What names a feature in messages ("boundary", "site").
	What string
}

// readBoundaryGeoPackage reads one feature layer of a GeoPackage to import
// as boundaries. layer "" selects the only feature layer.
func readBoundaryGeoPackage(ctx context.Context, path, layer string) (*boundarySource, error) {
	return readGeoPackage(ctx, path, gpkgReadOptions{Layer: layer, What: "boundary"})
}

// readGeoPackage reads one feature layer of a GeoPackage given by someone
// else, behind the guards of openUntrustedGeoPackage.
func readGeoPackage(ctx context.Context, path string, opts gpkgReadOptions) (*boundarySource, error) {
	db, guard := openUntrustedGeoPackage(path, opts.Immutable)
	defer db.Close()
	// A statement refused by the guard, and SQLite's own complaints about
	// the file, are problems of the file.
	fileErr := func(place string, what problemText, err error) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		return &InputError{File: path, Place: place, Problem: what.en + ": " + err.Error(), ProblemSV: what.sv + ": " + err.Error()}
	}
	unreadable := problemText{"cannot be read (SQLite reports an error in the file)", "kan inte läsas (SQLite rapporterar ett fel i filen)"}
	noLayers := problemText{"cannot list the layers (gpkg_contents and gpkg_geometry_columns)", "lagren kan inte listas (gpkg_contents och gpkg_geometry_columns)"}
	schema, err := gpkgSchema(ctx, db, guard)
	if err != nil {
		return nil, fileErr("", problemText{"cannot open as a GeoPackage (SQLite) file", "filen kan inte öppnas som GeoPackage (SQLite-databas)"}, err)
	}
	for _, t := range []string{"gpkg_contents", "gpkg_geometry_columns", "gpkg_spatial_ref_sys"} {
		problem, err := plainTableProblem(ctx, db, guard, schema, t)
		if err != nil {
			return nil, fileErr("", problemText{"not a GeoPackage: " + t, "inte en GeoPackage: " + t}, err)
		}
		if problem.en != "" {
			return nil, &InputError{File: path, Field: t, Problem: "not a GeoPackage: " + t + " " + problem.en, ProblemSV: "inte en GeoPackage: tabellen " + t + " " + problem.sv}
		}
	}
	guard.allow("gpkg_contents", "gpkg_geometry_columns", "gpkg_spatial_ref_sys")
	rows, err := db.QueryContext(ctx, `SELECT c.table_name, g.column_name, g.srs_id, coalesce(s.organization, ''), coalesce(s.organization_coordsys_id, -1)
		FROM gpkg_contents c
		LEFT JOIN gpkg_geometry_columns g ON g.table_name = c.table_name
		LEFT JOIN gpkg_spatial_ref_sys s ON s.srs_id = g.srs_id
		WHERE c.data_type = 'features' ORDER BY c.table_name`)
	if err != nil {
		return nil, fileErr("", noLayers, err)
	}
	type layerInfo struct {
		table, column  sql.NullString
		srsID, orgCode int64
		org            string
	}
	var layers []layerInfo
	for rows.Next() {
		var l layerInfo
		var srs sql.NullInt64
		if err := rows.Scan(&l.table, &l.column, &srs, &l.org, &l.orgCode); err != nil {
			rows.Close()
			return nil, fileErr("", noLayers, err)
		}
		l.srsID = srs.Int64
		layers = append(layers, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fileErr("", noLayers, err)
	}
	var names []string
	for _, l := range layers {
		names = append(names, l.table.String)
	}
	var chosen *layerInfo
	switch {
	case len(layers) == 0:
		return nil, &InputError{File: path, Problem: "the GeoPackage has no feature layer (no gpkg_contents row with data_type 'features')",
			ProblemSV: "GeoPackage-filen har inget objektlager (ingen rad i gpkg_contents med data_type 'features')"}
	case opts.Layer == "" && len(layers) > 1:
		return nil, &InputError{File: path, Field: "layer", Problem: fmt.Sprintf("the GeoPackage has %d feature layers (%s); name the one to import", len(layers), strings.Join(names, ", ")),
			ProblemSV: fmt.Sprintf("GeoPackage-filen har %d objektlager (%s); ange vilket som ska importeras", len(layers), strings.Join(names, ", "))}
	case opts.Layer == "":
		chosen = &layers[0]
	default:
		for i := range layers {
			if layers[i].table.String == opts.Layer {
				chosen = &layers[i]
			}
		}
		if chosen == nil {
			return nil, &InputError{File: path, Field: "layer", Problem: fmt.Sprintf("no feature layer %q; the file has: %s", opts.Layer, strings.Join(names, ", ")),
				ProblemSV: fmt.Sprintf("objektlagret %q finns inte; filen har: %s", opts.Layer, strings.Join(names, ", "))}
		}
	}
	if !chosen.column.Valid {
		return nil, &InputError{File: path, Place: "layer " + chosen.table.String, Field: "geometry", Problem: "the layer has no geometry column registered in gpkg_geometry_columns", ProblemSV: "lagret har ingen geometrikolumn registrerad i gpkg_geometry_columns"}
	}
	srid := int(chosen.srsID)
	if strings.EqualFold(chosen.org, "EPSG") && chosen.orgCode > 0 {
		srid = int(chosen.orgCode)
	}
	problem, err := plainTableProblem(ctx, db, guard, schema, chosen.table.String)
	if err != nil {
		return nil, fileErr("layer "+chosen.table.String, unreadable, err)
	}
	if problem.en != "" {
		return nil, &InputError{File: path, Place: "layer " + chosen.table.String, Problem: "the layer " + problem.en, ProblemSV: "lagret " + problem.sv}
	}
	src := &boundarySource{File: path, SRID: srid}
	guard.allow(chosen.table.String)
	rows, err = db.QueryContext(ctx, `SELECT * FROM `+boundaryQuote(chosen.table.String))
	if err != nil {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		return nil, &InputError{File: path, Place: "layer " + chosen.table.String, Problem: "cannot read the layer: " + err.Error(), ProblemSV: "kan inte läsa lagret: " + err.Error()}
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, fileErr("layer "+chosen.table.String, unreadable, err)
	}
	geomCol := -1
	for i, c := range cols {
		if strings.EqualFold(c, chosen.column.String) {
			geomCol = i
		} else {
			src.Fields = append(src.Fields, c)
		}
	}
	if geomCol < 0 {
		return nil, &InputError{File: path, Place: "layer " + chosen.table.String, Field: chosen.column.String, Problem: "the registered geometry column is not in the table", ProblemSV: "den registrerade geometrikolumnen finns inte i tabellen"}
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for i := 0; rows.Next(); i++ {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if opts.MaxFeatures > 0 && i >= opts.MaxFeatures {
			return nil, &InputError{File: path, Place: "layer " + chosen.table.String, Problem: fmt.Sprintf("more than %d features, the limit of %ss per layer; split the file", opts.MaxFeatures, opts.What),
				ProblemSV: fmt.Sprintf("fler än %d objekt, gränsen per lager; dela upp filen", opts.MaxFeatures)}
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fileErr(fmt.Sprintf("feature %d", i), unreadable, err)
		}
		f := boundaryFeature{Index: i, Props: make(map[string]any, len(cols)-1)}
		for j, c := range cols {
			if j == geomCol {
				continue
			}
			switch v := vals[j].(type) {
			case []byte:
				f.Props[c] = string(v)
			default:
				f.Props[c] = v
			}
		}
		blob, _ := vals[geomCol].([]byte)
		if blob == nil {
			if s, ok := vals[geomCol].(string); ok {
				blob = []byte(s)
			}
		}
		if len(blob) == 0 {
			return nil, &InputError{File: path, Place: fmt.Sprintf("feature %d", i), Field: chosen.column.String, Problem: "geometry is empty or NULL; every " + opts.What + " needs a geometry", ProblemSV: "geometrin är tom eller NULL; varje objekt behöver en geometri"}
		}
		g, h, err := gpkg.Decode(blob)
		if err != nil {
			return nil, &InputError{File: path, Place: fmt.Sprintf("feature %d", i), Field: chosen.column.String,
				Problem:   "the geometry cannot be decoded (expected a GeoPackage geometry: a GP header followed by WKB): " + err.Error(),
				ProblemSV: "geometrin kan inte avkodas (en GeoPackage-geometri väntades: ett GP-huvud följt av WKB): " + err.Error()}
		}
		if int64(h.SRSID) != chosen.srsID {
			return nil, &InputError{File: path, Place: fmt.Sprintf("feature %d", i), Field: chosen.column.String, Problem: fmt.Sprintf("geometry srs_id %d differs from the layer's %d", h.SRSID, chosen.srsID),
				ProblemSV: fmt.Sprintf("geometrins srs_id %d skiljer sig från lagrets %d", h.SRSID, chosen.srsID)}
		}
		f.Geom = g
		src.Features = append(src.Features, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fileErr("layer "+chosen.table.String, unreadable, err)
	}
	if len(src.Features) == 0 {
		return nil, &InputError{File: path, Place: "layer " + chosen.table.String, Problem: "the layer has no features", ProblemSV: "lagret har inga objekt"}
	}
	return src, nil
}

var errNoSource = errors.New("data: unknown boundary file type")
