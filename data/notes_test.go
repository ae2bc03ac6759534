package data

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func notesStore(t *testing.T) *Store {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "notes.gpkg"), OpenOptions{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	_, err = s.db.Exec(`INSERT INTO segmap_areas (level, code, name, regso, kommun, lan) VALUES
 ('deso', '0180C1010', 'A', '0180R001', '0180', '01'), ('deso', '0114A0010', 'B', '0114R001', '0114', '01'),
 ('kommun', '0180', 'Stockholm', NULL, NULL, '01')`)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestNotesCRUD(t *testing.T) {
	ctx := context.Background()
	s := notesStore(t)
	v0, _ := s.DataVersion(ctx)
	a, err := s.AddNote(ctx, Note{Level: "deso", Code: "0180C1010", Year: 2019, Text: "  nytt studentboende 2019 förklarar inkomstfallet ", Author: "Planeraren"})
	if err != nil {
		t.Fatal(err)
	}
	if a.ID <= 0 || a.Text != "nytt studentboende 2019 förklarar inkomstfallet" || a.Kommun != "0180" || a.Created == "" {
		t.Errorf("added note %+v", a)
	}
	if _, err := s.AddNote(ctx, Note{Level: "deso", Code: "0114A0010", Year: 2022, Text: "b"}); err != nil {
		t.Fatal(err)
	}
	k, err := s.AddNote(ctx, Note{Level: "kommun", Code: "0180", Year: 2015, Text: "kommunen"})
	if err != nil {
		t.Fatal(err)
	}
	if v1, _ := s.DataVersion(ctx); v1 != v0 {
		t.Errorf("notes moved the data version %d -> %d", v0, v1)
	}
	tests := []struct {
		q    NotesQuery
		want []int64
	}{
		{NotesQuery{Level: "deso", Code: "0180C1010"}, []int64{a.ID}},
		{NotesQuery{Kommuner: []string{"0180"}}, []int64{k.ID, a.ID}}, // by year
		{NotesQuery{Level: "deso", Kommuner: []string{"0180"}}, []int64{a.ID}},
		{NotesQuery{Kommuner: []string{"0136"}}, nil},
	}
	for _, tc := range tests {
		got, err := s.Notes(ctx, tc.q)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, n := range got {
			ids = append(ids, n.ID)
		}
		if !slices.Equal(ids, tc.want) {
			t.Errorf("Notes(%+v) = %v, want %v", tc.q, ids, tc.want)
		}
	}
	txt, yr := "ändrad", 2020
	u, err := s.UpdateNote(ctx, a.ID, NotePatch{Text: &txt, Year: &yr})
	if err != nil {
		t.Fatal(err)
	}
	if u.Text != txt || u.Year != 2020 || u.Author != "Planeraren" {
		t.Errorf("updated %+v", u)
	}
	if err := s.DeleteNote(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Note(ctx, a.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleted note: %v, want ErrNotFound", err)
	}
	if err := s.DeleteNote(ctx, a.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("delete twice: %v, want ErrNotFound", err)
	}
}

func TestNotesRefused(t *testing.T) {
	ctx := context.Background()
	s := notesStore(t)
	long := strings.Repeat("x", NoteMaxText+1)
	tests := []struct {
		name   string
		n      Note
		want   error
		sv, en string // the message for people in Swedish (default) and English
	}{
		{"empty text", Note{Level: "deso", Code: "0180C1010", Year: 2019, Text: "  "}, ErrInvalid,
			`anteckningen: fält "text": är tom; skriv vad du vet om området`, `note: field "text": is empty`},
		{"long text", Note{Level: "deso", Code: "0180C1010", Year: 2019, Text: long}, ErrInvalid,
			`anteckningen: fält "text": har 2001 tecken; högst 2000 tecken är tillåtna`, `note: field "text": has 2001 characters; at most 2000`},
		{"long author", Note{Level: "deso", Code: "0180C1010", Year: 2019, Text: "x", Author: strings.Repeat("Å", NoteMaxAuthor+1)}, ErrInvalid,
			`anteckningen: fält "author": har fler än 200 tecken`, `note: field "author": has more than 200 characters`},
		{"year", Note{Level: "deso", Code: "0180C1010", Year: 19, Text: "x"}, ErrInvalid,
			`anteckningen: fält "year": ska vara ett år mellan 1900 och 2100, inte 19`, `note: field "year": must be a year between 1900 and 2100, got 19`},
		{"unknown area", Note{Level: "deso", Code: "0180C9999", Year: 2019, Text: "x"}, ErrNotFound, "0180C9999", "0180C9999"},
		{"unknown indicator", Note{Level: "deso", Code: "0180C1010", Year: 2019, Text: "x", Indicator: "nope"}, ErrNotFound, "nope", "nope"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.AddNote(ctx, tc.n)
			if !errors.Is(err, tc.want) {
				t.Fatalf("AddNote: %v, want %v", err, tc.want)
			}
			if errors.Is(tc.want, ErrInvalid) && !strings.Contains(err.Error(), "field") {
				t.Errorf("message %q does not name the field", err)
			}
			checkLanguages(t, err, []string{tc.sv}, []string{tc.en})
		})
	}
	if n, _ := s.Notes(ctx, NotesQuery{}); len(n) != 0 {
		t.Errorf("refused notes were stored: %v", n)
	}
}

// TestNotesVersion: every change of a note moves the notes version (what
// shows notes is cached by it) and leaves the data version (tiles) alone;
// a refused change moves neither.
func TestNotesVersion(t *testing.T) {
	ctx := context.Background()
	s := notesStore(t)
	d0, _ := s.DataVersion(ctx)
	var id int64
	text := "ändrad"
	steps := []struct {
		name   string
		change func() error
		moves  bool
	}{
		{"add", func() error {
			n, err := s.AddNote(ctx, Note{Level: "deso", Code: "0180C1010", Year: 2019, Text: "a"})
			id = n.ID
			return err
		}, true},
		{"update", func() error { _, err := s.UpdateNote(ctx, id, NotePatch{Text: &text}); return err }, true},
		{"refused add", func() error {
			_, err := s.AddNote(ctx, Note{Level: "deso", Code: "0180C1010", Year: 1500, Text: "a"})
			if err == nil {
				return errors.New("a note of 1500 was stored")
			}
			return nil
		}, false},
		{"delete", func() error { return s.DeleteNote(ctx, id) }, true},
		{"delete again", func() error {
			if err := s.DeleteNote(ctx, id); !errors.Is(err, ErrNotFound) {
				return errors.New("a second delete did not say not found")
			}
			return nil
		}, false},
	}
	prev, err := s.NotesVersion(ctx)
	if err != nil || prev != 0 {
		t.Fatalf("new store: notes version %d, %v", prev, err)
	}
	for _, st := range steps {
		if err := st.change(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		v, err := s.NotesVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if (v != prev) != st.moves {
			t.Errorf("%s: notes version %d → %d, want moved %v", st.name, prev, v, st.moves)
		}
		prev = v
	}
	if d, _ := s.DataVersion(ctx); d != d0 {
		t.Errorf("data version %d → %d after note changes", d0, d)
	}
}
