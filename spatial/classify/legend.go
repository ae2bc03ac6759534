package classify

import (
	"math"
	"strconv"

	"github.com/segmap/segmap/internal/locale"
)

// Legend entry kinds.
const (
	KindClass      = "class"
	KindNoData     = "nodata"
	KindSuppressed = "suppressed"
)

// Default colours of the no-data and suppressed legend entries.
const (
	NoDataColor     = "#d9d9d9"
	SuppressedColor = "#969696"
)

// LegendOptions controls Legend.
type LegendOptions struct {
	Lang string // "sv" (default) or "en"
	// Decimals: digits after the decimal sign; < 0 = automatic. It is raised
	// (up to 10) until breaks that differ get different labels.
	Decimals int
	Unit     string   // appended after a space, e.g. "%", "tkr"
	Colors   []string // one per class; missing colours are ""
	// NoDataColor and SuppressedColor override the defaults.
	NoDataColor, SuppressedColor string
}

// LegendEntry is one legend row.
type LegendEntry struct {
	Label       string  `json:"label"`
	Color       string  `json:"color"`
	Count       int     `json:"count"`
	Min         float64 `json:"min"`
	Max         float64 `json:"max"`
	LowerClosed bool    `json:"lower_closed"`
	UpperClosed bool    `json:"upper_closed"`
	Kind        string  `json:"kind"` // class, nodata, suppressed
}

// Legend returns one entry per class, then "Uppgift saknas"/"No data" and
// "Sekretess"/"Suppressed" entries when there are such values (Min and Max
// are NaN there).
//
// Labels spell out the interval ends in words so they cannot be misread
// (sv / en):
//
//	[a, b)  "a till under b"            / "a to under b"
//	[a, b]  "a till och med b"          / "a to b inclusive"
//	(a, b]  "över a till och med b"     / "over a to b inclusive"
//	(a, b)  "över a till under b"       / "over a to under b"
//	a = b   "a"
//
// LowerClosed/UpperClosed carry the same information for clients that draw
// brackets.
func Legend(r Result, opts LegendOptions) []LegendEntry {
	lang := locale.Of(opts.Lang)
	k := r.K()
	dec := legendDecimals(r.Breaks, opts.Decimals)
	unit := ""
	if opts.Unit != "" {
		unit = " " + opts.Unit
	}
	out := make([]LegendEntry, 0, k+2)
	for i := 0; i < k; i++ {
		e := LegendEntry{Kind: KindClass, Min: r.Breaks[i], Max: r.Breaks[i+1]}
		if i < len(r.Counts) {
			e.Count = r.Counts[i]
		}
		if i < len(opts.Colors) {
			e.Color = opts.Colors[i]
		}
		if r.Closure == ClosureRight {
			e.LowerClosed, e.UpperClosed = i == 0, true
		} else {
			e.LowerClosed, e.UpperClosed = true, i == k-1
		}
		a := locale.FormatNumber(e.Min, dec, lang)
		b := locale.FormatNumber(e.Max, dec, lang)
		e.Label = intervalLabel(a, b, unit, e.LowerClosed, e.UpperClosed, lang)
		out = append(out, e)
	}
	if r.NoData > 0 {
		e := LegendEntry{Kind: KindNoData, Count: r.NoData, Min: math.NaN(), Max: math.NaN(), Label: lang.Pick("Uppgift saknas", "No data"), Color: NoDataColor}
		if opts.NoDataColor != "" {
			e.Color = opts.NoDataColor
		}
		out = append(out, e)
	}
	if r.Suppressed > 0 {
		e := LegendEntry{Kind: KindSuppressed, Count: r.Suppressed, Min: math.NaN(), Max: math.NaN(), Label: lang.Pick("Sekretess", "Suppressed"), Color: SuppressedColor}
		if opts.SuppressedColor != "" {
			e.Color = opts.SuppressedColor
		}
		out = append(out, e)
	}
	return out
}

// intervalLabel writes [a, b] with its closed or open ends; unit (" tkr",
// " %" or "") follows the upper number, before English's closing word:
// "480.4 to 2,508.7 tkr inclusive", "över 4,0 till och med 7,0 %".
func intervalLabel(a, b, unit string, lowerClosed, upperClosed bool, lang locale.Lang) string {
	if a == b {
		return a + unit
	}
	var lo, up string
	if lang.EN() {
		lo, up = "", " to under "
		if !lowerClosed {
			lo = "over "
		}
		if upperClosed {
			return lo + a + " to " + b + unit + " inclusive"
		}
		return lo + a + up + b + unit
	}
	lo, up = "", " till under "
	if !lowerClosed {
		lo = "över "
	}
	if upperClosed {
		up = " till och med "
	}
	return lo + a + up + b + unit
}

// legendDecimals picks the number of decimals: at least want (or the
// fewest, when want < 0) such that distinct breaks get distinct labels.
func legendDecimals(breaks []float64, want int) int {
	d := want
	if d < 0 {
		d = 0
	}
	for ; d < 10; d++ {
		ok := true
		for i := 1; i < len(breaks); i++ {
			if breaks[i] != breaks[i-1] && round(breaks[i], d) == round(breaks[i-1], d) {
				ok = false
				break
			}
		}
		if ok {
			break
		}
	}
	return d
}

func round(v float64, d int) string { return strconv.FormatFloat(v, 'f', d, 64) }
