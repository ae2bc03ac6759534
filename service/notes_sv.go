package service

import (
	"regexp"
	"strings"
)

// classifyNotesSV are Swedish forms of the notes spatial/classify writes (in
// English, joined by "; "), so a Swedish legend says them in Swedish.
var classifyNotesSV = []struct {
	re *regexp.Regexp
	sv string
}{
	{regexp.MustCompile(`^pooled breaks$`), "gemensamma klassgränser för flera år"},
	{regexp.MustCompile(`^fewer than 2 breaks: no value classified$`), "färre än två klassgränser: inget värde klassindelat"},
	{regexp.MustCompile(`^(\d+) values outside the breaks were put in the nearest end class$`), "$1 värden utanför klassgränserna lades i närmaste ändklass"},
	{regexp.MustCompile(`^(\S+) failed numerically \(extreme values\): one class$`), "$1 gick inte att beräkna (extremvärden): en klass"},
	{regexp.MustCompile(`^lowest break moved to the minimum$`), "lägsta klassgränsen flyttad till minimivärdet"},
	{regexp.MustCompile(`^highest break moved to the maximum$`), "högsta klassgränsen flyttad till maxvärdet"},
	{regexp.MustCompile(`^(\S+) gave (\d+) classes for k=(\d+)$`), "$1 gav $2 klasser för k = $3"},
}

// noteIn returns a classification note in lang; notes without a Swedish
// form stay as they are.
func noteIn(note, lang string) string {
	if lang != "sv" || note == "" {
		return note
	}
	parts := strings.Split(note, "; ")
	for i, p := range parts {
		for _, t := range classifyNotesSV {
			if t.re.MatchString(p) {
				parts[i] = t.re.ReplaceAllString(p, t.sv)
				break
			}
		}
	}
	return strings.Join(parts, "; ")
}
