package data

import (
	"context"
	"fmt"
	"strings"
)

// parentLevels lists the levels a level's values are aggregated to, with the
// segmap_areas column that holds the parent code.
func parentLevels(level string) [][2]string {
	all := [][2]string{{LevelRegSO, "regso"}, {LevelKommun, "kommun"}, {LevelLan, "lan"}, {LevelRiket, "'" + RiketCode + "'"}}
	switch level {
	case LevelDeSO:
		return all
	case LevelRegSO:
		return all[1:]
	case LevelKommun:
		return all[2:]
	case LevelLan:
		return all[3:]
	}
	return nil
}

// aggExprs are the SQL expressions of value, numerator and denominator of
// a parent per aggregation (i = segmap_indicators, v = child values).
func aggExprs() [][4]string {
	return [][4]string{
		{string(AggRatio),
			`sum(CASE WHEN v.numerator IS NOT NULL AND v.denominator IS NOT NULL THEN v.numerator END) * 1.0 /
		 nullif(sum(CASE WHEN v.numerator IS NOT NULL AND v.denominator IS NOT NULL THEN v.denominator END), 0) * i.scale`,
			`sum(CASE WHEN v.numerator IS NOT NULL AND v.denominator IS NOT NULL THEN v.numerator END)`,
			`sum(CASE WHEN v.numerator IS NOT NULL AND v.denominator IS NOT NULL THEN v.denominator END)`},
		{string(AggSum), `sum(v.value)`, `NULL`, `NULL`},
		{string(AggWeightedMean),
			`sum(v.value * v.denominator) / nullif(sum(CASE WHEN v.value IS NOT NULL THEN v.denominator END), 0)`,
			`NULL`, `sum(CASE WHEN v.value IS NOT NULL THEN v.denominator END)`},
	}
}

// aggCase folds aggExprs into one CASE on i.aggregation per column, and
// lists the aggregations that have one, as an SQL list.
func aggCase() (value, num, den, kinds string) {
	var v, n, d, k strings.Builder
	for _, e := range aggExprs() {
		when := " WHEN '" + e[0] + "' THEN "
		v.WriteString(when + e[1])
		n.WriteString(when + e[2])
		d.WriteString(when + e[3])
		if k.Len() > 0 {
			k.WriteString(", ")
		}
		k.WriteString("'" + e[0] + "'")
	}
	return "CASE i.aggregation" + v.String() + " END", "CASE i.aggregation" + n.String() + " END",
		"CASE i.aggregation" + d.String() + " END", "(" + k.String() + ")"
}

// materialise computes parent-level values of every (indicator, year,
// breakdown) in recs from the values at level, through segmap_areas:
// ratio = sum(num)/sum(den)*scale, sum = sum(value), weighted_mean =
// sum(value*den)/sum(den), none = no parent value. A parent gets a value
// only when every one of its areas at level has a row (present, even if
// missing), so a file covering one län does not produce a national figure.
// A parent is flagged estimated when a child is estimated or its value is
// missing; a parent whose value cannot be computed gets no row.
func (tx *Tx) materialise(ctx context.Context, level string, recs []record) error {
	parents := parentLevels(level)
	if len(parents) == 0 {
		return nil
	}
	exec := func(q string, args ...any) error {
		if _, err := tx.tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("data: aggregate to parent levels: %w", err)
		}
		return nil
	}
	if err := exec(`CREATE TEMP TABLE IF NOT EXISTS segmap_import_keys (indicator TEXT, year INTEGER, breakdown TEXT, PRIMARY KEY (indicator, year, breakdown))`); err != nil {
		return err
	}
	if err := exec(`DELETE FROM temp.segmap_import_keys`); err != nil {
		return err
	}
	type ikey struct {
		ind, bd string
		year    int
	}
	seen := map[ikey]bool{}
	for _, r := range recs {
		k := ikey{r.indicator, r.breakdown, r.year}
		if seen[k] {
			continue
		}
		seen[k] = true
		if err := exec(`INSERT OR IGNORE INTO temp.segmap_import_keys VALUES (?, ?, ?)`, r.indicator, r.year, r.breakdown); err != nil {
			return err
		}
	}
	value, num, den, kinds := aggCase()
	for _, p := range parents {
		if err := exec(`DELETE FROM segmap_values WHERE level = ? AND (indicator, year, breakdown) IN (SELECT indicator, year, breakdown FROM temp.segmap_import_keys)`, p[0]); err != nil {
			return err
		}
		g, cg := "a."+p[1], "c."+p[1]
		if p[0] == LevelRiket {
			g, cg = p[1], p[1]
		}
		// One statement per parent level computes every aggregation: the
		// CASE picks the indicator's own (constant within a group, since
		// the group holds one indicator), so the children's values are read
		// once per parent level instead of once per aggregation. EXISTS, not
		// IN: with IN SQLite walks the unique index key by key and looks up
		// every row (3× slower for the national table).
		q := `INSERT INTO segmap_values (level, code, indicator, year, breakdown, value, numerator, denominator, suppressed, estimated)
 SELECT ?, agg.g, agg.indicator, agg.year, agg.breakdown, agg.value, agg.num, agg.den, 0, agg.est FROM (
  SELECT ` + g + ` AS g, v.indicator, v.year, v.breakdown, ` + value + ` AS value, ` + num + ` AS num, ` + den + ` AS den,
   max(v.estimated) OR count(v.value) < count(*) AS est, count(*) AS n
  FROM segmap_values v
  JOIN segmap_areas a ON a.level = v.level AND a.code = v.code
  JOIN segmap_indicators i ON i.id = v.indicator
  WHERE v.level = ? AND i.aggregation IN ` + kinds + ` AND ` + g + ` IS NOT NULL AND ` + g + ` != ''
   AND EXISTS (SELECT 1 FROM temp.segmap_import_keys k WHERE k.indicator = v.indicator AND k.year = v.year AND k.breakdown = v.breakdown)
   AND NOT ` + splitOf("a") + `
  GROUP BY ` + g + `, v.indicator, v.year, v.breakdown) agg
 JOIN (SELECT ` + cg + ` AS g, count(*) AS n FROM segmap_areas c WHERE c.level = ? AND NOT ` + splitOf("c") + ` GROUP BY ` + cg + `) cnt
  ON cnt.g = agg.g AND cnt.n = agg.n
 WHERE agg.value IS NOT NULL`
		if err := exec(q, p[0], level, level); err != nil {
			return err
		}
	}
	return exec(`DELETE FROM temp.segmap_import_keys`)
}

// splitOf is an SQL condition on the area alias t: a DeSO 2025 area that
// split a DeSO 2018 area also in the store. Parents aggregate the 2018 area
// (the national statistics are on 2018 areas), so its splits are neither
// counted as children nor summed, which would count their people twice.
func splitOf(t string) string {
	return `(` + t + `.level = '` + LevelDeSO + `' AND length(` + t + `.code) = 9 AND substr(` + t + `.code, 9, 1) != '0'
  AND EXISTS (SELECT 1 FROM segmap_areas sp WHERE sp.level = ` + t + `.level AND sp.code = substr(` + t + `.code, 1, 8) || '0'))`
}
