package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/data/national"
)

// completedReport is a DeSO job's report as the page reads it.
type completedReport struct {
	Level     string   `json:"level"`
	Features  int      `json:"features"`
	Fixed     []string `json:"fixed"`
	Completed *struct {
		Levels []struct {
			Level string `json:"level"`
			Areas int    `json:"areas"`
		} `json:"levels"`
		Linked   int      `json:"linked"`
		Splits   []string `json:"splits"`
		Unlinked []string `json:"unlinked"`
		Notes    []string `json:"notes"`
	} `json:"completed"`
}

func (r completedReport) areas(level string) int {
	if r.Completed == nil {
		return -1
	}
	for _, l := range r.Completed.Levels {
		if l.Level == level {
			return l.Areas
		}
	}
	return -1
}

// cliCounts are the feature counts per level that `segmap import
// boundaries --level deso FILE` gives (its code: ImportBoundaries, then
// national.Complete) in a new store.
func cliCounts(t *testing.T, rel string) map[string]int {
	t.Helper()
	ctx := context.Background()
	st, err := data.Open(ctx, filepath.Join(t.TempDir(), "cli.gpkg"), data.OpenOptions{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.ImportBoundaries(ctx, filepath.Join("..", "testdata", rel), data.BoundaryOptions{Level: data.LevelDeSO}); err != nil {
		t.Fatal(err)
	}
	if _, err := national.Complete(ctx, st, national.CompleteOptions{}); err != nil {
		t.Fatal(err)
	}
	return featureCounts(t, st)
}

// tilePath is the URL of level's tile at zoom 10 that holds lon, lat.
func tilePath(level string, lon, lat float64) string {
	x, y := tileOf(lon, lat, 10)
	return fmt.Sprintf("/tiles/%s/10/%d/%d.mvt", level, x, y)
}

func featureCounts(t *testing.T, st *data.Store) map[string]int {
	t.Helper()
	levels, err := st.Levels(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, l := range levels {
		if l.FeatureCount > 0 {
			out[l.ID] = l.FeatureCount
		}
	}
	return out
}

// TestDataPageDeSOCompletesStore: a DeSO upload on the data page completes
// the store as the command line does, in the import's one transaction:
// from an empty store, Dalarna's DeSO GeoPackage (SWEREF 99 TM) gives DeSO,
// RegSO and kommun polygons, as many as segmap import gives for the same
// file, the RegSO tiles answer, the job's report says what was made, the
// history has one undoable row, and one undo takes it all away. Växjö's
// DeSO 2025 file (in the full run) gives what the command line gives too,
// its splits reported in the request's language.
func TestDataPageDeSOCompletesStore(t *testing.T) {
	tests := []struct {
		rel, lang, note string
		fixed           string // in the report's repairs, in the import's language
		splits          int
		lon, lat        float64
		slow            bool // skipped under -short
	}{
		{"boundaries/deso_2018_dalarna_3006.gpkg", "sv", "", "rättat: en ring med fel riktning", 0, 15.63, 60.61, true},
		{"boundaries/deso_2018_dalarna_3006.gpkg", "en", "", "wrong_winding: reversed to counter-clockwise", 0, 15.63, 60.61, true},
		{"boundaries/deso_2025_vaxjo_4326.geojson", "en", "6 DeSO 2025 codes split a DeSO 2018 area and follow its RegSO and kommun (e.g. 0780C1021)", "", 6, 14.81, 56.88, true},
	}
	for _, tc := range tests {
		t.Run(filepath.Base(tc.rel)+"/"+tc.lang, func(t *testing.T) {
			if tc.slow && testing.Short() {
				t.Skip("two national imports per region; the full run covers it (under -short the other data page tests import a DeSO file with completion)")
			}
			t.Parallel()
			e, st, dp := emptyServer(t)
			ctx := context.Background()
			want := cliCounts(t, tc.rel)
			u, _ := dataUpload(t, e, filepath.Base(tc.rel), testdataFile(t, tc.rel), http.StatusCreated)
			rec := do(t, e, http.MethodPost, "/api/data/uploads/"+u.ID+"/import?lang="+tc.lang, nil, bearer...)
			if rec.Code != http.StatusAccepted {
				t.Fatalf("import: %d %s", rec.Code, rec.Body.String())
			}
			var j jobResp
			json.Unmarshal(rec.Body.Bytes(), &j)
			waitJob(t, dp, j.ID)
			rec = do(t, e, http.MethodGet, "/api/data/jobs/"+j.ID, nil, bearer...)
			j = jobResp{}
			json.Unmarshal(rec.Body.Bytes(), &j)
			if j.State != "done" || j.Step != "complete" {
				t.Fatalf("job %s", rec.Body.String())
			}
			var r completedReport
			if err := json.Unmarshal(j.Report, &r); err != nil || r.Completed == nil {
				t.Fatalf("report %s %v", j.Report, err)
			}
			got := featureCounts(t, st)
			if len(want) != 3 || fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("feature counts %v, the command line makes %v", got, want)
			}
			if r.Features != want["deso"] || r.areas("regso") != want["regso"] || r.areas("kommun") != want["kommun"] ||
				r.Completed.Linked != want["deso"] || len(r.Completed.Splits) != tc.splits || len(r.Completed.Unlinked) != 0 {
				t.Errorf("report %s", j.Report)
			}
			if notes := strings.Join(r.Completed.Notes, "\n"); notes != tc.note {
				t.Errorf("notes %q, want %q", notes, tc.note)
			}
			// The upload was previewed in Swedish; the report speaks the import's language.
			if fixed := strings.Join(r.Fixed, "\n"); !strings.Contains(fixed, tc.fixed) {
				t.Errorf("repairs %q, want them to say %q", fixed, tc.fixed)
			}
			// The map follows: RegSO and kommun tiles answer at once.
			for _, level := range []string{"regso", "kommun"} {
				if rec := do(t, e, http.MethodGet, "/tiles/"+level+".json", nil); rec.Code != http.StatusOK {
					t.Fatalf("/tiles/%s.json: %d", level, rec.Code)
				}
				rec := do(t, e, http.MethodGet, tilePath(level, tc.lon, tc.lat), nil)
				if rec.Code != http.StatusOK {
					t.Fatalf("a %s tile: %d", level, rec.Code)
				}
				n := 0
				for _, l := range decodeTile(t, rec.Body.Bytes()) {
					n += len(l.Features)
				}
				if n == 0 {
					t.Errorf("the %s tile %s has no feature", level, tilePath(level, tc.lon, tc.lat))
				}
			}
			// One history row, undoable; its undo takes every level away.
			var hist struct {
				Imports []data.ImportRecord `json:"imports"`
			}
			rec = do(t, e, http.MethodGet, "/api/data/imports", nil)
			json.Unmarshal(rec.Body.Bytes(), &hist)
			if len(hist.Imports) != 1 || !hist.Imports[0].Undoable || hist.Imports[0].ID != j.ImportID {
				t.Fatalf("history %s", rec.Body.String())
			}
			rec = do(t, e, http.MethodPost, "/api/data/imports/undo", nil, bearer...)
			if rec.Code != http.StatusOK {
				t.Fatalf("undo %d %s", rec.Code, rec.Body.String())
			}
			if got := featureCounts(t, st); len(got) != 0 {
				t.Errorf("after undo: %v", got)
			}
			if areas, err := st.Areas(ctx, data.LevelRegSO, data.AreasOptions{}); err != nil || len(areas) != 0 {
				t.Errorf("after undo: %d RegSO (%v)", len(areas), err)
			}
			inds, err := st.Indicators(ctx)
			if err != nil || len(inds) != 0 {
				t.Errorf("after undo: %d indicators (%v)", len(inds), err)
			}
			if rec := do(t, e, http.MethodGet, "/tiles/regso.json", nil); rec.Code != http.StatusNotFound {
				t.Errorf("/tiles/regso.json after undo: %d", rec.Code)
			}
		})
	}
}

// TestDataPageDeSOWithoutCompletion: "complete": false in the boundary
// mapping imports the DeSO alone, as segmap import --national=false does:
// from an empty store, Dalarna's DeSO GeoPackage gives the deso layer and
// nothing else (no RegSO or kommun polygons, no reference indicators), the
// job's report has no completion; a misspelt key is refused naming the keys.
func TestDataPageDeSOWithoutCompletion(t *testing.T) {
	t.Parallel()
	e, st, dp := emptyServer(t)
	rel := "boundaries/deso_2018_dalarna_3006.gpkg"
	u, _ := dataUpload(t, e, filepath.Base(rel), testdataFile(t, rel), http.StatusCreated)
	j := importAndWait(t, e, dp, u.ID, json.RawMessage(`{"level": "deso", "complete": false}`))
	if j.State != "done" {
		t.Fatalf("job %+v", j)
	}
	var r completedReport
	if err := json.Unmarshal(j.Report, &r); err != nil {
		t.Fatal(err)
	}
	if r.Completed != nil || r.Features != 175 {
		t.Errorf("report %s: want 175 DeSO and no completion", j.Report)
	}
	if got := featureCounts(t, st); fmt.Sprint(got) != "map[deso:175]" {
		t.Errorf("feature counts %v, want the DeSO alone", got)
	}
	inds, err := st.Indicators(context.Background())
	if err != nil || len(inds) != 0 {
		t.Errorf("indicators after a DeSO import without completion: %d, %v", len(inds), err)
	}
	// A mapping key the page does not know is refused, naming the keys.
	u2, _ := dataUpload(t, e, filepath.Base(rel), testdataFile(t, rel), http.StatusCreated)
	body, _ := json.Marshal(map[string]json.RawMessage{"mapping": json.RawMessage(`{"level": "deso", "completed": false}`)})
	rec := do(t, e, http.MethodPost, "/api/data/uploads/"+u2.ID+"/import", body, append([]string{"Content-Type", "application/json"}, bearer...)...)
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "complete)") {
		t.Errorf("unknown key: %d %s", rec.Code, rec.Body.String())
	}
}
