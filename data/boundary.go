package data

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"

	"github.com/segmap/segmap/internal/fault"
	"github.com/segmap/segmap/spatial/clean"
	"github.com/segmap/segmap/spatial/proj"
)

// BoundaryOptions configure ImportBoundaries and ValidateBoundaries.
type BoundaryOptions struct {
	// Level is the level id and the feature table name (deso, regso, kommun,
	// lan or a custom/overlay id: lower-case letters, digits, '_').
	Level string
	// Kind of a new level; "" = builtin for the built-in ids, custom otherwise.
	Kind                     LevelKind
	LevelNameSV, LevelNameEN string
	// CodeField and NameField name the properties; "" = auto-detect
	// (deso, desokod, regsokod, kommunkod, kommun_kod, lan_kod, county_code,
	// l_id, code, id ...; name, namn, regsonamn, kommunnamn, ...).
	CodeField, NameField string
	// Layer is the GeoPackage layer; "" = the only feature layer.
	Layer string
	// Filter keeps only features whose code it accepts (nil: all).
	Filter func(code string) bool
	// Progress is called as features are processed.
	Progress func(done, total int)
	// DropInvalidHoles drops holes that self-intersect or cross another ring
	// instead of rejecting the file (listed in BoundaryReport.Repaired).
	// Self-intersecting exterior rings are always rejected.
	DropInvalidHoles bool
	// Complete, for a DeSO import (Level deso), completes the store in the
	// import's transaction (see CompleteOptions); nil: the DeSO only.
	Complete *CompleteOptions
}

// BoundaryReport says what an import did (or would do).
type BoundaryReport struct {
	File       string    `json:"file"`
	Level      string    `json:"level"`
	Features   int       `json:"features"`
	SourceSRID int       `json:"source_srid"`
	CodeField  string    `json:"code_field"`
	NameField  string    `json:"name_field,omitempty"`
	Fixed      []string  `json:"fixed,omitempty"`    // small repairs: winding, closing, duplicate points, zero-padding
	Repaired   []string  `json:"repaired,omitempty"` // rings dropped
	Warnings   []string  `json:"warnings,omitempty"`
	Bounds     orb.Bound `json:"-"` // WGS 84
	// Completed says what a DeSO import with BoundaryOptions.Complete
	// added besides the DeSO (nil without).
	Completed *CompletionReport `json:"completed,omitempty"`

	// Fixed, Repaired and Warnings in Swedish (for the data page).
	fixedSV, repairedSV, warningsSV []string
}

// boundaryArea is one validated feature ready to write.
type boundaryArea struct {
	Area
	MP orb.MultiPolygon // WGS 84
}

// Limits of a zipped boundary file.
const (
	BoundaryMaxExpandedBytes = 1 << 30 // [1 GiB] what a zip may expand to
	BoundaryMaxFeatures      = 100000  // [100,000] features of a zipped Shapefile
)

var boundaryLevelRe = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

func checkBoundaryLevel(level string) error {
	if !boundaryLevelRe.MatchString(level) ||
		strings.HasPrefix(level, "gpkg_") || strings.HasPrefix(level, "segmap_") || strings.HasPrefix(level, "rtree_") {
		return fault.Wrap(fault.Invalid, ErrInvalid, "level id %q: use lower-case letters a–z, digits and _, a letter first, at most 40 characters (no gpkg_, segmap_ or rtree_ prefix)", level).
			Sv("nivåns id %q: använd små bokstäver a–z, siffror och _, med en bokstav först och högst 40 tecken (inte gpkg_, segmap_ eller rtree_ i början)", level)
	}
	return nil
}

// ValidateBoundaries reads and checks a boundary file like ImportBoundaries
// but writes nothing.
func (s *Store) ValidateBoundaries(ctx context.Context, path string, opts BoundaryOptions) (*BoundaryReport, error) {
	rep, _, err := prepareBoundaries(ctx, path, opts)
	return rep, err
}

// ImportBoundaries reads a GeoJSON or GeoPackage boundary file, validates and
// repairs it (see package spatial/clean), reprojects it to WGS 84 and
// replaces the level's feature table, its areas in segmap_areas and its
// segmap_levels row in one transaction. Any bad input is an *InputError and
// nothing is written.
func (s *Store) ImportBoundaries(ctx context.Context, path string, opts BoundaryOptions) (*BoundaryReport, error) {
	rep, areas, err := prepareBoundaries(ctx, path, opts)
	if err != nil {
		return rep, err
	}
	ref, err := opts.parseCompletion(ctx)
	if err != nil {
		return rep, err
	}
	err = s.Update(ctx, func(tx *Tx) error { return tx.importBoundaries(ctx, opts, rep, areas, ref) })
	if err != nil {
		return rep, err
	}
	return rep, nil
}

func readBoundarySource(ctx context.Context, path, layer string) (*boundarySource, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".geojson", ".json":
		return readGeoJSON(path)
	case ".gpkg":
		return readBoundaryGeoPackage(ctx, path, layer)
	case ".zip":
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("data: %w", err)
		}
		opts := SiteOptions{Layer: layer, MaxExpandedBytes: BoundaryMaxExpandedBytes, MaxFeatures: BoundaryMaxFeatures}
		opts.defaults()
		return readSiteZip(ctx, filepath.Base(path), b, opts)
	}
	return nil, &InputError{File: path, Problem: fmt.Sprintf("%v %q: expected .geojson, .json, .gpkg or .zip (a zipped Shapefile)", errNoSource, filepath.Ext(path)),
		ProblemSV: fmt.Sprintf("filtypen %q kan inte läsas: välj .geojson, .json, .gpkg eller .zip (en zippad Shapefile)", filepath.Ext(path))}
}

// tally collects repeated notes as "what: n features (first: feature i code c)",
// in English and Swedish.
type tally struct {
	order []string
	count map[string]int
	first map[string]string
	sv    map[string]string // what in Swedish
}

func (t *tally) add(what problemText, where string) {
	if t.count == nil {
		t.count, t.first, t.sv = map[string]int{}, map[string]string{}, map[string]string{}
	}
	if t.count[what.en] == 0 {
		t.order = append(t.order, what.en)
		t.first[what.en] = where
		t.sv[what.en] = what.sv
	}
	t.count[what.en]++
}

// lines are the notes in English.
func (t *tally) lines() []string {
	var out []string
	for _, w := range t.order {
		if t.count[w] == 1 {
			out = append(out, fmt.Sprintf("%s (%s)", w, t.first[w]))
		} else {
			out = append(out, fmt.Sprintf("%s: %d features (first: %s)", w, t.count[w], t.first[w]))
		}
	}
	return out
}

// linesSV are the notes in Swedish.
func (t *tally) linesSV() []string {
	var out []string
	for _, w := range t.order {
		if t.count[w] == 1 {
			out = append(out, fmt.Sprintf("%s (%s)", t.sv[w], PlaceSV(t.first[w])))
		} else {
			out = append(out, fmt.Sprintf("%s: %d objekt (första: %s)", t.sv[w], t.count[w], PlaceSV(t.first[w])))
		}
	}
	return out
}

func prepareBoundaries(ctx context.Context, path string, opts BoundaryOptions) (*BoundaryReport, []boundaryArea, error) {
	rep := &BoundaryReport{File: path, Level: opts.Level}
	if err := checkBoundaryLevel(opts.Level); err != nil {
		return rep, nil, err
	}
	src, err := readBoundarySource(ctx, path, opts.Layer)
	if err != nil {
		return rep, nil, err
	}
	return prepareBoundarySource(ctx, path, src, opts)
}

// prepareBoundarySource validates and reprojects a boundary file already read.
func prepareBoundarySource(ctx context.Context, path string, src *boundarySource, opts BoundaryOptions) (*BoundaryReport, []boundaryArea, error) {
	rep := &BoundaryReport{File: path, Level: opts.Level}
	if err := checkBoundaryLevel(opts.Level); err != nil {
		return rep, nil, err
	}
	rep.SourceSRID = src.SRID
	if src.SRIDNote.en != "" {
		rep.Warnings = append(rep.Warnings, src.SRIDNote.en)
		rep.warningsSV = append(rep.warningsSV, src.SRIDNote.sv)
	}
	toWGS, err := proj.Func(src.SRID, proj.WGS84)
	if err != nil {
		return rep, nil, &InputError{File: path, Field: "srs_id", Problem: fmt.Sprintf("coordinate reference system EPSG:%d is not supported; expected EPSG:4326, EPSG:3006 (SWEREF 99 TM) or EPSG:3857. Reproject with ogr2ogr -t_srs EPSG:4326", src.SRID),
			ProblemSV: fmt.Sprintf("koordinatsystemet EPSG:%d stöds inte; använd EPSG:4326, EPSG:3006 (SWEREF 99 TM) eller EPSG:3857. Projicera om med ogr2ogr -t_srs EPSG:4326", src.SRID)}
	}
	codeField := opts.CodeField
	if codeField == "" {
		codeField = pickField(src.Fields, codeFieldCandidates(opts.Level))
		if codeField == "" {
			return rep, nil, &InputError{File: path, Problem: fmt.Sprintf("no code field found among %s; tried %s. Name the field with the code option", strings.Join(src.Fields, ", "), strings.Join(codeFieldCandidates(opts.Level), ", ")),
				ProblemSV: fmt.Sprintf("hittade inget kodfält bland %s; prövade %s. Ange fältet med koden", strings.Join(src.Fields, ", "), strings.Join(codeFieldCandidates(opts.Level), ", "))}
		}
	} else if f := pickField(src.Fields, []string{codeField}); f != "" {
		codeField = f
	} else {
		return rep, nil, &InputError{File: path, Field: codeField, Problem: fmt.Sprintf("no such field; the file has %s", strings.Join(src.Fields, ", ")),
			ProblemSV: fmt.Sprintf("fältet finns inte; filen har %s", strings.Join(src.Fields, ", "))}
	}
	nameField := opts.NameField
	if nameField == "" {
		nameField = pickField(src.Fields, nameFieldCandidates(opts.Level))
	} else if f := pickField(src.Fields, []string{nameField}); f != "" {
		nameField = f
	} else {
		return rep, nil, &InputError{File: path, Field: nameField, Problem: fmt.Sprintf("no such field; the file has %s", strings.Join(src.Fields, ", ")),
			ProblemSV: fmt.Sprintf("fältet finns inte; filen har %s", strings.Join(src.Fields, ", "))}
	}
	rep.CodeField, rep.NameField = codeField, nameField

	var fixed, repaired tally
	seen := map[string]int{}
	ids := map[int64]string{}
	areas := make([]boundaryArea, 0, len(src.Features))
	total := len(src.Features)
	for n, f := range src.Features {
		if n%64 == 0 {
			if err := ctx.Err(); err != nil {
				return rep, nil, err
			}
		}
		place := fmt.Sprintf("feature %d", f.Index)
		code, note, err := boundaryCode(path, place, opts.Level, codeField, f.Props[codeField])
		if err != nil {
			return rep, nil, err
		}
		if note.en != "" {
			fixed.add(note, place)
		}
		place = fmt.Sprintf("feature %d (code %s)", f.Index, code)
		if opts.Filter != nil && !opts.Filter(code) {
			continue
		}
		if prev, dup := seen[code]; dup {
			return rep, nil, &InputError{File: path, Place: place, Field: codeField, Problem: fmt.Sprintf("duplicate code %q, also in feature %d; each area must appear once (dissolve multi-part areas into one MultiPolygon)", code, prev),
				ProblemSV: fmt.Sprintf("koden %q finns två gånger, även i objekt %d; varje område får bara finnas en gång (slå ihop områden i flera delar till en MultiPolygon)", code, prev)}
		}
		seen[code] = f.Index
		id := FeatureID(code)
		if other, clash := ids[id]; clash {
			return rep, nil, &InputError{File: path, Place: place, Field: codeField, Problem: fmt.Sprintf("feature id collision between codes %q and %q; rename one code", code, other),
				ProblemSV: fmt.Sprintf("koderna %q och %q ger samma objekt-id; byt namn på en av dem", code, other)}
		}
		ids[id] = code
		var mp orb.MultiPolygon
		switch g := f.Geom.(type) {
		case orb.Polygon:
			mp = orb.MultiPolygon{g}
		case orb.MultiPolygon:
			mp = g
		default:
			return rep, nil, &InputError{File: path, Place: place, Field: "geometry", Problem: fmt.Sprintf("geometry is a %s; boundaries must be Polygon or MultiPolygon", geomTypeName(f.Geom)),
				ProblemSV: fmt.Sprintf("geometrin är en %s; gränser måste vara Polygon eller MultiPolygon", geomTypeName(f.Geom))}
		}
		cleaned, issues := clean.MultiPolygon(mp, clean.Options{DropInvalidHoles: opts.DropInvalidHoles})
		noted := map[string]bool{} // count each kind of fix once per feature
		for _, is := range issues {
			if !is.Fixed {
				return rep, nil, &InputError{File: path, Place: place, Field: "geometry", Problem: fmt.Sprintf("%s at (%.10g, %.10g) in EPSG:%d (polygon %d, ring %d): %s. Repair it in QGIS (Vector > Geometry Tools > Fix Geometries) or with ogr2ogr -makevalid",
					is.Kind, is.Coord[0], is.Coord[1], src.SRID, is.Polygon, is.Ring, is.Detail),
					ProblemSV: fmt.Sprintf("%s vid (%.10g, %.10g) i EPSG:%d (polygon %d, ring %d). Laga geometrin i QGIS (Vektor > Geometriverktyg > Laga geometrier) eller med ogr2ogr -makevalid",
						issueText(is.Kind).sv, is.Coord[0], is.Coord[1], src.SRID, is.Polygon, is.Ring)}
			}
			what := string(is.Kind) + ": " + is.Detail
			if is.Kind == clean.SelfIntersection || is.Kind == clean.EmptyRing || is.Kind == clean.TooFewPoints || is.Kind == clean.ZeroArea {
				repaired.add(problemText{fmt.Sprintf("%s (ring %d at %.8g, %.8g)", what, is.Ring, is.Coord[0], is.Coord[1]),
					fmt.Sprintf("lagat: %s (ring %d vid %.8g, %.8g)", repairSV(is.Kind, is.Detail), is.Ring, is.Coord[0], is.Coord[1])}, place)
			} else if !noted[what] {
				noted[what] = true
				fixed.add(problemText{what, "rättat: " + repairSV(is.Kind, is.Detail)}, place)
			}
		}
		if src.SRID != proj.WGS84 {
			project.Geometry(cleaned, toWGS)
		}
		kommun, lan := boundaryParents(opts.Level, code, f.Props)
		name := ""
		if nameField != "" {
			name = boundaryName(f.Props[nameField])
		}
		areas = append(areas, boundaryArea{
			Area: Area{ID: id, Level: opts.Level, Code: code, Name: name, Kommun: kommun, Lan: lan, Geometry: cleaned},
			MP:   cleaned,
		})
		if opts.Progress != nil {
			opts.Progress(n+1, total)
		}
	}
	if len(areas) == 0 {
		return rep, nil, &InputError{File: path, Problem: "no feature is left after the filter", ProblemSV: "inget objekt finns kvar efter filtret"}
	}
	slices.SortFunc(areas, func(a, b boundaryArea) int { return strings.Compare(a.Code, b.Code) })
	rep.Features = len(areas)
	rep.Fixed, rep.fixedSV = fixed.lines(), fixed.linesSV()
	rep.Repaired, rep.repairedSV = repaired.lines(), repaired.linesSV()
	rep.Bounds = areas[0].MP.Bound()
	for _, a := range areas[1:] {
		rep.Bounds = rep.Bounds.Union(a.MP.Bound())
	}
	if rep.Bounds.Min[0] < 10 || rep.Bounds.Max[0] > 25 || rep.Bounds.Min[1] < 55 || rep.Bounds.Max[1] > 69.1 {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("the boundaries extend outside Sweden (WGS 84 bounds %v–%v); check the coordinate reference system", rep.Bounds.Min, rep.Bounds.Max))
		rep.warningsSV = append(rep.warningsSV, fmt.Sprintf("gränserna sträcker sig utanför Sverige (WGS 84-gränser %v–%v); kontrollera koordinatsystemet", rep.Bounds.Min, rep.Bounds.Max))
	}
	return rep, areas, nil
}

func geomTypeName(g orb.Geometry) string {
	if g == nil {
		return "null"
	}
	return g.GeoJSONType()
}
