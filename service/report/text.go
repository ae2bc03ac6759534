package report

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/internal/fault"
	"github.com/segmap/segmap/internal/locale"
)

// reportText holds the report's words, Swedish first; keys missing in
// English fall back to Swedish.
var reportText = map[string][2]string{
	"title":          {"Nulägesbild", "Current situation"},
	"subtitle":       {"Segregation och levnadsvillkor – en första överblick", "Segregation and living conditions – a first overview"},
	"source":         {"Källa", "Source"},
	"riket":          {"Riket", "Sweden"},
	"noData":         {"Uppgift saknas", "No data"},
	"omradestyp":     {"Områdestyp", "Area type"},
	"typesMapTitle":  {"Socioekonomiska områdestyper", "Socio-economic area types"},
	"typesBarTitle":  {"Andel av befolkningen per områdestyp", "Share of the population by area type"},
	"ineqTitle":      {"Ojämlikhetsindex", "Inequality index (ojämlikhetsindex)"},
	"cluster":        {"Kluster", "Cluster"},
	"changeIn":       {"förändring i", "change in"},
	"cl_HH":          {"Hög–hög (kluster av höga värden)", "High–high (cluster of high values)"},
	"cl_LL":          {"Låg–låg (kluster av låga värden)", "Low–low (cluster of low values)"},
	"cl_HL":          {"Hög–låg (högt bland låga)", "High–low (high among low)"},
	"cl_LH":          {"Låg–hög (lågt bland höga)", "Low–high (low among high)"},
	"cl_ns":          {"Inte signifikant", "Not significant"},
	"cl_island":      {"Saknar grannar", "No neighbours"},
	"cl_nodata":      {"Uppgift saknas", "No data"},
	"and":            {"och", "and"},
	"pp":             {"procentenheter", "percentage points"},
	"percentPoints":  {"procentenheter", "percentage points"},
	"contents":       {"Innehåll", "Contents"},
	"sumTypes":       {"Områdestyper", "Area types"},
	"sumIneq":        {"Ojämlikhetsindex", "Inequality index"},
	"sumInd":         {"Nyckeltal", "Key indicators"},
	"sumLisa":        {"Kluster", "Clusters"},
	"sumCorr":        {"Samband", "Correlations"},
	"sumChange":      {"Förändring", "Change"},
	"sumNotes":       {"Lokal kunskap", "Local knowledge"},
	"sumMethod":      {"Metod och källor", "Method and sources"},
	"kommuner":       {"Kommuner", "Municipalities"},
	"population":     {"Folkmängd", "Population"},
	"deso":           {"DeSO", "DeSO"},
	"regso":          {"RegSO", "RegSO"},
	"type":           {"Typ", "Type"},
	"count":          {"Antal RegSO", "RegSO"},
	"share":          {"Andel av befolkningen", "Share of population"},
	"year":           {"År", "Year"},
	"region":         {"Området", "The region"},
	"lan":            {"Län", "County"},
	"indicator":      {"Indikator", "Indicator"},
	"highest":        {"Högst", "Highest"},
	"lowest":         {"Lägst", "Lowest"},
	"area":           {"Område", "Area"},
	"value":          {"Värde", "Value"},
	"from":           {"Från", "From"},
	"to":             {"Till", "To"},
	"change":         {"Förändring", "Change"},
	"relChange":      {"Förändring i procent", "Change in percent"},
	"increases":      {"Störst ökning", "Largest increase"},
	"decreases":      {"Störst minskning", "Largest decrease"},
	"notes":          {"Anteckningar", "Notes"},
	"note":           {"Anteckning", "Note"},
	"author":         {"Av", "By"},
	"estimated":      {"uppskattat", "estimated"},
	"suppressed":     {"sekretess", "suppressed"},
	"missing":        {"saknas", "missing"},
	"warnings":       {"Delar som inte kunde beräknas", "Parts that could not be computed"},
	"generated":      {"Skapad", "Generated"},
	"dataVersion":    {"dataversion", "data version"},
	"segIndices":     {"Boendesegregation mellan utrikes och inrikes födda", "Residential segregation between foreign-born and Sweden-born"},
	"dissimilarity":  {"Segregationsindex (D)", "Dissimilarity (D)"},
	"isolation":      {"Isolering (utrikes födda)", "Isolation (foreign-born)"},
	"exposure":       {"Exponering (utrikes mot inrikes födda)", "Exposure (foreign-born to Sweden-born)"},
	"theil":          {"Theils H", "Theil's H"},
	"gini":           {"Gini", "Gini"},
	"morrill":        {"Morrills D (med grannskap)", "Morrill's D (with neighbourhood)"},
	"r":              {"r", "r"},
	"n":              {"n", "n"},
	"notesHidden":    {"Anteckningarna om områdena är kommunens egna uppgifter och visas bara med behörighet (serverns API-nyckel).", "The notes on the areas are the kommun's own data and are shown only with authorisation (the server's API token)."},
	"noNotes":        {"Inga anteckningar finns för områdena. Planerare kan lägga till lokal kunskap om ett område och år i kartans områdesprofil.", "There are no notes on these areas. Planners can add local knowledge on an area and year in the map's area profile."},
	"printHint":      {"Skriv ut eller spara som PDF med webbläsarens utskriftsfunktion (A4).", "Print or save as PDF with the browser's print function (A4)."},
	"byKommun":       {"Per kommun", "By municipality"},
	"typesViaDeso":   {"Kartan färgar varje DeSO efter områdestypen för det RegSO den ligger i (RegSO-gränser saknas).", "The map colours each DeSO by the type of its RegSO (no RegSO boundaries)."},
	"strongestPairs": {"Starkaste sambanden", "Strongest relationships"},

	// Parts of the report, as named in the list of parts left out.
	"part_population":   {"Folkmängd", "Population"},
	"part_omradestyper": {"Områdestyper", "Area types"},
	"part_inequality":   {"Ojämlikhetsindex", "Inequality index"},
	"part_indicators":   {"Nyckeltal", "Key indicators"},
	"part_lisa":         {"Kluster (LISA)", "Clusters (LISA)"},
	"part_correlation":  {"Samband", "Correlations"},
	"part_change":       {"Förändring", "Change"},
	"part_notes":        {"Lokal kunskap", "Local knowledge"},
	"part_maps":         {"Kartor", "Maps"},
	// Why a part was left out (fmt verbs filled by reportSkip.args). The
	// raw error goes to the server log, never to the reader.
	"skip_no_boundaries":  {"databasen har inga %s-gränser för %s, så kartorna utelämnas", "the store has no %s boundaries for %s, so the maps are left out"},
	"skip_no_polygons":    {"klusteranalysen behöver %s-gränser, och databasen har inga för %s", "the cluster analysis needs %s boundaries, and the store has none for %s"},
	"skip_no_total":       {"indikatorn %s finns bara uppdelad (%s), inte för totalen", "the indicator %s exists only broken down (%s), not as a total"},
	"skip_few_indicators": {"färre än två huvudindikatorer har värden för %d", "fewer than two main indicators have values for %d"},
	"skip_one_year":       {"indikatorn %s har värden för bara ett år (%s)", "the indicator %s has values for only one year (%s)"},
	"skip_no_two_years":   {"ingen indikator har värden för två år i området", "no indicator has values for two years in the region"},
	"skip_change_years":   {"från- och till-år (%d–%d) måste vara två olika år med värden för %s, det tidigare först; år med värden: %s", "the from and to years (%d–%d) must be two different years with values of %s, the earlier first; years with values: %s"},
	// What to import for a part left out, one sentence each (the %s are
	// indicator ids of this server).
	"import_population":   {"Importera befolkningen per kommun (indikatorn %s) med segmap import indicators för att få befolkningstalet.", "Import the population per kommun (indicator %s) with segmap import indicators to get the population figure."},
	"import_omradestyper": {"Importera SCB:s områdestyper för RegSO (indikatorn %s, t.ex. regso_omradestyp_2022.csv) med segmap import indicators för att få det här avsnittet.", "Import SCB's area types for RegSO (indicator %s, e.g. regso_omradestyp_2022.csv) with segmap import indicators to get this chapter."},
	"import_inequality":   {"Importera låg och hög ekonomisk standard per DeSO (indikatorerna %s och %s) med segmap import indicators för att få ojämlikhetsindex.", "Import low and high economic standard per DeSO (indicators %s and %s) with segmap import indicators to get the inequality index."},
	"import_indicators":   {"Importera indikatorer i procent eller vägda medelvärden per DeSO med segmap import indicators för att få nyckeltalen.", "Import indicators in per cent or weighted means per DeSO with segmap import indicators to get the key indicators."},
	"import_lisa":         {"Importera DeSO-gränserna (segmap import boundaries --level deso) och indikatorn per DeSO med totalvärde (segmap import indicators) för att få klusterkartan.", "Import the DeSO boundaries (segmap import boundaries --level deso) and the indicator per DeSO with a total (segmap import indicators) to get the cluster map."},
	"import_correlation":  {"Importera minst två av huvudindikatorerna per DeSO för samma år med segmap import indicators för att få sambanden.", "Import at least two of the main indicators per DeSO for the same year with segmap import indicators to get the correlations."},
	"import_change":       {"Importera en indikator per DeSO för minst två år med segmap import indicators för att få förändringskartan.", "Import an indicator per DeSO for at least two years with segmap import indicators to get the change map."},
	"import_maps":         {"Importera gränserna för DeSO (och gärna RegSO) med segmap import boundaries för att få kartorna.", "Import the DeSO (and preferably RegSO) boundaries with segmap import boundaries to get the maps."},
	"import_notes":        {"Anteckningarna kunde inte läsas; försök igen, och se serverns logg om felet består.", "The notes could not be read; try again, and see the server log if the error persists."},
	"skip_no_data":        {"uppgifter saknas i databasen", "the store has no data for it"},
	"skip_not_applicable": {"kan inte beräknas för det här urvalet", "cannot be computed for this selection"},
	"skip_error":          {"ett oväntat fel uppstod (se serverns logg)", "an unexpected error occurred (see the server log)"},
}

// reportSkip is why a part of the report was left out: a reportText key
// ("skip_…") whose Swedish and English texts take args, wrapping the raw
// error that goes to the server log.
type reportSkip struct {
	key  string
	args []any
	err  error
}

func (e *reportSkip) Error() string {
	if e.err == nil {
		return e.key
	}
	return e.err.Error()
}

func (e *reportSkip) Unwrap() error { return e.err }

// skipBecause wraps err with the reason a reader is shown.
func skipBecause(err error, key string, args ...any) error {
	return &reportSkip{key: key, args: args, err: err}
}

// SkippedPart is a part of the report that could not be computed.
type SkippedPart struct {
	Part   string `json:"part"`   // population, omradestyper, … maps
	Reason string `json:"reason"` // no_boundaries, no_total, … (the reportText key without "skip_")
	Text   string `json:"text"`   // in the report's language
	// Import says in one sentence what to import to get the part, in the
	// report's language.
	Import string `json:"import"`
}

// skipText is a reason in a language: the wrapped reason, else a generic
// one by the kind of error.
func skipReason(err error) (key string, args []any) {
	var rs *reportSkip
	switch {
	case errors.As(err, &rs):
		return rs.key, rs.args
	case errors.Is(err, fault.NotFound):
		return "skip_no_data", nil
	case errors.Is(err, fault.Invalid):
		return "skip_not_applicable", nil
	}
	return "skip_error", nil
}

// skip records a part left out: the reader gets the part and the reason in
// the report's language, the server log the raw error.
func (b *builder) skip(part string, err error) {
	key, args := skipReason(err)
	text := trText(b.q.Lang, "part_"+part) + ": " + fmt.Sprintf(trText(b.q.Lang, key), args...)
	b.r.Warnings = append(b.r.Warnings, text)
	b.r.Skipped = append(b.r.Skipped, SkippedPart{Part: part, Reason: strings.TrimPrefix(key, "skip_"), Text: text, Import: b.importHint(part)})
	b.opts.Logger.Warn("report: part left out", "part", part, "kommun", strings.Join(b.q.Kommuner, ","), "lang", b.q.Lang, "err", err)
}

// noTotal reports whether an indicator exists only broken down.
func noTotal(ind data.Indicator) bool {
	return len(ind.Breakdowns) > 0 && !slices.Contains(ind.Breakdowns, data.BreakdownTotal)
}

// yearList writes years as "2019, 2020 och 2022" ("…and…" in English).
func yearList(years []int, en bool) string {
	s := make([]string, len(years))
	for i, y := range years {
		s[i] = strconv.Itoa(y)
	}
	if len(s) == 0 {
		return "–"
	}
	lang := locale.SV
	if en {
		lang = locale.EN
	}
	return locale.JoinNames(s, lang)
}

// levelLabel names a level in running text ("DeSO", "RegSO", "kommun").
func levelLabel(level string) string {
	switch level {
	case data.LevelDeSO:
		return "DeSO"
	case data.LevelRegSO:
		return "RegSO"
	}
	return level
}

// t returns a text in the report's language.
func (b *builder) t(key string) string { return trText(b.q.Lang, key) }

func trText(lang, key string) string {
	v, ok := reportText[key]
	if !ok {
		if v, ok = overtimeText[key]; !ok {
			return key
		}
	}
	if lang == "en" && v[1] != "" {
		return v[1]
	}
	return v[0]
}

func (b *builder) num(v float64, dec int) string {
	return locale.FormatNumber(v, dec, locale.Of(b.q.Lang))
}

// signed formats v with an explicit sign ("+1,2", "−0,4").
func (b *builder) signed(v float64, dec int) string { return signedNumber(v, dec, b.q.Lang) }

func signedNumber(v float64, dec int, lang string) string {
	s := locale.FormatNumber(v, dec, locale.Of(lang))
	if finite(v) && v > 0 && strings.Trim(s, "0.,") != "" {
		return "+" + s
	}
	return s
}

// listNames writes "A, B och C".
func (b *builder) listNames(names []string) string {
	return locale.JoinNames(names, locale.Of(b.q.Lang))
}

// lisaText explains a LISA result in plain words.
func (b *builder) lisaText(l *LISA) string {
	ind := strings.ToLower(b.indName(l.Indicator))
	m := l.Moran
	p := m.PSim
	if !p.Valid() {
		p = m.PNorm
	}
	sig := p.Valid() && float64(p) < l.Alpha
	var sb strings.Builder
	if b.en {
		fmt.Fprintf(&sb, "The map shows where DeSO with high and with low values of %s (%d) lie together. ", ind, l.Year)
		fmt.Fprintf(&sb, "Of %d DeSO with a value, %d belong to clusters of high values (high–high)", l.Analysed, l.Counts["HH"])
		if len(l.HHPlaces) > 0 {
			fmt.Fprintf(&sb, ", mostly in %s", b.listNames(l.HHPlaces))
		}
		fmt.Fprintf(&sb, ", and %d to clusters of low values (low–low)", l.Counts["LL"])
		if len(l.LLPlaces) > 0 {
			fmt.Fprintf(&sb, ", mostly in %s", b.listNames(l.LLPlaces))
		}
		sb.WriteString(". ")
		if o := l.Counts["HL"] + l.Counts["LH"]; o > 0 {
			fmt.Fprintf(&sb, "%d DeSO differ clearly from their neighbours (high–low or low–high). ", o)
		}
		fmt.Fprintf(&sb, "Moran's I is %s", b.num(float64(m.I), 2))
		if sig {
			fmt.Fprintf(&sb, " and statistically significant (p = %s with %d permutations): ", b.num(float64(p), 3), l.Permutations)
		} else {
			fmt.Fprintf(&sb, " and not statistically significant (p = %s with %d permutations): ", b.num(float64(p), 3), l.Permutations)
		}
		switch i := float64(m.I); {
		case !sig:
			sb.WriteString("the values could be spread at random.")
		case i >= 0.3:
			sb.WriteString("neighbouring areas have clearly similar values – a sign of residential segregation along this indicator.")
		case i > 0:
			sb.WriteString("neighbouring areas tend to have similar values.")
		default:
			sb.WriteString("neighbouring areas differ more than chance would give.")
		}
		return sb.String()
	}
	fmt.Fprintf(&sb, "Kartan visar var DeSO med höga respektive låga värden för %s (%d) ligger samlade. ", ind, l.Year)
	fmt.Fprintf(&sb, "Av %d DeSO med värde ingår %d i kluster av höga värden (hög–hög)", l.Analysed, l.Counts["HH"])
	if len(l.HHPlaces) > 0 {
		fmt.Fprintf(&sb, ", främst i %s", b.listNames(l.HHPlaces))
	}
	fmt.Fprintf(&sb, ", och %d i kluster av låga värden (låg–låg)", l.Counts["LL"])
	if len(l.LLPlaces) > 0 {
		fmt.Fprintf(&sb, ", främst i %s", b.listNames(l.LLPlaces))
	}
	sb.WriteString(". ")
	if o := l.Counts["HL"] + l.Counts["LH"]; o > 0 {
		fmt.Fprintf(&sb, "%d DeSO skiljer sig tydligt från sina grannar (hög–låg eller låg–hög). ", o)
	}
	fmt.Fprintf(&sb, "Morans I är %s", b.num(float64(m.I), 2))
	if sig {
		fmt.Fprintf(&sb, " och statistiskt säkerställt (p = %s med %d permutationer): ", b.num(float64(p), 3), l.Permutations)
	} else {
		fmt.Fprintf(&sb, " och inte statistiskt säkerställt (p = %s med %d permutationer): ", b.num(float64(p), 3), l.Permutations)
	}
	switch i := float64(m.I); {
	case !sig:
		sb.WriteString("värdena kan vara slumpmässigt fördelade.")
	case i >= 0.3:
		sb.WriteString("närliggande områden har tydligt liknande värden – ett tecken på boendesegregation längs den här indikatorn.")
	case i > 0:
		sb.WriteString("närliggande områden tenderar att ha liknande värden.")
	default:
		sb.WriteString("närliggande områden skiljer sig mer än slumpen skulle ge.")
	}
	return sb.String()
}

// importHint says what to import to get a part.
func (b *builder) importHint(part string) string {
	var args []any
	switch part {
	case "population":
		args = []any{b.opts.PopulationIndicator}
	case "omradestyper":
		args = []any{b.opts.OmradestypIndicator}
	case "inequality":
		args = []any{b.opts.LowEconIndicator, b.opts.HighEconIndicator}
	}
	return fmt.Sprintf(trText(b.q.Lang, "import_"+part), args...)
}
