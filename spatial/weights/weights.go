// Package weights builds spatial weights (neighbour lists with weights) from
// polygons (contiguity) and points (k nearest neighbours, distance band).
//
// Neighbour lists are always sorted ascending and never contain the
// observation itself. Styles follow R spdep::nb2listw: "B" (binary, every
// weight 1) and "W" (row-standardised, each row sums to 1). Observations
// without neighbours (islands) get empty rows; this is spdep's
// zero.policy=TRUE convention.
package weights

import (
	"errors"
	"fmt"
	"slices"
)

// Styles.
const (
	StyleB = "B" // binary
	StyleW = "W" // row-standardised
)

// Errors; all returned errors wrap one of these.
var (
	ErrEmpty       = errors.New("weights: empty input")
	ErrInvalid     = errors.New("weights: invalid argument")
	ErrBadGeometry = errors.New("weights: bad geometry")
)

// W is a spatial weights object: Neighbors[i] lists the neighbours of i
// (sorted, without i) and Weights[i] the matching weights.
type W struct {
	Neighbors [][]int
	Weights   [][]float64
	Style     string // "B" or "W"
}

// N returns the number of observations.
func (w *W) N() int { return len(w.Neighbors) }

// Islands returns the observations without neighbours, ascending.
func (w *W) Islands() []int {
	out := []int{}
	for i, nb := range w.Neighbors {
		if len(nb) == 0 {
			out = append(out, i)
		}
	}
	return out
}

// Cardinalities returns the number of neighbours of every observation.
func (w *W) Cardinalities() []int {
	out := make([]int, len(w.Neighbors))
	for i, nb := range w.Neighbors {
		out[i] = len(nb)
	}
	return out
}

// RowStandardised returns a copy with style "W": weight 1/card(i) for every
// neighbour of i (rows of islands stay empty).
func (w *W) RowStandardised() *W {
	out := &W{Neighbors: cloneNeighbors(w.Neighbors), Weights: make([][]float64, len(w.Neighbors)), Style: StyleW}
	for i, nb := range w.Neighbors {
		row := make([]float64, len(nb))
		for k := range row {
			row[k] = 1 / float64(len(nb))
		}
		out.Weights[i] = row
	}
	return out
}

// Binary returns a copy with style "B": every weight 1.
func (w *W) Binary() *W {
	return newBinary(cloneNeighbors(w.Neighbors))
}

// Validate checks that the neighbour lists are sorted, in range, free of
// self-links and parallel to the weights.
func (w *W) Validate() error {
	if w == nil {
		return fmt.Errorf("%w: nil weights", ErrInvalid)
	}
	n := len(w.Neighbors)
	if len(w.Weights) != n {
		return fmt.Errorf("%w: %d neighbour rows but %d weight rows", ErrInvalid, n, len(w.Weights))
	}
	for i, nb := range w.Neighbors {
		if len(nb) != len(w.Weights[i]) {
			return fmt.Errorf("%w: row %d has %d neighbours but %d weights", ErrInvalid, i, len(nb), len(w.Weights[i]))
		}
		for k, j := range nb {
			if j < 0 || j >= n || j == i {
				return fmt.Errorf("%w: row %d has neighbour %d (n=%d)", ErrInvalid, i, j, n)
			}
			if k > 0 && nb[k-1] >= j {
				return fmt.Errorf("%w: row %d neighbours not strictly ascending", ErrInvalid, i)
			}
		}
	}
	return nil
}

// FromNeighbors builds weights of the given style ("B" or "W") from
// neighbour lists, which are copied, sorted and de-duplicated.
func FromNeighbors(nb [][]int, style string) (*W, error) {
	n := len(nb)
	c := make([][]int, n)
	for i, row := range nb {
		r := slices.Clone(row)
		slices.Sort(r)
		r = slices.Compact(r)
		for _, j := range r {
			if j < 0 || j >= n || j == i {
				return nil, fmt.Errorf("%w: row %d has neighbour %d (n=%d)", ErrInvalid, i, j, n)
			}
		}
		if r == nil {
			r = []int{}
		}
		c[i] = r
	}
	return withStyle(newBinary(c), style)
}

func withStyle(b *W, style string) (*W, error) {
	switch style {
	case StyleB, "":
		return b, nil
	case StyleW:
		return b.RowStandardised(), nil
	}
	return nil, fmt.Errorf("%w: style must be %q or %q, got %q", ErrInvalid, StyleB, StyleW, style)
}

func newBinary(nb [][]int) *W {
	w := &W{Neighbors: nb, Weights: make([][]float64, len(nb)), Style: StyleB}
	for i, row := range nb {
		ws := make([]float64, len(row))
		for k := range ws {
			ws[k] = 1
		}
		w.Weights[i] = ws
	}
	return w
}

func cloneNeighbors(nb [][]int) [][]int {
	out := make([][]int, len(nb))
	for i, r := range nb {
		out[i] = slices.Clone(r)
		if out[i] == nil {
			out[i] = []int{}
		}
	}
	return out
}
