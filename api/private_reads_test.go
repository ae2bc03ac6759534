package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/segmap/segmap/api"
	"github.com/segmap/segmap/data"
)

// The texts of the notes the private-read tests add; no read path may show
// them to a reader without the token under --private-reads.
const (
	secretKommunNote = "hemlig kommunanteckning om Botkyrka"
	secretDeSONote   = "hemlig DeSO-anteckning om nybygget"
)

// notedServer is a writable server with opts and two notes in Botkyrka
// (0127): one on the kommun, one on its first DeSO (returned).
func notedServer(t *testing.T, opts api.Options) (*echo.Echo, string) {
	t.Helper()
	e, _ := writableServer(t, opts)
	deso, err := testStore.Areas(context.Background(), data.LevelDeSO, data.AreasOptions{Kommuner: []string{"0127"}})
	if err != nil || len(deso) == 0 {
		t.Fatalf("DeSO of 0127: %d, %v", len(deso), err)
	}
	auth := []string{"Authorization", "Bearer " + testToken}
	for _, n := range []struct{ path, text string }{
		{"/api/areas/kommun/0127/notes", secretKommunNote},
		{"/api/areas/deso/" + deso[0].Code + "/notes", secretDeSONote},
	} {
		body := `{"year": 2023, "text": "` + n.text + `", "author": "planerare"}`
		if rec := doJSON(t, e, http.MethodPost, n.path, body, auth...); rec.Code != http.StatusCreated {
			t.Fatalf("POST %s: %d %s", n.path, rec.Code, rec.Body.String())
		}
	}
	return e, deso[0].Code
}

// TestPrivateReadsReport: under --private-reads the report (JSON and HTML,
// which is also the print version) carries the notes only for the token
// holder; anyone else gets the report without them and one sentence
// saying so, never a 401. Without --private-reads everyone sees them.
func TestPrivateReadsReport(t *testing.T) {
	if testing.Short() {
		t.Skip("builds four reports; the full run covers it")
	}
	private, _ := notedServer(t, api.Options{APIToken: testToken, PrivateReads: true})
	public, _ := notedServer(t, api.Options{APIToken: testToken})
	const target = "/report?kommun=0127"
	token := []string{"Authorization", "Bearer " + testToken}
	wrong := []string{"Authorization", "Bearer not-the-token-not-the-token-xx"}
	tests := []struct {
		name    string
		e       *echo.Echo
		headers []string
		shown   bool
	}{
		// The token holder first: their report is built and kept, and
		// must not be what the next reader without the token gets.
		{"private, token", private, token, true},
		{"private, no token", private, nil, false},
		{"private, wrong token", private, wrong, false},
		{"private, token again", private, token, true},
		{"public, no token", public, nil, true},
	}
	for _, tc := range tests {
		for _, format := range []string{"json", "html"} {
			name := tc.name + " " + format
			rec := serve(t, tc.e, target+"&format="+format, tc.headers...)
			if rec.Code != http.StatusOK {
				t.Fatalf("%s: %d %s", name, rec.Code, rec.Body.String())
			}
			body := rec.Body.String()
			for _, secret := range []string{secretKommunNote, secretDeSONote, "planerare"} {
				if strings.Contains(body, secret) != tc.shown {
					t.Errorf("%s: note text %q shown %v, want %v", name, secret, !tc.shown, tc.shown)
				}
			}
			if format == "json" {
				var r struct {
					Notes       []json.RawMessage `json:"notes"`
					NotesHidden string            `json:"notes_hidden"`
				}
				if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
					t.Fatal(err)
				}
				if tc.shown != (len(r.Notes) == 2) || tc.shown != (r.NotesHidden == "") {
					t.Errorf("%s: %d notes, notes_hidden %q", name, len(r.Notes), r.NotesHidden)
				}
			} else if hidden := strings.Contains(body, `id="notes-hidden"`); hidden == tc.shown {
				t.Errorf("%s: the sentence that notes are hidden shown %v", name, hidden)
			}
			if tc.e == private {
				if cc := rec.Header().Get("Cache-Control"); !strings.Contains(cc, "private") {
					t.Errorf("%s: Cache-Control %q under private reads", name, cc)
				}
				if !strings.Contains(strings.Join(rec.Header().Values("Vary"), ","), "Authorization") {
					t.Errorf("%s: Vary %q lacks Authorization", name, rec.Header().Values("Vary"))
				}
			}
		}
	}
}

// TestPrivateReadsOtherPaths: every other read path a reader without the
// token can reach under --private-reads either refuses (the notes routes)
// or carries no note: the area profile, exports, map pictures, the embed
// page, oEmbed, TileJSON, the style and the metadata. (Site layers and
// their tiles, cached or not, are TestSitesAccess.)
func TestPrivateReadsOtherPaths(t *testing.T) {
	e, deso := notedServer(t, api.Options{APIToken: testToken, PrivateReads: true})
	for _, path := range []string{"/api/areas/kommun/0127/notes", "/api/areas/deso/" + deso + "/notes"} {
		if rec := serve(t, e, path); rec.Code != http.StatusUnauthorized {
			t.Errorf("GET %s without the token: %d, want 401", path, rec.Code)
		}
		rec := serve(t, e, path, "Authorization", "Bearer "+testToken)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "hemlig") {
			t.Errorf("GET %s with the token: %d %s", path, rec.Code, rec.Body.String())
		}
	}
	q := "level=deso&indicator=low_econ_standard_pct&year=2022&kommun=0127"
	embed := "https://karta.example.se/embed?" + q
	for _, path := range []string{
		"/api/areas/deso/" + deso + "/profile",
		"/api/areas/kommun/0127/profile",
		"/api/export.csv?" + q,
		"/api/export.geojson?" + q,
		"/api/export.xlsx?" + q,
		"/api/map.svg?" + q,
		"/embed?" + q,
		"/api/oembed?url=" + url.QueryEscape(embed),
		"/tiles/deso.json",
		"/style.json",
		"/api/meta",
		"/api/change?level=deso&indicator=net_income_mean_tkr&kommun=0127",
	} {
		rec := serve(t, e, path)
		if rec.Code >= 500 {
			t.Errorf("GET %s: %d %s", path, rec.Code, rec.Body.String())
			continue
		}
		body := rec.Body.String()
		if strings.Contains(body, secretKommunNote) || strings.Contains(body, secretDeSONote) || strings.Contains(body, "hemlig") {
			t.Errorf("GET %s without the token shows a note", path)
		}
	}
}
