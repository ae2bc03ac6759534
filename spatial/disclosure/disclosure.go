// Package disclosure implements the small-count rule SCB applies to
// published shares (statistical disclosure control) and complementary
// suppression when child areas are aggregated to parents.
//
// SCB's integration statistics (Registerdata för integration) state:
// "andelsuppgifter beräknas endast för grupper med fler än 20 personer, där
// fler än 5 personer har egenskapen" (scb.se, "Så här är statistiken om
// integration uppbyggd"). Both inequalities are strict: a share is shown
// only when den > 20 AND num > 5; den = 20 or num = 5 is suppressed.
package disclosure

import (
	"cmp"
	"math"
	"slices"
)

// Rule is a threshold rule: a share num/den is shown only when
// den > MinGroup and num > MinCount.
type Rule struct {
	MinGroup, MinCount int
}

// Default returns SCB's integration-statistics rule {MinGroup: 20, MinCount: 5}.
func Default() Rule { return Rule{MinGroup: 20, MinCount: 5} }

// Suppress reports whether the share num/den must be suppressed: true when
// den ≤ MinGroup, num ≤ MinCount, or either is NaN/Inf/negative.
func (r Rule) Suppress(num, den float64) bool {
	if !ok(num) || !ok(den) {
		return true
	}
	return !(den > float64(r.MinGroup) && num > float64(r.MinCount))
}

func ok(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) && v >= 0 }

// Cell is one child area's count: numerator, denominator, its parent area
// and whether its share is suppressed.
type Cell struct {
	Code, Parent string
	Num, Den     float64
	Suppressed   bool
}

// ParentCell is an aggregated parent area.
type ParentCell struct {
	Code string
	// Num and Den are sums over all children, suppressed ones included
	// (aggregation uses the true counts; only publication is restricted).
	Num, Den float64
	Children int
	// SuppressedChildren counts children with Suppressed set.
	SuppressedChildren int
	// Suppressed: the parent's own share fails the rule.
	Suppressed bool
	// Recoverable: the parent is shown and exactly one child is suppressed,
	// so that child's counts follow by subtraction (parent − shown
	// siblings). ComplementarySuppress removes this situation.
	Recoverable bool
}

// Aggregate sums children into parents (children with an empty Parent are
// skipped) and flags each parent by the rule. Sorted by parent code.
func Aggregate(children []Cell, r Rule) []ParentCell {
	by := map[string]*ParentCell{}
	for _, c := range children {
		if c.Parent == "" {
			continue
		}
		p := by[c.Parent]
		if p == nil {
			p = &ParentCell{Code: c.Parent}
			by[c.Parent] = p
		}
		p.Num += c.Num
		p.Den += c.Den
		p.Children++
		if c.Suppressed {
			p.SuppressedChildren++
		}
	}
	out := make([]ParentCell, 0, len(by))
	for _, p := range by {
		p.Suppressed = r.Suppress(p.Num, p.Den)
		p.Recoverable = !p.Suppressed && p.SuppressedChildren == 1
		out = append(out, *p)
	}
	slices.SortFunc(out, func(a, b ParentCell) int { return cmp.Compare(a.Code, b.Code) })
	return out
}

// ComplementarySuppress returns new suppression flags (parallel to
// children) such that no suppressed child can be recovered by subtraction
// from its shown parent. Strategy (one level of hierarchy): for every
// parent whose own share is shown and which has exactly one suppressed
// child, the shown sibling with the smallest denominator (ties: smallest
// numerator, then earliest in input order) is suppressed as well. Then at
// least two children of every such parent are hidden and only their sum can
// be derived. Added lists the indices newly suppressed, ascending. The
// input is not modified. A shown parent whose only child is suppressed has
// no sibling to hide; it stays Recoverable in Aggregate and the caller must
// suppress the parent itself.
func ComplementarySuppress(children []Cell, r Rule) (flags []bool, added []int) {
	flags = make([]bool, len(children))
	for i, c := range children {
		flags[i] = c.Suppressed
	}
	parents := Aggregate(children, r)
	best := map[string]int{} // parent → index of the sibling to hide
	for _, p := range parents {
		if p.Recoverable {
			best[p.Code] = -1
		}
	}
	for i, c := range children {
		b, need := best[c.Parent]
		if !need || c.Suppressed || c.Parent == "" {
			continue
		}
		if b < 0 || smaller(c, children[b]) {
			best[c.Parent] = i
		}
	}
	for _, i := range best {
		if i >= 0 {
			flags[i] = true
			added = append(added, i)
		}
	}
	slices.Sort(added)
	return flags, added
}

func smaller(a, b Cell) bool {
	if a.Den != b.Den {
		return a.Den < b.Den
	}
	return a.Num < b.Num
}
