package data

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// CompleteOptions make a DeSO boundary import complete the store in the
// import's own transaction, as `segmap import boundaries --level deso` does
// after its import: the national reference data (hierarchy DeSO → RegSO →
// kommun → län, indicator tables) is imported, DeSO 2025 codes that split a
// 2018 area are linked to its parents, and the RegSO and kommun layers are
// dissolved from the DeSO. A failure in any step leaves the store as it
// was, and ImportBoundaryFile's undo covers every step.
type CompleteOptions struct {
	// Reference is the national reference data (package national's Bundle).
	Reference ReferenceBundle
	// Dissolve configures the RegSO and kommun dissolves.
	Dissolve DissolveOptions
	// Progress, when set, is told each step (in English, for logs).
	Progress func(step string)
}

// completedLevels are the levels a DeSO import with completion dissolves,
// in order (the kommun dissolve follows the RegSO one, as on the command line).
var completedLevels = [...]string{LevelRegSO, LevelKommun}

// CompletedLevel is one layer made from the DeSO.
type CompletedLevel struct {
	Level string `json:"level"`
	// Areas is how many areas of the level got a polygon (0: none could be
	// made; the level's layer is left as it was).
	Areas int `json:"areas"`
}

// CompletionReport says what a DeSO import's completion added.
type CompletionReport struct {
	Levels []CompletedLevel `json:"levels"`
	// Linked is how many DeSO of the file the link table (or a DeSO 2025
	// split's 2018 parent) gives a RegSO.
	Linked int `json:"linked"`
	// Splits are DeSO 2025 codes of the file that split a 2018 area and
	// follow its RegSO and kommun.
	Splits []string `json:"splits"`
	// Unlinked are DeSO of the file without a RegSO (absent from SCB's
	// link table and not a split of a DeSO 2018 in it): they are in no
	// RegSO polygon.
	Unlinked []string `json:"unlinked"`
	// Indicators and Values are what the reference tables wrote.
	Indicators int `json:"indicators"`
	Values     int `json:"values"`
	// Reference is the reference import's full report.
	Reference *ReferenceReport `json:"-"`
}

// Areas is how many areas of level the completion made (0 when none).
func (c *CompletionReport) Areas(level string) int {
	for _, l := range c.Levels {
		if l.Level == level {
			return l.Areas
		}
	}
	return 0
}

// summary is the completion for the import history.
func (c *CompletionReport) summary() string {
	parts := make([]string, 0, len(c.Levels)+2)
	for _, l := range c.Levels {
		parts = append(parts, fmt.Sprintf("%s=%d", l.Level, l.Areas))
	}
	parts = append(parts, fmt.Sprintf("dissolved from deso; national reference: %d indicators, %d values; linked=%d unlinked=%d splits=%d",
		c.Indicators, c.Values, c.Linked, len(c.Unlinked), len(c.Splits)))
	return strings.Join(parts, " ")
}

// Notes are sentences, in lang ("en" or Swedish), on what the completion
// could not do or did unusually: a level none of whose areas could be
// made, DeSO left out of RegSO, DeSO 2025 splits. None of them is an error.
func (c *CompletionReport) Notes(lang string) []string {
	pick := func(en, sv string) string {
		if lang == "en" {
			return en
		}
		return sv
	}
	out := []string{}
	for _, l := range c.Levels {
		if l.Areas > 0 {
			continue
		}
		out = append(out, pick(
			fmt.Sprintf("%s: no area could be made from the DeSO: none of the file's DeSO is in SCB's link table (DeSO 2018 → RegSO 2020), so their %s is unknown; the %s layer is unchanged", levelEN(l.Level), levelEN(l.Level), levelEN(l.Level)),
			fmt.Sprintf("%s: inga områden kunde göras av DeSO: ingen av filens DeSO finns i SCB:s kopplingstabell (DeSO 2018 → RegSO 2020), så deras %s är okänd; lagret %s är oförändrat", levelSV(l.Level), levelSV(l.Level), levelSV(l.Level))))
	}
	if n := len(c.Unlinked); n > 0 && c.Linked > 0 {
		out = append(out, pick(
			fmt.Sprintf("%d DeSO of the file are not in SCB's link table and are in no RegSO (e.g. %s)", n, c.Unlinked[0]),
			fmt.Sprintf("%d av filens DeSO finns inte i SCB:s kopplingstabell och ingår inte i någon RegSO (t.ex. %s)", n, c.Unlinked[0])))
	}
	if n := len(c.Splits); n > 0 {
		out = append(out, pick(
			fmt.Sprintf("%d DeSO 2025 codes split a DeSO 2018 area and follow its RegSO and kommun (e.g. %s)", n, c.Splits[0]),
			fmt.Sprintf("%d DeSO 2025-koder delar ett DeSO 2018-område och följer dess RegSO och kommun (t.ex. %s)", n, c.Splits[0])))
	}
	return out
}

func levelEN(level string) string {
	switch level {
	case LevelRegSO:
		return "RegSO"
	case LevelDeSO:
		return "DeSO"
	}
	return level
}

// parseCompletion reads the reference bundle of a DeSO import that
// completes the store (nil when it does not), before its transaction.
func (o BoundaryOptions) parseCompletion(ctx context.Context) (*parsedReference, error) {
	if o.Complete == nil || o.Level != LevelDeSO {
		return nil, nil
	}
	return parseReference(ctx, o.Complete.Reference)
}

// complete is the completion inside the DeSO import's transaction, after
// the DeSO are written. The order matters: the hierarchy (and the splits'
// links) first, so each DeSO has its RegSO and kommun, then the dissolves.
func (tx *Tx) complete(ctx context.Context, ref *parsedReference, opts *CompleteOptions) (*CompletionReport, error) {
	step := func(s string) {
		if opts.Progress != nil {
			opts.Progress(s)
		}
	}
	step("national reference data (hierarchy, DeSO indicators 2022, områdestyper 2022)")
	rr, err := tx.importReference(ctx, ref, referenceLog{})
	if err != nil {
		return nil, err
	}
	c := &CompletionReport{Reference: rr, Splits: []string{}, Unlinked: []string{}}
	ids := map[string]bool{}
	for _, jr := range rr.Indicators {
		c.Values += jr.Values
	}
	for _, t := range ref.tables {
		for _, im := range t.f.Mapping.Indicators {
			ids[im.ID] = true
		}
	}
	c.Indicators = len(ids)
	// The file's DeSO, linked or not, as the hierarchy left them.
	rows, err := tx.tx.QueryContext(ctx, `SELECT d.code, coalesce(a.regso, '')
		FROM `+boundaryQuote(LevelDeSO)+` d LEFT JOIN segmap_areas a ON a.level = ? AND a.code = d.code ORDER BY d.code`, LevelDeSO)
	if err != nil {
		return nil, fmt.Errorf("data: complete: %w", err)
	}
	for rows.Next() {
		var code, regso string
		if err := rows.Scan(&code, &regso); err != nil {
			rows.Close()
			return nil, fmt.Errorf("data: complete: %w", err)
		}
		if regso == "" {
			c.Unlinked = append(c.Unlinked, code)
		} else {
			c.Linked++
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("data: complete: %w", err)
	}
	c.Splits = append(c.Splits, rr.Splits...)
	sort.Strings(c.Splits)
	for _, level := range completedLevels {
		step(level + " boundaries (dissolved from DeSO)")
		n, err := tx.dissolveFromDeSO(ctx, level, opts.Dissolve)
		if err != nil {
			return nil, err
		}
		c.Levels = append(c.Levels, CompletedLevel{Level: level, Areas: n})
	}
	return c, nil
}
