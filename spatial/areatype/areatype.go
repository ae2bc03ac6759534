// Package areatype computes SCB's socioekonomiskt index and the five
// områdestyper (socio-economic area types) for RegSO areas, as shown by
// Delmos' Segregationsbarometern.
//
// Index: for each area the mean of three shares, in percent:
//
//  1. persons with low economic standard (< 60 % of the national median),
//  2. persons aged 25–64 whose highest education is pre-upper-secondary
//     (förgymnasial),
//  3. a proxy for "long-term unemployment or long-term social assistance":
//     SCB's official index uses registers not published per DeSO, so we use
//     the share unemployed among persons aged 16–64. Recommended
//     denominator: all persons 16–64 (not the labour force); with it,
//     DeSO 2022 data aggregated to RegSO reproduces the official 2022 type
//     of 95.9 % of the 3,363 RegSO, every mismatch one type away (the
//     agreement of every variant is in testdata/areatype/README.md).
//
// The education denominator should be all persons 25–64 including
// "unknown" education, and the low-economic-standard count is the share
// times the persons with a computed economic standard.
//
// Type: the index's deviation from the mean over the areas, in standard
// deviations z = (index − mean)/σ:
//
//	type 1  z ≥ 2           stora socioekonomiska utmaningar
//	type 2  1 ≤ z < 2       socioekonomiska utmaningar
//	type 3  0 ≤ z < 1       socioekonomiskt blandade områden
//	type 4  −1 ≤ z < 0      goda socioekonomiska förutsättningar
//	type 5  z < −1          mycket goda socioekonomiska förutsättningar
//
// Mean and σ (population standard deviation, divisor n) are taken across
// the classified areas, unweighted by default (each RegSO counts once; this
// matches the official types best), or weighted by Input.Weight when
// Options.Weighted is set. Areas with a zero
// denominator get Type 0 and a NaN index and are left out of the statistics.
package areatype

import (
	"errors"
	"fmt"
	"math"
	"sort"
)

// Errors returned (wrapped) by this package.
var (
	ErrEmpty    = errors.New("no areas with data")
	ErrInvalid  = errors.New("invalid input")
	ErrNoSpread = errors.New("index has zero standard deviation")
)

// Input holds one area's counts: numerators and their denominators.
type Input struct {
	Code string
	// LowEcon persons with low economic standard of LowEconDen persons.
	LowEcon, LowEconDen float64
	// LowEdu persons 25–64 with pre-upper-secondary education of LowEduDen.
	LowEdu, LowEduDen float64
	// Unemp unemployed 16–64 of UnempDen (labour force or all 16–64).
	Unemp, UnempDen float64
	// Weight (e.g. population) used only when Options.Weighted is set.
	Weight float64
}

// Options controls the statistics the types are based on.
type Options struct {
	// Weighted weights the mean and σ by Input.Weight. The zero value
	// (unweighted, every area counts once) reproduces the official 2022
	// types best; see testdata/areatype/README.md.
	Weighted bool
}

// Result is one area's index (percent), z-score and type (1..5; 0 = no data).
type Result struct {
	Code  string
	Index float64
	Z     float64
	Type  int
	// The three component shares, percent.
	LowEconPct, LowEduPct, UnempPct float64
}

// Stats describes the distribution the types were cut from.
type Stats struct {
	Mean, SD float64
	N        int    // areas with an index
	Missing  int    // areas without (Type 0)
	Counts   [6]int // Counts[t] = areas of type t (0 = missing)
}

// Index returns the socio-economic index of one area in percent, or false
// when any denominator is not positive.
func (in Input) Index() (idx, lowEcon, lowEdu, unemp float64, ok bool) {
	if !(in.LowEconDen > 0 && in.LowEduDen > 0 && in.UnempDen > 0) {
		return math.NaN(), math.NaN(), math.NaN(), math.NaN(), false
	}
	lowEcon = 100 * in.LowEcon / in.LowEconDen
	lowEdu = 100 * in.LowEdu / in.LowEduDen
	unemp = 100 * in.Unemp / in.UnempDen
	return (lowEcon + lowEdu + unemp) / 3, lowEcon, lowEdu, unemp, true
}

// TypeOf maps a z-score to the area type 1..5 (0 for NaN).
func TypeOf(z float64) int {
	switch {
	case math.IsNaN(z):
		return 0
	case z >= 2:
		return 1
	case z >= 1:
		return 2
	case z >= 0:
		return 3
	case z >= -1:
		return 4
	default:
		return 5
	}
}

// Classify computes the index, z-score and type of every area. Results are
// in input order.
func Classify(in []Input, opts Options) ([]Result, Stats, error) {
	var st Stats
	if err := validate(in); err != nil {
		return nil, st, err
	}
	res := make([]Result, len(in))
	var sw, swx float64
	for i, a := range in {
		idx, le, ed, un, ok := a.Index()
		res[i] = Result{Code: a.Code, Index: idx, Z: math.NaN(), LowEconPct: le, LowEduPct: ed, UnempPct: un}
		if !ok {
			st.Missing++
			continue
		}
		w := weight(a, opts)
		sw += w
		swx += w * idx
		st.N++
	}
	if st.N == 0 || sw == 0 {
		return nil, st, fmt.Errorf("areatype: classify %d areas: %w", len(in), ErrEmpty)
	}
	st.Mean = swx / sw
	var ss float64
	for i, a := range in {
		if r := res[i]; !math.IsNaN(r.Index) {
			d := r.Index - st.Mean
			ss += weight(a, opts) * d * d
		}
	}
	st.SD = math.Sqrt(ss / sw)
	if !(st.SD > 0) {
		return nil, st, fmt.Errorf("areatype: classify %d areas: %w", st.N, ErrNoSpread)
	}
	for i := range res {
		if !math.IsNaN(res[i].Index) {
			res[i].Z = (res[i].Index - st.Mean) / st.SD
		}
		res[i].Type = TypeOf(res[i].Z)
		st.Counts[res[i].Type]++
	}
	return res, st, nil
}

func weight(a Input, opts Options) float64 {
	if opts.Weighted {
		return a.Weight
	}
	return 1
}

func validate(in []Input) error {
	for i, a := range in {
		for _, v := range []float64{a.LowEcon, a.LowEconDen, a.LowEdu, a.LowEduDen, a.Unemp, a.UnempDen, a.Weight} {
			if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
				return fmt.Errorf("areatype: area %d (%q): count %v: %w", i, a.Code, v, ErrInvalid)
			}
		}
		if a.LowEcon > a.LowEconDen || a.LowEdu > a.LowEduDen || a.Unemp > a.UnempDen {
			return fmt.Errorf("areatype: area %d (%q): numerator exceeds denominator: %w", i, a.Code, ErrInvalid)
		}
	}
	return nil
}

// Aggregate sums child areas' (e.g. DeSO) numerators, denominators and
// weights into parent areas (e.g. RegSO): parent[i] is the parent code of
// in[i]; children with an empty parent code are skipped. Shares of the
// parent are then sum(numerators)/sum(denominators). The result is sorted
// by parent code.
func Aggregate(in []Input, parent []string) ([]Input, error) {
	if len(parent) != len(in) {
		return nil, fmt.Errorf("areatype: aggregate: %d parent codes for %d areas: %w", len(parent), len(in), ErrInvalid)
	}
	if err := validate(in); err != nil {
		return nil, err
	}
	by := map[string]*Input{}
	for i, a := range in {
		p := parent[i]
		if p == "" {
			continue
		}
		s := by[p]
		if s == nil {
			s = &Input{Code: p}
			by[p] = s
		}
		s.LowEcon += a.LowEcon
		s.LowEconDen += a.LowEconDen
		s.LowEdu += a.LowEdu
		s.LowEduDen += a.LowEduDen
		s.Unemp += a.Unemp
		s.UnempDen += a.UnempDen
		s.Weight += a.Weight
	}
	out := make([]Input, 0, len(by))
	for _, s := range by {
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out, nil
}
