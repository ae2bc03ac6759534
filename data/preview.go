package data

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// ReferenceCodes are the national code lists of the geography versions
// (package data/national builds them from SCB's link table).
type ReferenceCodes struct {
	DeSO2018  map[string]bool
	RegSO2020 map[string]bool
	Kommun    map[string]string // code -> name
}

// Geography versions a file's codes may match.
const (
	GeoDeSO2018  = "deso2018"
	GeoDeSO2025  = "deso2025"
	GeoRegSO2020 = "regso2020"
	GeoRegSO2025 = "regso2025"
	GeoKommun    = "kommun"
	GeoLan       = "lan"
	GeoUnknown   = "unknown"
)

// GeographyLabel is a geography version for people.
func GeographyLabel(g string) string {
	switch g {
	case GeoDeSO2018:
		return "DeSO 2018"
	case GeoDeSO2025:
		return "DeSO 2025"
	case GeoRegSO2020:
		return "RegSO 2020"
	case GeoRegSO2025:
		return "RegSO 2025"
	case GeoKommun:
		return "Kommun"
	case GeoLan:
		return "Län"
	}
	return "?"
}

// Causes of an unmatched code.
const (
	CauseLeadingZero  = "leading_zero"
	CauseOtherVersion = "other_version"
	CauseOtherKommun  = "other_kommun"
	CauseOtherLevel   = "other_level"
	CauseUnknown      = "unknown"
)

// UnmatchedCode is one example of a code that will not be written.
type UnmatchedCode struct {
	Code       string `json:"code"`
	Place      string `json:"place"`
	Cause      string `json:"cause"`
	Suggestion string `json:"suggestion,omitempty"`
	Message    string `json:"message"`
	en, sv     string
	placeEN    string
}

// JoinPreview says, before anything is written, how a file's codes match
// the store (or, for boundaries, the national code lists).
type JoinPreview struct {
	Rows                     int             `json:"rows"`
	Codes                    int             `json:"codes"`
	Matched                  int             `json:"matched"`
	Unmatched                int             `json:"unmatched"`
	Causes                   map[string]int  `json:"causes"`
	UnmatchedExamples        []UnmatchedCode `json:"unmatched_examples"`
	UnmatchedInStore         int             `json:"unmatched_in_store"`
	UnmatchedInStoreExamples []string        `json:"unmatched_in_store_examples"`
	Values                   int             `json:"values"`
	StoreEmpty               bool            `json:"store_empty"`
	Geography                string          `json:"geography"`
	GeographyLabel           string          `json:"geography_label"`
	StoreGeography           string          `json:"store_geography,omitempty"`
}

// Localise sets the examples' messages and places in lang ("sv" or "en").
func (p *JoinPreview) Localise(lang string) {
	for i := range p.UnmatchedExamples {
		u := &p.UnmatchedExamples[i]
		if lang == "en" {
			u.Message, u.Place = u.en, u.placeEN
		} else {
			u.Message, u.Place = u.sv, PlaceSV(u.placeEN)
		}
	}
}

const maxExamples = 10

// levelCodes maps the codes of a level's areas in the store to their kommun.
func (s *Store) levelCodes(ctx context.Context, level string) (map[string]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT code, coalesce(kommun, '') FROM segmap_areas WHERE level = ?`, level)
	if err != nil {
		return nil, fmt.Errorf("data: read areas: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var c, k string
		if err := rows.Scan(&c, &k); err != nil {
			return nil, fmt.Errorf("data: read areas: %w", err)
		}
		out[c] = k
	}
	return out, rows.Err()
}

// PreviewIndicators reads a file as the mapping says and reports how its
// codes join the store, what ImportIndicators would write, and why codes
// do not match; nothing is written. A code that lost its leading zeros is
// reported here (an error at import).
func (s *Store) PreviewIndicators(ctx context.Context, name string, b []byte, m *Mapping, ref *ReferenceCodes) (*JoinPreview, error) {
	t, err := readTable(name, b, m)
	if err != nil {
		return nil, err
	}
	t.lenientCodes = true
	recs, err := t.records(m)
	if err != nil {
		return nil, err
	}
	known, err := s.levelCodes(ctx, m.Level)
	if err != nil {
		return nil, err
	}
	p := &JoinPreview{Rows: len(t.rows), Causes: map[string]int{}, UnmatchedExamples: []UnmatchedCode{}, UnmatchedInStoreExamples: []string{}}
	places := map[string]string{}
	var good []record
	for _, r := range recs {
		if _, ok := places[r.code]; !ok {
			places[r.code] = r.place
		}
		if _, bad := t.badCodes[r.code]; !bad {
			good = append(good, r)
		}
	}
	p.Codes = len(places)
	rep := &JoinReport{File: name, Level: m.Level, Rows: len(t.rows)}
	kept, err := joinRecords(good, known, m, rep)
	if err != nil {
		return nil, err
	}
	p.Values = len(kept)
	p.StoreEmpty = len(known) == 0
	p.Matched = rep.Matched
	p.UnmatchedInStore = len(rep.UnmatchedInStore)
	for i, c := range rep.UnmatchedInStore {
		if i >= maxExamples {
			break
		}
		p.UnmatchedInStoreExamples = append(p.UnmatchedInStoreExamples, c)
	}
	var unmatched []string
	unmatched = append(unmatched, rep.UnmatchedInFile...)
	for c := range t.badCodes {
		unmatched = append(unmatched, c)
	}
	sort.Strings(unmatched)
	codes := make([]string, 0, len(places))
	for c := range places {
		codes = append(codes, c)
	}
	p.Geography = geographyOf(m.Level, codes, ref)
	p.GeographyLabel = GeographyLabel(p.Geography)
	if len(known) > 0 {
		storeCodes := make([]string, 0, len(known))
		for c := range known {
			storeCodes = append(storeCodes, c)
		}
		p.StoreGeography = geographyOf(m.Level, storeCodes, ref)
	}
	cl := classifier{level: m.Level, known: known, ref: ref, storeGeo: p.StoreGeography, fileGeo: p.Geography}
	for _, c := range unmatched {
		u := cl.classify(c)
		u.placeEN = places[c]
		p.add(u)
	}
	p.Localise("sv")
	return p, nil
}

func (p *JoinPreview) add(u UnmatchedCode) {
	p.Unmatched++
	p.Causes[u.Cause]++
	if p.Causes[u.Cause] <= maxExamples {
		p.UnmatchedExamples = append(p.UnmatchedExamples, u)
	}
}

// geographyOf is the geography version the codes match best.
func geographyOf(level string, codes []string, ref *ReferenceCodes) string {
	if len(codes) == 0 {
		return GeoUnknown
	}
	switch level {
	case LevelKommun:
		return GeoKommun
	case LevelLan:
		return GeoLan
	case LevelDeSO:
		if ref == nil || len(ref.DeSO2018) == 0 {
			return GeoUnknown
		}
		in, split, shaped := 0, 0, 0
		for _, c := range codes {
			switch {
			case ref.DeSO2018[c]:
				in++
			case len(c) == 9 && looksLikeCode(LevelDeSO, c) && !strings.HasSuffix(c, "0") && ref.DeSO2018[c[:8]+"0"]:
				split++
			}
			if looksLikeCode(LevelDeSO, c) {
				shaped++
			}
		}
		switch {
		case split > 0:
			return GeoDeSO2025
		case in*2 >= shaped && in > 0:
			return GeoDeSO2018
		case shaped > 0:
			return GeoDeSO2025 // DeSO codes SCB's 2018 list does not have
		}
	case LevelRegSO:
		if ref == nil || len(ref.RegSO2020) == 0 {
			return GeoUnknown
		}
		in, shaped := 0, 0
		for _, c := range codes {
			if ref.RegSO2020[c] {
				in++
			}
			if looksLikeCode(LevelRegSO, c) {
				shaped++
			}
		}
		switch {
		case in*2 >= shaped && in > 0:
			return GeoRegSO2020
		case shaped > 0:
			return GeoRegSO2025
		}
	}
	return GeoUnknown
}

// classifier says why a code does not match.
type classifier struct {
	level, storeGeo, fileGeo string
	known                    map[string]string // the store's codes (or the reference list) -> kommun
	ref                      *ReferenceCodes
	kommuner                 map[string]bool
}

func (cl *classifier) kommunSet() map[string]bool {
	if cl.kommuner == nil {
		cl.kommuner = map[string]bool{}
		for c, k := range cl.known {
			if k == "" && len(c) >= 4 {
				k = c[:4]
			}
			cl.kommuner[k] = true
		}
	}
	return cl.kommuner
}

func (cl *classifier) classify(c string) UnmatchedCode {
	u := UnmatchedCode{Code: c, Cause: CauseUnknown}
	lv := levelSV(cl.level)
	// Leading zeros lost: the padded code has the level's shape.
	if re, ok := codePatterns[cl.level]; ok && !re.MatchString(c) {
		for pad := 1; pad <= 3; pad++ {
			p := strings.Repeat("0", pad) + c
			if re.MatchString(p) {
				u.Cause, u.Suggestion = CauseLeadingZero, p
				u.en = fmt.Sprintf("the code has lost its leading zero (a spreadsheet such as Excel read the column as numbers); it should be %s. Format the code column as text and save again", p)
				u.sv = fmt.Sprintf("koden har tappat sin inledande nolla (ett kalkylprogram som Excel läste kolumnen som tal); den ska vara %s. Formatera kodkolumnen som text och spara igen", p)
				return u
			}
		}
		for _, other := range detectLevels {
			if other != cl.level && looksLikeCode(other, c) {
				u.Cause = CauseOtherLevel
				u.en = fmt.Sprintf("%s is a %s code, not a %s code: check the level", c, other, cl.level)
				u.sv = fmt.Sprintf("%s är en %s-kod, inte en %s-kod: kontrollera nivån", c, levelSV(other), lv)
				return u
			}
		}
		u.en = fmt.Sprintf("%q is not a %s code", c, cl.level)
		u.sv = fmt.Sprintf("%q är ingen %s-kod", c, lv)
		return u
	}
	kommun := ""
	if len(c) >= 4 {
		kommun = c[:4]
	}
	if cl.level == LevelKommun {
		u.en = fmt.Sprintf("kommun %s is not in the store", c)
		u.sv = fmt.Sprintf("kommunen %s finns inte i databasen", c)
		if cl.ref != nil && cl.ref.Kommun[c] == "" && len(cl.ref.Kommun) > 0 {
			u.en = fmt.Sprintf("%s is not a kommun code in SCB's list", c)
			u.sv = fmt.Sprintf("%s är ingen kommunkod i SCB:s lista", c)
		} else {
			u.Cause = CauseOtherKommun
		}
		return u
	}
	if kommun != "" && !cl.kommunSet()[kommun] {
		name := ""
		if cl.ref != nil {
			name = cl.ref.Kommun[kommun]
		}
		u.Cause = CauseOtherKommun
		u.en = strings.TrimSpace(fmt.Sprintf("the code is in kommun %s %s, which the store does not cover", kommun, name))
		u.sv = strings.TrimSpace(fmt.Sprintf("koden ligger i kommun %s %s, som databasen inte täcker", kommun, name))
		return u
	}
	switch cl.level {
	case LevelDeSO:
		split := !strings.HasSuffix(c, "0")
		in2018 := cl.ref != nil && cl.ref.DeSO2018[c]
		if split || (in2018 && cl.storeGeo == GeoDeSO2025) || (!in2018 && cl.storeGeo == GeoDeSO2018) {
			fileV, storeV := "DeSO 2025", "DeSO 2018"
			if in2018 {
				fileV, storeV = "DeSO 2018", "DeSO 2025"
			}
			u.Cause = CauseOtherVersion
			u.en = fmt.Sprintf("a %s code; the store has %s areas", fileV, storeV)
			u.sv = fmt.Sprintf("en %s-kod; databasen har %s-områden", fileV, storeV)
			if split {
				u.Suggestion = c[:8] + "0"
				u.en += fmt.Sprintf(" (its 2018 area is %s; mapping option deso2025: parent_mean stores the mean there)", u.Suggestion)
				u.sv += fmt.Sprintf(" (dess område 2018 är %s; mappningens deso2025: parent_mean lagrar medelvärdet där)", u.Suggestion)
			}
			return u
		}
	case LevelRegSO:
		in2020 := cl.ref != nil && cl.ref.RegSO2020[c]
		if in2020 != (cl.storeGeo == GeoRegSO2020) {
			fileV, storeV := "RegSO 2025", "RegSO 2020"
			if in2020 {
				fileV, storeV = "RegSO 2020", "RegSO 2025"
			}
			u.Cause = CauseOtherVersion
			u.en = fmt.Sprintf("a %s code; the store has %s areas", fileV, storeV)
			u.sv = fmt.Sprintf("en %s-kod; databasen har %s-områden", fileV, storeV)
			return u
		}
	}
	u.en = fmt.Sprintf("the store has no %s area with this code", cl.level)
	u.sv = fmt.Sprintf("databasen har inget %s-område med den här koden", lv)
	return u
}

// ParseReferenceCodes reads SCB's DeSO -> RegSO link table (deso, regso,
// kommun, kommunnamn columns) into code lists.
func ParseReferenceCodes(name string, b []byte) (*ReferenceCodes, error) {
	rows, err := parseLinkTable(name, b)
	if err != nil {
		return nil, err
	}
	ref := &ReferenceCodes{DeSO2018: map[string]bool{}, RegSO2020: map[string]bool{}, Kommun: map[string]string{}}
	for _, r := range rows {
		ref.DeSO2018[r.deso] = true
		ref.RegSO2020[r.regso] = true
		ref.Kommun[r.kommun] = r.kommunName
	}
	return ref, nil
}
