package report

import (
	"github.com/segmap/segmap/service"
)

// Nulägesbild: the chapter "Utveckling över tid" (how the region has
// developed over the years) and the words of change by meaning.

// overtimeText holds the chapter's words, Swedish first (trText reads it
// after reportText).
var overtimeText = map[string][2]string{
	"side_better":   {"förbättring", "improvement"},
	"side_worse":    {"försämring", "deterioration"},
	"side_increase": {"ökning", "increase"},
	"side_decrease": {"minskning", "decrease"},
}

// sideSuffix is " (förbättring)" etc. for class i of a change map's
// classes ("" for the middle class).
func (b *builder) sideSuffix(cc service.ChangeClasses, i int) string {
	if i >= len(cc.Sides) || cc.Sides[i] == "small" || cc.Sides[i] == "" {
		return ""
	}
	return " (" + b.t("side_"+cc.Sides[i]) + ")"
}
