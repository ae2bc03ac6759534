package data

import (
	"archive/zip"
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/paulmach/orb"

	"github.com/segmap/segmap/internal/locale"
	"github.com/segmap/segmap/spatial/proj"
)

// Upload limits of site files (defaults in brackets).
const (
	DefaultSiteMaxExpandedBytes = 200 << 20 // [200 MiB] what a zip may expand to
	DefaultSiteMaxFeatures      = 10000     // [10,000] sites in one layer
	DefaultSiteMaxVertices      = 20000     // [20,000] vertices of one site
	DefaultSiteMaxLayerVertices = 500000    // [500,000] vertices of one upload
	siteMaxZipEntries           = 64
)

// readSiteSource decodes an uploaded site file by its content (zip, SQLite,
// JSON), falling back to the file name's extension for the message.
func readSiteSource(ctx context.Context, name string, body []byte, opts SiteOptions) (*boundarySource, error) {
	switch {
	case len(body) == 0:
		return nil, &InputError{File: name, Problem: "the file is empty", ProblemSV: "filen är tom"}
	case bytes.HasPrefix(body, []byte("PK\x03\x04")) || bytes.HasPrefix(body, []byte("PK\x05\x06")):
		return readSiteZip(ctx, name, body, opts)
	case bytes.HasPrefix(body, []byte("SQLite format 3\x00")):
		return readSiteGeoPackage(ctx, name, body, opts)
	}
	problem := geoJSONStartProblem(body)
	if problem == "" {
		return readSiteGeoJSON(name, body)
	}
	// A file named as GeoJSON (or UTF-16 text, which is nothing else we
	// read) gets what is wrong with it rather than "unknown file type".
	if ext := strings.ToLower(filepath.Ext(name)); ext == ".geojson" || ext == ".json" || isUTF16(body) {
		return nil, &InputError{File: name, Problem: problem, ProblemSV: geoJSONStartProblemSV(body)}
	}
	return nil, &InputError{File: name, Problem: fmt.Sprintf("unknown file type (%q); upload GeoJSON (.geojson), GeoPackage (.gpkg) or a zipped Shapefile (.zip with .shp, .shx, .dbf and .prj)", filepath.Ext(name)), ProblemSV: fmt.Sprintf("okänd filtyp (%q); ladda upp GeoJSON (.geojson), GeoPackage (.gpkg) eller en zippad Shapefile (.zip med .shp, .shx, .dbf och .prj)", filepath.Ext(name))}
}

func readSiteGeoJSON(name string, body []byte) (*boundarySource, error) {
	src, crsName, err := decodeGeoJSON(name, body, "site")
	if err != nil {
		return nil, err
	}
	if crsName != "" {
		return src, src.setCRSName(crsName)
	}
	bd := src.bound()
	switch {
	case inSweden(bd):
		src.SRID = proj.WGS84
	case swerefExtent.Contains(bd.Min) && swerefExtent.Contains(bd.Max):
		src.SRID = proj.SWEREF99TM
		src.SRIDNote = problemText{"the file has no crs member and its coordinates are metres inside Sweden's SWEREF 99 TM extent, so they were read as SWEREF 99 TM (EPSG:3006)",
			"filen har ingen crs-medlem och koordinaterna är meter inom SWEREF 99 TM:s utbredning i Sverige, så de lästes som SWEREF 99 TM (EPSG:3006)"}
	default:
		// Leave WGS 84 (RFC 7946); the per-feature check explains what is wrong.
		src.SRID = proj.WGS84
	}
	return src, nil
}

func readSiteGeoPackage(ctx context.Context, name string, body []byte, opts SiteOptions) (*boundarySource, error) {
	f, err := os.CreateTemp("", "segmap-site-*.gpkg")
	if err != nil {
		return nil, fmt.Errorf("data: site upload: %w", err)
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(body); err != nil {
		f.Close()
		return nil, fmt.Errorf("data: site upload: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("data: site upload: %w", err)
	}
	src, err := readGeoPackage(ctx, f.Name(), gpkgReadOptions{Layer: opts.Layer, Immutable: true, MaxFeatures: opts.MaxFeatures, What: "site"})
	var ie *InputError
	if errors.As(err, &ie) {
		ie.File = name
	}
	if src != nil {
		src.File = name
	}
	return src, err
}

// readSiteZip reads a zipped Shapefile (or a zipped GeoJSON/GeoPackage).
// Entries whose names leave the archive ("../x", "/etc/x", "C:\x") are
// refused, as is an archive whose entries would expand beyond
// opts.MaxExpandedBytes; sizes are checked while reading, not trusted from
// the directory.
func readSiteZip(ctx context.Context, name string, body []byte, opts SiteOptions) (*boundarySource, error) {
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		return nil, &InputError{File: name, Problem: "not a readable zip file: " + err.Error(), ProblemSV: "inte en läsbar zip-fil: " + err.Error()}
	}
	if len(zr.File) > siteMaxZipEntries {
		return nil, &InputError{File: name, Problem: fmt.Sprintf("the zip has %d entries; a site upload holds one layer (at most %d files)", len(zr.File), siteMaxZipEntries), ProblemSV: fmt.Sprintf("zip-filen har %d filer; en uppladdning innehåller ett lager (högst %d filer)", len(zr.File), siteMaxZipEntries)}
	}
	limit := opts.MaxExpandedBytes
	var declared uint64
	for _, f := range zr.File {
		if p := zipEntryPathOK(f.Name); p != nil {
			return nil, &InputError{File: name, Place: "entry " + f.Name, Problem: p.en, ProblemSV: p.sv}
		}
		declared += f.UncompressedSize64
	}
	if declared > uint64(limit) {
		return nil, &InputError{File: name, Problem: fmt.Sprintf("the zip would expand to %d bytes, more than the limit of %d bytes (a zip bomb, or a layer too large to upload)", declared, limit), ProblemSV: fmt.Sprintf("zip-filen skulle packas upp till %d byte, mer än gränsen på %d byte (en zip-bomb, eller ett lager för stort att ladda upp)", declared, limit)}
	}
	members := map[string][]byte{} // lower-case extension -> content
	var base string
	var total int64
	// The .dbf last: by then the .shp's shape count is known, and the
	// .dbf is inflated only as far as its header says, once the header
	// agrees with the .shp.
	entries := slices.Clone(zr.File)
	dbfLast := func(f *zip.File) int {
		if strings.EqualFold(path.Ext(f.Name), ".dbf") {
			return 1
		}
		return 0
	}
	slices.SortStableFunc(entries, func(a, b *zip.File) int { return cmp.Compare(dbfLast(a), dbfLast(b)) })
	for _, f := range entries {
		if f.FileInfo().IsDir() || strings.HasPrefix(path.Base(f.Name), "._") || strings.HasPrefix(f.Name, "__MACOSX/") {
			continue
		}
		ext := strings.ToLower(path.Ext(f.Name))
		switch ext {
		case ".shp", ".shx", ".dbf", ".prj", ".cpg", ".geojson", ".json", ".gpkg":
		default:
			continue
		}
		if _, dup := members[ext]; dup {
			return nil, &InputError{File: name, Place: "entry " + f.Name, Problem: fmt.Sprintf("the zip holds more than one %s file; upload one layer per zip", ext), ProblemSV: fmt.Sprintf("zip-filen har mer än en %s-fil; ladda upp ett lager per zip-fil", ext)}
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rc, err := f.Open()
		if err != nil {
			return nil, &InputError{File: name, Place: "entry " + f.Name, Problem: "cannot read: " + err.Error(), ProblemSV: "kan inte läsas: " + err.Error()}
		}
		var b []byte
		if ext == ".dbf" && members[".shp"] != nil {
			b, err = readDBFEntry(rc, base+".shp", members[".shp"], f.Name, opts.MaxFeatures, limit-total)
		} else {
			b, err = io.ReadAll(io.LimitReader(rc, limit-total+1))
		}
		rc.Close()
		var ie *InputError
		if errors.As(err, &ie) {
			ie.File = name + "/" + ie.File
			return nil, err
		}
		if err != nil {
			return nil, &InputError{File: name, Place: "entry " + f.Name, Problem: "cannot read: " + err.Error(), ProblemSV: "kan inte läsas: " + err.Error()}
		}
		total += int64(len(b))
		if total > limit {
			return nil, &InputError{File: name, Place: "entry " + f.Name, Problem: fmt.Sprintf("the zip expands to more than the limit of %d bytes (a zip bomb, or a layer too large to upload)", limit), ProblemSV: fmt.Sprintf("zip-filen packas upp till mer än gränsen på %d byte (en zip-bomb, eller ett lager för stort att ladda upp)", limit)}
		}
		members[ext] = b
		if ext == ".shp" {
			base = strings.TrimSuffix(f.Name, path.Ext(f.Name))
		}
	}
	switch {
	case members[".shp"] != nil:
		if _, ok := members[".dbf"]; !ok {
			return nil, &InputError{File: name, Place: "entry " + base + ".dbf", Problem: "missing: a Shapefile needs its .dbf (attributes) beside the .shp; zip all files of the layer (.shp, .shx, .dbf, .prj)", ProblemSV: "saknas: en Shapefile behöver sin .dbf (attribut) bredvid .shp; zippa alla lagrets filer (.shp, .shx, .dbf, .prj)"}
		}
		_, hasPRJ := members[".prj"]
		src, err := readShapefile(ctx, shapefileParts{Name: base, SHP: members[".shp"], DBF: members[".dbf"], HasDBF: true, PRJ: members[".prj"], HasPRJ: hasPRJ, CPG: members[".cpg"]}, opts.MaxFeatures)
		if src != nil {
			src.File = name + "/" + base + ".shp"
		}
		var ie *InputError
		if errors.As(err, &ie) {
			ie.File = name + "/" + ie.File
		}
		return src, err
	case members[".gpkg"] != nil:
		return readSiteGeoPackage(ctx, name, members[".gpkg"], opts)
	case members[".geojson"] != nil:
		return readSiteGeoJSON(name, members[".geojson"])
	case members[".json"] != nil:
		return readSiteGeoJSON(name, members[".json"])
	}
	return nil, &InputError{File: name, Problem: "the zip holds no .shp, .gpkg or .geojson file", ProblemSV: "zip-filen har ingen .shp-, .gpkg- eller .geojson-fil"}
}

// zipEntryPathOK refuses names that would leave the folder the archive is
// unpacked in ("zip slip"), even though segmap never writes them to disk.
func zipEntryPathOK(n string) *problemText {
	s := strings.ReplaceAll(n, `\`, "/")
	switch {
	case strings.HasPrefix(s, "/") || len(s) >= 2 && s[1] == ':':
		return &problemText{fmt.Sprintf("absolute path %q: zip entries must be relative paths inside the archive", n),
			fmt.Sprintf("absolut sökväg %q: filerna i en zip-fil ska ha relativa sökvägar inuti arkivet", n)}
	case strings.ContainsRune(s, 0):
		return &problemText{"the name has a NUL byte", "namnet innehåller en NUL-byte"}
	}
	for _, part := range strings.Split(s, "/") {
		if part == ".." {
			return &problemText{fmt.Sprintf("path %q points outside the archive (\"..\"); refused (zip slip)", n),
				fmt.Sprintf("sökvägen %q pekar ut ur arkivet (\"..\"); zip-filen avvisas (zip slip)", n)}
		}
	}
	return nil
}

// Sweden with a margin (WGS 84): lon 10.0–24.5, lat 55.0–69.2.
var swedenWGS84 = orb.Bound{Min: orb.Point{10.0, 55.0}, Max: orb.Point{24.5, 69.2}}

// inSweden is false for NaN bounds too (every comparison with NaN is false).
func inSweden(b orb.Bound) bool {
	s := swedenWGS84
	return b.Min[0] >= s.Min[0] && b.Min[1] >= s.Min[1] && b.Max[0] <= s.Max[0] && b.Max[1] <= s.Max[1]
}

// crsHint says what coordinates outside Sweden probably are, in English
// and Swedish. srid is the CRS the coordinates were read in (0: unknown).
func crsHint(b orb.Bound, srid int) problemText {
	x, y := (b.Min[0]+b.Max[0])/2, (b.Min[1]+b.Max[1])/2
	en := fmt.Sprintf("the coordinates (around %.6g, %.6g) are not in Sweden", x, y)
	sv := fmt.Sprintf("koordinaterna (runt %.6g, %.6g) ligger inte i Sverige", x, y)
	hint := func(e, s string) problemText { return problemText{en + e, sv + s} }
	switch {
	case x >= 55 && x <= 69.2 && y >= 10 && y <= 24.5:
		return hint("; they look like latitude/longitude in the wrong order: GeoJSON and WGS 84 files need longitude first (x = longitude, y = latitude)",
			"; de ser ut som latitud och longitud i fel ordning: GeoJSON- och WGS 84-filer ska ha longituden först (x = longitud, y = latitud)")
	case x >= 150000 && x <= 1000000 && y >= 6000000 && y <= 7800000 && srid != proj.SWEREF99TM:
		return hint(fmt.Sprintf(" in EPSG:%d; numbers like these (northing ~%.3g, easting ~%.3g metres) are probably SWEREF 99 TM (EPSG:3006): declare that CRS (a crs member naming EPSG:3006, or the .prj) or reproject to WGS 84", srid, y, x),
			fmt.Sprintf(" i EPSG:%d; sådana tal (nordlig koordinat ~%s, östlig ~%s meter) är troligen SWEREF 99 TM (EPSG:3006): ange det koordinatsystemet (en crs-medlem med EPSG:3006, eller .prj-filen) eller projicera om till WGS 84",
				srid, locale.FormatNumber(y, 0, locale.SV), locale.FormatNumber(x, 0, locale.SV)))
	case y >= 150000 && y <= 1000000 && x >= 6000000 && x <= 7800000:
		return hint("; they look like SWEREF 99 TM (EPSG:3006) with northing and easting swapped: x must be the easting (~150,000–1,000,000) and y the northing (~6,100,000–7,700,000)",
			"; de ser ut som SWEREF 99 TM (EPSG:3006) med nordlig och östlig koordinat omkastade: x ska vara den östliga (~150 000–1 000 000) och y den nordliga (~6 100 000–7 700 000)")
	case x >= 1200000 && x <= 1900000 && y >= 6100000 && y <= 7700000:
		return hint("; numbers like these are probably RT90 2.5 gon V (EPSG:3021), which segmap does not read: reproject to SWEREF 99 TM (ogr2ogr -s_srs EPSG:3021 -t_srs EPSG:3006 out in)",
			"; sådana tal är troligen RT90 2.5 gon V (EPSG:3021), som segmap inte läser: projicera om till SWEREF 99 TM (ogr2ogr -s_srs EPSG:3021 -t_srs EPSG:3006 ut in)")
	case x >= 50000 && x < 250000 && y >= 6100000 && y <= 7700000:
		return hint("; numbers like these are probably a local SWEREF 99 zone (e.g. SWEREF 99 18 00, EPSG:3011, used in Stockholm): reproject to SWEREF 99 TM (ogr2ogr -t_srs EPSG:3006 out in)",
			"; sådana tal är troligen en lokal SWEREF 99-zon (t.ex. SWEREF 99 18 00, EPSG:3011, som används i Stockholm): projicera om till SWEREF 99 TM (ogr2ogr -t_srs EPSG:3006 ut in)")
	case x >= 1100000 && x <= 2750000 && y >= 7300000 && y <= 11000000 && srid != proj.WebMercator:
		return hint("; numbers like these are probably Web Mercator (EPSG:3857): declare that CRS or reproject to WGS 84",
			"; sådana tal är troligen Web Mercator (EPSG:3857): ange det koordinatsystemet eller projicera om till WGS 84")
	case srid == proj.SWEREF99TM && x >= 10 && x <= 25 && y >= 55 && y <= 70:
		return hint("; the file says SWEREF 99 TM (EPSG:3006) but the numbers look like WGS 84 degrees (EPSG:4326): fix the declared CRS",
			"; filen anger SWEREF 99 TM (EPSG:3006) men talen ser ut som grader i WGS 84 (EPSG:4326): rätta det angivna koordinatsystemet")
	case math.Abs(x) <= 180 && math.Abs(y) <= 90:
		return hint("; they are degrees outside Sweden: check the coordinate reference system and the axis order",
			"; det är grader utanför Sverige: kontrollera koordinatsystemet och axelordningen")
	}
	return hint("; check the coordinate reference system (segmap reads WGS 84, SWEREF 99 TM and Web Mercator)",
		"; kontrollera koordinatsystemet (segmap läser WGS 84, SWEREF 99 TM och Web Mercator)")
}
