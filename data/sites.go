package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/paulmach/orb"

	"github.com/segmap/segmap/data/gpkg"
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
	Notes      []string `json:"notes,omitempty"` // repairs and warnings of the import, in Swedish until Localise

	notes siteNotes
}

// siteNotes are a layer's notes in both languages, as stored (layers
// stored before they were kept in Swedish have English ones only).
type siteNotes struct {
	EN []string `json:"en"`
	SV []string `json:"sv"`
}

// Localise says the notes in lang ("sv", the default, or "en").
func (l *SiteLayer) Localise(lang string) {
	if lang == "en" {
		l.Notes = l.notes.EN
	} else {
		l.Notes = l.notes.SV
	}
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

// layer, in one transaction: on any error nothing is stored.
func (s *Store) ImportSites(ctx context.Context, file string, body []byte, opts SiteOptions) (*SiteLayer, *SiteReport, error) {
	if err := s.writable(); err != nil {
		return nil, nil, err
	}
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
		if rep.notesEN == nil {
			rep.notesEN = rep.Notes
		}
		notes, _ := json.Marshal(siteNotes{EN: rep.notesEN, SV: rep.notesSV})
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
		return &InputError{File: "request", Field: "name", Problem: "a layer name needs 1–200 characters", ProblemSV: "ett lagernamn ska ha 1–200 tecken"}
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
		return nil, notFound(fmt.Sprintf("there is no site layer %d", id), fmt.Sprintf("det finns inget lager med planerade bostäder med id %d", id))
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
		if strings.HasPrefix(notes, "[") { // English only, as stored before
			_ = json.Unmarshal([]byte(notes), &l.notes.EN)
			l.notes.SV = l.notes.EN
		} else {
			_ = json.Unmarshal([]byte(notes), &l.notes)
		}
		l.Localise("sv")
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
	if err := s.writable(); err != nil {
		return err
	}
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
			return notFound(fmt.Sprintf("there is no site layer %d", id), fmt.Sprintf("det finns inget lager med planerade bostäder med id %d", id))
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
			return notFound(fmt.Sprintf("there is no site layer %d", id), fmt.Sprintf("det finns inget lager med planerade bostäder med id %d", id))
		}
		return tx.touchSites(ctx)
	})
}
