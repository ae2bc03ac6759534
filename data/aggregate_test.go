package data

import (
	"database/sql"
	"math"
	"testing"
)

// TestMaterialiseMatchesGo recomputes every parent value of the national
// import (RegSO, kommun, län, riket from the 5,984 DeSO) in Go, from the
// DeSO rows and the hierarchy, by the rules materialise documents: sum,
// ratio Σnum/Σden × scale, weighted mean; a parent only when every one of
// its DeSO has a row and the value is not missing; estimated when a child
// is estimated or missing; no parent for other aggregations. It checks
// every (parent, indicator, year, breakdown) both ways.
func TestMaterialiseMatchesGo(t *testing.T) {
	s := nationalStore(t)
	parentOf := map[string]map[string]string{LevelRegSO: {}, LevelKommun: {}, LevelLan: {}, LevelRiket: {}}
	children := map[string]map[string]int{LevelRegSO: {}, LevelKommun: {}, LevelLan: {}, LevelRiket: {}}
	rows, err := s.db.Query(`SELECT code, coalesce(regso, ''), coalesce(kommun, ''), coalesce(lan, '') FROM segmap_areas WHERE level = ?`, LevelDeSO)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var code, regso, kommun, lan string
		if err := rows.Scan(&code, &regso, &kommun, &lan); err != nil {
			t.Fatal(err)
		}
		for level, p := range map[string]string{LevelRegSO: regso, LevelKommun: kommun, LevelLan: lan, LevelRiket: RiketCode} {
			if p != "" {
				parentOf[level][code] = p
				children[level][p]++
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	type agg struct {
		n, withValue            int
		sum, num, den, wsum, wd float64
		est                     bool
	}
	type key struct {
		level, code, ind, bd string
		year                 int
	}
	kind := map[string]Aggregation{}
	scale := map[string]float64{}
	irows, err := s.db.Query(`SELECT id, aggregation, scale FROM segmap_indicators`)
	if err != nil {
		t.Fatal(err)
	}
	for irows.Next() {
		var id string
		var a Aggregation
		var sc sql.NullFloat64
		if err := irows.Scan(&id, &a, &sc); err != nil {
			t.Fatal(err)
		}
		kind[id], scale[id] = a, sc.Float64
	}
	got := map[key]*agg{}
	vrows, err := s.db.Query(`SELECT code, indicator, year, breakdown, value, numerator, denominator, estimated FROM segmap_values WHERE level = ?`, LevelDeSO)
	if err != nil {
		t.Fatal(err)
	}
	for vrows.Next() {
		var code, ind, bd string
		var year int
		var v, num, den sql.NullFloat64
		var est bool
		if err := vrows.Scan(&code, &ind, &year, &bd, &v, &num, &den, &est); err != nil {
			t.Fatal(err)
		}
		for level, m := range parentOf {
			p, ok := m[code]
			if !ok {
				continue
			}
			k := key{level, p, ind, bd, year}
			a := got[k]
			if a == nil {
				a = &agg{}
				got[k] = a
			}
			a.n++
			a.est = a.est || est || !v.Valid
			if v.Valid {
				a.withValue++
				a.sum += v.Float64
				if den.Valid {
					a.wsum += v.Float64 * den.Float64
					a.wd += den.Float64
				}
			}
			if num.Valid && den.Valid {
				a.num += num.Float64
				a.den += den.Float64
			}
		}
	}
	if err := vrows.Err(); err != nil {
		t.Fatal(err)
	}
	want := map[key][2]any{} // value, estimated
	for k, a := range got {
		if a.n != children[k.level][k.code] {
			continue // not every child has a row
		}
		var v float64
		switch kind[k.ind] {
		case AggSum:
			if a.withValue == 0 {
				continue
			}
			v = a.sum
		case AggRatio:
			if a.den == 0 {
				continue
			}
			v = a.num / a.den * scale[k.ind]
		case AggWeightedMean:
			if a.wd == 0 {
				continue
			}
			v = a.wsum / a.wd
		default:
			continue
		}
		want[k] = [2]any{v, a.est}
	}
	prows, err := s.db.Query(`SELECT level, code, indicator, year, breakdown, value, estimated FROM segmap_values WHERE level != ?`, LevelDeSO)
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for prows.Next() {
		var k key
		var v float64
		var est bool
		if err := prows.Scan(&k.level, &k.code, &k.ind, &k.year, &k.bd, &v, &est); err != nil {
			t.Fatal(err)
		}
		w, ok := want[k]
		if !ok {
			t.Errorf("%+v: stored %v, but the Go rules give no value", k, v)
			continue
		}
		seen++
		if wv := w[0].(float64); math.Abs(v-wv) > 1e-9*math.Max(1, math.Abs(wv)) || est != w[1].(bool) {
			t.Errorf("%+v: stored %v (estimated %v), Go gives %v (estimated %v)", k, v, est, wv, w[1])
		}
	}
	if err := prows.Err(); err != nil {
		t.Fatal(err)
	}
	if seen != len(want) {
		t.Errorf("stored %d parent values, the Go rules give %d", seen, len(want))
	}
	if seen < 10000 {
		t.Errorf("only %d parent values: the national import should give tens of thousands", seen)
	}
}
