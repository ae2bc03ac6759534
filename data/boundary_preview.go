package data

import (
	"context"
	"math"
	"sort"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/simplify"
)

// BoundaryPreview is what a boundary file holds and how its codes match
// the national code lists, before anything is written.
type BoundaryPreview struct {
	Level          string                     `json:"level"`
	CodeField      string                     `json:"code_field"`
	NameField      string                     `json:"name_field"`
	Fields         []string                   `json:"fields"`
	Features       int                        `json:"features"`
	SourceSRID     int                        `json:"source_srid"`
	BBox           [4]float64                 `json:"bbox"`
	Outline        *geojson.FeatureCollection `json:"outline,omitempty"`
	Fixed          []string                   `json:"fixed"`
	Repaired       []string                   `json:"repaired"`
	Warnings       []string                   `json:"warnings"`
	Geography      string                     `json:"geography"`
	GeographyLabel string                     `json:"geography_label"`
	Join           *JoinPreview               `json:"join"`
	// Replaces is how many areas with boundaries the store has at the level now.
	Replaces int `json:"replaces"`

	// Fixed, Repaired and Warnings in English and Swedish (Localise).
	fixed, repaired, warnings [2][]string
}

// Localise says the repairs and warnings in lang ("sv", the default, or
// "en"); it sets the fields and changes nothing they shared, so a copy of
// a preview may be localised alone. (The join has its own Localise.)
func (p *BoundaryPreview) Localise(lang string) {
	i := 1
	if lang == "en" {
		i = 0
	}
	p.Fixed, p.Repaired, p.Warnings = nonNil(p.fixed[i]), nonNil(p.repaired[i]), nonNil(p.warnings[i])
}

// BoundaryPreviewOptions configure PreviewBoundaries.
type BoundaryPreviewOptions struct {
	BoundaryOptions
	// Name is the file's name as the person knows it (messages).
	Name string
	// Ref are the national code lists to join against.
	Ref *ReferenceCodes
	// OutlinePoints bounds the points of the outline [20000].
	OutlinePoints int
}

// PreviewBoundaries reads and checks a boundary file as ImportBoundaries
// would and reports it, writing nothing. An empty Level is guessed from the
// codes of the file (deso, regso, kommun or lan).
func (s *Store) PreviewBoundaries(ctx context.Context, path string, opts BoundaryPreviewOptions) (*BoundaryPreview, error) {
	src, err := readBoundarySource(ctx, path, opts.Layer)
	if err != nil {
		return nil, renameInputFile(err, path, opts.Name)
	}
	bo := opts.BoundaryOptions
	if bo.Level == "" {
		bo.Level, bo.CodeField = guessBoundaryLevel(src, bo.CodeField)
	}
	rep, areas, err := prepareBoundarySource(ctx, path, src, bo)
	if err != nil {
		return nil, renameInputFile(err, path, opts.Name)
	}
	p := &BoundaryPreview{Level: bo.Level, CodeField: rep.CodeField, NameField: rep.NameField, Fields: src.Fields, Features: rep.Features,
		SourceSRID: rep.SourceSRID, BBox: [4]float64{rep.Bounds.Min[0], rep.Bounds.Min[1], rep.Bounds.Max[0], rep.Bounds.Max[1]},
		fixed: [2][]string{rep.Fixed, rep.fixedSV}, repaired: [2][]string{rep.Repaired, rep.repairedSV}, warnings: [2][]string{rep.Warnings, rep.warningsSV}}
	if p.Fields == nil {
		p.Fields = []string{}
	}
	if n := opts.OutlinePoints; n >= 0 {
		if n == 0 {
			n = 20000
		}
		p.Outline = outline(areas, rep.Bounds, n)
	}
	codes := make([]string, len(areas))
	for i, a := range areas {
		codes[i] = a.Code
	}
	p.Geography = geographyOf(bo.Level, codes, opts.Ref)
	p.GeographyLabel = GeographyLabel(p.Geography)
	p.Join = boundaryJoin(bo.Level, codes, p.Geography, opts.Ref)
	p.Localise("sv")
	if known, err := s.levelCodes(ctx, bo.Level); err == nil {
		p.Replaces = len(known)
	} else {
		return nil, err
	}
	return p, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// guessBoundaryLevel picks the level and code field from the values of the
// file's fields: the field whose values are most often codes of a level.
func guessBoundaryLevel(src *boundarySource, field string) (string, string) {
	bestLevel, bestField, bestN := "", "", 0
	fields := src.Fields
	if field != "" {
		fields = []string{field}
	}
	for _, l := range []string{LevelDeSO, LevelRegSO, LevelKommun, LevelLan} {
		for _, f := range fields {
			n := 0
			for i, ft := range src.Features {
				if i >= 200 {
					break
				}
				if v, ok := ft.Props[f].(string); ok && looksLikeCode(l, v) {
					n++
				}
			}
			if n > bestN || (n == bestN && n > 0 && betterCodeField(f, bestField)) {
				bestLevel, bestField, bestN = l, f, n
			}
		}
		if bestN > 0 {
			return bestLevel, bestField
		}
	}
	return LevelDeSO, field
}

// betterCodeField breaks a tie between two fields whose values are codes
// equally often (a file may repeat the code as its name, e.g. desokod and
// deso_name): a field named as a code ("kod", "code") first, then the
// shorter name, then alphabetical, so the guess never depends on the
// order in which the file lists its properties.
func betterCodeField(a, b string) bool {
	ca, cb := namedAsCode(a), namedAsCode(b)
	if ca != cb {
		return ca
	}
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

func namedAsCode(f string) bool {
	f = strings.ToLower(f)
	return strings.Contains(f, "kod") || strings.Contains(f, "code")
}

// boundaryJoin reports a boundary file's codes against SCB's code lists.
func boundaryJoin(level string, codes []string, geo string, ref *ReferenceCodes) *JoinPreview {
	p := &JoinPreview{Rows: len(codes), Codes: len(codes), Causes: map[string]int{}, UnmatchedExamples: []UnmatchedCode{},
		UnmatchedInStoreExamples: []string{}, Geography: geo, GeographyLabel: GeographyLabel(geo), Values: len(codes)}
	known := map[string]string{}
	if ref != nil {
		switch level {
		case LevelDeSO:
			for c := range ref.DeSO2018 {
				known[c] = c[:4]
			}
		case LevelRegSO:
			for c := range ref.RegSO2020 {
				known[c] = c[:4]
			}
		case LevelKommun:
			for c := range ref.Kommun {
				known[c] = c
			}
		}
	}
	if len(known) == 0 {
		p.Matched, p.StoreEmpty = len(codes), true
		return p
	}
	storeGeo := GeoDeSO2018
	if level == LevelRegSO {
		storeGeo = GeoRegSO2020
	}
	cl := classifier{level: level, known: known, ref: ref, storeGeo: storeGeo, fileGeo: geo}
	sort.Strings(codes)
	for _, c := range codes {
		if _, ok := known[c]; ok {
			p.Matched++
			continue
		}
		u := cl.classify(c)
		u.placeEN = "code " + c
		p.add(u)
	}
	p.Localise("sv")
	return p
}

// outline is a light picture of the areas for drawing their extent:
// exterior rings simplified with a tolerance of the extent / 400 (larger
// while the points exceed maxPoints), coordinates rounded to 5 decimals.
func outline(areas []boundaryArea, b orb.Bound, maxPoints int) *geojson.FeatureCollection {
	ext := math.Max(b.Max[0]-b.Min[0], b.Max[1]-b.Min[1])
	tol := ext / 400
	if tol <= 0 {
		tol = 1e-5
	}
	for range 6 {
		fc := geojson.NewFeatureCollection()
		points := 0
		for _, a := range areas {
			var mp orb.MultiPolygon
			for _, poly := range a.MP {
				if len(poly) == 0 {
					continue
				}
				r := simplify.DouglasPeucker(tol).Ring(poly[0].Clone())
				if len(r) < 4 {
					continue
				}
				for i := range r {
					r[i] = orb.Point{math.Round(r[i][0]*1e5) / 1e5, math.Round(r[i][1]*1e5) / 1e5}
				}
				points += len(r)
				mp = append(mp, orb.Polygon{r})
			}
			if len(mp) == 0 {
				c := a.MP.Bound().Center()
				mp = orb.MultiPolygon{{orb.Ring{c, {c[0] + tol, c[1]}, {c[0], c[1] + tol}, c}}}
				points += 4
			}
			f := geojson.NewFeature(mp)
			f.Properties = geojson.Properties{"code": a.Code}
			fc.Append(f)
		}
		if points <= maxPoints {
			return fc
		}
		tol *= 2.5
	}
	return nil
}
