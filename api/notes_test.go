package api_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/segmap/segmap/api"
	"github.com/segmap/segmap/data"
)

const testToken = "a-test-token-of-32-characters!!!"

func doJSON(t *testing.T, e *echo.Echo, method, target, body string, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

type noteJSON struct {
	ID        int64  `json:"id"`
	Level     string `json:"level"`
	Code      string `json:"code"`
	Year      int    `json:"year"`
	Indicator string `json:"indicator"`
	Text      string `json:"text"`
	Author    string `json:"author"`
	Kommun    string `json:"kommun"`
}

func TestNotesRefusedWithoutToken(t *testing.T) {
	const notes = "/api/areas/deso/0180C1010/notes"
	body := `{"year": 2019, "text": "nytt studentboende 2019 förklarar inkomstfallet"}`
	open, _ := writableServer(t, api.Options{}) // no token configured: writes disabled
	guarded, _ := writableServer(t, api.Options{APIToken: testToken})
	private, _ := writableServer(t, api.Options{APIToken: testToken, PrivateReads: true})
	auth := "Bearer " + testToken
	tests := []struct {
		name   string
		e      *echo.Echo
		method string
		target string
		header []string
		status int
	}{
		{"no token configured: POST", open, http.MethodPost, notes, nil, http.StatusForbidden},
		{"no token configured: PATCH", open, http.MethodPatch, notes + "/1", []string{"Authorization", auth}, http.StatusForbidden},
		{"no token configured: DELETE", open, http.MethodDelete, notes + "/1", nil, http.StatusForbidden},
		{"no token configured: GET is public", open, http.MethodGet, notes, nil, http.StatusOK},
		{"missing token", guarded, http.MethodPost, notes, nil, http.StatusUnauthorized},
		{"wrong token", guarded, http.MethodPost, notes, []string{"Authorization", "Bearer wrong-token-wrong-token"}, http.StatusUnauthorized},
		{"basic auth is not a bearer token", guarded, http.MethodPost, notes, []string{"Authorization", "Basic " + testToken}, http.StatusUnauthorized},
		{"missing token: DELETE", guarded, http.MethodDelete, notes + "/1", nil, http.StatusUnauthorized},
		{"public reads", guarded, http.MethodGet, notes, nil, http.StatusOK},
		{"private reads without token", private, http.MethodGet, notes, nil, http.StatusUnauthorized},
		{"private reads with token", private, http.MethodGet, notes, []string{"Authorization", auth}, http.StatusOK},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := ""
			if tc.method == http.MethodPost || tc.method == http.MethodPatch {
				b = body
			}
			rec := doJSON(t, tc.e, tc.method, tc.target, b, tc.header...)
			if rec.Code != tc.status {
				t.Fatalf("%s %s: %d, want %d: %s", tc.method, tc.target, rec.Code, tc.status, rec.Body.String())
			}
			if tc.status == http.StatusUnauthorized && !strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("401 without a Bearer challenge")
			}
			if tc.status >= 400 {
				var e errorResponse
				if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error.Message == "" {
					t.Errorf("error body %s", rec.Body.String())
				}
			}
		})
	}
	// Nothing was written by the refused requests.
	var list struct{ Notes []noteJSON }
	rec := doJSON(t, guarded, http.MethodGet, notes, "")
	if err := json.Unmarshal(rec.Body.Bytes(), &list); err != nil || len(list.Notes) != 0 {
		t.Errorf("notes after refusals: %s", rec.Body.String())
	}
}

func TestNotesCRUDAndReport(t *testing.T) {
	e, _ := writableServer(t, api.Options{APIToken: testToken})
	auth := []string{"Authorization", "Bearer " + testToken}
	const area = "/api/areas/deso/0180C1010/notes"
	rec := doJSON(t, e, http.MethodPost, area, `{"year": 2019, "indicator": "net_income_mean_tkr", "text": "Nytt studentboende 2019 förklarar inkomstfallet", "author": "Översiktsplaneringen"}`, auth...)
	if rec.Code != http.StatusCreated {
		t.Fatalf("POST: %d %s", rec.Code, rec.Body.String())
	}
	var n noteJSON
	if err := json.Unmarshal(rec.Body.Bytes(), &n); err != nil {
		t.Fatal(err)
	}
	if n.ID == 0 || n.Kommun != "0180" || n.Year != 2019 || rec.Header().Get("Location") != "http://example.com"+area+"/"+idStr(n.ID) {
		t.Errorf("created %+v, Location %q", n, rec.Header().Get("Location"))
	}
	kn := doJSON(t, e, http.MethodPost, "/api/areas/kommun/0180/notes", `{"year": 2022, "text": "Ny översiktsplan antagen"}`, auth...)
	if kn.Code != http.StatusCreated {
		t.Fatalf("POST kommun note: %d %s", kn.Code, kn.Body.String())
	}

	bad := []struct {
		method, target, body string
		status               int
		sv, en               string // in the message, Swedish by default and English with lang=en
	}{
		{http.MethodPost, area, `{"year": 2019}`, http.StatusBadRequest, `en anteckning behöver "year" och "text"`, `a note needs "year" and "text"`},
		{http.MethodPost, area, `{"year": 2019, "text": "   "}`, http.StatusBadRequest, `anteckningen: fält "text": är tom`, `note: field "text": is empty`},
		{http.MethodPost, area, `{"year": 1066, "text": "x"}`, http.StatusBadRequest, `anteckningen: fält "year": ska vara ett år mellan 1900 och 2100, inte 1066`, `note: field "year": must be a year between 1900 and 2100, got 1066`},
		{http.MethodPost, area, `{"year": 2019, "text": "x", "colour": "red"}`, http.StatusBadRequest, "innehållet ska vara ett JSON-objekt", "the body must be a JSON object"},
		{http.MethodPost, area, `not json`, http.StatusBadRequest, "innehållet ska vara ett JSON-objekt", "the body must be a JSON object"},
		{http.MethodPost, area, `{"year": 2019, "text": "` + strings.Repeat("å", data.NoteMaxText+1) + `"}`, http.StatusBadRequest,
			`anteckningen: fält "text": har 2001 tecken; högst 2000 tecken är tillåtna`, `note: field "text": has 2001 characters; at most 2000 are allowed`},
		{http.MethodPost, area, `{"year": 2019, "text": "x", "author": "` + strings.Repeat("Ö", data.NoteMaxAuthor+1) + `"}`, http.StatusBadRequest,
			`anteckningen: fält "author": har fler än 200 tecken`, `note: field "author": has more than 200 characters`},
		{http.MethodPost, area, `{"year": 2019, "text": "x", "indicator": "nope"}`, http.StatusNotFound, `"nope"`, `"nope"`},
		{http.MethodPost, "/api/areas/deso/0180C9999/notes", `{"year": 2019, "text": "x"}`, http.StatusNotFound, "0180C9999", "0180C9999"},
		{http.MethodPost, "/api/areas/nolevel/0180/notes", `{"year": 2019, "text": "x"}`, http.StatusNotFound, `"nolevel"`, `"nolevel"`},
		{http.MethodPatch, area + "/abc", `{"text": "x"}`, http.StatusBadRequest, `anteckningens id ska vara ett positivt heltal, inte "abc"`, `note id must be a positive integer, got "abc"`},
		{http.MethodPatch, "/api/areas/deso/0180C1020/notes/" + idStr(n.ID), `{"text": "x"}`, http.StatusNotFound, "", ""}, // another area's note
		{http.MethodDelete, area + "/999999", ``, http.StatusNotFound, "999999", "999999"},
	}
	for _, tc := range bad {
		rec := doJSON(t, e, tc.method, tc.target, tc.body, auth...)
		if rec.Code != tc.status {
			t.Errorf("%s %s %.40s: %d, want %d: %s", tc.method, tc.target, tc.body, rec.Code, tc.status, rec.Body.String())
			continue
		}
		en := doJSON(t, e, tc.method, tc.target+"?lang=en", tc.body, auth...)
		var msg [2]struct{ Error struct{ Message string } }
		json.Unmarshal(rec.Body.Bytes(), &msg[0])
		json.Unmarshal(en.Body.Bytes(), &msg[1])
		sv, eng := msg[0].Error.Message, msg[1].Error.Message
		if sv == "" || sv == eng || !strings.Contains(sv, tc.sv) || !strings.Contains(eng, tc.en) {
			t.Errorf("%s %s %.40s: Swedish %q (want %q), English %q (want %q)", tc.method, tc.target, tc.body, sv, tc.sv, eng, tc.en)
		}
	}

	rec = doJSON(t, e, http.MethodPatch, area+"/"+idStr(n.ID), `{"text": "Nytt studentboende 2019 förklarar inkomstfallet i området"}`, auth...)
	var u noteJSON
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &u) != nil || u.Year != 2019 || u.Author != "Översiktsplaneringen" || !strings.HasSuffix(u.Text, "i området") {
		t.Fatalf("PATCH: %d %s", rec.Code, rec.Body.String())
	}
	var list struct {
		Notes []noteJSON `json:"notes"`
	}
	rec = doJSON(t, e, http.MethodGet, area, "")
	if err := json.Unmarshal(rec.Body.Bytes(), &list); err != nil || len(list.Notes) != 1 || list.Notes[0].Text != u.Text {
		t.Fatalf("GET notes: %s", rec.Body.String())
	}

	if testing.Short() {
		return // the notes in the report: the full run builds it
	}
	// The report lists both notes; the kommun note is a marker on the ojämlikhetsindex chart.
	rec = doJSON(t, e, http.MethodGet, "/report?kommun=0180", "")
	page := rec.Body.String()
	if rec.Code != http.StatusOK || !strings.Contains(page, "Nytt studentboende 2019 förklarar inkomstfallet i området") ||
		!strings.Contains(page, "Ny översiktsplan antagen") || !strings.Contains(page, `class="marker"`) {
		t.Errorf("report lacks the notes or the chart marker (status %d)", rec.Code)
	}
	// A note on an area in the change table is shown beside it.
	var rj struct {
		Change struct {
			Change struct {
				From int `json:"from"`
			} `json:"change"`
			Increases []struct {
				Code string `json:"code"`
			} `json:"increases"`
		} `json:"change"`
	}
	if err := json.Unmarshal(doJSON(t, e, http.MethodGet, "/report?kommun=0180&format=json", "").Body.Bytes(), &rj); err != nil || len(rj.Change.Increases) == 0 {
		t.Fatalf("report JSON: %v", err)
	}
	top := rj.Change.Increases[0].Code
	body := `{"year": ` + strconv.Itoa(rj.Change.Change.From+1) + `, "text": "Nya bostadsrätter på kajen"}`
	if rec := doJSON(t, e, http.MethodPost, "/api/areas/deso/"+top+"/notes", body, auth...); rec.Code != http.StatusCreated {
		t.Fatalf("POST note on %s: %d %s", top, rec.Code, rec.Body.String())
	}
	if page := doJSON(t, e, http.MethodGet, "/report?kommun=0180", "").Body.String(); !strings.Contains(page, "✎ "+strconv.Itoa(rj.Change.Change.From+1)+": Nya bostadsrätter på kajen") {
		t.Error("the change table does not show the note on its top area")
	}
	// Another kommun's report does not.
	if other := doJSON(t, e, http.MethodGet, "/report?kommun=0114", "").Body.String(); strings.Contains(other, "studentboende") {
		t.Error("Upplands Väsby's report shows a Stockholm note")
	}

	if rec = doJSON(t, e, http.MethodDelete, area+"/"+idStr(n.ID), "", auth...); rec.Code != http.StatusNoContent {
		t.Fatalf("DELETE: %d %s", rec.Code, rec.Body.String())
	}
	rec = doJSON(t, e, http.MethodGet, area, "")
	if err := json.Unmarshal(rec.Body.Bytes(), &list); err != nil || len(list.Notes) != 0 {
		t.Errorf("after DELETE: %s", rec.Body.String())
	}
}

func TestNotesReadOnlyStore(t *testing.T) {
	// The shared test store is read-only: a write is a 403 read_only, not a 500.
	e := api.New(testSvc, api.Options{APIToken: testToken})
	rec := doJSON(t, e, http.MethodPost, "/api/areas/deso/0180C1010/notes", `{"year": 2019, "text": "x"}`, "Authorization", "Bearer "+testToken)
	if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), `"read_only"`) {
		t.Errorf("POST to a read-only store: %d %s", rec.Code, rec.Body.String())
	}
}

func idStr(n int64) string { return strconv.FormatInt(n, 10) }
