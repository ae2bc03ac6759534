package service

import (
	"context"
	"fmt"

	"github.com/segmap/segmap/data"
)

// Area notes: planners' local knowledge on an area and year, shown in the
// area profile, its chart and the report. The store validates the text and
// year; the service checks that the area exists and that a change or
// deletion names the note's own area.

// Notes lists the notes of one area, oldest year first.
func (s *Service) Notes(ctx context.Context, level, code string) ([]data.Note, error) {
	if err := s.checkLevel(ctx, level); err != nil {
		return nil, err
	}
	if _, err := s.store.Area(ctx, level, code); err != nil {
		return nil, err
	}
	return s.store.Notes(ctx, data.NotesQuery{Level: level, Code: code})
}

// NotesIn lists the notes on every area of the kommuner (all: none given).
func (s *Service) NotesIn(ctx context.Context, kommuner []string) ([]data.Note, error) {
	return s.store.Notes(ctx, data.NotesQuery{Kommuner: kommuner})
}

// AddNote stores a note on an area.
func (s *Service) AddNote(ctx context.Context, n data.Note) (data.Note, error) {
	if err := s.checkLevel(ctx, n.Level); err != nil {
		return data.Note{}, err
	}
	return s.store.AddNote(ctx, n)
}

// noteOf fetches a note and checks it belongs to the area.
func (s *Service) noteOf(ctx context.Context, level, code string, id int64) (data.Note, error) {
	n, err := s.store.Note(ctx, id)
	if err != nil {
		return n, err
	}
	if n.Level != level || n.Code != code {
		return n, fmt.Errorf("%w: note %d is not a note on %s %s", ErrNotFound, id, level, code)
	}
	return n, nil
}

// UpdateNote changes a note of the area.
func (s *Service) UpdateNote(ctx context.Context, level, code string, id int64, p data.NotePatch) (data.Note, error) {
	if _, err := s.noteOf(ctx, level, code, id); err != nil {
		return data.Note{}, err
	}
	return s.store.UpdateNote(ctx, id, p)
}

// DeleteNote removes a note of the area.
func (s *Service) DeleteNote(ctx context.Context, level, code string, id int64) error {
	if _, err := s.noteOf(ctx, level, code, id); err != nil {
		return err
	}
	return s.store.DeleteNote(ctx, id)
}
