package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/internal/fault"
)

// Area notes: planners' local knowledge on an area and year. Changes need
// the API token; reads need it too under --private-reads (and the report
// leaves the notes out for a reader without it, see report.go).

// notesRoutes are the notes routes (see routes.go): reads follow
// --private-reads, changes need the token and a writable store.
func (s *server) notesRoutes() []route {
	note := object(obj{"id": tInt(), "level": tString(), "code": tString(), "year": tInt(), "indicator": tString(), "text": tString(),
		"author": tString(), "created": tString(), "updated": tString(), "kommun": tString()})
	noteIn := obj{"required": true, "content": obj{"application/json": obj{"schema": object(obj{"year": tInt(), "text": tString(), "indicator": tString(), "author": tString()})}}}
	areaPath := []obj{pathParam("level", "Level id", tString()), pathParam("code", "Area code", tString())}
	withID := append(append([]obj{}, areaPath...), pathParam("id", "Note id", tInt()))
	return []route{
		{http.MethodGet, "/api/areas/:level/:code/notes", s.listNotes, readToken, op("Notes on an area (planners' local knowledge); needs the API token when the server runs with --private-reads",
			areaPath, jsonResp("notes", object(obj{"level": tString(), "code": tString(), "notes": arrayOf(note)})))},
		{http.MethodPost, "/api/areas/:level/:code/notes", s.addNote, writeToken, withBody(opStatus("Add a note (Authorization: Bearer <token>)", areaPath, http.StatusCreated, jsonResp("the new note", note)), noteIn)},
		{http.MethodPatch, "/api/areas/:level/:code/notes/:id", s.updateNote, writeToken, withBody(op("Change a note's year, text, indicator or author (Authorization: Bearer <token>)", withID, jsonResp("the note", note)), noteIn)},
		{http.MethodDelete, "/api/areas/:level/:code/notes/:id", s.deleteNote, writeToken, opStatus("Delete a note (Authorization: Bearer <token>)", withID, http.StatusNoContent, obj{"description": "deleted"})},
	}
}

func (s *server) listNotes(c echo.Context) error {
	ns, err := s.notes.List(c.Request().Context(), c.Param("level"), c.Param("code"))
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-cache")
	return c.JSON(http.StatusOK, map[string]any{"level": c.Param("level"), "code": c.Param("code"), "notes": ns})
}

// noteBody is the JSON of a new or changed note.
type noteBody struct {
	Year      *int    `json:"year"`
	Indicator *string `json:"indicator"`
	Text      *string `json:"text"`
	Author    *string `json:"author"`
}

// maxNoteBody bounds a note request (a note is at most 2,000 characters).
const maxNoteBody = 64 << 10

func readNoteBody(c echo.Context) (noteBody, error) {
	var b noteBody
	raw, err := io.ReadAll(io.LimitReader(c.Request().Body, maxNoteBody+1))
	if err != nil {
		return b, err
	}
	if len(raw) > maxNoteBody {
		return b, fault.New(fault.TooLarge, "the note request is larger than 64 KiB").Sv("anteckningen är större än 64 KiB")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return b, bad(`the body must be a JSON object {"year": 2019, "text": "…", "indicator": "…", "author": "…"}: %v`, err).
			Sv(`innehållet ska vara ett JSON-objekt {"year": 2019, "text": "…", "indicator": "…", "author": "…"}: %v`, err)
	}
	return b, nil
}

func noteID(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, bad("note id must be a positive integer, got %q", c.Param("id")).
			Sv("anteckningens id ska vara ett positivt heltal, inte %q", c.Param("id"))
	}
	return id, nil
}

// writeErr names a read-only store (the server was started on a file it
// may not change) in words for people.
func writeErr(err error) error {
	if errors.Is(err, data.ErrReadOnly) {
		return fault.Wrap(fault.ReadOnly, err, "the store is read-only; notes cannot be changed on this server").
			Sv("databasen är skrivskyddad; anteckningar kan inte ändras på den här servern")
	}
	return err
}

func (s *server) addNote(c echo.Context) error {
	b, err := readNoteBody(c)
	if err != nil {
		return err
	}
	if b.Year == nil || b.Text == nil {
		return bad(`a note needs "year" and "text", e.g. {"year": 2019, "text": "nytt studentboende 2019 förklarar inkomstfallet"}`).
			Sv(`en anteckning behöver "year" och "text", t.ex. {"year": 2019, "text": "nytt studentboende 2019 förklarar inkomstfallet"}`)
	}
	n := data.Note{Level: c.Param("level"), Code: c.Param("code"), Year: *b.Year, Text: *b.Text}
	if b.Indicator != nil {
		n.Indicator = *b.Indicator
	}
	if b.Author != nil {
		n.Author = *b.Author
	}
	out, err := s.notes.Add(c.Request().Context(), n)
	if err != nil {
		return writeErr(err)
	}
	// Absolute, with the external base: right behind a proxy under a prefix.
	c.Response().Header().Set("Location", s.externalBase(c)+c.Request().URL.EscapedPath()+"/"+strconv.FormatInt(out.ID, 10))
	return c.JSON(http.StatusCreated, out)
}

func (s *server) updateNote(c echo.Context) error {
	id, err := noteID(c)
	if err != nil {
		return err
	}
	b, err := readNoteBody(c)
	if err != nil {
		return err
	}
	out, err := s.notes.Update(c.Request().Context(), c.Param("level"), c.Param("code"), id,
		data.NotePatch{Year: b.Year, Indicator: b.Indicator, Text: b.Text, Author: b.Author})
	if err != nil {
		return writeErr(err)
	}
	return c.JSON(http.StatusOK, out)
}

func (s *server) deleteNote(c echo.Context) error {
	id, err := noteID(c)
	if err != nil {
		return err
	}
	if err := s.notes.Delete(c.Request().Context(), c.Param("level"), c.Param("code"), id); err != nil {
		return writeErr(err)
	}
	return c.NoContent(http.StatusNoContent)
}
