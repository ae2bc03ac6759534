// Package notes holds the area notes: planners' local knowledge on an area
// and year ("nytt studentboende 2019 förklarar inkomstfallet"), shown in
// the area profile, its chart and the Nulägesbild. Notes are kommun-made
// data: the HTTP layer guards every read of them with --private-reads, and
// every read goes through this package (the report's too), so there is one
// place to look for who reads them. The store validates the text and year;
// this package checks that the area exists and that a change or deletion
// names the note's own area.
package notes

import (
	"context"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/internal/fault"
	"github.com/segmap/segmap/service"
)

// Service reads and changes area notes over the shared service.
type Service struct {
	svc *service.Service
}

// New returns the notes of svc's store.
func New(svc *service.Service) *Service { return &Service{svc: svc} }

// List lists the notes of one area, oldest year first.
func (s *Service) List(ctx context.Context, level, code string) ([]data.Note, error) {
	if err := s.svc.CheckLevel(ctx, level); err != nil {
		return nil, err
	}
	if _, err := s.svc.Store().Area(ctx, level, code); err != nil {
		return nil, err
	}
	return s.svc.Store().Notes(ctx, data.NotesQuery{Level: level, Code: code})
}

// In lists the notes on every area of the kommuner, oldest year first.
func (s *Service) In(ctx context.Context, kommuner []string) ([]data.Note, error) {
	return s.svc.Store().Notes(ctx, data.NotesQuery{Kommuner: kommuner})
}

// Version changes whenever a note is added, changed or deleted.
func (s *Service) Version(ctx context.Context) (int64, error) {
	return s.svc.Store().NotesVersion(ctx)
}

// Add stores a note on an area.
func (s *Service) Add(ctx context.Context, n data.Note) (data.Note, error) {
	if err := s.svc.CheckLevel(ctx, n.Level); err != nil {
		return data.Note{}, err
	}
	return s.svc.Store().AddNote(ctx, n)
}

// checkNote reports NotFound unless note id exists and is on the area.
func (s *Service) checkNote(ctx context.Context, level, code string, id int64) error {
	n, err := s.svc.Store().Note(ctx, id)
	if err != nil {
		return err
	}
	if n.Level != level || n.Code != code {
		return fault.New(fault.NotFound, "note %d is not a note on %s %s", id, level, code).
			Sv("anteckning %d hör inte till %s %s", id, level, code)
	}
	return nil
}

// Update changes a note of the area.
func (s *Service) Update(ctx context.Context, level, code string, id int64, p data.NotePatch) (data.Note, error) {
	if err := s.checkNote(ctx, level, code, id); err != nil {
		return data.Note{}, err
	}
	return s.svc.Store().UpdateNote(ctx, id, p)
}

// Delete removes a note of the area.
func (s *Service) Delete(ctx context.Context, level, code string, id int64) error {
	if err := s.checkNote(ctx, level, code, id); err != nil {
		return err
	}
	return s.svc.Store().DeleteNote(ctx, id)
}
