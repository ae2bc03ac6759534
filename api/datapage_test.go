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
	dp := datapage.New(st, datapage.Options{Dir: t.TempDir()})
	t.Cleanup(func() { dp.Close() })
	svc := service.New(st, nil, service.Options{})
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
		Join       data.JoinPreview
	} `json:"preview"`
}

type jobResp struct {
	ID          string `json:"id"`
	State       string `json:"state"`
	Done, Total int
	ImportID    int64 `json:"import_id"`
	DataVersion int64 `json:"data_version"`
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
// preview → import; the stored values are the file's, every Dalarna DeSO
// matches and the rest of Sweden is reported as another kommun.
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
	j := importAndWait(t, e, dp, u.ID, nil)
	if j.State != "done" || j.ImportID == 0 || j.DataVersion <= v0 {
		t.Fatalf("boundary job %+v", j)
	}
	areas, err := st.Areas(ctx, "deso", data.AreasOptions{})
	if err != nil || len(areas) != u.Preview.Features {
		t.Fatalf("%d areas stored (%v), want %d", len(areas), err, u.Preview.Features)
	}

	const file = "000005FB_20240813-152341.xlsx"
	u, _ = dataUpload(t, e, file, testdataFile(t, "indicators/"+file), http.StatusCreated)
	p := u.Preview
	if u.Kind != "indicators" || u.Format != "scb" || p.Level != "deso" || p.CodeColumn != "A" || p.Geography != "deso2018" || p.YearLayout != "columns" || len(p.Years) != 1 || p.Years[0] != 2022 {
		t.Fatalf("indicator preview: %+v", u)
	}
	if p.Join.Matched != len(areas) || p.Join.Causes["other_kommun"] < 5000 || p.Join.Unmatched != p.Join.Causes["other_kommun"] {
		t.Errorf("join: matched %d (want %d), causes %v", p.Join.Matched, len(areas), p.Join.Causes)
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
	if err != nil || len(vals) != len(areas) {
		t.Fatalf("%d values (%v), want %d", len(vals), err, len(areas))
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
	// The mapping as YAML is what segmap import takes.
	rec := do(t, e, http.MethodGet, "/api/data/uploads/"+u.ID+"/mapping.yaml", nil, bearer...)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "Födda i Sverige") || !strings.Contains(rec.Header().Get("Content-Disposition"), ".mapping.yaml") {
		t.Fatalf("mapping.yaml: %d %s", rec.Code, rec.Body.String())
	}
	if _, err := data.ParseMapping("x.mapping.yaml", rec.Body.Bytes()); err != nil {
		t.Fatalf("mapping.yaml does not parse: %v", err)
	}
}
