package api_test

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"

	"github.com/segmap/segmap/api"
	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/service"
	"github.com/segmap/segmap/service/datapage"
)

// emptyServer serves a new, empty store made as segmap makes one
// (data.Open with Create), writable with the API token.
func emptyServer(t *testing.T) (*echo.Echo, *data.Store, *datapage.Service) {
	t.Helper()
	ctx := context.Background()
	st, err := data.Open(ctx, filepath.Join(t.TempDir(), "empty.gpkg"), data.OpenOptions{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	svc := service.New(st, nil, service.Options{})
	dp := datapage.New(st, datapage.Options{Dir: t.TempDir(), AfterChange: api.ReloadAfterChange(svc)})
	t.Cleanup(func() { dp.Close() })
	return api.New(svc, api.Options{APIToken: siteToken, DataPage: dp}), st, dp
}

func testdataFile(t *testing.T, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type uploadResp struct {
	ID      string          `json:"id"`
	Kind    string          `json:"kind"`
	Format  string          `json:"format"`
	Mapping json.RawMessage `json:"mapping"`
	Preview struct {
		Level      string `json:"level"`
		CodeColumn string `json:"code_column"`
		CodeField  string `json:"code_field"`
		Geography  string `json:"geography"`
		Years      []int  `json:"years"`
		YearLayout string `json:"year_layout"`
		Features   int    `json:"features"`
		SourceSRID int    `json:"source_srid"`
		BBox       [4]float64
		Outline    json.RawMessage `json:"outline"`
		Encoding   string          `json:"encoding"`
		Delimiter  string          `json:"delimiter"`
		Decimal    bool            `json:"decimal_comma"`
		Warnings   []string        `json:"warnings"`
		Fixed      []string        `json:"fixed"`
		Join       data.JoinPreview
	} `json:"preview"`
}

type jobResp struct {
	ID          string `json:"id"`
	State       string `json:"state"`
	Done, Total int
	Step        string `json:"step"`
	ImportID    int64  `json:"import_id"`
	DataVersion int64  `json:"data_version"`
	Error       *struct{ Code, Message string }
	Report      json.RawMessage
}

func dataUpload(t *testing.T, e *echo.Echo, file string, body []byte, wantStatus int, headers ...string) (uploadResp, string) {
	t.Helper()
	mb, ct := multipartBody(t, file, body, "")
	rec := do(t, e, http.MethodPost, "/api/data/uploads", mb, append(append([]string{"Content-Type", ct}, bearer...), headers...)...)
	if rec.Code != wantStatus {
		t.Fatalf("upload %s: %d, want %d: %s", file, rec.Code, wantStatus, rec.Body.String())
	}
	var u uploadResp
	if wantStatus == http.StatusCreated {
		if err := json.Unmarshal(rec.Body.Bytes(), &u); err != nil {
			t.Fatal(err)
		}
	}
	return u, rec.Body.String()
}

// importAndWait starts an import and waits for its job through the service.
func importAndWait(t *testing.T, e *echo.Echo, dp *datapage.Service, id string, mapping json.RawMessage) jobResp {
	t.Helper()
	var body []byte
	if mapping != nil {
		body, _ = json.Marshal(map[string]json.RawMessage{"mapping": mapping})
	}
	rec := do(t, e, http.MethodPost, "/api/data/uploads/"+id+"/import", body, append([]string{"Content-Type", "application/json"}, bearer...)...)
	if rec.Code != http.StatusAccepted {
		t.Fatalf("import: %d %s", rec.Code, rec.Body.String())
	}
	var j jobResp
	json.Unmarshal(rec.Body.Bytes(), &j)
	if j.ID == "" {
		t.Fatalf("no job id: %s", rec.Body.String())
	}
	waitJob(t, dp, j.ID)
	rec = do(t, e, http.MethodGet, "/api/data/jobs/"+j.ID, nil, bearer...)
	if rec.Code != http.StatusOK {
		t.Fatalf("job: %d %s", rec.Code, rec.Body.String())
	}
	j = jobResp{}
	json.Unmarshal(rec.Body.Bytes(), &j)
	return j
}

func waitJob(t *testing.T, dp *datapage.Service, id string) {
	t.Helper()
	j, err := dp.JobByID(id, "sv")
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// xlsxColumn reads the values of one column of an SCB xlsx by code.
func xlsxValues(t *testing.T, rel string, codeCol, valCol int) map[string]float64 {
	t.Helper()
	f, err := excelize.OpenFile(filepath.Join("..", "testdata", rel))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, r := range rows {
		if len(r) <= valCol || len(r[codeCol]) != 9 {
			continue
		}
		v, err := strconv.ParseFloat(r[valCol], 64)
		if err == nil {
			out[r[codeCol]] = v
		}
	}
	if len(out) < 5000 {
		t.Fatalf("%s: read %d values", rel, len(out))
	}
	return out
}

// TestDataPageEmptyStoreDalarna: from an empty store, the Dalarna DeSO
// GeoPackage and then SCB's original 000005FB xlsx go through upload →
// preview → import; the stored values are the file's, and every DeSO of
// the national table matches (the DeSO upload imported the hierarchy).
func TestDataPageEmptyStoreDalarna(t *testing.T) {
	e, st, dp := emptyServer(t)
	ctx := context.Background()
	v0, _ := st.DataVersion(ctx)

	u, _ := dataUpload(t, e, "deso_2018_dalarna_3006.gpkg", testdataFile(t, "boundaries/deso_2018_dalarna_3006.gpkg"), http.StatusCreated)
	if u.Kind != "boundaries" || u.Preview.Level != "deso" || u.Preview.SourceSRID != 3006 || u.Preview.Geography != "deso2018" {
		t.Fatalf("boundary preview: kind %s level %s srid %d geography %s", u.Kind, u.Preview.Level, u.Preview.SourceSRID, u.Preview.Geography)
	}
	if u.Preview.Features < 150 || u.Preview.Join.Matched != u.Preview.Features || u.Preview.Join.Unmatched != 0 {
		t.Errorf("features %d, join %+v", u.Preview.Features, u.Preview.Join)
	}
	if b := u.Preview.BBox; b[0] < 11 || b[2] > 17 || b[1] < 59 || b[3] > 63 || len(u.Preview.Outline) < 100 {
		t.Errorf("bbox %v outline %d bytes", b, len(u.Preview.Outline))
	}
	if v, _ := st.DataVersion(ctx); v != v0 {
		t.Fatalf("the preview moved the data version %d -> %d", v0, v)
	}
	if rec := do(t, e, http.MethodGet, "/tiles/deso.json", nil); rec.Code != http.StatusNotFound {
		t.Fatalf("tiles of an empty store: %d", rec.Code)
	}
	j := importAndWait(t, e, dp, u.ID, nil)
	if j.State != "done" || j.ImportID == 0 || j.DataVersion <= v0 {
		t.Fatalf("boundary job %+v", j)
	}
	// The tiles follow as soon as the job is done.
	if rec := do(t, e, http.MethodGet, "/tiles/deso.json", nil); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "v="+strconv.FormatInt(j.DataVersion, 10)) {
		t.Fatalf("tiles after the import: %d %.300s", rec.Code, rec.Body.String())
	}
	// The DeSO upload completed the store as segmap import does: the
	// hierarchy names every DeSO of Sweden; the file's have polygons.
	all, err := st.Areas(ctx, "deso", data.AreasOptions{})
	var areas []data.Area
	for _, a := range all {
		if a.Mapped {
			areas = append(areas, a)
		}
	}
	if err != nil || len(areas) != u.Preview.Features || len(all) != 5984 {
		t.Fatalf("%d areas stored, %d with polygons (%v), want %d", len(all), len(areas), err, u.Preview.Features)
	}

	const file = "000005FB_20240813-152341.xlsx"
	u, _ = dataUpload(t, e, file, testdataFile(t, "indicators/"+file), http.StatusCreated)
	p := u.Preview
	if u.Kind != "indicators" || u.Format != "scb" || p.Level != "deso" || p.CodeColumn != "A" || p.Geography != "deso2018" || p.YearLayout != "columns" || len(p.Years) != 1 || p.Years[0] != 2022 {
		t.Fatalf("indicator preview: %+v", u)
	}
	// The store knows every DeSO of Sweden (the hierarchy), so the whole
	// national table matches.
	if p.Join.Matched != len(all) || p.Join.Unmatched != 0 {
		t.Errorf("join: matched %d (want %d), causes %v", p.Join.Matched, len(all), p.Join.Causes)
	}
	// Rename one suggested indicator, as a planner would, and import.
	var m map[string]any
	json.Unmarshal(u.Mapping, &m)
	inds := m["indicators"].([]any)
	first := inds[0].(map[string]any)
	first["name_sv"] = "Födda i Sverige"
	id := first["id"].(string)
	col := first["value"].([]any)[0].(string)
	mb, _ := json.Marshal(m)
	j = importAndWait(t, e, dp, u.ID, mb)
	if j.State != "done" {
		t.Fatalf("indicator job %+v", j)
	}
	want := xlsxValues(t, "indicators/"+file, 0, 1) // column B: born in Sweden
	if col != "2022, Sverige, totalt" {
		t.Fatalf("first suggested indicator reads %q", col)
	}
	vals, err := st.Values(ctx, data.ValuesQuery{Level: "deso", Indicator: id, Year: 2022})
	if err != nil || len(vals) != len(all) {
		t.Fatalf("%d values (%v), want %d", len(vals), err, len(all))
	}
	for _, v := range vals {
		if w, ok := want[v.Code]; !ok || math.Abs(v.Value-w) > 1e-9 {
			t.Fatalf("%s: stored %v, file %v", v.Code, v.Value, w)
		}
	}
	ind, err := st.Indicator(ctx, id)
	if err != nil || ind.NameSV != "Födda i Sverige" {
		t.Errorf("indicator %+v %v", ind, err)
	}
	// The map shows the new indicator at once: meta lists it at the new
	// data version and the classification colours every DeSO it has.
	rec := do(t, e, http.MethodGet, "/api/meta", nil)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"id":"`+id+`"`) || !strings.Contains(rec.Body.String(), `"data_version":`+strconv.FormatInt(j.DataVersion, 10)) {
		t.Errorf("meta %d: %.400s", rec.Code, rec.Body.String())
	}
	rec = do(t, e, http.MethodGet, "/api/classify?level=deso&indicator="+id+"&year=2022", nil)
	var cl struct {
		Areas []struct {
			Code  string
			Value *float64
		}
	}
	json.Unmarshal(rec.Body.Bytes(), &cl)
	if rec.Code != 200 || len(cl.Areas) != len(all) || cl.Areas[0].Value == nil || *cl.Areas[0].Value != want[cl.Areas[0].Code] {
		t.Errorf("classify %d: %d areas: %.300s", rec.Code, len(cl.Areas), rec.Body.String())
	}
	// The mapping as YAML is what segmap import takes.
	rec = do(t, e, http.MethodGet, "/api/data/uploads/"+u.ID+"/mapping.yaml", nil, bearer...)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "Födda i Sverige") || !strings.Contains(rec.Header().Get("Content-Disposition"), ".mapping.yaml") {
		t.Fatalf("mapping.yaml: %d %s", rec.Code, rec.Body.String())
	}
	if _, err := data.ParseMapping("x.mapping.yaml", rec.Body.Bytes()); err != nil {
		t.Fatalf("mapping.yaml does not parse: %v", err)
	}
}

// TestDataPageReadsDuringImport: while an import's transaction is open
// (the job's progress hook runs inside it) the server answers reads, with
// the data as it was; the new data shows once the import is done.
func TestDataPageReadsDuringImport(t *testing.T) {
	ctx := context.Background()
	st, err := data.Open(ctx, filepath.Join(t.TempDir(), "s.gpkg"), data.OpenOptions{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	var e *echo.Echo
	var during []int
	var duringVersion int64 = -1
	dp := datapage.New(st, datapage.Options{Dir: t.TempDir(), Progress: func(_ string, done, _ int) {
		if duringVersion >= 0 {
			return
		}
		for _, path := range []string{"/api/meta", "/api/data/indicators", "/api/data/imports", "/healthz"} {
			during = append(during, do(t, e, http.MethodGet, path, nil).Code)
		}
		var meta struct {
			DataVersion int64 `json:"data_version"`
		}
		json.Unmarshal(do(t, e, http.MethodGet, "/api/meta", nil).Body.Bytes(), &meta)
		duringVersion = meta.DataVersion
	}})
	t.Cleanup(func() { dp.Close() })
	e = api.New(service.New(st, nil, service.Options{}), api.Options{APIToken: siteToken, DataPage: dp})
	v0, _ := st.DataVersion(ctx)
	u, _ := dataUpload(t, e, "deso_indicators_2022.csv", testdataFile(t, "indicators/deso_indicators_2022.csv"), http.StatusCreated)
	j := importAndWait(t, e, dp, u.ID, nil)
	if j.State != "done" {
		t.Fatalf("job %+v", j)
	}
	if len(during) != 4 || duringVersion != v0 {
		t.Fatalf("reads during the import: %v, data version %d (before %d)", during, duringVersion, v0)
	}
	for _, c := range during {
		if c != http.StatusOK {
			t.Errorf("a read during the import answered %d", c)
		}
	}
	if j.DataVersion <= v0 || j.Done != j.Total || j.Total < 5984 {
		t.Errorf("job after: %+v", j)
	}
}

// TestDataPageManageAndUndo: list, rename, delete a year, undo rules,
// boundary layers, and the token rules of the data routes.
func TestDataPageManageAndUndo(t *testing.T) {
	e, st, dp := emptyServer(t)
	ctx := context.Background()
	u, _ := dataUpload(t, e, "deso_2018_dalarna_3006.gpkg", testdataFile(t, "boundaries/deso_2018_dalarna_3006.gpkg"), http.StatusCreated)
	importAndWait(t, e, dp, u.ID, nil)
	const file = "dalarna_2022_cp1252_semikolon.csv"
	u, _ = dataUpload(t, e, file, testdataFile(t, "indicators/"+file), http.StatusCreated)
	if u.Preview.Encoding != "windows-1252" || u.Preview.Delimiter != "semicolon" || !u.Preview.Decimal || u.Preview.Join.Matched != 40 {
		t.Fatalf("preview %+v", u.Preview)
	}
	if j := importAndWait(t, e, dp, u.ID, nil); j.State != "done" {
		t.Fatalf("job %+v", j)
	}
	var list struct {
		Indicators []data.IndicatorSummary
	}
	rec := do(t, e, http.MethodGet, "/api/data/indicators", nil)
	json.Unmarshal(rec.Body.Bytes(), &list)
	// The file's three indicators, after the national ones the DeSO upload
	// imported.
	var mine []data.IndicatorSummary
	for _, ind := range list.Indicators {
		if ind.Origin == file {
			mine = append(mine, ind)
		}
	}
	if rec.Code != 200 || len(mine) != 3 || len(list.Indicators) < 20 || mine[0].Levels[0].Level != "deso" || mine[0].Levels[0].Rows != 40 {
		t.Fatalf("list %d %s", rec.Code, rec.Body.String())
	}
	id := mine[0].ID
	// Rename.
	rec = do(t, e, http.MethodPatch, "/api/data/indicators/"+id, []byte(`{"name_sv":"Låg standard","higher_is_better":null}`), append([]string{"Content-Type", "application/json"}, bearer...)...)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"name_sv":"Låg standard"`) || !strings.Contains(rec.Body.String(), `"higher_is_better":null`) {
		t.Fatalf("rename %d %s", rec.Code, rec.Body.String())
	}
	// A rename ends the undo of the import before it.
	rec = do(t, e, http.MethodPost, "/api/data/imports/undo", nil, bearer...)
	if rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), "ångra") {
		t.Fatalf("undo after rename %d %s", rec.Code, rec.Body.String())
	}
	// Delete one year.
	rec = do(t, e, http.MethodDelete, "/api/data/indicators/"+id+"?year=2022", nil, bearer...)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"deleted":`) {
		t.Fatalf("delete year %d %s", rec.Code, rec.Body.String())
	}
	if vs, _ := st.Values(ctx, data.ValuesQuery{Level: "deso", Indicator: id, Year: 2022}); len(vs) != 0 {
		t.Errorf("%d values left after the delete", len(vs))
	}
	if rec = do(t, e, http.MethodDelete, "/api/data/indicators/"+id+"?year=2022", nil, bearer...); rec.Code != 404 {
		t.Errorf("second delete %d", rec.Code)
	}
	// Import again, undo restores the state after the delete.
	before, _ := st.Values(ctx, data.ValuesQuery{Level: "deso", Indicator: mine[1].ID, Year: 2022})
	u, _ = dataUpload(t, e, file, testdataFile(t, "indicators/"+file), http.StatusCreated)
	importAndWait(t, e, dp, u.ID, nil)
	rec = do(t, e, http.MethodPost, "/api/data/imports/undo", nil, bearer...)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"undone":true`) {
		t.Fatalf("undo %d %s", rec.Code, rec.Body.String())
	}
	if vs, _ := st.Values(ctx, data.ValuesQuery{Level: "deso", Indicator: id, Year: 2022}); len(vs) != 0 {
		t.Errorf("undo brought back %d deleted values", len(vs))
	}
	after, _ := st.Values(ctx, data.ValuesQuery{Level: "deso", Indicator: mine[1].ID, Year: 2022})
	if len(after) != len(before) {
		t.Errorf("undo: %d values, %d before the import", len(after), len(before))
	}
	// History and boundary layers.
	rec = do(t, e, http.MethodGet, "/api/data/imports", nil)
	if rec.Code != 200 || strings.Count(rec.Body.String(), `"kind":"indicators"`) != 2 || strings.Count(rec.Body.String(), `"kind":"boundaries"`) != 1 {
		t.Errorf("imports %d %s", rec.Code, rec.Body.String())
	}
	rec = do(t, e, http.MethodGet, "/api/data/boundaries", nil)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"level":"deso"`) || !strings.Contains(rec.Body.String(), `"features":175`) {
		t.Errorf("boundaries %d %s", rec.Code, rec.Body.String())
	}
	rec = do(t, e, http.MethodDelete, "/api/data/boundaries/deso", nil, bearer...)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"deleted":175`) {
		t.Errorf("delete layer %d %s", rec.Code, rec.Body.String())
	}
	// The RegSO and kommun layers made from the DeSO stay.
	if rec = do(t, e, http.MethodGet, "/api/data/boundaries", nil); strings.Contains(rec.Body.String(), `"level":"deso"`) || !strings.Contains(rec.Body.String(), `"level":"regso"`) {
		t.Errorf("boundaries after delete %s", rec.Body.String())
	}
	// Tokens.
	mb, ct := multipartBody(t, file, testdataFile(t, "indicators/"+file), "")
	if rec = do(t, e, http.MethodPost, "/api/data/uploads", mb, "Content-Type", ct); rec.Code != 401 {
		t.Errorf("upload without token %d", rec.Code)
	}
	if rec = do(t, e, http.MethodGet, "/api/data/uploads/"+u.ID, nil); rec.Code != 401 {
		t.Errorf("upload read without token %d", rec.Code)
	}
}

// TestDataPageBadFiles: every bad file is a 400 naming the file and the
// place, in Swedish by default and in English with lang=en; nothing is staged.
func TestDataPageBadFiles(t *testing.T) {
	e, st, _ := emptyServer(t)
	v0, _ := st.DataVersion(context.Background())
	gp := testdataFile(t, "boundaries/deso_2018_dalarna_3006.gpkg")
	scb := testdataFile(t, "indicators/000005FB_20240813-152341.xlsx")
	tests := []struct {
		name, file string
		body       []byte
		lang       string
		want       []string
	}{
		{"broken gpkg", "trasig.gpkg", gp[:len(gp)/4], "", []string{"trasig.gpkg: filen kan inte öppnas som GeoPackage (SQLite-databas)"}},
		{"broken gpkg en", "trasig.gpkg", gp[:len(gp)/4], "en", []string{"trasig.gpkg: cannot open as a GeoPackage (SQLite) file"}},
		{"truncated SCB workbook", "000005FB.xlsx", scb[:len(scb)/2], "", []string{"000005FB.xlsx: filen är inte en giltig xlsx-arbetsbok (zip-arkivet kunde inte läsas)"}},
		{"truncated SCB workbook en", "000005FB.xlsx", scb[:len(scb)/2], "en", []string{"000005FB.xlsx: the file is not a valid xlsx workbook (the zip archive cannot be read)"}},
		{"no codes", "tabell.csv", []byte("namn;värde\nA;1\nB;2\n"), "", []string{"tabell.csv", "hittade ingen kolumn med områdeskoder"}},
		{"no codes en", "tabell.csv", []byte("namn;värde\nA;1\nB;2\n"), "en", []string{"tabell.csv", "found no column of area codes"}},
		{"bad row", "rad.csv", []byte("deso;v\n2021A0010;1\n2021A0020;x\n"), "", []string{"rad.csv", "ingen kolumn har tal"}},
		{"unknown kind", "data.pdf", []byte("%PDF"), "", []string{"data.pdf", "kan inte avgöra filens typ"}},
		{"empty", "tom.csv", []byte{}, "", []string{"tom.csv", "är tom"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var h []string
			if tc.lang != "" {
				h = []string{"Accept-Language", tc.lang}
			}
			_, body := dataUpload(t, e, tc.file, tc.body, http.StatusBadRequest, h...)
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("%s lacks %q", body, w)
				}
			}
		})
	}
	if v, _ := st.DataVersion(context.Background()); v != v0 {
		t.Error("a bad upload moved the data version")
	}
}

// TestDataPageBoundaryLevelLanguage: a level id the data page cannot use
// is refused in Swedish by default and in English on request.
func TestDataPageBoundaryLevelLanguage(t *testing.T) {
	e, _, _ := emptyServer(t)
	u, _ := dataUpload(t, e, "dalarna.gpkg", testdataFile(t, "boundaries/deso_2018_dalarna_3006.gpkg"), http.StatusCreated)
	for _, tc := range []struct{ lang, want string }{
		{"", `nivåns id "Min nivå": använd små bokstäver a–z, siffror och _`},
		{"en", `level id "Min nivå": use lower-case letters a–z, digits and _`},
	} {
		h := append([]string{"Content-Type", "application/json"}, bearer...)
		if tc.lang != "" {
			h = append(h, "Accept-Language", tc.lang)
		}
		rec := do(t, e, http.MethodPost, "/api/data/uploads/"+u.ID+"/preview", []byte(`{"mapping": {"level": "Min nivå", "code_field": "deso"}}`), h...)
		var msg struct {
			Error struct{ Code, Message string }
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &msg); err != nil || rec.Code != http.StatusBadRequest || !strings.Contains(msg.Error.Message, tc.want) {
			t.Errorf("lang %q: %d %s, want %q", tc.lang, rec.Code, rec.Body.String(), tc.want)
		}
	}
}

// TestDataPageBoundaryNotesLanguage: the repairs a boundary upload's
// preview lists (Dalarna's GeoPackage has rings wound both ways) are
// Swedish by default and English on request.
func TestDataPageBoundaryNotesLanguage(t *testing.T) {
	e, _, _ := emptyServer(t)
	gp := testdataFile(t, "boundaries/deso_2018_dalarna_3006.gpkg")
	sv, _ := dataUpload(t, e, "dalarna.gpkg", gp, http.StatusCreated)
	en, _ := dataUpload(t, e, "dalarna.gpkg", gp, http.StatusCreated, "Accept-Language", "en")
	svText, enText := strings.Join(sv.Preview.Fixed, "\n"), strings.Join(en.Preview.Fixed, "\n")
	if !strings.Contains(svText, "rättat: en ring med fel riktning: vänd till moturs (RFC 7946)") || !strings.Contains(svText, "objekt (första: objekt 0 (kod 2081C1130))") {
		t.Errorf("Swedish repairs %q", svText)
	}
	if !strings.Contains(enText, "wrong_winding: reversed to counter-clockwise") || !strings.Contains(enText, "features (first: feature 0 (code 2081C1130))") {
		t.Errorf("English repairs %q", enText)
	}
}
