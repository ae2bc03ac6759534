package data

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// IndicatorImportOptions configure ImportIndicators.
type IndicatorImportOptions struct {
	// Mapping describes the file. nil: the file next to it named
	// <name without extension>.mapping.yaml is loaded.
	Mapping  *Mapping
	Progress func(done, total int)
}

// JoinReport says how the codes of an imported file matched the store.
type JoinReport struct {
	File    string `json:"file"`
	Level   string `json:"level"`
	Rows    int    `json:"rows"`    // data rows read
	Matched int    `json:"matched"` // distinct codes found in the store
	// UnmatchedInFile: codes in the file that the store does not know (not stored).
	UnmatchedInFile []string `json:"unmatched_in_file,omitempty"`
	// UnmatchedInStore: areas of the store in the kommuner the file covers
	// that have no row in the file.
	UnmatchedInStore []string `json:"unmatched_in_store,omitempty"`
	// SplitParents: DeSO 2025 code -> its DeSO 2018 parent (code[:-1]+"0"),
	// for codes not in the store whose last digit is not 0.
	SplitParents map[string]string `json:"split_parents,omitempty"`
	// Values is the number of values written at the file's level (parents not counted).
	Values int `json:"values"`
}

// ImportIndicators reads an indicator table (CSV, XLSX or an SCB
// Statistikdatabasen xlsx) as its mapping describes, and in one transaction
// replaces those indicators' values for the years and breakdowns in the
// file and materialises the parent levels. On any error nothing is written.
func (s *Store) ImportIndicators(ctx context.Context, path string, opts IndicatorImportOptions) (*JoinReport, error) {
	m := opts.Mapping
	if m == nil {
		side := strings.TrimSuffix(path, filepath.Ext(path)) + ".mapping.yaml"
		var err error
		if m, err = LoadMapping(side); err != nil {
			return nil, fmt.Errorf("data: %s: no mapping given and %s could not be read: %w", path, side, err)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("data: import indicators: %w", err)
	}
	return s.importIndicatorBytes(ctx, filepath.Base(path), b, m, opts.Progress)
}

func readTable(name string, b []byte, m *Mapping) (*table, error) {
	if isXLSX(name, b) {
		return readXLSX(name, b, m.Sheet, m.Format, m.Level)
	}
	if m.Format == "scb" {
		t, _, err := readSCBCSV(name, b, m.Level)
		return t, err
	}
	return readCSV(name, b)
}

// isXLSX: the file is an xlsx workbook (by its name, or a zip without one).
func isXLSX(name string, b []byte) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".xlsx" || (ext != ".csv" && ext != ".txt" && bytes.HasPrefix(b, []byte("PK\x03\x04")))
}

func (s *Store) importIndicatorBytes(ctx context.Context, name string, b []byte, m *Mapping, progress func(int, int)) (*JoinReport, error) {
	recs, rows, err := parseIndicators(ctx, name, b, m)
	if err != nil {
		return nil, err
	}
	rep := &JoinReport{File: name, Level: m.Level, Rows: rows}
	err = s.Update(ctx, func(tx *Tx) error {
		summary, err := tx.importIndicators(ctx, recs, m, rep, progress)
		if err != nil {
			return err
		}
		return tx.logImport(ctx, "indicators", name, summary)
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// parseIndicators reads a table into records as its mapping describes.
func parseIndicators(ctx context.Context, name string, b []byte, m *Mapping) ([]record, int, error) {
	t, err := readTable(name, b, m)
	if err != nil {
		return nil, 0, err
	}
	recs, err := t.records(m)
	if err != nil {
		return nil, 0, err
	}
	return recs, len(t.rows), ctx.Err()
}

// importIndicators joins, writes and materialises records inside a
// transaction and returns the summary for the import history (the caller
// logs it).
func (tx *Tx) importIndicators(ctx context.Context, recs []record, m *Mapping, rep *JoinReport, progress func(int, int)) (string, error) {
	known, err := tx.areaKommuner(ctx, m.Level)
	if err != nil {
		return "", err
	}
	recs, err = joinRecords(recs, known, m, rep)
	if err != nil {
		return "", err
	}
	if err := tx.upsertIndicators(ctx, m); err != nil {
		return "", err
	}
	if err := tx.writeValues(ctx, m.Level, recs, progress); err != nil {
		return "", err
	}
	rep.Values = len(recs)
	if err := tx.materialise(ctx, m.Level, recs); err != nil {
		return "", err
	}
	tx.MarkChanged()
	return fmt.Sprintf("level %s: %d rows, %d matched, %d unmatched, %d values; ids: %s", m.Level, rep.Rows, rep.Matched, len(rep.UnmatchedInFile), rep.Values, strings.Join(mappingIDs(m), ", ")), nil
}

// areaKommuner maps the codes of a level's areas to their kommun.
func (tx *Tx) areaKommuner(ctx context.Context, level string) (map[string]string, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT code, coalesce(kommun, '') FROM segmap_areas WHERE level = ?`, level)
	if err != nil {
		return nil, fmt.Errorf("data: read areas: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var c, k string
		if err := rows.Scan(&c, &k); err != nil {
			return nil, err
		}
		out[c] = k
	}
	return out, rows.Err()
}

// joinRecords checks duplicates, maps DeSO 2025 splits and drops codes the
// store does not know (unless the store has no areas at the level at all).
func joinRecords(recs []record, known map[string]string, m *Mapping, rep *JoinReport) ([]record, error) {
	type key struct {
		code, ind, bd string
		year          int
	}
	seen := make(map[key]string, len(recs))
	for _, r := range recs {
		k := key{r.code, r.indicator, r.breakdown, r.year}
		if prev, ok := seen[k]; ok {
			return nil, &InputError{File: rep.File, Place: r.place, Problem: fmt.Sprintf(
				"%s %s has a second value for indicator %s, year %d, breakdown %s (first at %s)", m.Level, r.code, r.indicator, r.year, r.breakdown, prev),
				ProblemSV: fmt.Sprintf("%s %s har ett andra värde för indikator %s, år %d, uppdelning %s (det första på %s)", levelSV(m.Level), r.code, r.indicator, r.year, r.breakdown, PlaceSV(prev))}
		}
		seen[k] = r.place
	}
	inFile := map[string]bool{}
	for _, r := range recs {
		inFile[r.code] = true
	}
	noAreas := len(known) == 0
	matched, unmatched := map[string]bool{}, map[string]bool{}
	kommuner := map[string]bool{}
	splits := map[string][]record{}
	out := recs[:0:0]
	for _, r := range recs {
		if _, ok := known[r.code]; ok || noAreas {
			matched[r.code] = true
			kommuner[known[r.code]] = true
			out = append(out, r)
			continue
		}
		if m.Level == LevelDeSO && len(r.code) == 9 && !strings.HasSuffix(r.code, "0") {
			parent := r.code[:8] + "0"
			if rep.SplitParents == nil {
				rep.SplitParents = map[string]string{}
			}
			rep.SplitParents[r.code] = parent
			if _, ok := known[parent]; ok && m.Deso2025 == "parent_mean" && !inFile[parent] {
				pk := parent + "\x00" + r.indicator + "\x00" + r.breakdown + fmt.Sprint("\x00", r.year)
				splits[pk] = append(splits[pk], r)
				matched[r.code] = true
				kommuner[known[parent]] = true
				continue
			}
		}
		unmatched[r.code] = true
	}
	keys := make([]string, 0, len(splits))
	for k := range splits {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		out = append(out, meanOfChildren(splits[k]))
	}
	rep.Matched = len(matched)
	for c := range unmatched {
		rep.UnmatchedInFile = append(rep.UnmatchedInFile, c)
	}
	sort.Strings(rep.UnmatchedInFile)
	if !noAreas {
		for c, k := range known {
			if kommuner[k] && !inFile[c] && !hasSplitChild(c, rep.SplitParents) {
				rep.UnmatchedInStore = append(rep.UnmatchedInStore, c)
			}
		}
		sort.Strings(rep.UnmatchedInStore)
	}
	return out, nil
}

func hasSplitChild(parent string, splits map[string]string) bool {
	for _, p := range splits {
		if p == parent {
			return true
		}
	}
	return false
}

// meanOfChildren is the estimated parent value of split DeSO 2025 children:
// the mean of their values; numerator and denominator are summed when every child has them.
func meanOfChildren(ch []record) record {
	r := ch[0]
	r.code = r.code[:8] + "0"
	r.estimated = true
	sum, n := 0.0, 0
	num, den := 0.0, 0.0
	for _, c := range ch {
		if !math.IsNaN(c.value) {
			sum += c.value
			n++
		}
		num += c.num
		den += c.den
		r.suppressed = r.suppressed || c.suppressed
	}
	r.value = math.NaN()
	if n > 0 {
		r.value = sum / float64(n)
	}
	r.num, r.den = num, den // NaN if any child lacks them
	return r
}

func (tx *Tx) upsertIndicators(ctx context.Context, m *Mapping) error {
	stmt, err := tx.tx.PrepareContext(ctx, `INSERT INTO segmap_indicators
 (id, name_sv, name_en, unit, description_sv, description_en, source, higher_is_better, aggregation, scale, decimals, sort)
 VALUES (?,?,?,?,?,?,?,?,?,?,?, coalesce((SELECT sort FROM segmap_indicators WHERE id = ?), (SELECT coalesce(max(sort), 0) + 1 FROM segmap_indicators)))
 ON CONFLICT(id) DO UPDATE SET name_sv=excluded.name_sv, name_en=excluded.name_en, unit=excluded.unit,
 description_sv=excluded.description_sv, description_en=excluded.description_en, source=excluded.source,
 higher_is_better=excluded.higher_is_better, aggregation=excluded.aggregation, scale=excluded.scale, decimals=excluded.decimals`)
	if err != nil {
		return fmt.Errorf("data: prepare indicators: %w", err)
	}
	defer stmt.Close()
	done := map[string]bool{}
	for _, im := range m.Indicators {
		if done[im.ID] {
			continue
		}
		done[im.ID] = true
		if im.NameSV == "" {
			var n int
			if err := tx.tx.QueryRowContext(ctx, `SELECT count(*) FROM segmap_indicators WHERE id = ?`, im.ID).Scan(&n); err != nil {
				return fmt.Errorf("data: read indicator %s: %w", im.ID, err)
			}
			if n == 0 {
				return &InputError{File: m.Path, Place: "indicator " + im.ID, Field: "name_sv", Problem: "the store has no indicator " + im.ID + "; describe it (name_sv, name_en, unit, aggregation, ...)",
					ProblemSV: "databasen har ingen indikator " + im.ID + "; beskriv den (name_sv, name_en, unit, aggregation, ...)"}
			}
			continue
		}
		ind := im.Indicator()
		var hib any
		if ind.HigherIsBetter != nil {
			hib = boolInt(*ind.HigherIsBetter)
		}
		if _, err := stmt.ExecContext(ctx, ind.ID, ind.NameSV, ind.NameEN, ind.Unit, ind.DescriptionSV, ind.DescriptionEN,
			ind.Source, hib, string(ind.Aggregation), ind.Scale, ind.Decimals, ind.ID); err != nil {
			return fmt.Errorf("data: write indicator %s: %w", ind.ID, err)
		}
	}
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func nullable(f float64) any {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil
	}
	return f
}

// writeValues replaces the values of every (indicator, year, breakdown) in recs at level.
func (tx *Tx) writeValues(ctx context.Context, level string, recs []record, progress func(int, int)) error {
	type ikey struct {
		ind, bd string
		year    int
	}
	keys := map[ikey]bool{}
	for _, r := range recs {
		keys[ikey{r.indicator, r.breakdown, r.year}] = true
	}
	for k := range keys {
		if _, err := tx.tx.ExecContext(ctx, `DELETE FROM segmap_values WHERE level=? AND indicator=? AND year=? AND breakdown=?`,
			level, k.ind, k.year, k.bd); err != nil {
			return fmt.Errorf("data: clear values: %w", err)
		}
	}
	stmt, err := tx.tx.PrepareContext(ctx, `INSERT INTO segmap_values
 (level, code, indicator, year, breakdown, value, numerator, denominator, suppressed, estimated) VALUES (?,?,?,?,?,?,?,?,?,?)`)
	if err != nil {
		return fmt.Errorf("data: prepare values: %w", err)
	}
	defer stmt.Close()
	for i, r := range recs {
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			if progress != nil {
				progress(i, len(recs))
			}
		}
		if _, err := stmt.ExecContext(ctx, level, r.code, r.indicator, r.year, r.breakdown,
			nullable(r.value), nullable(r.num), nullable(r.den), boolInt(r.suppressed), boolInt(r.estimated)); err != nil {
			return fmt.Errorf("data: write value %s %s %d: %w", r.code, r.indicator, r.year, err)
		}
	}
	if progress != nil {
		progress(len(recs), len(recs))
	}
	return nil
}

// mappingIDs are the indicator ids a mapping writes, in order.
func mappingIDs(m *Mapping) []string {
	var out []string
	seen := map[string]bool{}
	for _, im := range m.Indicators {
		if !seen[im.ID] {
			seen[im.ID] = true
			out = append(out, im.ID)
		}
	}
	return out
}
