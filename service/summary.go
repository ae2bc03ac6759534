package service

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/internal/locale"
)

// SummaryTop is how many areas the summary names at each end.
const SummaryTop = 3

// maxNamedKommuner is the most kommuner a summary names; with more it
// counts them ("i 26 kommuner").
const maxNamedKommuner = 3

// Summary is a written description of a classified map: the alternative
// text of the map in the client, the embed page and the SVG picture.
type Summary struct {
	// Text is the whole description, e.g. "Låg ekonomisk standard 2022 per
	// DeSO i Botkyrka (109 områden): högst i 0127C1090 (Fittja) 45,3 %, …;
	// lägst i …. 2 områden saknar uppgift."
	Text string `json:"text"`
	// Title is the first part of Text: indicator, year, level and place.
	Title string `json:"title"`
	// Highest and Lowest are the areas named, highest (lowest) value first;
	// ties are ordered by code.
	Highest []SummaryArea `json:"highest"`
	Lowest  []SummaryArea `json:"lowest"`
	// Areas is the number of areas in the classification, WithValue those
	// with a value, Missing those without (Suppressed of which are
	// suppressed for disclosure).
	Areas      int `json:"areas"`
	WithValue  int `json:"with_value"`
	Missing    int `json:"missing"`
	Suppressed int `json:"suppressed"`
}

// SummaryArea is one area named in a summary.
type SummaryArea struct {
	Code  string  `json:"code"`
	Label string  `json:"label"` // as written: name, or DeSO code with its RegSO (and kommun) name
	Value float64 `json:"value"`
	Text  string  `json:"text"` // the value as written, with unit: "45,3 %"
}

// summaryWords are the words of a summary in one language.
type summaryWords struct {
	per, in, areas, area, highest, lowest, and       string
	kommuner, only, missing1, missingN, suppressedOf string
	suppressedOf1, allMissing                        string
}

var summaryLang = map[string]summaryWords{
	"sv": {per: "per", in: "i", areas: "områden", area: "område", highest: "högst i", lowest: "lägst i", and: "och",
		kommuner: "kommuner", only: "%s har värdet %s", missing1: "1 område saknar uppgift", missingN: "%s områden saknar uppgift",
		suppressedOf: "varav %s skyddade", suppressedOf1: "varav 1 skyddad", allMissing: "uppgift saknas för alla områden"},
	"en": {per: "by", in: "in", areas: "areas", area: "area", highest: "highest in", lowest: "lowest in", and: "and",
		kommuner: "municipalities", only: "%s has the value %s", missing1: "1 area has no data", missingN: "%s areas have no data",
		suppressedOf: "%s of them suppressed", suppressedOf1: "1 of them suppressed", allMissing: "no area has data"},
}

// Summarize writes the summary of a classification in lang ("sv" or "en";
// "" is sv). Place names come from the store: the kommuner of the areas,
// and for areas without a name of their own (DeSO) the name of their RegSO.
func (s *Service) Summarize(ctx context.Context, cl *Classification, lang string) (*Summary, error) {
	if lang == "" {
		lang = "sv"
	}
	w, ok := summaryLang[lang]
	if !ok {
		return nil, badRequest("lang must be sv or en, got %q", lang).Sv("lang måste vara sv eller en, inte %q", lang)
	}
	en := lang == "en"
	sum := &Summary{Areas: len(cl.Areas), Highest: []SummaryArea{}, Lowest: []SummaryArea{}}
	var have []ClassifiedArea
	kommunSet := map[string]bool{}
	for _, a := range cl.Areas {
		if a.Kommun != "" {
			kommunSet[a.Kommun] = true
		}
		if !a.Value.Valid() {
			sum.Missing++
			if a.Suppressed {
				sum.Suppressed++
			}
			continue
		}
		have = append(have, a)
	}
	sum.WithValue = len(have)

	n := min(SummaryTop, len(have)/2)
	// Only the n first of each order are named: picked, not sorted.
	desc := firstN(have, n, func(a, b ClassifiedArea) int {
		return cmp.Or(cmp.Compare(float64(b.Value), float64(a.Value)), cmp.Compare(a.Code, b.Code))
	})
	asc := firstN(have, n, func(a, b ClassifiedArea) int {
		return cmp.Or(cmp.Compare(float64(a.Value), float64(b.Value)), cmp.Compare(a.Code, b.Code))
	})
	named := append(slices.Clone(desc[:n]), asc[:n]...)
	if n == 0 && len(have) == 1 {
		named = have
	}
	names, err := s.placeNames(ctx, cl.Level, named)
	if err != nil {
		return nil, err
	}
	name := cl.Indicator.NameSV
	if en && cl.Indicator.NameEN != "" {
		name = cl.Indicator.NameEN
	}
	title := fmt.Sprintf("%s %d %s %s", name, cl.Year, w.per, levelNoun(s.levelName(ctx, cl.Level, en)))
	if cl.Breakdown != "" && cl.Breakdown != data.BreakdownTotal {
		title += " (" + cl.Breakdown + ")"
	}
	switch cl.Level {
	case data.LevelKommun, data.LevelLan, data.LevelRiket:
	default:
		codes := make([]string, 0, len(kommunSet))
		for k := range kommunSet {
			codes = append(codes, k)
		}
		slices.Sort(codes)
		if len(codes) > maxNamedKommuner {
			title += fmt.Sprintf(" %s %d %s", w.in, len(codes), w.kommuner)
		} else if len(codes) > 0 {
			kn := make([]string, len(codes))
			for i, k := range codes {
				kn[i] = cmp.Or(names.kommun[k], k)
			}
			title += " " + w.in + " " + locale.JoinNames(kn, locale.Of(lang))
		}
	}
	sum.Title = title
	count := locale.FormatNumber(float64(sum.Areas), 0, locale.Of(lang)) + " " + w.areas
	switch {
	case cl.Level == data.LevelKommun && sum.Areas != 1:
		count = locale.FormatNumber(float64(sum.Areas), 0, locale.Of(lang)) + " " + w.kommuner
	case sum.Areas == 1:
		count = "1 " + w.area
	}

	item := func(a ClassifiedArea) SummaryArea {
		return SummaryArea{Code: a.Code, Label: names.label(a, len(kommunSet) > 1), Value: float64(a.Value),
			Text: FormatValue(float64(a.Value), cl.Indicator.Decimals, cl.Indicator.Unit, lang)}
	}
	list := func(as []SummaryArea) string {
		parts := make([]string, len(as))
		for i, a := range as {
			parts[i] = a.Label + " " + a.Text
		}
		if len(parts) <= 1 {
			return strings.Join(parts, "")
		}
		return strings.Join(parts[:len(parts)-1], ", ") + " " + w.and + " " + parts[len(parts)-1]
	}
	var text strings.Builder
	text.WriteString(title + " (" + count + "): ")
	switch {
	case len(have) == 0:
		text.WriteString(w.allMissing + ".")
	case n == 0:
		only := item(have[0])
		sum.Highest, sum.Lowest = []SummaryArea{only}, []SummaryArea{only}
		text.WriteString(fmt.Sprintf(w.only, only.Label, only.Text) + ".")
	default:
		for _, a := range desc[:n] {
			sum.Highest = append(sum.Highest, item(a))
		}
		for _, a := range asc[:n] {
			sum.Lowest = append(sum.Lowest, item(a))
		}
		text.WriteString(w.highest + " " + list(sum.Highest) + "; " + w.lowest + " " + list(sum.Lowest) + ".")
	}
	if sum.Missing > 0 && len(have) > 0 {
		m := w.missing1
		if sum.Missing != 1 {
			m = fmt.Sprintf(w.missingN, locale.FormatNumber(float64(sum.Missing), 0, locale.Of(lang)))
		}
		switch {
		case sum.Suppressed == 1:
			m += ", " + w.suppressedOf1
		case sum.Suppressed > 1:
			m += ", " + fmt.Sprintf(w.suppressedOf, locale.FormatNumber(float64(sum.Suppressed), 0, locale.Of(lang)))
		}
		text.WriteString(" " + m + ".")
	}
	sum.Text = text.String()
	return sum, nil
}

// firstN is the n first of xs in the order of cmp (a total order), sorted;
// xs is not changed. O(len(xs)·n), for small n.
func firstN[T any](xs []T, n int, cmp func(a, b T) int) []T {
	out := make([]T, 0, n+1)
	for _, x := range xs {
		if len(out) == n && (n == 0 || cmp(x, out[n-1]) >= 0) {
			continue
		}
		i, _ := slices.BinarySearchFunc(out, x, cmp)
		out = slices.Insert(out, i, x)
		if len(out) > n {
			out = out[:n]
		}
	}
	return out
}

// places names kommuner and RegSO for a summary.
type places struct {
	kommun map[string]string // kommun code → name
	regso  map[string]string // area code → name of its RegSO (for areas without a name)
}

// label is how an area is written: its name; an area without one (DeSO)
// by its code and its RegSO's name; with the kommun's name when the map
// spans several kommuner.
func (p places) label(a ClassifiedArea, withKommun bool) string {
	if a.Name != "" {
		if withKommun && p.kommun[a.Kommun] != "" && p.kommun[a.Kommun] != a.Name {
			return a.Name + " (" + p.kommun[a.Kommun] + ")"
		}
		return a.Name
	}
	var in []string
	if r := p.regso[a.Code]; r != "" {
		in = append(in, r)
	}
	if k := p.kommun[a.Kommun]; withKommun && k != "" {
		in = append(in, k)
	}
	if len(in) == 0 {
		return a.Code
	}
	return a.Code + " (" + strings.Join(in, ", ") + ")"
}

// placeNames looks up the names a summary needs: every kommun's, and for
// named areas without a name of their own (DeSO) their RegSO's, read only
// for the kommuner of those areas.
func (s *Service) placeNames(ctx context.Context, level string, named []ClassifiedArea) (places, error) {
	p := places{kommun: map[string]string{}, regso: map[string]string{}}
	m, err := s.Meta(ctx) // the kommuner of the data version, listed once
	if err != nil {
		return p, fmt.Errorf("service: summary: %w", err)
	}
	for _, k := range m.Kommuner {
		p.kommun[k.Code] = k.Name
	}
	switch level {
	case data.LevelRegSO, data.LevelKommun, data.LevelLan, data.LevelRiket:
		return p, nil
	}
	want := map[string]bool{}
	var kommuner []string
	for _, a := range named {
		if a.Name == "" && a.Kommun != "" {
			want[a.Code] = true
			if !slices.Contains(kommuner, a.Kommun) {
				kommuner = append(kommuner, a.Kommun)
			}
		}
	}
	if len(want) == 0 {
		return p, nil
	}
	areas, err := s.store.Areas(ctx, level, data.AreasOptions{Kommuner: kommuner})
	if err != nil {
		return p, fmt.Errorf("service: summary: %w", err)
	}
	regsos, err := s.store.Areas(ctx, data.LevelRegSO, data.AreasOptions{Kommuner: kommuner})
	if err != nil {
		return p, fmt.Errorf("service: summary: %w", err)
	}
	rn := make(map[string]string, len(regsos))
	for _, r := range regsos {
		rn[r.Code] = r.Name
	}
	for _, a := range areas {
		if n := rn[a.RegSO]; n != "" && want[a.Code] {
			p.regso[a.Code] = n
		}
	}
	return p, nil
}

// levelNoun writes a level's name as a noun inside a sentence: "Kommun" →
// "kommun", while names with capitals inside ("DeSO", "RegSO") are kept.
func levelNoun(name string) string {
	r := []rune(name)
	if len(r) < 2 {
		return name
	}
	for _, c := range r[1:] {
		if unicode.IsUpper(c) {
			return name
		}
	}
	r[0] = unicode.ToLower(r[0])
	return string(r)
}

// FormatValue is locale.FormatNumber (0–6 decimals, ±Inf as "–") with the indicator's unit: "45,3 %" in
// Swedish, "45.3%" in English, "312,4 tkr"; counts ("antal") and types
// ("typ") get no unit.
func FormatValue(v float64, decimals int, unit, lang string) string {
	if math.IsInf(v, 0) {
		return "–"
	}
	s := locale.FormatNumber(v, max(0, min(decimals, 6)), locale.Of(lang))
	switch {
	case s == "–", unit == "", unit == "antal", unit == "typ", unit == "st":
		return s
	case unit == "%" && lang == "en":
		return s + "%"
	}
	return s + "\u00a0" + unit
}

// DefaultIndicator is the indicator a map without one shows (Options.DefaultIndicator).
func (s *Service) DefaultIndicator() string { return s.opts.DefaultIndicator }
