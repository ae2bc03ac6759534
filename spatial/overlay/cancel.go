package overlay

import "context"

// checkEvery is how many inner steps (segment pairs, classified pieces)
// pass between two looks at the context: a look costs a few nanoseconds,
// so this keeps the overhead far below 1 % while a cancelled call stops
// within a few milliseconds even on large outlines.
const checkEvery = 1024

// stopper counts inner steps and reports the context's error every
// checkEvery steps. A nil *stopper never stops (the plain functions).
type stopper struct {
	ctx context.Context
	n   int
	err error
}

func newStopper(ctx context.Context) *stopper {
	if ctx == nil || ctx.Done() == nil {
		return nil
	}
	return &stopper{ctx: ctx}
}

// stop reports whether the work should end (the context is done).
func (s *stopper) stop() bool {
	if s == nil {
		return false
	}
	if s.err != nil {
		return true
	}
	s.n++
	if s.n%checkEvery == 0 {
		s.err = s.ctx.Err()
	}
	return s.err != nil
}

func (s *stopper) error() error {
	if s == nil {
		return nil
	}
	if s.err == nil {
		s.err = s.ctx.Err()
	}
	return s.err
}
