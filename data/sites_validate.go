package data

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/paulmach/orb/project"

	"github.com/segmap/segmap/spatial/clean"
	"github.com/segmap/segmap/spatial/proj"
)

// Validation of uploaded site files: reading the parsed features' geometry
// and attributes (name, dwellings, tenure, year) into Sites and a SiteReport.
// Storing them is ImportSites, in sites.go.

// simplifyHint is how to bring a detailed outline under the vertex caps.
const simplifyHint = "simplify the geometry in QGIS (Förenkla geometrin: Vector > Geometry Tools > Simplify, tolerance 0.5–1 m)"

// Text limits of a site upload: every text a layer keeps is bounded, so a
// name of megabytes cannot make each summary and download that size.
const (
	SiteMaxNameRunes      = 500      // a site's name
	SiteMaxTextRunes      = 2000     // any other attribute value (text, or the JSON of a list or object)
	SiteMaxFields         = 200      // distinct attribute names in a layer
	SiteMaxFieldNameRunes = 200      // one attribute name
	SiteMaxLayerTextBytes = 32 << 20 // all attribute names and values of a layer, in UTF-8
)

// checkSiteText refuses a layer with more attributes, or longer names,
// attribute names or values, than the Site… text limits allow. nameField
// is the attribute read as the site's name.
func checkSiteText(ctx context.Context, src *boundarySource, nameField string) error {
	file := src.File
	if len(src.Fields) > SiteMaxFields {
		return &InputError{File: file, Problem: fmt.Sprintf("%d attribute fields, more than the limit of %d per layer; remove the attributes the sites do not need", len(src.Fields), SiteMaxFields), ProblemSV: fmt.Sprintf("%d attributfält, fler än gränsen på %d per lager; ta bort attribut som platserna inte behöver", len(src.Fields), SiteMaxFields)}
	}
	for _, k := range src.Fields {
		if n := utf8.RuneCountInString(k); n > SiteMaxFieldNameRunes {
			return &InputError{File: file, Field: shortText(k), Problem: fmt.Sprintf("an attribute name of %d characters, more than the limit of %d", n, SiteMaxFieldNameRunes), ProblemSV: fmt.Sprintf("ett attributnamn på %d tecken, fler än gränsen på %d", n, SiteMaxFieldNameRunes)}
		}
	}
	var total int
	for n, f := range src.Features {
		if n%256 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		for k, v := range f.Props {
			runes, size := textSize(v)
			limit, what := SiteMaxTextRunes, "the value"
			if k == nameField {
				limit, what = SiteMaxNameRunes, "the name"
			}
			if runes > limit {
				return &InputError{File: file, Place: fmt.Sprintf("feature %d", f.Index), Field: shortText(k), Problem: fmt.Sprintf("%s has %d characters, more than the limit of %d; shorten it", what, runes, limit), ProblemSV: fmt.Sprintf("%s har %d tecken, fler än gränsen på %d; korta det", what, runes, limit)}
			}
			total += size + len(k)
		}
		if total > SiteMaxLayerTextBytes {
			return &InputError{File: file, Place: fmt.Sprintf("feature %d", f.Index), Problem: fmt.Sprintf("the attributes of the sites up to here hold more than %d MiB of text, the limit per layer; remove attributes the sites do not need or split the file", SiteMaxLayerTextBytes>>20), ProblemSV: fmt.Sprintf("platsernas attribut hittills har mer än %d MiB text, gränsen per lager; ta bort attribut som platserna inte behöver eller dela upp filen", SiteMaxLayerTextBytes>>20)}
		}
	}
	return nil
}

// textSize is the length of an attribute value as kept: characters and
// UTF-8 bytes of text, of the JSON of a list or object.
func textSize(v any) (runes, size int) {
	switch x := v.(type) {
	case nil, bool, float64, float32, int, int64:
		return 0, 8
	case string:
		return utf8.RuneCountInString(x), len(x)
	case []byte:
		return utf8.RuneCount(x), len(x)
	}
	b, err := json.Marshal(v)
	if err != nil {
		s := fmt.Sprint(v)
		return utf8.RuneCountInString(s), len(s)
	}
	return utf8.RuneCount(b), len(b)
}

// shortText is s cut to 60 characters, for messages.
func shortText(s string) string {
	if utf8.RuneCountInString(s) <= 60 {
		return s
	}
	r := []rune(s)
	return string(r[:60]) + "…"
}

// vertexCount is the number of coordinates of g.
func vertexCount(g orb.Geometry) int {
	switch v := g.(type) {
	case orb.Point:
		return 1
	case orb.MultiPoint:
		return len(v)
	case orb.LineString:
		return len(v)
	case orb.MultiLineString:
		n := 0
		for _, l := range v {
			n += len(l)
		}
		return n
	case orb.Ring:
		return len(v)
	case orb.Polygon:
		n := 0
		for _, r := range v {
			n += len(r)
		}
		return n
	case orb.MultiPolygon:
		n := 0
		for _, p := range v {
			n += vertexCount(p)
		}
		return n
	case orb.Collection:
		n := 0
		for _, x := range v {
			n += vertexCount(x)
		}
		return n
	}
	return 0
}

// Attribute names recognised (case-insensitively, in this order).
var (
	siteNameFields      = []string{"name", "namn", "projektnamn", "projekt", "project", "site", "titel", "title", "benamning", "benämning"}
	siteDwellingsFields = []string{"dwellings", "bostader", "bostäder", "antal_bostader", "antal_bostäder", "lagenheter", "lägenheter", "antal_lgh", "lgh", "planned_dwellings", "homes", "units"}
	siteTenureFields    = []string{"tenure", "upplatelseform", "upplåtelseform", "upplatelse", "upplåtelse", "uppl_form", "tenure_type"}
	siteYearFields      = []string{"year", "ar", "år", "inflyttning", "inflyttningsar", "inflyttningsår", "inflyttnin", "completion_year", "klar", "klart"}
)

// ParseTenure maps Swedish and English tenure words to a tenure id.
func ParseTenure(s string) (string, bool) {
	n := strings.ToLower(strings.TrimSpace(s))
	n = strings.NewReplacer("ä", "a", "å", "a", "ö", "o", "-", "_", " ", "_").Replace(n)
	switch n {
	case "":
		return "", true
	case "hyresratt", "hyresratter", "hyra", "hr", "rental", "rent", "rented", "rental_dwelling":
		return TenureRental, true
	case "bostadsratt", "bostadsratter", "br", "tenant_owned", "tenantowned", "cooperative", "co_op", "coop", "condominium":
		return TenureTenantOwned, true
	case "aganderatt", "aganderatter", "agander", "ar", "owner_occupied", "owneroccupied", "owned", "ownership", "freehold":
		return TenureOwnerOccupied, true
	}
	return "", false
}

// SiteReport says what an import did (or would do).
type SiteReport struct {
	File       string   `json:"file"`
	Sites      int      `json:"sites"`
	SourceSRID int      `json:"source_srid"`
	Fields     []string `json:"fields"`
	NameField  string   `json:"name_field,omitempty"`
	Dwellings  string   `json:"dwellings_field,omitempty"`
	Tenure     string   `json:"tenure_field,omitempty"`
	Year       string   `json:"year_field,omitempty"`
	Notes      []string `json:"notes,omitempty"` // repairs and guesses, e.g. "wrong_winding fixed"; English until Localise

	notesEN, notesSV []string
}

// Localise says the notes in lang ("sv" or "en"; English until called).
func (r *SiteReport) Localise(lang string) {
	if r.notesEN == nil {
		r.notesEN = r.Notes
	}
	if lang == "en" {
		r.Notes = r.notesEN
	} else {
		r.Notes = r.notesSV
	}
}

// ValidateSites reads and checks a site file like ImportSites but writes nothing.
func ValidateSites(ctx context.Context, file string, body []byte, opts SiteOptions) ([]Site, *SiteReport, error) {
	opts.defaults()
	src, err := readSiteSource(ctx, file, body, opts)
	if err != nil {
		return nil, &SiteReport{File: file}, err
	}
	return prepareSites(ctx, src, opts)
}

func prepareSites(ctx context.Context, src *boundarySource, opts SiteOptions) ([]Site, *SiteReport, error) {
	file := src.File
	rep := &SiteReport{File: file, SourceSRID: src.SRID, Fields: src.Fields}
	if src.SRIDNote.en != "" {
		rep.Notes = append(rep.Notes, src.SRIDNote.en)
		rep.notesSV = append(rep.notesSV, src.SRIDNote.sv)
	}
	if len(src.Features) > opts.MaxFeatures {
		return nil, rep, &InputError{File: file, Problem: fmt.Sprintf("%d sites, more than the limit of %d per layer; split the file", len(src.Features), opts.MaxFeatures), ProblemSV: fmt.Sprintf("%d platser, fler än gränsen på %d per lager; dela upp filen", len(src.Features), opts.MaxFeatures)}
	}
	toWGS, err := proj.Func(src.SRID, proj.WGS84)
	if err != nil {
		return nil, rep, &InputError{File: file, Field: "crs", Problem: fmt.Sprintf("coordinate reference system EPSG:%d is not supported; expected EPSG:4326, EPSG:3006 (SWEREF 99 TM) or EPSG:3857. Reproject with ogr2ogr -t_srs EPSG:3006", src.SRID), ProblemSV: fmt.Sprintf("koordinatsystemet EPSG:%d stöds inte; använd EPSG:4326, EPSG:3006 (SWEREF 99 TM) eller EPSG:3857. Projicera om med ogr2ogr -t_srs EPSG:3006", src.SRID)}
	}
	rep.NameField = pickField(src.Fields, siteNameFields)
	rep.Dwellings = pickField(src.Fields, siteDwellingsFields)
	rep.Tenure = pickField(src.Fields, siteTenureFields)
	rep.Year = pickField(src.Fields, siteYearFields)
	if err := checkSiteText(ctx, src, rep.NameField); err != nil {
		return nil, rep, err
	}
	// Vertex caps first: the overlay's cost grows with the vertices, and a
	// survey-grade outline of 200,000 vertices gains nothing at 0.5 m.
	total := 0
	for _, f := range src.Features {
		nv := vertexCount(f.Geom)
		if nv > opts.MaxSiteVertices {
			place := fmt.Sprintf("feature %d", f.Index)
			if rep.NameField != "" {
				if nm := strings.TrimSpace(boundaryName(f.Props[rep.NameField])); nm != "" {
					place += fmt.Sprintf(" (%q)", shortText(nm))
				}
			}
			return nil, rep, &InputError{File: file, Place: place, Field: "geometry", Problem: fmt.Sprintf("the site has %d vertices, more than the limit of %d per site; %s", nv, opts.MaxSiteVertices, simplifyHint), ProblemSV: fmt.Sprintf("platsen har %d hörnpunkter, fler än gränsen på %d per plats; förenkla geometrin (t.ex. i QGIS: Vektor > Geometriverktyg > Förenkla)", nv, opts.MaxSiteVertices)}
		}
		total += nv
	}
	if total > opts.MaxLayerVertices {
		return nil, rep, &InputError{File: file, Field: "geometry", Problem: fmt.Sprintf("the sites have %d vertices in all, more than the limit of %d per upload; %s, or split the file", total, opts.MaxLayerVertices, simplifyHint), ProblemSV: fmt.Sprintf("platserna har sammanlagt %d hörnpunkter, fler än gränsen på %d per uppladdning; förenkla geometrin eller dela upp filen", total, opts.MaxLayerVertices)}
	}
	var fixed tally
	sites := make([]Site, 0, len(src.Features))
	for n, f := range src.Features {
		if n%64 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, rep, err
			}
		}
		place := fmt.Sprintf("feature %d", f.Index)
		st := Site{Props: map[string]any{}}
		if rep.NameField != "" {
			st.Name = strings.TrimSpace(boundaryName(f.Props[rep.NameField]))
			if st.Name != "" {
				place += fmt.Sprintf(" (%q)", shortText(st.Name))
			}
		}
		if st.Name == "" {
			st.Name = fmt.Sprintf("%d", f.Index+1)
		}
		if rep.Dwellings != "" {
			v, p := siteInt(f.Props[rep.Dwellings], 0, 1000000)
			if p != nil {
				return nil, rep, &InputError{File: file, Place: place, Field: rep.Dwellings, Problem: "planned dwellings " + p.en + "; expected a whole number of dwellings (0–1,000,000) or empty", ProblemSV: "planerade bostäder: " + p.sv + "; ange antalet bostäder som ett heltal (0–1 000 000) eller lämna fältet tomt"}
			}
			st.Dwellings = v
		}
		if rep.Tenure != "" {
			raw := boundaryName(f.Props[rep.Tenure])
			t, ok := ParseTenure(raw)
			if !ok {
				return nil, rep, &InputError{File: file, Place: place, Field: rep.Tenure, Problem: fmt.Sprintf("unknown tenure %q; expected hyresrätt, bostadsrätt or äganderätt (or rental, tenant-owned, owner-occupied)", raw), ProblemSV: fmt.Sprintf("okänd upplåtelseform %q; använd hyresrätt, bostadsrätt eller äganderätt", raw)}
			}
			st.Tenure = t
		}
		if rep.Year != "" {
			v, p := siteInt(f.Props[rep.Year], 1900, 2200)
			if p != nil {
				return nil, rep, &InputError{File: file, Place: place, Field: rep.Year, Problem: "year " + p.en + "; expected a year such as 2028, or empty", ProblemSV: "år: " + p.sv + "; ange ett årtal som 2028, eller lämna fältet tomt"}
			}
			st.Year = v
		}
		for k, v := range f.Props {
			if k == rep.NameField || k == rep.Dwellings || k == rep.Tenure || k == rep.Year || strings.EqualFold(k, "fid") {
				continue
			}
			if fl, ok := v.(float64); ok && (math.IsNaN(fl) || math.IsInf(fl, 0)) {
				v = nil
			}
			if bs, ok := v.([]byte); ok {
				v = string(bs)
			}
			if s, ok := v.(string); ok && !utf8.ValidString(s) {
				v = strings.ToValidUTF8(s, "\uFFFD")
			}
			st.Props[k] = v
		}
		g, notes, err := siteGeometry(file, place, f.Geom, src.SRID)
		if err != nil {
			return nil, rep, err
		}
		for _, nt := range notes {
			fixed.add(nt, place)
		}
		wgs := g
		if src.SRID != proj.WGS84 {
			wgs = project.Geometry(orb.Clone(g), toWGS)
		}
		if !inSweden(wgs.Bound()) {
			hint := crsHint(g.Bound(), src.SRID)
			return nil, rep, &InputError{File: file, Place: place, Field: "geometry", Problem: hint.en, ProblemSV: hint.sv}
		}
		sw := g
		if src.SRID != proj.SWEREF99TM {
			sw = project.Geometry(orb.Clone(wgs), proj.WGS84ToSweref)
		}
		st.Geometry, st.Sweref = wgs, sw
		st.AreaM2 = planar.Area(sw)
		sites = append(sites, st)
	}
	rep.Sites = len(sites)
	rep.Notes = append(rep.Notes, fixed.lines()...)
	rep.notesSV = append(rep.notesSV, fixed.linesSV()...)
	return sites, rep, nil
}

// siteGeometry checks one site geometry in its source CRS: points, or
// polygons repaired where that is safe (closing, duplicate points, winding,
// empty holes — reported as notes) and refused with the coordinate where
// it is not (self-intersections).
func siteGeometry(file, place string, g orb.Geometry, srid int) (orb.Geometry, []problemText, error) {
	bad := func(problem, problemSV string) error {
		return &InputError{File: file, Place: place, Field: "geometry", Problem: problem, ProblemSV: problemSV}
	}
	switch v := g.(type) {
	case orb.Point:
		if !finitePoint(v) {
			return nil, nil, bad("the point has a NaN or infinite coordinate", "punkten har en koordinat som inte är ett ändligt tal (NaN eller oändlig)")
		}
		return v, nil, nil
	case orb.MultiPoint:
		if len(v) == 1 && finitePoint(v[0]) {
			return v[0], []problemText{{"a MultiPoint of one point was read as a Point", "en MultiPoint med en punkt lästes som en Point"}}, nil
		}
		return nil, nil, bad(fmt.Sprintf("a MultiPoint of %d points; give each planned building its own Point feature", len(v)),
			fmt.Sprintf("en MultiPoint med %d punkter; ge varje planerad byggnad ett eget objekt av typen Point", len(v)))
	case orb.Polygon, orb.MultiPolygon:
		mp, _ := v.(orb.MultiPolygon)
		if p, ok := v.(orb.Polygon); ok {
			mp = orb.MultiPolygon{p}
		}
		cleaned, issues := clean.MultiPolygon(orb.Clone(mp).(orb.MultiPolygon), clean.Options{})
		var notes []problemText
		seen := map[string]bool{}
		for _, is := range issues {
			if !is.Fixed {
				// The Swedish text leaves out clean's English detail: the
				// coordinate, polygon and ring already say where.
				return nil, nil, bad(fmt.Sprintf("%s at (%.10g, %.10g) in EPSG:%d (polygon %d, ring %d): %s; this cannot be repaired safely. Fix it in QGIS (Vector > Geometry Tools > Fix Geometries) or with ogr2ogr -makevalid",
					issueText(is.Kind).en, is.Coord[0], is.Coord[1], srid, is.Polygon, is.Ring, is.Detail),
					fmt.Sprintf("%s vid (%.10g, %.10g) i EPSG:%d (polygon %d, ring %d); det går inte att laga på ett säkert sätt. Laga geometrin i QGIS (Vektor > Geometriverktyg > Laga geometrier) eller med ogr2ogr -makevalid",
						issueText(is.Kind).sv, is.Coord[0], is.Coord[1], srid, is.Polygon, is.Ring))
			}
			what := fmt.Sprintf("repaired: %s: %s", issueText(is.Kind).en, is.Detail)
			if !seen[what] {
				seen[what] = true
				notes = append(notes, problemText{what, "lagat: " + repairSV(is.Kind, is.Detail)})
			}
		}
		if len(cleaned) == 0 {
			return nil, nil, bad("the polygon is empty after removing degenerate rings", "polygonen är tom när ringar utan yta har tagits bort")
		}
		if len(cleaned) == 1 {
			return cleaned[0], notes, nil
		}
		return cleaned, notes, nil
	case nil:
		return nil, nil, bad("no geometry; every site needs a Polygon, MultiPolygon or Point", "geometri saknas; varje plats behöver en Polygon, MultiPolygon eller Point")
	}
	return nil, nil, bad(fmt.Sprintf("geometry is a %s; sites must be Polygon, MultiPolygon or Point (a planned area or a single building)", geomTypeName(g)),
		fmt.Sprintf("geometrin är av typen %s; en plats ska vara Polygon, MultiPolygon eller Point (ett planerat område eller en enskild byggnad)", geomTypeName(g)))
}

func finitePoint(p orb.Point) bool {
	return !math.IsNaN(p[0]) && !math.IsNaN(p[1]) && !math.IsInf(p[0], 0) && !math.IsInf(p[1], 0)
}

// siteInt reads a whole number from a property (number or text, Swedish
// digit grouping allowed); nil/empty is nil. A value that is not one is a
// problem in English and Swedish ("\"x\" is not a number").
func siteInt(v any, lo, hi int) (*int, *problemText) {
	var f float64
	switch x := v.(type) {
	case nil:
		return nil, nil
	case float64:
		f = x
	case int64:
		f = float64(x)
	case int:
		f = float64(x)
	case string:
		s := strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", ",", ".").Replace(strings.TrimSpace(x))
		if s == "" {
			return nil, nil
		}
		p, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, &problemText{fmt.Sprintf("%q is not a number", x), fmt.Sprintf("%q är inte ett tal", x)}
		}
		f = p
	default:
		return nil, &problemText{fmt.Sprintf("%v is not a number", v), fmt.Sprintf("%v är inte ett tal", v)}
	}
	if f != math.Trunc(f) || f < float64(lo) || f > float64(hi) {
		return nil, &problemText{fmt.Sprintf("%v is not a whole number between %d and %d", f, lo, hi), fmt.Sprintf("%v är inte ett heltal mellan %d och %d", f, lo, hi)}
	}
	n := int(f)
	return &n, nil
}

// issueWords are the geometry problems in words, English and Swedish (the
// clean package's kinds are codes such as "self_intersection").
var issueWords = map[clean.Kind]problemText{
	clean.SelfIntersection: {"the polygon crosses itself", "polygonen korsar sig själv"},
	clean.EmptyRing:        {"an empty ring", "en tom ring"},
	clean.Unclosed:         {"an unclosed ring", "en ring som inte är sluten"},
	clean.TooFewPoints:     {"a ring with fewer than 3 distinct points", "en ring med färre än 3 olika punkter"},
	clean.WrongWinding:     {"a ring wound the wrong way", "en ring med fel riktning"},
	clean.DuplicatePoint:   {"a repeated point", "en upprepad punkt"},
	clean.ZeroArea:         {"a ring without area", "en ring utan yta"},
	clean.Empty:            {"an empty geometry", "en tom geometri"},
	clean.NotFinite:        {"a NaN or infinite coordinate", "en koordinat som inte är ett ändligt tal (NaN eller oändlig)"},
}

// cleanDetails are the clean package's details of repairs, in Swedish.
var cleanDetails = []struct {
	re *regexp.Regexp
	sv string
}{
	{regexp.MustCompile(`^reversed to counter-clockwise`), "vänd till moturs (RFC 7946)"},
	{regexp.MustCompile(`^reversed to clockwise`), "vänd till medurs (RFC 7946)"},
	{regexp.MustCompile(`^closed by repeating the first point$`), "sluten genom att första punkten upprepades"},
	{regexp.MustCompile(`^(\d+) consecutive duplicate point\(s\) removed$`), "borttagna upprepade punkter i följd: $1"},
	{regexp.MustCompile(`^hole with (\d+) distinct point\(s\) dropped$`), "ett hål med $1 olika punkter borttaget"},
	{regexp.MustCompile(`^empty hole dropped$`), "ett tomt hål borttaget"},
	{regexp.MustCompile(`^polygon with an empty exterior ring dropped$`), "en polygon med tom yttre ring borttagen"},
	{regexp.MustCompile(`^hole without area dropped$`), "ett hål utan yta borttaget"},
	{regexp.MustCompile(`hole dropped$`), "hålet borttaget"},
}

// repairSV is a repair of the clean package in Swedish: the problem and,
// when known, what was done.
func repairSV(k clean.Kind, detail string) string {
	for _, d := range cleanDetails {
		if d.re.MatchString(detail) {
			return issueText(k).sv + ": " + d.re.ReplaceAllString(d.re.FindString(detail), d.sv)
		}
	}
	return issueText(k).sv
}

// issueText is a geometry problem in words.
func issueText(k clean.Kind) problemText {
	if w, ok := issueWords[k]; ok {
		return w
	}
	return problemText{strings.ReplaceAll(string(k), "_", " "), "geometrifel (" + string(k) + ")"}
}
