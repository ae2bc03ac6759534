// Package service holds segmap's use cases: it queries the store, runs the
// spatial analysis and returns plain Go values. It knows nothing about HTTP;
// api/ and cmd/ are thin layers over it.
package service

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/singleflight"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/internal/fault"
	"github.com/segmap/segmap/spatial/disclosure"
	"github.com/segmap/segmap/tiles"
)

// Errors returned by the service; wrap them with %w. Errors from the store
// (data.ErrNotFound, data.ErrInvalid) are passed through wrapped as well, so
// callers test with errors.Is against either family.
var (
	ErrBadRequest = fault.Sentinel("service: bad request", fault.Invalid)
	ErrNotFound   = fault.Sentinel("service: not found", fault.NotFound)
)

// BadRequest returns an error of kind ErrBadRequest (fault.Invalid) whose
// English message for people is fmt.Sprintf(format, args...); add the
// Swedish with Sv.
func BadRequest(format string, args ...any) *fault.Error {
	return badRequest(format, args...)
}

// The service's errors keep the sentinel as their cause, so the log reads
// "<message>: service: bad request" and errors.Is(err, ErrBadRequest) holds.
func badRequest(format string, args ...any) *fault.Error {
	return fault.Wrap(fault.Invalid, ErrBadRequest, format, args...)
}

// notFound is BadRequest's sibling of kind fault.NotFound (ErrNotFound).
func notFound(format string, args ...any) *fault.Error {
	return fault.Wrap(fault.NotFound, ErrNotFound, format, args...)
}

// invalidBecause is an error of kind fault.Invalid (ErrBadRequest) with
// messages for people (en, sv) that keeps cause for the log.
func invalidBecause(cause error, en, sv string) *fault.Error {
	return &fault.Error{Kind: fault.Invalid, EN: en, SV: sv, Err: fmt.Errorf("%w: %w", ErrBadRequest, cause)}
}

// Options configure a Service. Zero values take the documented defaults.
type Options struct {
	// Disclosure, when set, hides ratio values whose numerator/denominator
	// fail the rule (see spatial/disclosure). nil: show what the store has.
	Disclosure *disclosure.Rule
	// Logger receives warnings (e.g. tile reload failures); nil: discard.
	Logger *slog.Logger

	// Indicator ids the analyses are built on (defaults in brackets).
	DefaultIndicator     string // map default ["low_econ_standard_pct"]
	LowEconIndicator     string // ratio, numerator = persons with low economic standard ["low_econ_standard_pct"]
	HighEconIndicator    string // ratio, numerator = persons with high economic standard ["high_econ_standard_pct"]
	ForeignBornIndicator string // ratio, numerator = foreign-born, denominator = population ["foreign_born_pct"]
	PopulationIndicator  string // count of persons ["population"]
	OmradestypIndicator  string // RegSO area type 1..5 ["omradestyp"]

	// Tiles configure the tile engine when New creates one (engine == nil).
	Tiles tiles.Options
	// TileMaxZoom is the highest zoom advertised for every layer [14].
	TileMaxZoom int
	// Cache bounds the analysis cache (cache.go).
	Cache CacheOptions
}

func (o *Options) defaults() {
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&o.DefaultIndicator, "low_econ_standard_pct")
	def(&o.LowEconIndicator, "low_econ_standard_pct")
	def(&o.HighEconIndicator, "high_econ_standard_pct")
	def(&o.ForeignBornIndicator, "foreign_born_pct")
	def(&o.PopulationIndicator, "population")
	def(&o.OmradestypIndicator, "omradestyp")
	if o.TileMaxZoom <= 0 {
		o.TileMaxZoom = 14
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
}

// Service is safe for concurrent use.
type Service struct {
	store  *data.Store
	engine *tiles.Engine
	opts   Options

	mu          sync.Mutex // guards tileVersion and weights
	tileVersion int64      // data version the tile layers were built from; -1 none
	weights     map[string]*areaGraph
	meta        atomic.Pointer[Meta] // Meta of the latest data version asked for
	metaBuilds  singleflight.Group   // one Meta build per new data version
	tileLoads   singleflight.Group   // one first load of the tile layers
	// valueAttrs holds classified queries for tiles with values
	// (tilevalues.go); valueAttrsBuilt counts classifications (tests).
	valueAttrs      attrsCache
	valueAttrsBuilt atomic.Int64
	// cache holds values, classifications, LISA and encoded answers of the
	// current data version (cache.go).
	cache *memo
	// profiles holds the encoded area profiles, bounded on its own.
	profiles *memo
}

// New returns a Service over an open store. A nil engine makes one from
// opts.Tiles. Tile layers are loaded lazily (or by Reload).
func New(store *data.Store, engine *tiles.Engine, opts Options) *Service {
	opts.defaults()
	if engine == nil {
		engine = tiles.New(opts.Tiles)
	}
	return &Service{store: store, engine: engine, opts: opts, tileVersion: -1, weights: map[string]*areaGraph{},
		cache: newMemo(opts.Cache), profiles: newMemo(opts.Cache.profileCache())}
}

// Store is the underlying store (for readiness checks and exports).
func (s *Service) Store() *data.Store { return s.store }

// Options are the options in force (defaults filled in), for the services
// built on this one (service/report, service/sites).
func (s *Service) Options() Options { return s.opts }

// Ready reports whether the store answers.
func (s *Service) Ready(ctx context.Context) error {
	_, err := s.store.DataVersion(ctx)
	return err
}

// Num is a number that is null in JSON when it is NaN or infinite.
type Num float64

// MarshalJSON writes null for NaN and ±Inf.
func (n Num) MarshalJSON() ([]byte, error) {
	f := float64(n)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, f, 'g', -1, 64), nil
}

// Valid reports whether n is a finite number.
func (n Num) Valid() bool { f := float64(n); return !math.IsNaN(f) && !math.IsInf(f, 0) }

var nan = math.NaN()

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
