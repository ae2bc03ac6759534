package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Note is a planner's local knowledge about an area in a year, e.g. "nytt
// studentboende 2019 förklarar inkomstfallet". Indicator optionally names the
// indicator the note explains ("" = the area in general).
type Note struct {
	ID        int64  `json:"id"`
	Level     string `json:"level"`
	Code      string `json:"code"`
	Year      int    `json:"year"`
	Indicator string `json:"indicator,omitempty"`
	Text      string `json:"text"`
	Author    string `json:"author,omitempty"`
	Created   string `json:"created"`
	Updated   string `json:"updated"`
	// Kommun is the kommun of the area (filled on reads).
	Kommun string `json:"kommun,omitempty"`
}

// NotePatch changes some fields of a note; nil fields stay as they are.
type NotePatch struct {
	Year      *int
	Indicator *string
	Text      *string
	Author    *string
}

// NotesQuery selects notes: of one area (Level and Code), or of every area
// of some kommuner (Kommuner; with Level also set, only that level's areas).
type NotesQuery struct {
	Level    string
	Code     string
	Kommuner []string
}

// Limits of a note.
const (
	NoteMaxText   = 2000 // characters
	NoteMaxAuthor = 200
	NoteMinYear   = 1900
	NoteMaxYear   = 2100
)

// noteInvalid is a note field a person typed wrong: the field and the
// problem in English and Swedish ("anteckningen: fält \"text\": …").
func noteInvalid(field, problem, problemSV string) error {
	return &InputError{File: "note", FileSV: "anteckningen", Field: field, Problem: problem, ProblemSV: problemSV}
}

// checkNote validates the fields a person typed.
func checkNote(n *Note) error {
	n.Text = strings.TrimSpace(n.Text)
	n.Author = strings.TrimSpace(n.Author)
	n.Indicator = strings.TrimSpace(n.Indicator)
	switch {
	case n.Text == "":
		return noteInvalid("text", "is empty; write what you know about the area, e.g. \"nytt studentboende 2019 förklarar inkomstfallet\"",
			"är tom; skriv vad du vet om området, t.ex. \"nytt studentboende 2019 förklarar inkomstfallet\"")
	case utf8.RuneCountInString(n.Text) > NoteMaxText:
		return noteInvalid("text", fmt.Sprintf("has %d characters; at most %d are allowed", utf8.RuneCountInString(n.Text), NoteMaxText),
			fmt.Sprintf("har %d tecken; högst %d tecken är tillåtna", utf8.RuneCountInString(n.Text), NoteMaxText))
	case !utf8.ValidString(n.Text):
		return noteInvalid("text", "is not valid UTF-8", "är inte giltig UTF-8-text")
	case !utf8.ValidString(n.Author):
		return noteInvalid("author", "is not valid UTF-8", "är inte giltig UTF-8-text")
	case utf8.RuneCountInString(n.Author) > NoteMaxAuthor:
		return noteInvalid("author", fmt.Sprintf("has more than %d characters", NoteMaxAuthor),
			fmt.Sprintf("har fler än %d tecken", NoteMaxAuthor))
	case n.Year < NoteMinYear || n.Year > NoteMaxYear:
		return noteInvalid("year", fmt.Sprintf("must be a year between %d and %d, got %d", NoteMinYear, NoteMaxYear, n.Year),
			fmt.Sprintf("ska vara ett år mellan %d och %d, inte %d", NoteMinYear, NoteMaxYear, n.Year))
	}
	return nil
}

const noteColumns = `n.fid, n.level, n.code, n.year, n.indicator, n.text, n.author, n.created, n.updated,
  COALESCE(a.kommun, CASE WHEN n.level = 'kommun' THEN n.code ELSE '' END, '')`

func scanNote(sc interface{ Scan(...any) error }) (Note, error) {
	var n Note
	err := sc.Scan(&n.ID, &n.Level, &n.Code, &n.Year, &n.Indicator, &n.Text, &n.Author, &n.Created, &n.Updated, &n.Kommun)
	return n, err
}

// Notes lists notes ordered by year, then id.
func (s *Store) Notes(ctx context.Context, q NotesQuery) ([]Note, error) {
	var where []string
	var args []any
	if q.Code != "" {
		where = append(where, "n.level = ? AND n.code = ?")
		args = append(args, q.Level, q.Code)
	} else if q.Level != "" {
		where = append(where, "n.level = ?")
		args = append(args, q.Level)
	}
	if len(q.Kommuner) > 0 {
		ph := strings.TrimSuffix(strings.Repeat("?,", len(q.Kommuner)), ",")
		where = append(where, "COALESCE(a.kommun, CASE WHEN n.level = 'kommun' THEN n.code END) IN ("+ph+")")
		for _, k := range q.Kommuner {
			args = append(args, k)
		}
	}
	query := `SELECT ` + noteColumns + ` FROM segmap_notes n
  LEFT JOIN segmap_areas a ON a.level = n.level AND a.code = n.code`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY n.year, n.fid"
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("data: notes: %w", err)
	}
	defer rows.Close()
	out := []Note{}
	for rows.Next() {
		n, err := scanNote(rows)
		if err != nil {
			return nil, fmt.Errorf("data: notes: %w", err)
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("data: notes: %w", err)
	}
	return out, nil
}

// Note returns one note; an unknown id is ErrNotFound.
func (s *Store) Note(ctx context.Context, id int64) (Note, error) {
	n, err := scanNote(s.db.QueryRowContext(ctx, `SELECT `+noteColumns+` FROM segmap_notes n
  LEFT JOIN segmap_areas a ON a.level = n.level AND a.code = n.code WHERE n.fid = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Note{}, notFound(fmt.Sprintf("there is no note %d", id), fmt.Sprintf("det finns ingen anteckning %d", id))
	}
	if err != nil {
		return Note{}, fmt.Errorf("data: note %d: %w", id, err)
	}
	return n, nil
}

// AddNote stores a new note on an existing area and returns it with its id.
// An unknown area or indicator is ErrNotFound; bad fields are ErrInvalid.
func (s *Store) AddNote(ctx context.Context, n Note) (Note, error) {
	if err := s.writable(); err != nil {
		return Note{}, err
	}
	if err := checkNote(&n); err != nil {
		return Note{}, err
	}
	if err := s.checkNoteRefs(ctx, n.Level, n.Code, n.Indicator); err != nil {
		return Note{}, err
	}
	var id int64
	err := s.Update(ctx, func(tx *Tx) error {
		res, err := tx.tx.ExecContext(ctx, `INSERT INTO segmap_notes (level, code, year, indicator, text, author) VALUES (?, ?, ?, ?, ?, ?)`,
			n.Level, n.Code, n.Year, n.Indicator, n.Text, n.Author)
		if err != nil {
			return fmt.Errorf("data: add note: %w", err)
		}
		if id, err = res.LastInsertId(); err != nil {
			return err
		}
		return tx.bumpNotesVersion(ctx)
	})
	if err != nil {
		return Note{}, err
	}
	return s.Note(ctx, id)
}

// UpdateNote changes the fields set in p and returns the note.
func (s *Store) UpdateNote(ctx context.Context, id int64, p NotePatch) (Note, error) {
	if err := s.writable(); err != nil {
		return Note{}, err
	}
	n, err := s.Note(ctx, id)
	if err != nil {
		return Note{}, err
	}
	if p.Year != nil {
		n.Year = *p.Year
	}
	if p.Indicator != nil {
		n.Indicator = *p.Indicator
	}
	if p.Text != nil {
		n.Text = *p.Text
	}
	if p.Author != nil {
		n.Author = *p.Author
	}
	if err := checkNote(&n); err != nil {
		return Note{}, err
	}
	if p.Indicator != nil && n.Indicator != "" {
		if _, err := s.Indicator(ctx, n.Indicator); err != nil {
			return Note{}, err
		}
	}
	err = s.Update(ctx, func(tx *Tx) error {
		_, err := tx.tx.ExecContext(ctx, `UPDATE segmap_notes SET year = ?, indicator = ?, text = ?, author = ?,
  updated = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE fid = ?`, n.Year, n.Indicator, n.Text, n.Author, id)
		if err != nil {
			return fmt.Errorf("data: update note %d: %w", id, err)
		}
		return tx.bumpNotesVersion(ctx)
	})
	if err != nil {
		return Note{}, err
	}
	return s.Note(ctx, id)
}

// DeleteNote removes a note; an unknown id is ErrNotFound.
func (s *Store) DeleteNote(ctx context.Context, id int64) error {
	return s.Update(ctx, func(tx *Tx) error {
		res, err := tx.tx.ExecContext(ctx, `DELETE FROM segmap_notes WHERE fid = ?`, id)
		if err != nil {
			return fmt.Errorf("data: delete note %d: %w", id, err)
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return notFound(fmt.Sprintf("there is no note %d", id), fmt.Sprintf("det finns ingen anteckning %d", id))
		}
		return tx.bumpNotesVersion(ctx)
	})
}

// NotesVersion is a number that changes whenever a note is added, changed
// or deleted (by any process writing the store). Notes do not change the
// DataVersion, so tiles stay cached; what shows notes (the report) is
// cached per both.
func (s *Store) NotesVersion(ctx context.Context) (int64, error) {
	var v int64
	err := s.db.QueryRowContext(ctx, `SELECT CAST(value AS INTEGER) FROM segmap_meta WHERE key='notes_version'`).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("data: notes version: %w", err)
	}
	return v, nil
}

func (tx *Tx) bumpNotesVersion(ctx context.Context) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO segmap_meta(key, value) VALUES ('notes_version', '1')
		ON CONFLICT(key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)`)
	if err != nil {
		return fmt.Errorf("data: bump notes version: %w", err)
	}
	return nil
}

func (s *Store) checkNoteRefs(ctx context.Context, level, code, indicator string) error {
	var one int
	err := s.db.QueryRowContext(ctx, `SELECT 1 FROM segmap_areas WHERE level = ? AND code = ?`, level, code).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound(fmt.Sprintf("no area %q at level %s (a note needs an existing area)", code, level),
			fmt.Sprintf("inget område %q på nivån %s (en anteckning behöver ett befintligt område)", code, level))
	}
	if err != nil {
		return fmt.Errorf("data: note area: %w", err)
	}
	if indicator != "" {
		if _, err := s.Indicator(ctx, indicator); err != nil {
			return err
		}
	}
	return nil
}
