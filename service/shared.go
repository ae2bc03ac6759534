package service

import (
	"context"

	"github.com/segmap/segmap/data"
)

// What the sub-packages of service (the Nulägesbild in service/report, the
// area notes in service/notes) use of the shared analysis. They depend on
// service; service never depends on them.

// Indicator fetches an indicator of the current data version; an unknown id
// is data.ErrNotFound, an empty one ErrBadRequest.
func (s *Service) Indicator(ctx context.Context, id string) (data.Indicator, error) {
	return s.indicator(ctx, id)
}

// CheckLevel returns ErrNotFound naming the known levels when the store has
// no level with this id.
func (s *Service) CheckLevel(ctx context.Context, level string) error {
	return s.checkLevel(ctx, level)
}

// LatestYear is the latest year the indicator has values for (0: none).
func LatestYear(ind data.Indicator) int { return latestYear(ind) }

// LatestYearAt is the latest year the indicator has values for at level
// (LatestYear when the store does not say per level).
func LatestYearAt(ind data.Indicator, level string) int { return latestYearAt(ind, level) }

// Count returns the numerator of a ratio value, or value×denominator/scale
// when the numerator is missing (NaN when neither can be had).
func Count(v data.Value, scale float64) float64 { return count(v, scale) }

// SortedChanges returns the areas of c with a change, largest increase first.
func SortedChanges(c *Change) []ChangeArea { return sortedChanges(c) }

// NewChangeClasses returns k classes (an odd k; an even one is made odd)
// symmetric around zero whose outer limit is the 95th percentile of the
// absolute changes (NaN ignored).
func NewChangeClasses(changes []float64, k int) ChangeClasses { return changeClasses(changes, k) }

// Class is the class index of v (−1 for NaN).
func (cc ChangeClasses) Class(v float64) int { return cc.class(v) }
