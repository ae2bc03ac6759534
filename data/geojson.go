package data

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/segmap/segmap/spatial/proj"
)

// boundarySource is a boundary file read into memory, before validation.
type boundarySource struct {
	File     string
	SRID     int         // EPSG code of the coordinates
	SRIDNote problemText // how SRID was decided, when it was a guess
	Fields   []string
	Features []boundaryFeature
}

type boundaryFeature struct {
	Index int // 0-based position in the file
	Props map[string]any
	Geom  orb.Geometry
}

// crsNameRe matches the legacy GeoJSON crs names that carry an EPSG code:
// "EPSG:3006", "urn:ogc:def:crs:EPSG::3006", "urn:ogc:def:crs:EPSG:6.3:3006",
// "http://www.opengis.net/def/crs/EPSG/0/3006".
var crsNameRe = regexp.MustCompile(`(?i)^(?:epsg:|urn:ogc:def:crs:epsg:[0-9.]*:|https?://www\.opengis\.net/def/crs/epsg/[0-9.]+/)(\d+)$`)

// parseCRSName turns a legacy GeoJSON crs name into an EPSG code.
func parseCRSName(name string) (int, bool) {
	n := strings.TrimSpace(name)
	switch strings.ToLower(n) {
	case "urn:ogc:def:crs:ogc:1.3:crs84", "urn:ogc:def:crs:ogc::crs84", "crs84", "http://www.opengis.net/def/crs/ogc/1.3/crs84":
		return proj.WGS84, true
	}
	m := crsNameRe.FindStringSubmatch(n)
	if m == nil {
		return 0, false
	}
	code, err := strconv.Atoi(m[1])
	return code, err == nil
}

// Plausible extents used to guess the CRS of a GeoJSON file without a crs member.
var swerefExtent = orb.Bound{Min: orb.Point{150000, 6000000}, Max: orb.Point{1000000, 7800000}}

// readGeoJSON reads an RFC 7946 FeatureCollection (or the legacy 2008 form
// with a crs member). Without a crs member, coordinates in lon/lat range are
// taken as EPSG:4326 (RFC 7946); coordinates inside Sweden's SWEREF 99 TM
// extent are taken as EPSG:3006 (what SCB and Lantmäteriet publish), and the
// guess is recorded in SRIDNote so the report can warn about it.
func readGeoJSON(path string) (*boundarySource, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("data: read %s: %w", path, err)
	}
	src, crsName, err := decodeGeoJSON(path, b, "boundary")
	if err != nil {
		return nil, err
	}
	if crsName != "" {
		if err := src.setCRSName(crsName); err != nil {
			return nil, err
		}
		return src, nil
	}
	bd := src.bound()
	switch {
	case bd.Min[0] >= -180 && bd.Max[0] <= 180 && bd.Min[1] >= -90 && bd.Max[1] <= 90:
		src.SRID = proj.WGS84
	case swerefExtent.Contains(bd.Min) && swerefExtent.Contains(bd.Max):
		src.SRID = proj.SWEREF99TM
		src.SRIDNote = problemText{"the file has no crs member and its coordinates are metres inside Sweden's SWEREF 99 TM extent, so they were read as EPSG:3006 (probably SWEREF 99 TM) and reprojected to EPSG:4326",
			"filen har ingen crs-medlem och koordinaterna är meter inom SWEREF 99 TM:s utbredning i Sverige, så de lästes som EPSG:3006 (troligen SWEREF 99 TM) och projicerades om till EPSG:4326"}
	default:
		return nil, &InputError{File: path, Field: "crs", Problem: fmt.Sprintf("no crs member and the coordinates (bounds %v–%v) are neither lon/lat degrees nor SWEREF 99 TM metres in Sweden; reproject to EPSG:4326 (RFC 7946)", bd.Min, bd.Max),
			ProblemSV: fmt.Sprintf("ingen crs-medlem, och koordinaterna (gränser %v–%v) är varken grader (lon/lat) eller SWEREF 99 TM-meter i Sverige; projicera om till EPSG:4326 (RFC 7946)", bd.Min, bd.Max)}
	}
	return src, nil
}

// decodeGeoJSON reads the features of a FeatureCollection and the name of
// its legacy crs member ("" when it has none); the SRID is left at 4326.
// what names a feature in messages ("boundary", "site").
func decodeGeoJSON(path string, b []byte, what string) (*boundarySource, string, error) {
	var head struct {
		Type string `json:"type"`
		CRS  *struct {
			Type       string `json:"type"`
			Properties struct {
				Name string `json:"name"`
			} `json:"properties"`
		} `json:"crs"`
		Features []json.RawMessage `json:"features"`
	}
	if p := geoJSONStartProblem(b); p != "" {
		return nil, "", &InputError{File: path, Problem: p, ProblemSV: geoJSONStartProblemSV(b)}
	}
	// QGIS and Excel may write a UTF-8 byte order mark, which RFC 8259
	// lets a parser ignore and encoding/json does not.
	b = bytes.TrimPrefix(b, []byte(utf8BOM))
	if err := json.Unmarshal(b, &head); err != nil {
		p := jsonProblem(b, err)
		return nil, "", &InputError{File: path, Problem: "not valid GeoJSON: " + p.en, ProblemSV: "inte giltig GeoJSON: " + p.sv}
	}
	if head.Type != "FeatureCollection" {
		return nil, "", &InputError{File: path, Field: "type", Problem: fmt.Sprintf("GeoJSON type is %q, expected \"FeatureCollection\"", head.Type), ProblemSV: fmt.Sprintf("GeoJSON-typen är %q, ska vara \"FeatureCollection\"", head.Type)}
	}
	src := &boundarySource{File: path, SRID: proj.WGS84}
	fieldSeen := map[string]bool{}
	for i, raw := range head.Features {
		f, err := geojson.UnmarshalFeature(raw)
		if err != nil {
			return nil, "", &InputError{File: path, Place: fmt.Sprintf("feature %d", i), Problem: "not a valid GeoJSON Feature: " + err.Error(), ProblemSV: "inte ett giltigt GeoJSON-objekt (Feature): " + err.Error()}
		}
		if f.Geometry == nil {
			need := "a Polygon or MultiPolygon"
			if what == "site" {
				need = "a Polygon, MultiPolygon or Point"
			}
			return nil, "", &InputError{File: path, Place: fmt.Sprintf("feature %d", i), Field: "geometry", Problem: fmt.Sprintf("geometry is null; every %s needs %s", what, need), ProblemSV: "geometrin är null; varje objekt behöver en geometri"}
		}
		props := map[string]any(f.Properties)
		for k := range props {
			if !fieldSeen[k] {
				fieldSeen[k] = true
				src.Fields = append(src.Fields, k)
			}
		}
		src.Features = append(src.Features, boundaryFeature{Index: i, Props: props, Geom: f.Geometry})
	}
	if len(src.Features) == 0 {
		return nil, "", &InputError{File: path, Field: "features", Problem: "the FeatureCollection has no features", ProblemSV: "FeatureCollection har inga objekt"}
	}
	name := ""
	if head.CRS != nil {
		name = head.CRS.Properties.Name
		if name == "" {
			name = "(empty)"
		}
	}
	return src, name, nil
}

// setCRSName sets the SRID from a legacy GeoJSON crs name.
func (src *boundarySource) setCRSName(name string) error {
	code, ok := parseCRSName(name)
	if !ok || !proj.Supported(code) {
		return &InputError{File: src.File, Field: "crs", Problem: fmt.Sprintf("unknown coordinate reference system %q; expected EPSG:4326 (or CRS84), EPSG:3006 (SWEREF 99 TM) or EPSG:3857. Reproject with: ogr2ogr -t_srs EPSG:4326 -lco RFC7946=YES out.geojson in", name),
			ProblemSV: fmt.Sprintf("okänt koordinatsystem %q; använd EPSG:4326 (eller CRS84), EPSG:3006 (SWEREF 99 TM) eller EPSG:3857. Projicera om med: ogr2ogr -t_srs EPSG:4326 -lco RFC7946=YES ut.geojson in", name)}
	}
	src.SRID = code
	return nil
}

// bound is the bounding box of every feature's raw coordinates.
func (src *boundarySource) bound() orb.Bound {
	var bd orb.Bound
	for i, f := range src.Features {
		if i == 0 {
			bd = f.Geom.Bound()
		} else {
			bd = bd.Union(f.Geom.Bound())
		}
	}
	return bd
}

// jsonProblem describes a JSON decoding error with its line and column, in
// English and Swedish.
func jsonProblem(b []byte, err error) problemText {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var off int64 = -1
	switch {
	case errors.As(err, &syn):
		off = syn.Offset
	case errors.As(err, &typ):
		off = typ.Offset
	}
	if off < 1 || off > int64(len(b)) {
		return problemText{"cannot be decoded: " + err.Error(), "kan inte avkodas: " + err.Error()}
	}
	// The error comes after reading off bytes: the byte at fault is the last.
	at := off - 1
	line := 1 + strings.Count(string(b[:at]), "\n")
	col := at - int64(strings.LastIndexByte(string(b[:at]), '\n'))
	return problemText{fmt.Sprintf("line %d, column %d: %v", line, col, err),
		fmt.Sprintf("fel på rad %d, kolumn %d: %v", line, col, err)}
}

// utf8BOM is the UTF-8 byte order mark, which Windows programs put first.
const utf8BOM = "\xef\xbb\xbf"

// isUTF16 reports whether b looks like UTF-16 text: a UTF-16 byte order
// mark, or an ASCII first character next to a zero byte (UTF-16 without a
// mark, as some Windows tools save).
func isUTF16(b []byte) bool {
	if len(b) < 2 {
		return false
	}
	if bytes.HasPrefix(b, []byte{0xFF, 0xFE}) || bytes.HasPrefix(b, []byte{0xFE, 0xFF}) {
		return true
	}
	return (b[0] == 0) != (b[1] == 0) && b[0] < 0x80 && b[1] < 0x80
}

// geoJSONStartProblem says what is wrong with the start of a file meant to
// be GeoJSON, "" when it starts as a JSON object (whose content
// decodeGeoJSON checks).
func geoJSONStartProblem(b []byte) string {
	if isUTF16(b) {
		return "the file is UTF-16 text: save it as UTF-8 (e.g. in Notepad: Save as, Encoding UTF-8) and upload it again"
	}
	trim := bytes.TrimLeft(bytes.TrimPrefix(b, []byte(utf8BOM)), " \t\r\n")
	switch {
	case len(trim) == 0:
		return "the file is empty or only white space; expected a GeoJSON FeatureCollection"
	case trim[0] == '{':
		return ""
	case trim[0] == '[':
		return `not valid GeoJSON: the file is a JSON array, not a FeatureCollection; wrap the features as {"type": "FeatureCollection", "features": [...]}`
	}
	start := trim[:min(len(trim), 16)]
	return fmt.Sprintf("not valid GeoJSON: the file does not start with '{' (it starts with %q); expected a FeatureCollection object", start)
}

// geoJSONStartProblemSV is geoJSONStartProblem in Swedish.
func geoJSONStartProblemSV(b []byte) string {
	if isUTF16(b) {
		return "filen är UTF-16-text: spara den som UTF-8 (t.ex. i Anteckningar: Spara som, kodning UTF-8) och ladda upp den igen"
	}
	trim := bytes.TrimLeft(bytes.TrimPrefix(b, []byte(utf8BOM)), " \t\r\n")
	switch {
	case len(trim) == 0:
		return "filen är tom eller innehåller bara blanktecken; en GeoJSON FeatureCollection väntades"
	case trim[0] == '[':
		return `inte giltig GeoJSON: filen är en JSON-lista, inte en FeatureCollection; lägg objekten i {"type": "FeatureCollection", "features": [...]}`
	}
	start := trim[:min(len(trim), 16)]
	return fmt.Sprintf("inte giltig GeoJSON: filen börjar inte med '{' (den börjar med %q); ett FeatureCollection-objekt väntades", start)
}
