package data

import (
	"context"
	"fmt"
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

// materialise computes parent-level values of every (indicator, year,
// breakdown) in recs from the values at level, through segmap_areas:
// ratio = sum(num)/sum(den)*scale, sum = sum(value), weighted_mean =
// sum(value*den)/sum(den), none = no parent value. A parent gets a value
// only when every one of its areas at level has a row (present, even if
// missing), so a file covering one län does not produce a national figure.
// A parent is flagged estimated when a child is estimated or missing.
func (tx *Tx) materialise(ctx context.Context, level string, recs []record) error {
	parents := parentLevels(level)
	if len(parents) == 0 {
		return nil
	}
	type ikey struct {
		ind, bd string
		year    int
	}
	keys := map[ikey]bool{}
	for _, r := range recs {
		keys[ikey{r.indicator, r.breakdown, r.year}] = true
	}
	for k := range keys {
		var agg string
		var scale float64
		if err := tx.tx.QueryRowContext(ctx, `SELECT aggregation, scale FROM segmap_indicators WHERE id=?`, k.ind).Scan(&agg, &scale); err != nil {
			return fmt.Errorf("data: aggregate %s: %w", k.ind, err)
		}
		for _, p := range parents {
			if _, err := tx.tx.ExecContext(ctx, `DELETE FROM segmap_values WHERE level=? AND indicator=? AND year=? AND breakdown=?`,
				p[0], k.ind, k.year, k.bd); err != nil {
				return fmt.Errorf("data: aggregate %s: %w", k.ind, err)
			}
			var valueE, numE, denE string
			switch Aggregation(agg) {
			case AggRatio:
				both := `CASE WHEN v.numerator IS NOT NULL AND v.denominator IS NOT NULL THEN `
				numE = `sum(` + both + `v.numerator END)`
				denE = `sum(` + both + `v.denominator END)`
				valueE = numE + ` * 1.0 / nullif(` + denE + `, 0) * ?`
			case AggSum:
				valueE, numE, denE = `sum(v.value) + 0 * ?`, `NULL`, `NULL`
			case AggWeightedMean:
				denE = `sum(CASE WHEN v.value IS NOT NULL THEN v.denominator END)`
				valueE, numE = `sum(v.value * v.denominator) / nullif(`+denE+`, 0) + 0 * ?`, `NULL`
			default:
				continue
			}
			g, cg := "a."+p[1], "c."+p[1]
			if p[0] == LevelRiket {
				g, cg = p[1], p[1]
			}
			q := `INSERT INTO segmap_values (level, code, indicator, year, breakdown, value, numerator, denominator, suppressed, estimated)
 SELECT ?, agg.g, ?, ?, ?, agg.value, agg.num, agg.den, 0, agg.est FROM (
  SELECT ` + g + ` AS g, ` + valueE + ` AS value, ` + numE + ` AS num, ` + denE + ` AS den,
   max(v.estimated) OR count(v.value) < count(*) AS est, count(*) AS n
  FROM segmap_values v JOIN segmap_areas a ON a.level = v.level AND a.code = v.code
  WHERE v.level = ? AND v.indicator = ? AND v.year = ? AND v.breakdown = ? AND ` + g + ` IS NOT NULL AND ` + g + ` != ''
  GROUP BY ` + g + `) agg
 JOIN (SELECT ` + cg + ` AS g, count(*) AS n FROM segmap_areas c WHERE c.level = ? GROUP BY ` + cg + `) cnt
  ON cnt.g = agg.g AND cnt.n = agg.n`
			if _, err := tx.tx.ExecContext(ctx, q, p[0], k.ind, k.year, k.bd, scale, level, k.ind, k.year, k.bd, level); err != nil {
				return fmt.Errorf("data: aggregate %s to %s: %w", k.ind, p[0], err)
			}
		}
	}
	return nil
}
