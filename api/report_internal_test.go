package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
)

func FuzzNoteBody(f *testing.F) {
	for _, s := range []string{`{"year": 2019, "text": "nytt studentboende"}`, `{}`, `{"year": "x"}`, `null`, `[]`, `{"text": "a", "extra": 1}`, ``, `{"year": 2019}{"year": 2020}`} {
		f.Add(s)
	}
	e := echo.New()
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest(http.MethodPost, "/api/areas/deso/0180C1010/notes", strings.NewReader(body))
		c := e.NewContext(req, httptest.NewRecorder())
		b, err := readNoteBody(c)
		if err != nil {
			return
		}
		if b.Text != nil && !utf8.ValidString(*b.Text) && utf8.ValidString(body) {
			t.Fatalf("valid UTF-8 body %q gave invalid text %q", body, *b.Text)
		}
	})
}
