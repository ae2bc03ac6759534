package service

import (
	"fmt"
	"strings"

	"github.com/segmap/segmap/internal/locale"
	"github.com/segmap/segmap/spatial/classify"
)

// classNoteText is what each classification note says, in Swedish and
// English; the parameters are filled in by noteText.
var classNoteText = map[classify.NoteKind][2]string{
	classify.NoteSingleValue:  {"ett enda värde: en klass", "single distinct value: one class"},
	classify.NoteDistinct:     {"k = %[1]d minskat till de %[2]s olika värdena: en klass per värde", "k=%[1]d reduced to the %[2]s distinct values: one class per value"},
	classify.NoteFailed:       {"%[3]s gick inte att beräkna (extremvärden): en klass", "%[3]s failed numerically (extreme values): one class"},
	classify.NoteLowestMoved:  {"lägsta klassgränsen flyttad till minimivärdet", "lowest break moved to the minimum"},
	classify.NoteHighestMoved: {"högsta klassgränsen flyttad till maxvärdet", "highest break moved to the maximum"},
	classify.NoteOtherK:       {"%[3]s gav %[2]s klasser för k = %[1]d", "%[3]s gave %[2]s classes for k=%[1]d"},
	classify.NotePooled:       {"gemensamma klassgränser för flera år", "pooled breaks"},
	classify.NoteNoBreaks:     {"färre än två klassgränser: inget värde klassindelat", "fewer than 2 breaks: no value classified"},
	classify.NoteOutside:      {"%[2]s värden utanför klassgränserna lades i närmaste ändklass", "%[2]s values outside the breaks were put in the nearest end class"},
	classify.NoteNoValues:     {"inga värden att klassindela för det här urvalet", "no values to classify for this selection"},
}

// noteText writes one classification note in lang (an unknown kind as its
// name).
func noteText(n classify.Note, lang locale.Lang) string {
	t, ok := classNoteText[n.Kind]
	if !ok {
		return string(n.Kind)
	}
	format := lang.Pick(t[0], t[1])
	if !strings.Contains(format, "%") {
		return format
	}
	return fmt.Sprintf(format, n.K, locale.FormatNumber(float64(n.N), 0, lang), n.Method)
}

// notesText writes the notes in lang, "; " between.
func notesText(notes []classify.Note, lang locale.Lang) string {
	s := make([]string, len(notes))
	for i, n := range notes {
		s[i] = noteText(n, lang)
	}
	return strings.Join(s, "; ")
}
