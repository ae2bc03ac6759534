package service

import (
	"fmt"

	"github.com/segmap/segmap/data"
)

// Geography says where an area's series breaks because its boundary changed:
// a DeSO 2025 area that split a DeSO 2018 area has no values of its own
// for years published on 2018 areas; those are its parent's.
type Geography struct {
	Kind   string `json:"kind"`   // "deso2025_split"
	Parent string `json:"parent"` // the DeSO 2018 area it split from
	NoteSV string `json:"note_sv"`
	NoteEN string `json:"note_en"`
}

// geographyOf is the Geography note of an area (nil: its series does not break).
func geographyOf(level, code string) *Geography {
	if level != data.LevelDeSO {
		return nil
	}
	parent := data.SplitParent(code)
	if parent == "" {
		return nil
	}
	return &Geography{
		Kind:   "deso2025_split",
		Parent: parent,
		NoteSV: fmt.Sprintf("DeSO 2025: %s delades ut ur DeSO 2018-området %s. Statistik på DeSO 2018 (till och med 2024) finns bara för %s; serien bryts. Kommun, län och riket påverkas inte.", code, parent, parent),
		NoteEN: fmt.Sprintf("DeSO 2025: %s was split from the DeSO 2018 area %s. Statistics on DeSO 2018 (up to 2024) exist only for %s; the series breaks. Kommun, län and riket are unaffected.", code, parent, parent),
	}
}
