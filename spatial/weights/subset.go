package weights

import "fmt"

// Subset keeps the observations with keep[i] == true (e.g. areas with a
// value) and renumbers them in order, like spdep::subset.listw: links to
// dropped observations disappear, the style is re-applied ("W" rows are
// standardised again over the remaining neighbours), and observations left
// without neighbours become islands. It returns the new weights and, for
// every kept observation, its index in w.
func (w *W) Subset(keep []bool) (*W, []int, error) {
	if len(keep) != len(w.Neighbors) {
		return nil, nil, fmt.Errorf("%w: keep has %d entries, weights have %d", ErrInvalid, len(keep), len(w.Neighbors))
	}
	newIdx := make([]int, len(keep))
	var orig []int
	for i, k := range keep {
		newIdx[i] = -1
		if k {
			newIdx[i] = len(orig)
			orig = append(orig, i)
		}
	}
	if len(orig) == 0 {
		return nil, nil, fmt.Errorf("%w: subset keeps no observations", ErrEmpty)
	}
	nb := make([][]int, len(orig))
	for n, i := range orig {
		row := []int{}
		for _, j := range w.Neighbors[i] {
			if newIdx[j] >= 0 {
				row = append(row, newIdx[j])
			}
		}
		nb[n] = row
	}
	out, err := withStyle(newBinary(nb), w.Style)
	if err != nil {
		return nil, nil, err
	}
	return out, orig, nil
}
