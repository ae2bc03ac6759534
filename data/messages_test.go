package data

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/segmap/segmap/internal/fault"
)

// Helpers for the message-language tests (see TestInputErrorLanguages and
// TestFileMessagesSwedish): a message for people is Swedish by default and
// English on request, and the Swedish one is not English in disguise.

// englishWords betray English in a Swedish message: words that are not
// Swedish, looked for outside quoted values and the library's own detail.
var englishWords = regexp.MustCompile(`\b(the|is|are|not|has|have|must|cannot|expected|file|feature|features|row|sheet|field|layer|entry|shape|and|or|of|with|without|only|more|than|limit|empty|missing|unknown|found|truncated|too|should|does|points)\b`)

// quoted are values from the input ("x", 'x'), which stay as they are.
var quoted = regexp.MustCompile(`"[^"]*"|'[^']*'|«[^»]*»`)

// swedishRest is the Swedish problem sv without what it shares with the
// English en at the start and at the end after a colon (a library's own
// words, kept as a suffix in both languages), and without quoted values.
func swedishRest(sv, en string) string {
	p := 0
	for p < len(sv) && p < len(en) && sv[p] == en[p] {
		p++
	}
	s := 0
	for s < len(sv)-p && s < len(en)-p && sv[len(sv)-1-s] == en[len(en)-1-s] {
		s++
	}
	rest := sv[p:]
	if suffix := sv[len(sv)-s:]; s > 0 {
		if i := strings.Index(suffix, ": "); i >= 0 {
			rest = strings.TrimSuffix(rest, suffix[i+2:])
		}
	}
	return quoted.ReplaceAllString(rest, "")
}

// messager is an error with a message for people in a language.
type messager interface {
	Message(lang string) string
}

// checkLanguages fails t when err has no message for people, when its
// Swedish message is its English one or has English words, or when either
// lacks what it must name (sv, en: substrings such as the place, field and
// expectation). It returns both messages.
func checkLanguages(t *testing.T, err error, sv, en []string) (string, string) {
	t.Helper()
	var m messager
	if !errors.As(err, &m) {
		t.Fatalf("error %v (%T) has no message for people", err, err)
	}
	msv, men := m.Message("sv"), m.Message("en")
	// The problem alone: place and field words are Swedish even when the
	// problem fell back to English.
	psv, pen := msv, men
	var ie *InputError
	var fe *fault.Error
	switch {
	case errors.As(err, &ie):
		psv, pen = ie.ProblemSV, ie.Problem
	case errors.As(err, &fe):
		psv, pen = fe.SV, fe.EN
	}
	if psv == "" || psv == pen {
		t.Errorf("no Swedish problem in %q (English %q)", msv, men)
	}
	if w := englishWords.FindString(swedishRest(psv, pen)); w != "" {
		t.Errorf("Swedish message %q has the English word %q", msv, w)
	}
	for _, w := range sv {
		if !strings.Contains(msv, w) {
			t.Errorf("Swedish message %q lacks %q", msv, w)
		}
	}
	for _, w := range en {
		if !strings.Contains(men, w) {
			t.Errorf("English message %q lacks %q", men, w)
		}
	}
	return msv, men
}

// requireSwedishProblem fails t when an input error found by a fuzzer has
// no Swedish problem of its own (a quick check; checkLanguages is the full
// one for the table tests).
func requireSwedishProblem(t *testing.T, ie *InputError) {
	t.Helper()
	if ie.ProblemSV == "" || ie.ProblemSV == ie.Problem {
		t.Fatalf("no Swedish problem: %v", ie)
	}
}

// TestSwedishRest: the check itself finds English left in a Swedish
// message, and lets quoted values and a library's suffix be.
func TestSwedishRest(t *testing.T) {
	for _, tc := range []struct {
		sv, en  string
		english bool
	}{
		{`f.gpkg: lagret "x" is not a plain table`, `f.gpkg: layer "x": the layer is not a plain table`, true},
		{`f.gpkg: lagret "x" är ingen vanlig tabell`, `f.gpkg: layer "x": the layer is not a plain table`, false},
		{`f.xlsx: filen är inte en giltig xlsx-arbetsbok: zip: not a valid zip file`, `f.xlsx: the file is not a valid xlsx workbook: zip: not a valid zip file`, false},
		{`f.xlsx: filen är inte giltig: zip: not a valid zip file`, `f.xlsx: the file is not valid: zip: not a valid zip file`, false},
		{`lagret: is not a plain table (x); segmap reads only tables from a file: export it`, `the layer is not a plain table (x); segmap reads only tables from a file: export it`, true},
		{`anteckningen: fält "text": är tom; skriv "the end"`, `note: field "text": is empty; write "the end"`, false},
	} {
		if got := englishWords.MatchString(swedishRest(tc.sv, tc.en)); got != tc.english {
			t.Errorf("%q: English found %v, want %v (rest %q)", tc.sv, got, tc.english, swedishRest(tc.sv, tc.en))
		}
	}
}

// TestFileMessagesSwedish: broken and hostile real files, each refused
// with a message that is Swedish by default and English on request, and
// names the file, the place and the field and what was expected. The
// library's own words (zip, SQLite, WKB) stay as a suffix.
func TestFileMessagesSwedish(t *testing.T) {
	ctx := context.Background()
	scb, err := os.ReadFile(tdir + "000005FB_20240813-152341.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	gpkgFile := siteFixture(t, "botkyrka_planerat_3006.gpkg")
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 1024)...)
	tests := []struct {
		name   string
		run    func(t *testing.T) error
		sv, en []string
	}{
		{"truncated SCB workbook on the data page", func(t *testing.T) error {
			_, err := DetectIndicators("000005FB.xlsx", scb[:len(scb)/2], DetectOptions{DefaultYear: 2024})
			return err
		}, []string{"000005FB.xlsx: filen är inte en giltig xlsx-arbetsbok (zip-arkivet kunde inte läsas); kontrollera att hela filen laddades upp"},
			[]string{"000005FB.xlsx: the file is not a valid xlsx workbook (the zip archive cannot be read)"}},
		{"truncated SCB workbook imported with its mapping", func(t *testing.T) error {
			m, err := LoadMapping(tdir + "scb_000005FB.mapping.yaml")
			if err != nil {
				t.Fatal(err)
			}
			_, err = storeWithCodes(t).ImportIndicators(ctx, writeFile(t, "scb.xlsx", string(scb[:len(scb)-200])), IndicatorImportOptions{Mapping: m})
			return err
		}, []string{"scb.xlsx: filen är inte en giltig xlsx-arbetsbok"}, []string{"not a valid xlsx workbook"}},
		{"Excel 97–2003 workbook named .xlsx", func(t *testing.T) error {
			_, err := DetectIndicators("gammal.xlsx", ole, DetectOptions{})
			return err
		}, []string{"gammal.xlsx: filen är en Excel 97–2003-arbetsbok (.xls) eller skyddad med lösenord; spara den som Excel-arbetsbok (.xlsx)"},
			[]string{"an Excel 97–2003 workbook (.xls)"}},
		{"truncated GeoPackage", func(t *testing.T) error {
			_, _, err := ValidateSites(ctx, "planerat.gpkg", gpkgFile[:8192], SiteOptions{})
			return err
		}, []string{"planerat.gpkg: filen kan inte öppnas som GeoPackage (SQLite-databas): "}, []string{"planerat.gpkg: cannot open as a GeoPackage (SQLite) file: "}},
		{"GeoPackage layer that is a view", func(t *testing.T) error {
			_, _, err := ValidateSites(ctx, "vy.gpkg", geoPackageWith(t, realSites, `DROP TABLE sites`, `CREATE VIEW sites AS SELECT * FROM real_sites`), SiteOptions{})
			return err
		}, []string{"vy.gpkg: lager sites: lagret är en vy (en SQL-fråga); segmap läser bara tabeller ur en fil"},
			[]string{"vy.gpkg: layer sites: the layer is a view"}},
		{"GeoPackage with a broken geometry", func(t *testing.T) error {
			_, _, err := ValidateSites(ctx, "trasig.gpkg", withSQL(t, geoPackageWith(t), `UPDATE sites SET geom = X'4750000100' WHERE fid = 2`), SiteOptions{})
			return err
		}, []string{`trasig.gpkg: objekt 1: fält "geom": geometrin kan inte avkodas (en GeoPackage-geometri väntades: ett GP-huvud följt av WKB): gpkg: bad geometry blob`},
			[]string{`trasig.gpkg: feature 1: field "geom": the geometry cannot be decoded`}},
		{"Shapefile with a truncated polygon", func(t *testing.T) error {
			dbf := dbfOf(1, 2, []dbfTestField{{"namn", 'C', 1}}, dbfRecords(1, 1))
			_, _, err := ValidateSites(ctx, "p.zip", zipOf(t, map[string][]byte{"p.shp": shpOfTruncatedPolygon(), "p.dbf": dbf}), SiteOptions{})
			return err
		}, []string{`p.shp: form 0: fält "geometry": polygonen är avkortad`}, []string{`p.shp: shape 0: field "geometry": truncated polygon`}},
		{"GeoJSON boundaries with a syntax error on line 3", func(t *testing.T) error {
			p := writeFile(t, "deso.geojson", "{\"type\": \"FeatureCollection\",\n \"features\": [\n  {\"type\": \"Feature\",, }\n]}\n")
			_, _, err := prepareBoundaries(ctx, p, BoundaryOptions{Level: LevelDeSO})
			return err
		}, []string{"deso.geojson: inte giltig GeoJSON: fel på rad 3, kolumn 22: invalid character"}, []string{"not valid GeoJSON: line 3, column 22: invalid character"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run(t)
			if !errors.Is(err, fault.Invalid) {
				t.Fatalf("error %v, want one of kind Invalid", err)
			}
			sv, en := checkLanguages(t, err, tc.sv, tc.en)
			t.Logf("sv: %s\nen: %s", sv, en)
		})
	}
}

// withSQL runs stmts on a copy of the SQLite file b and returns its bytes.
func withSQL(t *testing.T, b []byte, stmts ...string) []byte {
	t.Helper()
	p := filepath.Join(t.TempDir(), "w.gpkg")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite3", p)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	out, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// shpOfTruncatedPolygon is a .shp whose one record is a polygon cut after
// its shape type: 12 bytes where a polygon needs at least 44.
func shpOfTruncatedPolygon() []byte {
	b := shpOfPoints(0)
	binary.LittleEndian.PutUint32(b[32:], 5)
	r := make([]byte, 8+12)
	binary.BigEndian.PutUint32(r[0:], 1)
	binary.BigEndian.PutUint32(r[4:], 6) // 12 bytes, in 16-bit words
	binary.LittleEndian.PutUint32(r[8:], 5)
	b = append(b, r...)
	binary.BigEndian.PutUint32(b[24:], uint32(len(b)/2))
	return b
}

// TestNotesLocalised: what an upload repaired or guessed is said in
// Swedish by default and in English on request: a site layer's report
// and the data page's boundary preview, on a hand-made file, on
// Dalarna's DeSO GeoPackage (SWEREF 99 TM) and on Växjö's DeSO 2025
// GeoJSON.
func TestNotesLocalised(t *testing.T) {
	ctx := context.Background()
	// Clockwise, with a repeated point, in SWEREF 99 TM without a crs member.
	body := geojsonSites(`{"type":"Feature","properties":{"namn":"Medurs"},"geometry":{"type":"Polygon","coordinates":[[[662000,6569800],[662000,6570300],[662000,6570300],[662600,6570300],[662600,6569800],[662000,6569800]]]}}`)
	_, rep, err := ValidateSites(ctx, "medurs.geojson", body, SiteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	en := strings.Join(rep.Notes, "\n")
	rep.Localise("sv")
	sv := strings.Join(rep.Notes, "\n")
	for _, want := range []string{"filen har ingen crs-medlem", "lästes som SWEREF 99 TM (EPSG:3006)", `lagat: en ring med fel riktning: vänd till moturs (RFC 7946) (objekt 0 ("Medurs"))`, "lagat: en upprepad punkt: borttagna upprepade punkter i följd: 1"} {
		if !strings.Contains(sv, want) {
			t.Errorf("Swedish notes %q lack %q", sv, want)
		}
	}
	if w := englishWords.FindString(quoted.ReplaceAllString(sv, "")); w != "" {
		t.Errorf("Swedish notes %q have the English word %q", sv, w)
	}
	if rep.Localise("en"); strings.Join(rep.Notes, "\n") != en || !strings.Contains(en, "repaired: a ring wound the wrong way") {
		t.Errorf("English notes %q, first %q", rep.Notes, en)
	}

	s := newBoundaryStore(t)
	cw := badFile(t, "cw.geojson", `{"type":"Feature","properties":{"deso":"0780C1210"},"geometry":{"type":"Polygon","coordinates":[[[14,56],[14,57],[15,57],[15,56],[14,56]]]}}`)
	for _, tc := range []struct {
		file   string
		sv, en []string // in the Swedish and English repairs and warnings
	}{
		{cw, []string{"rättat: en ring med fel riktning: vänd till moturs (RFC 7946) (objekt 0 (kod 0780C1210))"}, []string{"wrong_winding", "feature 0 (code 0780C1210)"}},
		{bdir + "deso_2018_dalarna_3006.gpkg", nil, nil},
		{bdir + "deso_2025_vaxjo_4326.geojson", nil, nil},
	} {
		p, err := s.PreviewBoundaries(ctx, tc.file, BoundaryPreviewOptions{Name: filepath.Base(tc.file), Ref: refCodes(t)})
		if err != nil {
			t.Fatal(err)
		}
		sv := strings.Join(slices.Concat(p.Fixed, p.Repaired, p.Warnings), "\n")
		p.Localise("en")
		en := strings.Join(slices.Concat(p.Fixed, p.Repaired, p.Warnings), "\n")
		if sv == en && sv != "" {
			t.Errorf("%s: the Swedish notes are the English ones: %q", tc.file, sv)
		}
		if w := englishWords.FindString(quoted.ReplaceAllString(sv, "")); w != "" {
			t.Errorf("%s: Swedish notes %q have the English word %q", tc.file, sv, w)
		}
		for _, w := range tc.sv {
			if !strings.Contains(sv, w) {
				t.Errorf("%s: Swedish notes %q lack %q", tc.file, sv, w)
			}
		}
		for _, w := range tc.en {
			if !strings.Contains(en, w) {
				t.Errorf("%s: English notes %q lack %q", tc.file, en, w)
			}
		}
		t.Logf("%s:\nsv: %s\nen: %s", filepath.Base(tc.file), sv, en)
	}
}

// TestSiteLayerNotesStored: a layer keeps its notes in both languages;
// one stored before that (a JSON list, English) still reads.
func TestSiteLayerNotesStored(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	body := geojsonSites(`{"type":"Feature","properties":{"namn":"Medurs"},"geometry":{"type":"Polygon","coordinates":[[[662000,6569800],[662000,6570300],[662600,6570300],[662600,6569800],[662000,6569800]]]}}`)
	l, _, err := s.ImportSites(ctx, "medurs.geojson", body, SiteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.SiteLayer(ctx, l.ID)
	if err != nil {
		t.Fatal(err)
	}
	sv := strings.Join(got.Notes, "\n")
	got.Localise("en")
	en := strings.Join(got.Notes, "\n")
	if !strings.Contains(sv, "lagat: en ring med fel riktning") || !strings.Contains(en, "repaired: a ring wound the wrong way") {
		t.Errorf("stored notes: sv %q, en %q", sv, en)
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE segmap_site_layers SET notes = '["an old note"]' WHERE fid = ?`, l.ID); err != nil {
		t.Fatal(err)
	}
	old, err := s.SiteLayer(ctx, l.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(old.Notes) != 1 || old.Notes[0] != "an old note" {
		t.Errorf("old notes read as %q", old.Notes)
	}
}
