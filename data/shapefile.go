package data

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/paulmach/orb"

	"github.com/segmap/segmap/spatial/proj"
)

// A small, strict ESRI Shapefile reader (ESRI Shapefile Technical
// Description, July 1998) for what site layers need: Point, Polygon and
// MultiPoint shapes (also their Z and M variants, whose extra values are
// ignored), the dBASE attribute table and the .prj CRS. Every length and
// count is checked against the bytes present before it is used, so a
// corrupt or hostile file is an *InputError, never a panic or a huge
// allocation.

// Shape types.
const (
	shpNull       = 0
	shpPoint      = 1
	shpPolyLine   = 3
	shpPolygon    = 5
	shpMultiPoint = 8
	shpPointZ     = 11
	shpPolyLineZ  = 13
	shpPolygonZ   = 15
	shpMultiPtZ   = 18
	shpPointM     = 21
	shpPolyLineM  = 23
	shpPolygonM   = 25
	shpMultiPtM   = 28
)

// shapefileParts are the members of one shapefile (contents by extension).
type shapefileParts struct {
	Name                string // base name, for messages
	SHP, DBF, PRJ, CPG  []byte
	HasDBF, HasPRJ, Has bool
}

// dbfMaxFields is the most fields a dBASE table may declare (dBASE IV's
// limit; dBASE III allowed 128).
const dbfMaxFields = 255

// readShapefile decodes the geometry, attributes and CRS of a shapefile.
// Counts and sizes are checked before anything is decoded: the .shp may
// hold at most maxShapes shapes (the sites of one layer), and the .dbf's
// header must declare as many records as the .shp has shapes, with fields
// that fit its record length and records that fit the file. So a small
// zip whose .dbf claims millions of records is refused from its header.
func readShapefile(ctx context.Context, p shapefileParts, maxShapes int) (*boundarySource, error) {
	file := p.Name + ".shp"
	n, err := countSHP(file, p.SHP, maxShapes)
	if err != nil {
		return nil, err
	}
	var dbf *dbfTable
	if p.HasDBF {
		dbf, err = readDBFHeader(p.Name+".dbf", p.DBF, strings.Contains(strings.ToUpper(string(p.CPG)), "UTF"))
		if err != nil {
			return nil, err
		}
		if dbf.nrec != int64(n) {
			return nil, &InputError{File: dbf.file, Problem: fmt.Sprintf("has %d records but %s has %d shapes; the two files belong together and must have one record per shape", dbf.nrec, file, n), ProblemSV: fmt.Sprintf("har %d poster men %s har %d former; filerna hör ihop och ska ha en post per form", dbf.nrec, file, n)}
		}
	}
	geoms, err := decodeSHP(ctx, file, p.SHP)
	if err != nil {
		return nil, err
	}
	src := &boundarySource{File: file}
	var recs []map[string]any
	if dbf != nil {
		if recs, err = dbf.records(ctx); err != nil {
			return nil, err
		}
		src.Fields = dbf.names()
	}
	for i, g := range geoms {
		props := map[string]any{}
		if recs != nil {
			props = recs[i]
		}
		src.Features = append(src.Features, boundaryFeature{Index: i, Props: props, Geom: g})
	}
	if len(src.Features) == 0 {
		return nil, &InputError{File: file, Problem: "the shapefile has no shapes", ProblemSV: "shapefilen har inga former"}
	}
	if p.HasPRJ {
		srid, err := prjSRID(p.Name+".prj", string(p.PRJ))
		if err != nil {
			return nil, err
		}
		src.SRID = srid
	} else {
		bd := src.bound()
		switch {
		case bd.Min[0] >= -180 && bd.Max[0] <= 180 && bd.Min[1] >= -90 && bd.Max[1] <= 90:
			src.SRID = proj.WGS84
			src.SRIDNote = problemText{"the zip has no .prj file; the coordinates look like degrees and were read as WGS 84 (EPSG:4326)",
				"zip-filen har ingen .prj-fil; koordinaterna ser ut som grader och lästes som WGS 84 (EPSG:4326)"}
		case swerefExtent.Contains(bd.Min) && swerefExtent.Contains(bd.Max):
			src.SRID = proj.SWEREF99TM
			src.SRIDNote = problemText{"the zip has no .prj file; the coordinates are metres inside Sweden's SWEREF 99 TM extent and were read as EPSG:3006",
				"zip-filen har ingen .prj-fil; koordinaterna är meter inom SWEREF 99 TM:s utbredning i Sverige och lästes som EPSG:3006"}
		default:
			hint := crsHint(bd, 0)
			return nil, &InputError{File: p.Name + ".prj", Problem: "missing: the zip has no .prj file, so the coordinate reference system is unknown, and " + hint.en + ". Include the .prj file that GIS programs write next to the .shp", ProblemSV: "saknas: zip-filen har ingen .prj-fil, så koordinatsystemet är okänt, och " + hint.sv + ". Ta med .prj-filen som GIS-program skriver bredvid .shp-filen"}
		}
	}
	return src, nil
}

// checkSHPHeader checks the 100-byte main file header.
func checkSHPHeader(file string, b []byte) error {
	if len(b) < 100 {
		return &InputError{File: file, Problem: fmt.Sprintf("too short for a shapefile header (%d bytes, need 100)", len(b)), ProblemSV: fmt.Sprintf("för kort för ett shapefilhuvud (%d byte, behöver 100)", len(b))}
	}
	if code := binary.BigEndian.Uint32(b[0:4]); code != 9994 {
		return &InputError{File: file, Problem: fmt.Sprintf("not a shapefile: file code %d, expected 9994", code), ProblemSV: fmt.Sprintf("inte en shapefil: filkod %d, ska vara 9994", code)}
	}
	if v := binary.LittleEndian.Uint32(b[28:32]); v != 1000 {
		return &InputError{File: file, Problem: fmt.Sprintf("shapefile version %d, expected 1000", v), ProblemSV: fmt.Sprintf("shapefilversion %d, ska vara 1000", v)}
	}
	return nil
}

// countSHP walks the record headers of a .shp without decoding shapes and
// returns how many records it holds, refusing more than max.
func countSHP(file string, b []byte, max int) (int, error) {
	if err := checkSHPHeader(file, b); err != nil {
		return 0, err
	}
	n := 0
	for off := 100; off < len(b); n++ {
		if n >= max {
			return 0, &InputError{File: file, Problem: fmt.Sprintf("more than %d shapes, the limit of sites per layer; split the file", max), ProblemSV: fmt.Sprintf("fler än %d former, gränsen per lager; dela upp filen", max)}
		}
		if len(b)-off < 8 {
			return 0, &InputError{File: file, Place: fmt.Sprintf("shape %d", n), Problem: "truncated record header", ProblemSV: "avkortat posthuvud"}
		}
		clen := int64(binary.BigEndian.Uint32(b[off+4:off+8])) * 2
		off += 8
		if clen < 4 || clen > int64(len(b)-off) {
			return 0, &InputError{File: file, Place: fmt.Sprintf("shape %d", n), Problem: fmt.Sprintf("record length %d bytes runs past the end of the file", clen), ProblemSV: fmt.Sprintf("postlängden %d byte går förbi filens slut", clen)}
		}
		off += int(clen)
	}
	return n, nil
}

// decodeSHP reads the shapes of a .shp file.
func decodeSHP(ctx context.Context, file string, b []byte) ([]orb.Geometry, error) {
	if err := checkSHPHeader(file, b); err != nil {
		return nil, err
	}
	var out []orb.Geometry
	off := 100
	for n := 0; off < len(b); n++ {
		if n%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if len(b)-off < 8 {
			return nil, &InputError{File: file, Place: fmt.Sprintf("shape %d", n), Problem: "truncated record header", ProblemSV: "avkortat posthuvud"}
		}
		clen := int64(binary.BigEndian.Uint32(b[off+4:off+8])) * 2
		off += 8
		if clen < 4 || clen > int64(len(b)-off) {
			return nil, &InputError{File: file, Place: fmt.Sprintf("shape %d", n), Problem: fmt.Sprintf("record length %d bytes runs past the end of the file", clen), ProblemSV: fmt.Sprintf("postlängden %d byte går förbi filens slut", clen)}
		}
		g, p := decodeShape(b[off : off+int(clen)])
		if p != nil {
			return nil, &InputError{File: file, Place: fmt.Sprintf("shape %d", n), Field: "geometry", Problem: p.en, ProblemSV: p.sv}
		}
		out = append(out, g)
		off += int(clen)
	}
	return out, nil
}

// decodeShape reads one shape record; a broken one is a problem in
// English and Swedish.
func decodeShape(r []byte) (orb.Geometry, *problemText) {
	le := binary.LittleEndian
	f64 := func(o int) float64 { return math.Float64frombits(le.Uint64(r[o : o+8])) }
	typ := le.Uint32(r[0:4])
	switch typ {
	case shpNull:
		return nil, &problemText{"null shape: every site needs a polygon or a point", "tom form (null): varje plats behöver en polygon eller en punkt"}
	case shpPoint, shpPointZ, shpPointM:
		if len(r) < 20 {
			return nil, &problemText{"truncated point", "punkten är avkortad"}
		}
		return orb.Point{f64(4), f64(12)}, nil
	case shpMultiPoint, shpMultiPtZ, shpMultiPtM:
		if len(r) < 40 {
			return nil, &problemText{"truncated multipoint", "multipunkten är avkortad"}
		}
		np := int64(le.Uint32(r[36:40]))
		if np*16 > int64(len(r)-40) {
			return nil, &problemText{fmt.Sprintf("multipoint of %d points runs past its record", np), fmt.Sprintf("multipunkten med %d punkter går förbi slutet på sin post", np)}
		}
		mp := make(orb.MultiPoint, np)
		for i := range mp {
			mp[i] = orb.Point{f64(40 + 16*i), f64(48 + 16*i)}
		}
		return mp, nil
	case shpPolygon, shpPolygonZ, shpPolygonM:
		if len(r) < 44 {
			return nil, &problemText{"truncated polygon", "polygonen är avkortad"}
		}
		nParts, nPts := int64(le.Uint32(r[36:40])), int64(le.Uint32(r[40:44]))
		if nParts == 0 || nPts == 0 {
			return nil, &problemText{"polygon without rings", "polygonen har inga ringar"}
		}
		if nParts*4+nPts*16 > int64(len(r)-44) {
			return nil, &problemText{fmt.Sprintf("polygon of %d rings and %d points runs past its record", nParts, nPts), fmt.Sprintf("polygonen med %d ringar och %d punkter går förbi slutet på sin post", nParts, nPts)}
		}
		parts := make([]int, nParts+1)
		for i := 0; i < int(nParts); i++ {
			parts[i] = int(le.Uint32(r[44+4*i:]))
		}
		parts[nParts] = int(nPts)
		pts := 44 + 4*int(nParts)
		var rings []orb.Ring
		for i := 0; i < int(nParts); i++ {
			if parts[i] < 0 || parts[i] >= parts[i+1] || parts[i+1] > int(nPts) {
				return nil, &problemText{fmt.Sprintf("ring %d has bad start index %d", i, parts[i]), fmt.Sprintf("ring %d har ett felaktigt startindex %d", i, parts[i])}
			}
			ring := make(orb.Ring, 0, parts[i+1]-parts[i])
			for j := parts[i]; j < parts[i+1]; j++ {
				ring = append(ring, orb.Point{f64(pts + 16*j), f64(pts + 16*j + 8)})
			}
			rings = append(rings, ring)
		}
		return assembleShpRings(rings), nil
	case shpPolyLine, shpPolyLineZ, shpPolyLineM:
		return nil, &problemText{"the shapefile holds lines (PolyLine); sites must be polygons or points", "shapefilen innehåller linjer (PolyLine); platser ska vara polygoner eller punkter"}
	}
	return nil, &problemText{fmt.Sprintf("unsupported shape type %d; sites must be polygons or points", typ), fmt.Sprintf("formtypen %d stöds inte; platser ska vara polygoner eller punkter", typ)}
}

// assembleShpRings groups shapefile rings into polygons: clockwise rings
// are exteriors, counter-clockwise ones holes of the exterior that
// contains them (the shapefile convention).
func assembleShpRings(rings []orb.Ring) orb.Geometry {
	var polys orb.MultiPolygon
	var holes []orb.Ring
	for _, r := range rings {
		if shpRingArea(r) <= 0 { // clockwise (or flat)
			polys = append(polys, orb.Polygon{r})
		} else {
			holes = append(holes, r)
		}
	}
	if len(polys) == 0 { // all counter-clockwise: a writer that ignored the rule
		for _, h := range holes {
			polys = append(polys, orb.Polygon{h})
		}
		holes = nil
	}
	for _, h := range holes {
		placed := false
		for i := range polys {
			if len(h) > 0 && ringContains(polys[i][0], h[0]) {
				polys[i] = append(polys[i], h)
				placed = true
				break
			}
		}
		if !placed {
			polys = append(polys, orb.Polygon{h})
		}
	}
	if len(polys) == 1 {
		return polys[0]
	}
	return polys
}

func shpRingArea(r orb.Ring) float64 {
	var a float64
	for i := 0; i+1 < len(r); i++ {
		a += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
	}
	return a / 2
}

func ringContains(r orb.Ring, p orb.Point) bool {
	in := false
	for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
		if (r[i][1] > p[1]) != (r[j][1] > p[1]) && p[0] < (r[j][0]-r[i][0])*(p[1]-r[i][1])/(r[j][1]-r[i][1])+r[i][0] {
			in = !in
		}
	}
	return in
}

// readDBFEntry reads a .dbf from r (a zip entry) no further than its
// header declares, after checking that the header declares as many records
// as shp (the layer's .shp, named shpFile) has shapes and that they fit in
// limit bytes. So a .dbf that claims more than the .shp, or more than the
// zip may expand to, is refused from its first 32 bytes, before it is
// inflated. Its own name is entry. Other checks are readDBFHeader's.
func readDBFEntry(r io.Reader, shpFile string, shp []byte, entry string, maxShapes int, limit int64) ([]byte, error) {
	shapes, err := countSHP(shpFile, shp, maxShapes)
	if err != nil {
		return nil, err
	}
	head := make([]byte, 32)
	if n, err := io.ReadFull(r, head); errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return head[:n], nil // too short: readDBFHeader says so
	} else if err != nil {
		return nil, err
	}
	le := binary.LittleEndian
	nrec, hlen, rlen := int64(le.Uint32(head[4:8])), int64(le.Uint16(head[8:10])), int64(le.Uint16(head[10:12]))
	if nrec != int64(shapes) {
		return nil, &InputError{File: entry, Problem: fmt.Sprintf("has %d records but %s has %d shapes; the two files belong together and must have one record per shape", nrec, shpFile, shapes), ProblemSV: fmt.Sprintf("har %d poster men %s har %d former; filerna hör ihop och ska ha en post per form", nrec, shpFile, shapes)}
	}
	need := hlen + nrec*rlen + 1 // and the end-of-file mark
	if need > limit {
		return nil, &InputError{File: entry, Problem: fmt.Sprintf("declares %d records of %d bytes, more than the %d bytes the zip may still expand to", nrec, rlen, limit), ProblemSV: fmt.Sprintf("anger %d poster om %d byte, mer än de %d byte zip-filen får packas upp till", nrec, rlen, limit)}
	}
	rest, err := io.ReadAll(io.LimitReader(r, max(need-32, 0)))
	if err != nil {
		return nil, err
	}
	return append(head, rest...), nil
}

// dbfTable is a checked dBASE III header over the file's bytes.
type dbfTable struct {
	file       string
	b          []byte
	nrec       int64
	hlen, rlen int
	fields     []dbfField
	utf8       bool // a .cpg declares UTF-8
}

type dbfField struct {
	name     string
	typ      byte
	off, len int
}

// readDBFHeader checks a dBASE III header before any record is read: the
// declared records fit the file, there are at most 255 fields of 1–255
// bytes each and they fit the record length. Text is UTF-8 when
// utf8Declared is set (a .cpg says so) or valid UTF-8, else ISO 8859-1
// (the shapefile default).
func readDBFHeader(file string, b []byte, utf8Declared bool) (*dbfTable, error) {
	if len(b) < 33 {
		return nil, &InputError{File: file, Problem: "too short for a dBASE header", ProblemSV: "för kort för ett dBASE-huvud"}
	}
	le := binary.LittleEndian
	t := &dbfTable{file: file, b: b, utf8: utf8Declared, nrec: int64(le.Uint32(b[4:8]))}
	t.hlen, t.rlen = int(le.Uint16(b[8:10])), int(le.Uint16(b[10:12]))
	if t.hlen < 33 || t.hlen > len(b) || t.rlen < 1 {
		return nil, &InputError{File: file, Problem: fmt.Sprintf("bad dBASE header (header %d bytes, record %d bytes)", t.hlen, t.rlen), ProblemSV: fmt.Sprintf("felaktigt dBASE-huvud (huvud %d byte, post %d byte)", t.hlen, t.rlen)}
	}
	if t.nrec*int64(t.rlen) > int64(len(b)-t.hlen) {
		return nil, &InputError{File: file, Problem: fmt.Sprintf("%d records of %d bytes run past the end of the file (%d bytes of records)", t.nrec, t.rlen, len(b)-t.hlen), ProblemSV: fmt.Sprintf("%d poster om %d byte går förbi filens slut (%d byte poster)", t.nrec, t.rlen, len(b)-t.hlen)}
	}
	off, p := 1, 32 // the deletion flag; the first descriptor
	for ; p+32 <= t.hlen && b[p] != 0x0D; p += 32 {
		if len(t.fields) == dbfMaxFields {
			return nil, &InputError{File: file, Problem: fmt.Sprintf("more than %d fields; a dBASE table has at most %d", dbfMaxFields, dbfMaxFields), ProblemSV: fmt.Sprintf("fler än %d fält; en dBASE-tabell har högst %d", dbfMaxFields, dbfMaxFields)}
		}
		raw := bytes.TrimRight(b[p:p+11], "\x00 ")
		if i := bytes.IndexByte(raw, 0); i >= 0 {
			raw = raw[:i]
		}
		f := dbfField{name: decodeText(raw, utf8Declared), typ: b[p+11], off: off, len: int(b[p+16])}
		if f.len == 0 {
			return nil, &InputError{File: file, Place: fmt.Sprintf("field %d", len(t.fields)+1), Field: f.name, Problem: "length 0 bytes; every dBASE field has 1–255 bytes", ProblemSV: "längden 0 byte; varje dBASE-fält har 1–255 byte"}
		}
		off += f.len
		t.fields = append(t.fields, f)
	}
	if off > t.rlen {
		return nil, &InputError{File: file, Problem: fmt.Sprintf("fields need %d bytes but a record has %d", off, t.rlen), ProblemSV: fmt.Sprintf("fälten behöver %d byte men en post har %d", off, t.rlen)}
	}
	return t, nil
}

func (t *dbfTable) names() []string {
	names := make([]string, len(t.fields))
	for i, f := range t.fields {
		names[i] = f.name
	}
	return names
}

// records decodes every record: one map per record, numbers as float64,
// text trimmed.
func (t *dbfTable) records(ctx context.Context) ([]map[string]any, error) {
	recs := make([]map[string]any, 0, t.nrec)
	for i := 0; i < int(t.nrec); i++ {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		m, err := t.record(i)
		if err != nil {
			return nil, err
		}
		recs = append(recs, m)
	}
	return recs, nil
}

func (t *dbfTable) record(i int) (map[string]any, error) {
	rec := t.b[t.hlen+i*t.rlen : t.hlen+(i+1)*t.rlen]
	m := make(map[string]any, len(t.fields))
	for _, f := range t.fields {
		raw := strings.TrimSpace(decodeText(rec[f.off:f.off+f.len], t.utf8))
		switch f.typ {
		case 'N', 'F':
			if raw == "" || strings.Trim(raw, "*") == "" {
				m[f.name] = nil
				continue
			}
			v, err := strconv.ParseFloat(raw, 64)
			if err != nil {
				return nil, &InputError{File: t.file, Place: fmt.Sprintf("record %d", i), Field: f.name, Problem: fmt.Sprintf("%q is not a number", raw), ProblemSV: fmt.Sprintf("%q är inte ett tal", raw)}
			}
			m[f.name] = v
		case 'L':
			switch strings.ToUpper(raw) {
			case "T", "Y":
				m[f.name] = true
			case "F", "N":
				m[f.name] = false
			default:
				m[f.name] = nil
			}
		default:
			if raw == "" {
				m[f.name] = nil
			} else {
				m[f.name] = raw
			}
		}
	}
	return m, nil
}

func decodeText(b []byte, utf8Declared bool) string {
	b = bytes.TrimRight(b, "\x00")
	if utf8Declared || utf8.Valid(b) {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	r := make([]rune, len(b)) // ISO 8859-1: bytes are code points
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

var (
	prjAuthorityRe = regexp.MustCompile(`AUTHORITY\["EPSG",\s*"?(\d+)"?\]\s*\]\s*$`)
	prjParamRe     = regexp.MustCompile(`(?i)PARAMETER\["([a-z_ ]+)",\s*([-0-9.eE+]+)\]`)
)

// prjSRID recognises the WKT of a .prj: SWEREF 99 TM (by name or by its
// projection parameters), WGS 84 / SWEREF 99 geographic and Web Mercator.
func prjSRID(file, wkt string) (int, error) {
	w := strings.TrimSpace(wkt)
	if m := prjAuthorityRe.FindStringSubmatch(w); m != nil {
		if code, err := strconv.Atoi(m[1]); err == nil && proj.Supported(code) {
			return code, nil
		}
	}
	up := strings.ToUpper(w)
	norm := strings.NewReplacer(" ", "", "_", "").Replace(up)
	switch {
	case strings.Contains(norm, "SWEREF99TM"):
		return proj.SWEREF99TM, nil
	case strings.Contains(norm, "PSEUDOMERCATOR") || strings.Contains(norm, "WEBMERCATOR") || strings.Contains(norm, "POPULARVISUALISATION"):
		return proj.WebMercator, nil
	case strings.HasPrefix(up, "PROJCS") && strings.Contains(up, "TRANSVERSE_MERCATOR"):
		p := map[string]float64{}
		for _, m := range prjParamRe.FindAllStringSubmatch(w, -1) {
			v, _ := strconv.ParseFloat(m[2], 64)
			p[strings.ToLower(m[1])] = v
		}
		if p["central_meridian"] == 15 && p["scale_factor"] == 0.9996 && p["false_easting"] == 500000 && p["false_northing"] == 0 {
			return proj.SWEREF99TM, nil
		}
	case strings.HasPrefix(up, "GEOGCS") && (strings.Contains(norm, "WGS1984") || strings.Contains(norm, "WGS84") || strings.Contains(norm, "SWEREF99") || strings.Contains(norm, "ETRS1989") || strings.Contains(norm, "ETRS89")):
		return proj.WGS84, nil
	}
	name := w
	if i := strings.Index(name, ","); i > 0 {
		name = name[:i]
	}
	return 0, &InputError{File: file, Problem: fmt.Sprintf("unsupported coordinate reference system %s]; expected SWEREF 99 TM (EPSG:3006), WGS 84 (EPSG:4326) or Web Mercator (EPSG:3857). Reproject with: ogr2ogr -t_srs EPSG:3006 out.shp in.shp", name), ProblemSV: fmt.Sprintf("koordinatsystemet %s] stöds inte; använd SWEREF 99 TM (EPSG:3006), WGS 84 (EPSG:4326) eller Web Mercator (EPSG:3857). Projicera om med: ogr2ogr -t_srs EPSG:3006 ut.shp in.shp", name)}
}
