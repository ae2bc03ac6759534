package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/paulmach/orb"
	"github.com/segmap/segmap/data/gpkg"
	"github.com/segmap/segmap/spatial/clean"
	"github.com/segmap/segmap/spatial/proj"
)

// Development-site layers: kommun-made overlay layers of planned housing
// (polygons and points). A layer is a row of segmap_site_layers; its sites
// are rows of segmap_sites, a GeoPackage feature table (geometry in WGS 84,
// so QGIS shows it) that also keeps each site's geometry in SWEREF 99 TM
// (geom_sweref99tm, a GeoPackage blob with srs_id 3006) and its planar area
// in m², for metric work. Writing site layers does not bump the data
// version: it changes no statistics and no area tiles.

// Tenure (upplåtelseform) ids, as in the SCB dwelling indicators.
const (
	TenureRental        = "rental"         // hyresrätt
	TenureTenantOwned   = "tenant_owned"   // bostadsrätt
	TenureOwnerOccupied = "owner_occupied" // äganderätt
)

// SiteLayer is one uploaded or drawn layer of sites.
type SiteLayer struct {
	ID         int64    `json:"id"`
	Name       string   `json:"name"`
	Created    string   `json:"created"`
	SourceFile string   `json:"source_file"`
	SourceSRID int      `json:"source_srid"`
	Sites      int      `json:"sites"`
	Notes      []string `json:"notes,omitempty"` // repairs and warnings of the import
}

// Site is one planned development.
type Site struct {
	ID        int64          `json:"id"` // fid
	Layer     int64          `json:"layer"`
	Name      string         `json:"name"`
	Dwellings *int           `json:"dwellings"` // planned number of dwellings; nil unknown
	Tenure    string         `json:"tenure"`    // TenureRental ... or "" unknown
	Year      *int           `json:"year"`
	Props     map[string]any `json:"properties"` // the other attributes of the file
	// Geometry is a Point, Polygon or MultiPolygon in WGS 84; Sweref the
	// same in SWEREF 99 TM metres.
	Geometry orb.Geometry `json:"-"`
	Sweref   orb.Geometry `json:"-"`
	AreaM2   float64      `json:"area_m2"` // 0 for points
}

// SiteOptions configure ImportSites / ValidateSites.
type SiteOptions struct {
	// Name of the new layer; "" = the file name without extension.
	Name string
	// Layer of a GeoPackage with several feature layers.
	Layer string
	// MaxExpandedBytes caps what a zip may expand to [DefaultSiteMaxExpandedBytes].
	MaxExpandedBytes int64
	// MaxFeatures caps the sites of one layer [DefaultSiteMaxFeatures].
	MaxFeatures int
	// MaxSiteVertices caps the vertices of one site [DefaultSiteMaxVertices].
	MaxSiteVertices int
	// MaxLayerVertices caps the vertices of all sites of one upload
	// [DefaultSiteMaxLayerVertices].
	MaxLayerVertices int
}

func (o *SiteOptions) defaults() {
	if o.MaxExpandedBytes <= 0 {
		o.MaxExpandedBytes = DefaultSiteMaxExpandedBytes
	}
	if o.MaxFeatures <= 0 {
		o.MaxFeatures = DefaultSiteMaxFeatures
	}
	if o.MaxSiteVertices <= 0 {
		o.MaxSiteVertices = DefaultSiteMaxVertices
	}
	if o.MaxLayerVertices <= 0 {
		o.MaxLayerVertices = DefaultSiteMaxLayerVertices
	}
}

// simplifyHint is how to bring a detailed outline under the vertex caps.
const simplifyHint = "simplify the geometry in QGIS (Förenkla geometrin: Vector > Geometry Tools > Simplify, tolerance 0.5–1 m)"

// vertexCount is the number of coordinates of g.
func vertexCount(g orb.Geometry) int {
	switch v := g.(type) {
	case orb.Point:
		return 1
	case orb.MultiPoint:
		return len(v)
	case orb.LineString:
		return len(v)
	case orb.MultiLineString:
		n := 0
		for _, l := range v {
			n += len(l)
		}
		return n
	case orb.Ring:
		return len(v)
	case orb.Polygon:
		n := 0
		for _, r := range v {
			n += len(r)
		}
		return n
	case orb.MultiPolygon:
		n := 0
		for _, p := range v {
			n += vertexCount(p)
		}
		return n
	case orb.Collection:
		n := 0
		for _, x := range v {
			n += vertexCount(x)
		}
		return n
	}
	return 0
}

// Attribute names recognised (case-insensitively, in this order).
var (
	siteNameFields      = []string{"name", "namn", "projektnamn", "projekt", "project", "site", "titel", "title", "benamning", "benämning"}
	siteDwellingsFields = []string{"dwellings", "bostader", "bostäder", "antal_bostader", "antal_bostäder", "lagenheter", "lägenheter", "antal_lgh", "lgh", "planned_dwellings", "homes", "units"}
	siteTenureFields    = []string{"tenure", "upplatelseform", "upplåtelseform", "upplatelse", "upplåtelse", "uppl_form", "tenure_type"}
	siteYearFields      = []string{"year", "ar", "år", "inflyttning", "inflyttningsar", "inflyttningsår", "inflyttnin", "completion_year", "klar", "klart"}
)

// ParseTenure maps Swedish and English tenure words to a tenure id.
func ParseTenure(s string) (string, bool) {
	n := strings.ToLower(strings.TrimSpace(s))
	n = strings.NewReplacer("ä", "a", "å", "a", "ö", "o", "-", "_", " ", "_").Replace(n)
	switch n {
	case "":
		return "", true
	case "hyresratt", "hyresratter", "hyra", "hr", "rental", "rent", "rented", "rental_dwelling":
		return TenureRental, true
	case "bostadsratt", "bostadsratter", "br", "tenant_owned", "tenantowned", "cooperative", "co_op", "coop", "condominium":
		return TenureTenantOwned, true
	case "aganderatt", "aganderatter", "agander", "ar", "owner_occupied", "owneroccupied", "owned", "ownership", "freehold":
		return TenureOwnerOccupied, true
	}
	return "", false
}

// SiteReport says what an import did (or would do).
type SiteReport struct {
	File       string   `json:"file"`
	Sites      int      `json:"sites"`
	SourceSRID int      `json:"source_srid"`
	Fields     []string `json:"fields"`
	NameField  string   `json:"name_field,omitempty"`
	Dwellings  string   `json:"dwellings_field,omitempty"`
	Tenure     string   `json:"tenure_field,omitempty"`
	Year       string   `json:"year_field,omitempty"`
	Notes      []string `json:"notes,omitempty"` // repairs and guesses, e.g. "wrong_winding fixed"
}

// ValidateSites reads and checks a site file like ImportSites but writes nothing.
func ValidateSites(ctx context.Context, file string, body []byte, opts SiteOptions) ([]Site, *SiteReport, error) {
	opts.defaults()
	src, err := readSiteSource(ctx, file, body, opts)
	if err != nil {
		return nil, &SiteReport{File: file}, err
	}
	return prepareSites(ctx, src, opts)
}

func prepareSites(ctx context.Context, src *boundarySource, opts SiteOptions) ([]Site, *SiteReport, error) {
	file := src.File
	rep := &SiteReport{File: file, SourceSRID: src.SRID, Fields: src.Fields}
	if src.SRIDNote != "" {
		rep.Notes = append(rep.Notes, src.SRIDNote)
	}
	if len(src.Features) > opts.MaxFeatures {
		return nil, rep, &InputError{File: file, Problem: fmt.Sprintf("%d sites, more than the limit of %d per layer; split the file", len(src.Features), opts.MaxFeatures)}
	}
	toWGS, err := proj.Func(src.SRID, proj.WGS84)
	if err != nil {
		return nil, rep, &InputError{File: file, Field: "crs", Problem: fmt.Sprintf("coordinate reference system EPSG:%d is not supported; expected EPSG:4326, EPSG:3006 (SWEREF 99 TM) or EPSG:3857. Reproject with ogr2ogr -t_srs EPSG:3006", src.SRID)}
	}
	rep.NameField = pickField(src.Fields, siteNameFields)
	rep.Dwellings = pickField(src.Fields, siteDwellingsFields)
	rep.Tenure = pickField(src.Fields, siteTenureFields)
	rep.Year = pickField(src.Fields, siteYearFields)
	// Vertex caps first: the overlay's cost grows with the vertices, and a
	// survey-grade outline of 200,000 vertices gains nothing at 0.5 m.
	total := 0
	for _, f := range src.Features {
		nv := vertexCount(f.Geom)
		if nv > opts.MaxSiteVertices {
			place := fmt.Sprintf("feature %d", f.Index)
			if rep.NameField != "" {
				if nm := strings.TrimSpace(boundaryName(f.Props[rep.NameField])); nm != "" {
					place += fmt.Sprintf(" (%q)", nm)
				}
			}
			return nil, rep, &InputError{File: file, Place: place, Field: "geometry", Problem: fmt.Sprintf("the site has %d vertices, more than the limit of %d per site; %s", nv, opts.MaxSiteVertices, simplifyHint)}
		}
		total += nv
	}
	if total > opts.MaxLayerVertices {
		return nil, rep, &InputError{File: file, Field: "geometry", Problem: fmt.Sprintf("the sites have %d vertices in all, more than the limit of %d per upload; %s, or split the file", total, opts.MaxLayerVertices, simplifyHint)}
	}
	var fixed tally
	sites := make([]Site, 0, len(src.Features))
	for n, f := range src.Features {
		if n%64 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, rep, err
			}
		}
		place := fmt.Sprintf("feature %d", f.Index)
		st := Site{Props: map[string]any{}}
		if rep.NameField != "" {
			st.Name = strings.TrimSpace(boundaryName(f.Props[rep.NameField]))
			if st.Name != "" {
				place += fmt.Sprintf(" (%q)", st.Name)
			}
		}
		if st.Name == "" {
			st.Name = fmt.Sprintf("%d", f.Index+1)
		}
		if rep.Dwellings != "" {
			v, err := siteInt(f.Props[rep.Dwellings], 0, 1000000)
			if err != nil {
				return nil, rep, &InputError{File: file, Place: place, Field: rep.Dwellings, Problem: "planned dwellings " + err.Error() + "; expected a whole number of dwellings (0–1,000,000) or empty"}
			}
			st.Dwellings = v
		}
		if rep.Tenure != "" {
			raw := boundaryName(f.Props[rep.Tenure])
			t, ok := ParseTenure(raw)
			if !ok {
				return nil, rep, &InputError{File: file, Place: place, Field: rep.Tenure, Problem: fmt.Sprintf("unknown tenure %q; expected hyresrätt, bostadsrätt or äganderätt (or rental, tenant-owned, owner-occupied)", raw)}
			}
			st.Tenure = t
		}
		if rep.Year != "" {
			v, err := siteInt(f.Props[rep.Year], 1900, 2200)
			if err != nil {
				return nil, rep, &InputError{File: file, Place: place, Field: rep.Year, Problem: "year " + err.Error() + "; expected a year such as 2028, or empty"}
			}
			st.Year = v
		}
		for k, v := range f.Props {
			if k == rep.NameField || k == rep.Dwellings || k == rep.Tenure || k == rep.Year || strings.EqualFold(k, "fid") {
				continue
			}
			if fl, ok := v.(float64); ok && (math.IsNaN(fl) || math.IsInf(fl, 0)) {
				v = nil
			}
			if bs, ok := v.([]byte); ok {
				v = string(bs)
			}
			if s, ok := v.(string); ok && !utf8.ValidString(s) {
				v = strings.ToValidUTF8(s, "\uFFFD")
			}
			st.Props[k] = v
		}
		g, notes, err := siteGeometry(file, place, f.Geom, src.SRID)
		if err != nil {
			return nil, rep, err
		}
		for _, nt := range notes {
			fixed.add(nt, place)
		}
		wgs := g
		if src.SRID != proj.WGS84 {
			wgs = proj.Apply(orb.Clone(g), toWGS)
		}
		if !inSweden(wgs.Bound()) {
			return nil, rep, &InputError{File: file, Place: place, Field: "geometry", Problem: crsHint(g.Bound(), src.SRID)}
		}
		sw := g
		if src.SRID != proj.SWEREF99TM {
			sw = proj.Apply(orb.Clone(wgs), proj.WGS84ToSweref)
		}
		st.Geometry, st.Sweref = wgs, sw
		st.AreaM2 = planarArea(sw)
		sites = append(sites, st)
	}
	rep.Sites = len(sites)
	rep.Notes = append(rep.Notes, fixed.lines()...)
	return sites, rep, nil
}

// siteGeometry checks one site geometry in its source CRS: points, or
// polygons repaired where that is safe (closing, duplicate points, winding,
// empty holes — reported as notes) and refused with the coordinate where
// it is not (self-intersections).
func siteGeometry(file, place string, g orb.Geometry, srid int) (orb.Geometry, []string, error) {
	bad := func(problem string) error {
		return &InputError{File: file, Place: place, Field: "geometry", Problem: problem}
	}
	switch v := g.(type) {
	case orb.Point:
		if !finitePoint(v) {
			return nil, nil, bad("the point has a NaN or infinite coordinate")
		}
		return v, nil, nil
	case orb.MultiPoint:
		if len(v) == 1 && finitePoint(v[0]) {
			return v[0], []string{"a MultiPoint of one point was read as a Point"}, nil
		}
		return nil, nil, bad(fmt.Sprintf("a MultiPoint of %d points; give each planned building its own Point feature", len(v)))
	case orb.Polygon, orb.MultiPolygon:
		mp, _ := v.(orb.MultiPolygon)
		if p, ok := v.(orb.Polygon); ok {
			mp = orb.MultiPolygon{p}
		}
		cleaned, issues := clean.MultiPolygon(orb.Clone(mp).(orb.MultiPolygon), clean.Options{})
		var notes []string
		seen := map[string]bool{}
		for _, is := range issues {
			if !is.Fixed {
				return nil, nil, bad(fmt.Sprintf("%s at (%.10g, %.10g) in EPSG:%d (polygon %d, ring %d): %s; this cannot be repaired safely. Fix it in QGIS (Vector > Geometry Tools > Fix Geometries) or with ogr2ogr -makevalid",
					issueText(is.Kind), is.Coord[0], is.Coord[1], srid, is.Polygon, is.Ring, is.Detail))
			}
			what := fmt.Sprintf("repaired: %s: %s", issueText(is.Kind), is.Detail)
			if !seen[what] {
				seen[what] = true
				notes = append(notes, what)
			}
		}
		if len(cleaned) == 0 {
			return nil, nil, bad("the polygon is empty after removing degenerate rings")
		}
		if len(cleaned) == 1 {
			return cleaned[0], notes, nil
		}
		return cleaned, notes, nil
	case nil:
		return nil, nil, bad("no geometry; every site needs a Polygon, MultiPolygon or Point")
	}
	return nil, nil, bad(fmt.Sprintf("geometry is a %s; sites must be Polygon, MultiPolygon or Point (a planned area or a single building)", geomTypeName(g)))
}

func finitePoint(p orb.Point) bool {
	return !math.IsNaN(p[0]) && !math.IsNaN(p[1]) && !math.IsInf(p[0], 0) && !math.IsInf(p[1], 0)
}

func planarArea(g orb.Geometry) float64 {
	ring := func(r orb.Ring) float64 {
		var a float64
		for i := 0; i+1 < len(r); i++ {
			a += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
		}
		return a / 2
	}
	poly := func(p orb.Polygon) float64 {
		var a float64
		for i, r := range p {
			if i == 0 {
				a += math.Abs(ring(r))
			} else {
				a -= math.Abs(ring(r))
			}
		}
		return a
	}
	switch v := g.(type) {
	case orb.Polygon:
		return poly(v)
	case orb.MultiPolygon:
		var a float64
		for _, p := range v {
			a += poly(p)
		}
		return a
	}
	return 0
}

// siteInt reads a whole number from a property (number or text, Swedish
// digit grouping allowed); nil/empty is nil.
func siteInt(v any, lo, hi int) (*int, error) {
	var f float64
	switch x := v.(type) {
	case nil:
		return nil, nil
	case float64:
		f = x
	case int64:
		f = float64(x)
	case int:
		f = float64(x)
	case string:
		s := strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", ",", ".").Replace(strings.TrimSpace(x))
		if s == "" {
			return nil, nil
		}
		p, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", x)
		}
		f = p
	default:
		return nil, fmt.Errorf("%v is not a number", v)
	}
	if f != math.Trunc(f) || f < float64(lo) || f > float64(hi) {
		return nil, fmt.Errorf("%v is not a whole number between %d and %d", f, lo, hi)
	}
	n := int(f)
	return &n, nil
}

// ImportSites reads, validates and stores an uploaded site file as a new
// layer, in one transaction: on any error nothing is stored.
func (s *Store) ImportSites(ctx context.Context, file string, body []byte, opts SiteOptions) (*SiteLayer, *SiteReport, error) {
	sites, rep, err := ValidateSites(ctx, file, body, opts)
	if err != nil {
		return nil, rep, err
	}
	name := strings.TrimSpace(opts.Name)
	if name == "" {
		base := filepath.Base(file)
		name = strings.TrimSuffix(base, filepath.Ext(base))
	}
	if err := checkLayerName(name); err != nil {
		return nil, rep, err
	}
	var id int64
	err = s.Update(ctx, func(tx *Tx) error {
		notes, _ := json.Marshal(rep.Notes)
		res, err := tx.tx.ExecContext(ctx, `INSERT INTO segmap_site_layers (name, source_file, source_srid, notes) VALUES (?, ?, ?, ?)`,
			name, filepath.Base(file), rep.SourceSRID, string(notes))
		if err != nil {
			return fmt.Errorf("data: site layer: %w", err)
		}
		id, err = res.LastInsertId()
		if err != nil {
			return fmt.Errorf("data: site layer: %w", err)
		}
		ins, err := tx.tx.PrepareContext(ctx, `INSERT INTO segmap_sites (geom, layer, name, dwellings, tenure, year, properties, geom_sweref99tm, area_m2) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return fmt.Errorf("data: sites: %w", err)
		}
		defer ins.Close()
		for i, st := range sites {
			if i%64 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			g, err := gpkg.Encode(st.Geometry, 4326)
			if err != nil {
				return fmt.Errorf("data: site %d: %w", i, err)
			}
			sw, err := gpkg.Encode(st.Sweref, 3006)
			if err != nil {
				return fmt.Errorf("data: site %d: %w", i, err)
			}
			props, err := json.Marshal(st.Props)
			if err != nil {
				return fmt.Errorf("data: site %d: properties: %w", i, err)
			}
			if _, err := ins.ExecContext(ctx, g, id, st.Name, intOrNil(st.Dwellings), nullString(st.Tenure), intOrNil(st.Year), string(props), sw, st.AreaM2); err != nil {
				return fmt.Errorf("data: site %d: %w", i, err)
			}
		}
		return tx.touchSites(ctx)
	})
	if err != nil {
		return nil, rep, err
	}
	l, err := s.SiteLayer(ctx, id)
	return l, rep, err
}

func intOrNil(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

func checkLayerName(name string) error {
	if strings.TrimSpace(name) == "" || utf8.RuneCountInString(name) > 200 || !utf8.ValidString(name) {
		return &InputError{File: "request", Field: "name", Problem: "a layer name needs 1–200 characters"}
	}
	return nil
}

// touchSites updates the extent and time stamp of segmap_sites in gpkg_contents.
func (tx *Tx) touchSites(ctx context.Context) error {
	_, err := tx.tx.ExecContext(ctx, `UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE table_name = 'segmap_sites'`)
	if err != nil {
		return fmt.Errorf("data: sites: %w", err)
	}
	return nil
}

// SiteLayers lists the layers, newest first.
func (s *Store) SiteLayers(ctx context.Context) ([]SiteLayer, error) {
	return s.querySiteLayers(ctx, 0)
}

// SiteLayer returns one layer; an unknown id is ErrNotFound.
func (s *Store) SiteLayer(ctx context.Context, id int64) (*SiteLayer, error) {
	ls, err := s.querySiteLayers(ctx, id)
	if err != nil {
		return nil, err
	}
	if len(ls) == 0 {
		return nil, fmt.Errorf("%w: site layer %d", ErrNotFound, id)
	}
	return &ls[0], nil
}

func (s *Store) querySiteLayers(ctx context.Context, id int64) ([]SiteLayer, error) {
	q := `SELECT l.fid, l.name, l.created, l.source_file, coalesce(l.source_srid, 0), l.notes,
		(SELECT count(*) FROM segmap_sites s WHERE s.layer = l.fid) FROM segmap_site_layers l`
	var args []any
	if id != 0 {
		q += ` WHERE l.fid = ?`
		args = append(args, id)
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY l.fid DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("data: site layers: %w", err)
	}
	defer rows.Close()
	out := []SiteLayer{}
	for rows.Next() {
		var l SiteLayer
		var notes string
		if err := rows.Scan(&l.ID, &l.Name, &l.Created, &l.SourceFile, &l.SourceSRID, &notes, &l.Sites); err != nil {
			return nil, fmt.Errorf("data: site layers: %w", err)
		}
		_ = json.Unmarshal([]byte(notes), &l.Notes)
		out = append(out, l)
	}
	return out, rows.Err()
}

// Sites returns the sites of a layer in fid order; an unknown layer is ErrNotFound.
func (s *Store) Sites(ctx context.Context, layer int64) ([]Site, error) {
	if _, err := s.SiteLayer(ctx, layer); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT fid, geom, name, dwellings, tenure, year, properties, geom_sweref99tm, coalesce(area_m2, 0)
		FROM segmap_sites WHERE layer = ? ORDER BY fid`, layer)
	if err != nil {
		return nil, fmt.Errorf("data: sites: %w", err)
	}
	defer rows.Close()
	var out []Site
	for rows.Next() {
		st := Site{Layer: layer}
		var g, sw []byte
		var dw, yr sql.NullInt64
		var tenure sql.NullString
		var props string
		if err := rows.Scan(&st.ID, &g, &st.Name, &dw, &tenure, &yr, &props, &sw, &st.AreaM2); err != nil {
			return nil, fmt.Errorf("data: sites: %w", err)
		}
		if dw.Valid {
			n := int(dw.Int64)
			st.Dwellings = &n
		}
		if yr.Valid {
			n := int(yr.Int64)
			st.Year = &n
		}
		st.Tenure = tenure.String
		if err := json.Unmarshal([]byte(props), &st.Props); err != nil {
			st.Props = map[string]any{}
		}
		if st.Geometry, _, err = gpkg.Decode(g); err != nil {
			return nil, fmt.Errorf("data: site %d: %w", st.ID, err)
		}
		if st.Sweref, _, err = gpkg.Decode(sw); err != nil {
			return nil, fmt.Errorf("data: site %d: %w", st.ID, err)
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

// RenameSiteLayer renames a layer; an unknown id is ErrNotFound.
func (s *Store) RenameSiteLayer(ctx context.Context, id int64, name string) error {
	name = strings.TrimSpace(name)
	if err := checkLayerName(name); err != nil {
		return err
	}
	return s.Update(ctx, func(tx *Tx) error {
		res, err := tx.tx.ExecContext(ctx, `UPDATE segmap_site_layers SET name = ? WHERE fid = ?`, name, id)
		if err != nil {
			return fmt.Errorf("data: rename site layer: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("%w: site layer %d", ErrNotFound, id)
		}
		return nil
	})
}

// DeleteSiteLayer deletes a layer and its sites; an unknown id is ErrNotFound.
func (s *Store) DeleteSiteLayer(ctx context.Context, id int64) error {
	return s.Update(ctx, func(tx *Tx) error {
		if _, err := tx.tx.ExecContext(ctx, `DELETE FROM segmap_sites WHERE layer = ?`, id); err != nil {
			return fmt.Errorf("data: delete sites: %w", err)
		}
		res, err := tx.tx.ExecContext(ctx, `DELETE FROM segmap_site_layers WHERE fid = ?`, id)
		if err != nil {
			return fmt.Errorf("data: delete site layer: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("%w: site layer %d", ErrNotFound, id)
		}
		return tx.touchSites(ctx)
	})
}

// issueText is a geometry problem in words (the clean package's kinds are
// codes such as "self_intersection").
func issueText(k clean.Kind) string {
	switch k {
	case clean.SelfIntersection:
		return "the polygon crosses itself"
	case clean.EmptyRing:
		return "an empty ring"
	case clean.Unclosed:
		return "an unclosed ring"
	case clean.TooFewPoints:
		return "a ring with fewer than 3 distinct points"
	case clean.WrongWinding:
		return "a ring wound the wrong way"
	case clean.DuplicatePoint:
		return "a repeated point"
	case clean.ZeroArea:
		return "a ring without area"
	case clean.Empty:
		return "an empty geometry"
	case clean.NotFinite:
		return "a NaN or infinite coordinate"
	}
	return strings.ReplaceAll(string(k), "_", " ")
}
