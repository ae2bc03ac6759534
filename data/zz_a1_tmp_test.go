package data

import (
	"context"
	"testing"
)

func TestA1TmpShared(t *testing.T) {
	ctx := context.Background()
	s := newBoundaryStore(t)
	for _, c := range []struct {
		f    string
		opts BoundaryOptions
	}{
		{"deso_2018_stockholms_lan_4326_simplified.geojson", BoundaryOptions{Level: LevelDeSO, CodeField: "id"}},
		{"kommuner_2025_attrs_4326.geojson", BoundaryOptions{Level: LevelKommun}},
		{"kommuner_2025_attrs_3006.gpkg", BoundaryOptions{Level: LevelKommun}},
		{"regso_2025_goteborgsregionen_3006.gpkg", BoundaryOptions{Level: LevelRegSO}},
		{"deso_2025_goteborgsregionen_3006.gpkg", BoundaryOptions{Level: LevelDeSO}},
		{"polisen_utsatta_omraden_2023_3006.gpkg", BoundaryOptions{Level: "utsatta", Kind: KindOverlay}},
		{"kommuner_lm_4326.geojson", BoundaryOptions{Level: LevelKommun}},
		{"lan_full_3006.gpkg", BoundaryOptions{Level: LevelLan}},
	} {
		rep, err := s.ValidateBoundaries(ctx, "../../shared/data/se/boundaries/"+c.f, c.opts)
		if err != nil {
			t.Logf("%s: ERR %v", c.f, err)
			continue
		}
		t.Logf("%s: %d features code=%s name=%s fixed=%v repaired=%v warn=%v", c.f, rep.Features, rep.CodeField, rep.NameField, rep.Fixed, rep.Repaired, rep.Warnings)
	}
}
