package classify

// NoteKind names something a classification wants its reader to know.
// The words are the caller's (service writes them in Swedish or English).
type NoteKind string

// The note kinds and the parameters each carries.
const (
	NoteSingleValue  NoteKind = "single_value"    // one distinct value: one class
	NoteDistinct     NoteKind = "distinct_values" // K reduced to the N distinct values: one class per value
	NoteFailed       NoteKind = "failed"          // Method failed numerically (extreme values): one class
	NoteLowestMoved  NoteKind = "lowest_moved"    // the lowest break was moved to the minimum
	NoteHighestMoved NoteKind = "highest_moved"   // the highest break was moved to the maximum
	NoteOtherK       NoteKind = "other_k"         // Method gave N classes for K
	NotePooled       NoteKind = "pooled"          // breaks shared by several groups (years)
	NoteNoBreaks     NoteKind = "no_breaks"       // fewer than 2 breaks: no value classified
	NoteOutside      NoteKind = "outside"         // N values outside the breaks were put in the nearest end class
	NoteNoValues     NoteKind = "no_values"       // no value to classify in the selection (set by the caller)
)

// Note is one typed note of a Result: its kind and the numbers it speaks
// of (unused ones are zero).
type Note struct {
	Kind   NoteKind `json:"kind"`
	Method Method   `json:"method,omitempty"`
	K      int      `json:"k,omitempty"` // the classes asked for
	N      int      `json:"n,omitempty"` // the count the kind speaks of
}

// Has reports whether notes hold one of kind.
func Has(notes []Note, kind NoteKind) bool {
	for _, n := range notes {
		if n.Kind == kind {
			return true
		}
	}
	return false
}
