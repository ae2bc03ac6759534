package data

import "github.com/paulmach/orb"

// Level identifiers of the built-in area levels. Custom levels and overlay
// layers use their own lower-case identifiers.
const (
	LevelDeSO   = "deso"
	LevelRegSO  = "regso"
	LevelKommun = "kommun"
	LevelLan    = "lan"
	LevelRiket  = "riket"
)

// RiketCode is the area code of the whole country at LevelRiket.
const RiketCode = "SE"

// BreakdownTotal is the breakdown of a value that covers the whole population.
const BreakdownTotal = "total"

// LevelKind says what a level is for.
type LevelKind string

const (
	KindBuiltin LevelKind = "builtin" // DeSO, RegSO, kommun, län, riket
	KindCustom  LevelKind = "custom"  // a kommun's own statistical areas
	KindOverlay LevelKind = "overlay" // context or planning layers (sites, utsatta områden)
)

// Level describes one area level (and its boundary layer, when it has one).
type Level struct {
	ID           string    `json:"id"`
	NameSV       string    `json:"name_sv"`
	NameEN       string    `json:"name_en"`
	Kind         LevelKind `json:"kind"`
	Parent       string    `json:"parent,omitempty"` // the next level up, "" for the top
	Table        string    `json:"-"`                // GeoPackage feature table, "" when the level has no geometry
	FeatureCount int       `json:"feature_count"`    // features with geometry
	AreaCount    int       `json:"area_count"`       // areas known in the hierarchy
	Source       string    `json:"source,omitempty"`
	// Bounds is the WGS 84 bounding box of the layer's geometry (zero when none).
	Bounds orb.Bound `json:"-"`
}

// Area is one statistical area and its place in the hierarchy.
type Area struct {
	// ID is the stable positive feature id (see FeatureID); it is the
	// GeoPackage fid and the vector-tile feature id.
	ID     int64  `json:"id"`
	Level  string `json:"level"`
	Code   string `json:"code"`
	Name   string `json:"name"`
	Parent string `json:"parent,omitempty"` // code at the parent level
	RegSO  string `json:"regso,omitempty"`
	Kommun string `json:"kommun,omitempty"`
	Lan    string `json:"lan,omitempty"`
	// Geometry is in WGS 84 lon/lat (EPSG:4326), nil when the area has no
	// boundary or it was not asked for (AreasOptions.WithGeometry).
	Geometry orb.Geometry `json:"-"`
	// Mapped is set when the area has a boundary, whether loaded or not.
	Mapped bool `json:"-"`
}

// Aggregation says how an indicator's values combine into a parent area.
type Aggregation string

const (
	AggRatio        Aggregation = "ratio"         // sum(numerator) / sum(denominator) * Scale
	AggSum          Aggregation = "sum"           // counts: sum(value)
	AggWeightedMean Aggregation = "weighted_mean" // sum(value*denominator) / sum(denominator) (e.g. mean income weighted by persons)
	AggNone         Aggregation = "none"          // not aggregable (medians): parents have no value
)

// Indicator is the metadata of one indicator.
type Indicator struct {
	ID             string      `json:"id"`
	NameSV         string      `json:"name_sv"`
	NameEN         string      `json:"name_en"`
	Unit           string      `json:"unit"` // "%", "tkr", "antal", ...
	DescriptionSV  string      `json:"description_sv,omitempty"`
	DescriptionEN  string      `json:"description_en,omitempty"`
	Source         string      `json:"source,omitempty"`
	HigherIsBetter *bool       `json:"higher_is_better,omitempty"` // nil: neither
	Aggregation    Aggregation `json:"aggregation"`
	// Scale multiplies numerator/denominator for ratio indicators (100 for percentages).
	Scale    float64 `json:"scale,omitempty"`
	Decimals int     `json:"decimals"`
	// Years and Breakdowns are filled by queries that list what exists.
	Years      []int    `json:"years,omitempty"`
	Breakdowns []string `json:"breakdowns,omitempty"`
	// YearsByLevel lists, per level, the years with at least one value
	// (e.g. a DeSO-only year that has no RegSO aggregate).
	YearsByLevel map[string][]int `json:"years_by_level,omitempty"`
}

// Value is one indicator value for one area, year and breakdown.
// Missing numbers are NaN in Go and null in JSON.
type Value struct {
	Level       string  `json:"level"`
	Code        string  `json:"code"`
	Indicator   string  `json:"indicator"`
	Year        int     `json:"year"`
	Breakdown   string  `json:"breakdown"`
	Value       float64 `json:"value"`
	Numerator   float64 `json:"numerator"`
	Denominator float64 `json:"denominator"`
	// Suppressed is set when the source (or a disclosure rule) withholds the value.
	Suppressed bool `json:"suppressed,omitempty"`
	// Estimated is set when the value was derived (e.g. a DeSO 2025 split mapped onto its 2018 parent).
	Estimated bool `json:"estimated,omitempty"`
}

// ValuesQuery selects values. Empty Breakdown means BreakdownTotal.
type ValuesQuery struct {
	Level     string
	Indicator string
	Year      int
	Breakdown string
	// Kommuner restricts the result to areas in these kommun codes (none: all).
	Kommuner []string
}
