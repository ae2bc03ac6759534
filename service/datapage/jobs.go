package datapage

// Import jobs: an import runs in the background, in one transaction;
// its state is read by id until it is done or failed.

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/data/national"
	"github.com/segmap/segmap/internal/fault"
)

// Job is an import running or done.
type Job struct {
	ID     string `json:"id"`
	Upload string `json:"upload"`
	Kind   string `json:"kind"`
	File   string `json:"file"`
	State  string `json:"state"` // queued, running, done, failed
	Done   int    `json:"done"`
	// Step is "complete" once a DeSO import has written its areas and
	// completes the store (reference data, RegSO and kommun); "" before.
	Step        string        `json:"step,omitempty"`
	Total       int           `json:"total"`
	Started     time.Time     `json:"started"`
	Finished    *time.Time    `json:"finished"`
	Report      any           `json:"report"`
	Error       *JobError     `json:"error"`
	ImportID    int64         `json:"import_id"`
	DataVersion int64         `json:"data_version"`
	err         error         // the failure, for the API to word in the request's language
	finished    chan struct{} // closed when done or failed
	join        *data.JoinPreview
	mu          *sync.Mutex
}

// BoundaryResult is a boundary job's report: the file's preview with the
// areas written and, for a DeSO file, what completing the store added.
type BoundaryResult struct {
	*data.BoundaryPreview
	Completed *Completed `json:"completed,omitempty"`
}

// Completed is what a DeSO import added besides the DeSO (levels made
// from them, links, reference data), with notes in the job's language on
// what could not be made (none of them is an error).
type Completed struct {
	*data.CompletionReport
	Notes []string `json:"notes"`
}

// JobError is a failed import's error, as an error body's inner object.
type JobError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Job states.
const (
	JobQueued  = "queued"
	JobRunning = "running"
	JobDone    = "done"
	JobFailed  = "failed"
)

// StepComplete is Job.Step while a DeSO import completes the store.
const StepComplete = "complete"

// Err is the error of a failed job (nil otherwise).
func (j *Job) Err() error { return j.err }

// Wait blocks until the job is done or failed, or ctx ends.
func (j *Job) Wait(ctx context.Context) error {
	select {
	case <-j.finished:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Import starts importing the upload with the mapping (nil: the upload's
// current one) in the background and returns its job. A mapping that
// cannot be read is refused at once; the file is read again in the job.
func (s *Service) Import(ctx context.Context, id string, mapping json.RawMessage, lang string) (*Job, error) {
	u, err := s.get(id)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	nu := *u
	s.mu.Unlock()
	if len(mapping) > 0 && string(mapping) != "null" {
		if err := s.apply(ctx, &nu, mapping); err != nil {
			return nil, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if u.busy {
		return nil, fault.New(fault.Conflict, "%s is being imported already", u.file).Sv("%s importeras redan", u.file)
	}
	if s.running >= s.opts.MaxJobs {
		return nil, fault.New(fault.Busy, "%d imports are running; try again when one is done", s.running).
			Sv("%d importer pågår; försök igen när någon är klar", s.running)
	}
	u.takeEdit(&nu)
	u.busy = true
	s.running++
	j := &Job{ID: newID("j"), Upload: u.id, Kind: u.kind, File: u.file, State: JobRunning, Started: s.opts.Now().UTC(),
		finished: make(chan struct{}), mu: &sync.Mutex{}, join: u.join}
	if u.kind == KindIndicators && u.join != nil {
		j.Total = u.join.Values
	} else if u.bpreview != nil {
		j.Total = u.bpreview.Features
	}
	s.jobs[j.ID] = j
	s.trimJobsLocked()
	go s.run(j, u, lang)
	return s.jobView(j, lang), nil
}

func (s *Service) trimJobsLocked() {
	if len(s.jobs) <= keptJobs {
		return
	}
	var done []*Job
	for _, j := range s.jobs {
		j.mu.Lock()
		finished := j.State == JobDone || j.State == JobFailed
		j.mu.Unlock()
		if finished {
			done = append(done, j)
		}
	}
	sort.Slice(done, func(a, b int) bool { return done[a].Started.Before(done[b].Started) })
	for _, j := range done[:max(0, len(s.jobs)-keptJobs)] {
		delete(s.jobs, j.ID)
	}
}

func (s *Service) run(j *Job, u *upload, lang string) {
	progress := func(done, total int) {
		j.mu.Lock()
		j.Done, j.Total = done, total
		j.mu.Unlock()
		if s.opts.Progress != nil {
			s.opts.Progress(j.ID, done, total)
		}
	}
	var report any
	var importID int64
	err := func() error {
		switch u.kind {
		case KindIndicators:
			body, err := s.staging.Read(u.path)
			if err != nil {
				return err
			}
			rep, id, err := s.store.ImportIndicatorBytes(s.ctx, u.file, body, u.mapping, progress)
			if err != nil {
				return err
			}
			importID = id
			jp := *j.join
			jp.Values = rep.Values
			jp.UnmatchedExamples = append([]data.UnmatchedCode(nil), j.join.UnmatchedExamples...)
			jp.Localise(lang)
			report = &jp
		case KindBoundaries:
			bm := u.boundary
			opts := data.BoundaryOptions{Level: bm.Level, CodeField: bm.CodeField, NameField: bm.NameField,
				Layer: bm.Layer, LevelNameSV: bm.LevelNameSV, LevelNameEN: bm.LevelNameEN, Progress: progress}
			if bm.completes() {
				// As segmap import does: the national reference data and
				// RegSO and kommun dissolved from the DeSO, here in the
				// import's transaction and undone with it.
				c, err := national.Completion(national.CompleteOptions{Progress: func(string) {
					j.mu.Lock()
					j.Step = StepComplete
					j.mu.Unlock()
				}})
				if err != nil {
					return err
				}
				opts.Complete = c
			}
			rep, id, err := s.store.ImportBoundaryFile(s.ctx, u.path, u.file, opts)
			if err != nil {
				return err
			}
			importID = id
			bp := *u.bpreview
			bp.Localise(lang) // the preview was worded for the upload's request
			bp.Outline = nil
			bp.Features = rep.Features
			br := &BoundaryResult{BoundaryPreview: &bp}
			if c := rep.Completed; c != nil {
				br.Completed = &Completed{CompletionReport: c, Notes: c.Notes(lang)}
			}
			report = br
		}
		return nil
	}()
	if err == nil && s.opts.AfterChange != nil {
		if aerr := s.opts.AfterChange(s.ctx); aerr != nil {
			err = fmt.Errorf("datapage: %s was imported, but reloading the map failed: %w", u.file, aerr)
		}
	}
	ver, verr := s.store.DataVersion(context.Background())
	s.mu.Lock()
	defer s.mu.Unlock()
	u.busy = false
	s.running--
	j.mu.Lock()
	defer j.mu.Unlock()
	now := s.opts.Now().UTC()
	j.Finished = &now
	if err == nil && verr != nil {
		err = verr
	}
	if err != nil {
		j.State, j.err = JobFailed, err
	} else {
		j.State, j.Report, j.ImportID, j.DataVersion = JobDone, report, importID, ver
		j.Done = j.Total
	}
	close(j.finished)
}

var errNoJob = fault.Sentinel("datapage: no such job", fault.NotFound)

// JobByID answers a job; the error of a failed job is left for the
// caller to word (Job.Err).
func (s *Service) JobByID(id, lang string) (*Job, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	j, ok := s.jobs[id]
	if !ok {
		return nil, fault.Wrap(fault.NotFound, errNoJob, "no import job %q", id).Sv("inget importjobb %q", id)
	}
	return s.jobView(j, lang), nil
}

// jobView is a copy of j for the answer; s.mu held.
func (s *Service) jobView(j *Job, lang string) *Job {
	_ = lang
	j.mu.Lock()
	defer j.mu.Unlock()
	c := *j
	c.mu = nil
	return &c
}
