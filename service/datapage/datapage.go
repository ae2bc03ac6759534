// Package datapage holds the data page's use cases: files uploaded by a
// planner are staged (in a temporary folder owned by the service, bounded
// in size, number and time), read and previewed with a suggested mapping
// and a join report, and imported in the background in one transaction
// while the server keeps serving; the mapping can be downloaded as the
// YAML that segmap import takes.
package datapage

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/segmap/segmap/data"
	"github.com/segmap/segmap/data/national"
	"github.com/segmap/segmap/internal/fault"
)

// Options configure a Service. Zero values take the defaults in brackets.
type Options struct {
	// Dir is where the service makes its temporary folder [os.TempDir()].
	Dir string
	// MaxBytes caps one uploaded file [100 MiB].
	MaxBytes int64
	// MaxUploads caps the staged uploads; the least recently used one is
	// dropped for a new one [16].
	MaxUploads int
	// TTL is how long an upload is kept after its last use [1 h].
	TTL time.Duration
	// MaxJobs caps imports running at once [2]; more are refused as busy.
	MaxJobs int
	// Now is the clock [time.Now].
	Now func() time.Time
	// AfterChange, when set, is called once an import has committed and
	// before its job turns done, e.g. to reload the tile layers
	// (service.Service.Reload) so the map follows at once. Its error fails
	// the job's answer but not the import (the data is written).
	AfterChange func(ctx context.Context) error
	// Progress, when set, is told how an import job goes (logs, metrics),
	// from the job's goroutine, while its transaction is open.
	Progress func(job string, done, total int)
}

// Defaults.
const (
	DefaultMaxBytes   = 100 << 20
	DefaultMaxUploads = 16
	DefaultTTL        = time.Hour
	DefaultMaxJobs    = 2
	keptJobs          = 32
)

// Kinds of upload.
const (
	KindIndicators = "indicators"
	KindBoundaries = "boundaries"
)

// Service is the data page. It is safe for concurrent use.
type Service struct {
	store *data.Store
	opts  Options

	ctx    context.Context // the service's lifetime: imports run in it
	cancel context.CancelFunc

	staging *data.StagingDir

	mu      sync.Mutex
	uploads map[string]*upload
	jobs    map[string]*Job
	running int

	refOnce sync.Once
	ref     *data.ReferenceCodes
	refErr  error
}

// New returns the data page over the store. Close removes its files.
func New(store *data.Store, opts Options) *Service {
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	if opts.MaxUploads <= 0 {
		opts.MaxUploads = DefaultMaxUploads
	}
	if opts.TTL <= 0 {
		opts.TTL = DefaultTTL
	}
	if opts.MaxJobs <= 0 {
		opts.MaxJobs = DefaultMaxJobs
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Service{store: store, opts: opts, ctx: ctx, cancel: cancel, staging: data.NewStagingDir(opts.Dir), uploads: map[string]*upload{}, jobs: map[string]*Job{}}
}

// MaxBytes is the size limit of one file.
func (s *Service) MaxBytes() int64 { return s.opts.MaxBytes }

// Close cancels running imports (they roll back) and removes the staged files.
func (s *Service) Close() error {
	s.cancel()
	s.mu.Lock()
	s.uploads = map[string]*upload{}
	s.mu.Unlock()
	return s.staging.Close()
}

func (s *Service) reference() *data.ReferenceCodes {
	s.refOnce.Do(func() { s.ref, s.refErr = national.Codes() })
	return s.ref
}

// BoundaryMapping is how a boundary file is imported.
type BoundaryMapping struct {
	Level       string `json:"level"`
	CodeField   string `json:"code_field"`
	NameField   string `json:"name_field"`
	Layer       string `json:"layer"`
	LevelNameSV string `json:"level_name_sv"`
	LevelNameEN string `json:"level_name_en"`
	// Complete (DeSO files only; nil: true) also makes what segmap import
	// boundaries --level deso makes: SCB's national reference data and
	// RegSO and kommun polygons dissolved from the DeSO, replacing those
	// levels' polygons. false imports the DeSO alone (--national=false).
	Complete *bool `json:"complete,omitempty"`
}

// completes reports whether importing m completes the store.
func (m BoundaryMapping) completes() bool {
	return m.Level == data.LevelDeSO && (m.Complete == nil || *m.Complete)
}

// upload is one staged file.
type upload struct {
	id, kind, file, format string
	size                   int64
	path                   string
	lastUsed               time.Time
	busy                   bool
	sheets                 []string
	sheet                  string
	mapping                *data.Mapping
	boundary               BoundaryMapping
	detection              *data.IndicatorDetection
	join                   *data.JoinPreview
	bpreview               *data.BoundaryPreview
}

// Upload is a staged file as the API shows it.
type Upload struct {
	ID      string    `json:"id"`
	Kind    string    `json:"kind"`
	File    string    `json:"file"`
	Format  string    `json:"format"`
	Size    int64     `json:"size"`
	Expires time.Time `json:"expires"`
	Sheets  []string  `json:"sheets"`
	Sheet   string    `json:"sheet"`
	Mapping any       `json:"mapping"`
	Preview any       `json:"preview"`
}

// IndicatorPreview is what the page shows of an indicator file.
type IndicatorPreview struct {
	*data.IndicatorDetection
	Geography      string            `json:"geography"`
	GeographyLabel string            `json:"geography_label"`
	Join           *data.JoinPreview `json:"join"`
	Warnings       []string          `json:"warnings"`
}

// UploadOptions describe an upload.
type UploadOptions struct {
	// Kind: indicators or boundaries; "" = by the file's extension.
	Kind string
	// Sheet of an xlsx file.
	Sheet string
	// Level of a boundary file; "" = guessed from its codes.
	Level string
	// Lang of the messages: "sv" or "en".
	Lang string
}

func newID(prefix string) string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}

// KindOf is the kind of a file by its name ("" when unknown).
func KindOf(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx", ".csv", ".txt":
		return KindIndicators
	case ".geojson", ".json", ".gpkg", ".zip":
		return KindBoundaries
	}
	return ""
}

// safeName is the base of a client's file name, safe as a file name.
func safeName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	var b strings.Builder
	for _, r := range name {
		switch {
		case r == '/' || r == 0 || r < 0x20:
		default:
			b.WriteRune(r)
		}
	}
	s := strings.TrimLeft(b.String(), ".")
	if s == "" {
		s = "upload"
	}
	if len(s) > 120 {
		ext := filepath.Ext(s)
		if len(ext) > 10 {
			ext = ""
		}
		s = s[:120-len(ext)] + ext
	}
	return s
}

func badRequest(en, sv string, args ...any) *fault.Error {
	return fault.New(fault.Invalid, en, args...).Sv(sv, args...)
}

// Upload stages a file and answers what it holds. A file that cannot be
// read is an error naming the file, place and field; nothing is staged.
func (s *Service) Upload(ctx context.Context, name string, body []byte, opts UploadOptions) (*Upload, error) {
	name = safeName(name)
	if int64(len(body)) > s.opts.MaxBytes {
		return nil, fault.New(fault.TooLarge, "%s is %d MB, more than the limit of %d MB", name, len(body)>>20, s.opts.MaxBytes>>20).
			Sv("%s är %d MB, mer än gränsen på %d MB", name, len(body)>>20, s.opts.MaxBytes>>20)
	}
	if len(body) == 0 {
		return nil, badRequest("%s is empty", "%s är tom", name)
	}
	kind := opts.Kind
	if kind == "" {
		kind = KindOf(name)
	}
	switch kind {
	case KindIndicators, KindBoundaries:
	case "":
		return nil, badRequest("%s: cannot tell the kind of file from its name; upload .xlsx or .csv (indicators) or .geojson, .gpkg or .zip (boundaries), or give kind",
			"%s: kan inte avgöra filens typ av namnet; ladda upp .xlsx eller .csv (indikatorer) eller .geojson, .gpkg eller .zip (gränser), eller ange kind", name)
	default:
		return nil, badRequest("kind %q: use indicators or boundaries", "kind %q: använd indicators eller boundaries", kind)
	}
	if kind == KindBoundaries && KindOf(name) != KindBoundaries {
		return nil, badRequest("%s: a boundary file must be .geojson, .json, .gpkg or .zip (a zipped Shapefile)",
			"%s: en gränsfil måste vara .geojson, .json, .gpkg eller .zip (en zippad Shapefile)", name)
	}
	u := &upload{id: newID("u"), kind: kind, file: name, size: int64(len(body))}
	path, err := s.staging.Put(u.id, name, body)
	if err != nil {
		return nil, err
	}
	u.path = path
	ok := false
	defer func() {
		if !ok {
			s.staging.Remove(path)
		}
	}()
	switch kind {
	case KindIndicators:
		d, err := data.DetectIndicators(name, body, data.DetectOptions{Sheet: opts.Sheet, DefaultYear: s.opts.Now().Year() - 1})
		if err != nil {
			return nil, err
		}
		u.detection, u.mapping, u.format, u.sheets, u.sheet = d, d.Mapping, d.Format, d.Sheets, d.Sheet
		if u.join, err = s.store.PreviewIndicators(ctx, name, body, u.mapping, s.reference()); err != nil {
			return nil, err
		}
	case KindBoundaries:
		u.format = strings.TrimPrefix(strings.ToLower(filepath.Ext(name)), ".")
		if u.format == "zip" {
			u.format = "shapefile"
		}
		u.boundary = BoundaryMapping{Level: opts.Level}
		if err := s.previewBoundaries(ctx, u); err != nil {
			return nil, err
		}
	}
	u.lastUsed = s.opts.Now()
	if err := s.add(u); err != nil {
		return nil, err
	}
	ok = true
	return s.view(u, opts.Lang), nil
}

func (s *Service) previewBoundaries(ctx context.Context, u *upload) error {
	bm := u.boundary
	p, err := s.store.PreviewBoundaries(ctx, u.path, data.BoundaryPreviewOptions{
		BoundaryOptions: data.BoundaryOptions{Level: bm.Level, CodeField: bm.CodeField, NameField: bm.NameField, Layer: bm.Layer},
		Name:            u.file, Ref: s.reference()})
	if err != nil {
		return err
	}
	u.bpreview = p
	u.boundary.Level, u.boundary.CodeField, u.boundary.NameField = p.Level, p.CodeField, p.NameField
	return nil
}

// add keeps u, first dropping expired uploads and, at the limit, the least
// recently used one that is not importing.
func (s *Service) add(u *upload) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweepLocked()
	if len(s.uploads) >= s.opts.MaxUploads {
		var oldest *upload
		for _, o := range s.uploads {
			if !o.busy && (oldest == nil || o.lastUsed.Before(oldest.lastUsed)) {
				oldest = o
			}
		}
		if oldest == nil {
			return fault.New(fault.Busy, "%d files are being imported; try again when one is done", len(s.uploads)).
				Sv("%d filer importeras just nu; försök igen när någon är klar", len(s.uploads))
		}
		s.dropLocked(oldest)
	}
	s.uploads[u.id] = u
	return nil
}

func (s *Service) sweepLocked() {
	now := s.opts.Now()
	for _, u := range s.uploads {
		if !u.busy && now.Sub(u.lastUsed) > s.opts.TTL {
			s.dropLocked(u)
		}
	}
}

func (s *Service) dropLocked(u *upload) {
	delete(s.uploads, u.id)
	s.staging.Remove(u.path)
}

var errNoUpload = fault.Sentinel("datapage: no such upload", fault.NotFound)

// get returns the upload with id, marking it used.
func (s *Service) get(id string) (*upload, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweepLocked()
	u, ok := s.uploads[id]
	if !ok {
		return nil, fault.Wrap(fault.NotFound, errNoUpload, "no upload %q: it expired (after %s unused) or was removed; upload the file again", id, s.opts.TTL).
			Sv("ingen uppladdning %q: den har gått ut (efter %s utan användning) eller tagits bort; ladda upp filen igen", id, s.opts.TTL)
	}
	u.lastUsed = s.opts.Now()
	return u, nil
}

// Get answers a staged upload.
func (s *Service) Get(id, lang string) (*Upload, error) {
	u, err := s.get(id)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.view(u, lang), nil
}

// Delete removes a staged upload and its file.
func (s *Service) Delete(id string) error {
	u, err := s.get(id)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if u.busy {
		return fault.New(fault.Conflict, "the upload is being imported; wait until the import is done").Sv("uppladdningen importeras just nu; vänta tills importen är klar")
	}
	s.dropLocked(u)
	return nil
}

// view is the API's picture of u; s.mu held or u not shared yet.
func (s *Service) view(u *upload, lang string) *Upload {
	v := &Upload{ID: u.id, Kind: u.kind, File: u.file, Format: u.format, Size: u.size, Expires: u.lastUsed.Add(s.opts.TTL).UTC(),
		Sheets: u.sheets, Sheet: u.sheet}
	if v.Sheets == nil {
		v.Sheets = []string{}
	}
	switch u.kind {
	case KindIndicators:
		v.Mapping = u.mapping
		j := *u.join
		j.UnmatchedExamples = append([]data.UnmatchedCode(nil), u.join.UnmatchedExamples...)
		j.Localise(lang)
		p := &IndicatorPreview{IndicatorDetection: u.detection, Join: &j, Geography: j.Geography, GeographyLabel: j.GeographyLabel, Warnings: []string{}}
		for _, n := range u.detection.Notes {
			p.Warnings = append(p.Warnings, pickLang(lang, n.EN, n.SV))
		}
		if j.StoreEmpty {
			p.Warnings = append(p.Warnings, pickLang(lang,
				fmt.Sprintf("the store has no %s areas yet: every code is imported as it is; import boundaries first to check the codes", u.mapping.Level),
				fmt.Sprintf("databasen har inga områden på nivån %s ännu: alla koder importeras som de är; importera gränser först så kontrolleras koderna", u.mapping.Level)))
		}
		v.Preview = p
	case KindBoundaries:
		bm := u.boundary
		v.Mapping = &bm
		bp := *u.bpreview
		bp.Localise(lang)
		if bp.Join != nil {
			j := *bp.Join
			j.UnmatchedExamples = append([]data.UnmatchedCode(nil), bp.Join.UnmatchedExamples...)
			j.Localise(lang)
			bp.Join = &j
		}
		v.Preview = &bp
	}
	return v
}

func pickLang(lang, en, sv string) string {
	if lang == "en" {
		return en
	}
	return sv
}

// Preview reads the upload again with an edited mapping (the JSON of the
// mapping: the keys of the YAML for indicators, BoundaryMapping for
// boundaries) and keeps that mapping for the import. Nothing is written.
func (s *Service) Preview(ctx context.Context, id string, mapping json.RawMessage, lang string) (*Upload, error) {
	u, err := s.get(id)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	nu := *u
	s.mu.Unlock()
	if err := s.apply(ctx, &nu, mapping); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.uploads[id]; !ok {
		return nil, fault.Wrap(fault.NotFound, errNoUpload, "the upload %q was removed meanwhile", id).Sv("uppladdningen %q togs bort under tiden", id)
	}
	u.takeEdit(&nu)
	return s.view(u, lang), nil
}

// takeEdit keeps what previewing an edited copy (see apply) produced: the
// mapping and its preview. s.mu held.
func (u *upload) takeEdit(nu *upload) {
	u.mapping, u.boundary, u.detection, u.join, u.bpreview, u.sheet = nu.mapping, nu.boundary, nu.detection, nu.join, nu.bpreview, nu.sheet
}

// apply parses an edited mapping into u and previews it.
func (s *Service) apply(ctx context.Context, u *upload, mapping json.RawMessage) error {
	if len(mapping) == 0 || string(mapping) == "null" {
		return nil
	}
	switch u.kind {
	case KindIndicators:
		body, err := s.staging.Read(u.path)
		if err != nil {
			return err
		}
		var probe struct {
			Sheet      string            `json:"sheet"`
			Indicators []json.RawMessage `json:"indicators"`
		}
		if err := json.Unmarshal(mapping, &probe); err != nil {
			return badRequest("the mapping is not valid JSON: %v", "mappningen är inte giltig JSON: %v", err)
		}
		if len(probe.Indicators) == 0 {
			// Another sheet (or a reset): detect again.
			d, err := data.DetectIndicators(u.file, body, data.DetectOptions{Sheet: probe.Sheet, DefaultYear: s.opts.Now().Year() - 1})
			if err != nil {
				return err
			}
			u.detection, u.mapping, u.sheet, u.format = d, d.Mapping, d.Sheet, d.Format
		} else {
			m, err := data.ParseMappingJSON(u.file, mapping)
			if err != nil {
				return err
			}
			u.mapping = m
			if m.Sheet != "" {
				u.sheet = m.Sheet
			}
			u.format = m.Format
		}
		j, err := s.store.PreviewIndicators(ctx, u.file, body, u.mapping, s.reference())
		if err != nil {
			return err
		}
		u.join = j
	case KindBoundaries:
		var bm BoundaryMapping
		dec := json.NewDecoder(strings.NewReader(string(mapping)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&bm); err != nil {
			return badRequest("the boundary mapping is not valid: %v (keys: level, code_field, name_field, layer, level_name_sv, level_name_en, complete)",
				"gränsmappningen är inte giltig: %v (nycklar: level, code_field, name_field, layer, level_name_sv, level_name_en, complete)", err)
		}
		u.boundary = bm
		if err := s.previewBoundaries(ctx, u); err != nil {
			return err
		}
		u.boundary.LevelNameSV, u.boundary.LevelNameEN = bm.LevelNameSV, bm.LevelNameEN
	}
	return nil
}

// MappingYAML is the upload's mapping as segmap import YAML, with the name
// of the file to save it as.
func (s *Service) MappingYAML(id string) (string, []byte, error) {
	u, err := s.get(id)
	if err != nil {
		return "", nil, err
	}
	if u.kind != KindIndicators {
		return "", nil, badRequest("a boundary upload has no mapping YAML; import boundaries with segmap init or segmap import --boundaries",
			"en uppladdning av gränser har ingen mappning i YAML; importera gränser med segmap init eller segmap import --boundaries")
	}
	s.mu.Lock()
	m := u.mapping
	s.mu.Unlock()
	y, err := data.MappingYAML(m)
	if err != nil {
		return "", nil, err
	}
	head := fmt.Sprintf("# Mapping for %s, made on segmap's data page.\n# segmap import --mapping %s %s STORE.gpkg\n",
		u.file, strings.TrimSuffix(u.file, filepath.Ext(u.file))+".mapping.yaml", u.file)
	return strings.TrimSuffix(u.file, filepath.Ext(u.file)) + ".mapping.yaml", append([]byte(head), y...), nil
}

// IsNoUpload reports whether err says an upload is unknown or expired.
func IsNoUpload(err error) bool { return errors.Is(err, errNoUpload) }
