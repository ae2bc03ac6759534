package download

import (
	"context"
	"encoding/json"
	"maps"
	"slices"

	"github.com/paulmach/orb/geojson"
)

// WriteFeatureCollection writes fs as a GeoJSON FeatureCollection with
// the members extra (e.g. "name"), one feature at a time: ctx is looked at
// between features and the output may not grow past lim.
func WriteFeatureCollection(ctx context.Context, fs []*geojson.Feature, extra map[string]any, lim Limits) ([]byte, error) {
	b := &boundedBuffer{max: lim.max()}
	return b.result(writeFC(ctx, b, fs, extra))
}

func writeFC(ctx context.Context, b *boundedBuffer, fs []*geojson.Feature, extra map[string]any) error {
	if _, err := b.WriteString(`{"type":"FeatureCollection"`); err != nil {
		return err
	}
	for _, k := range slices.Sorted(maps.Keys(extra)) {
		v := extra[k]
		kb, err := json.Marshal(k)
		if err != nil {
			return err
		}
		vb, err := json.Marshal(v)
		if err != nil {
			return err
		}
		for _, p := range [][]byte{[]byte(","), kb, []byte(":"), vb} {
			if _, err := b.Write(p); err != nil {
				return err
			}
		}
	}
	if _, err := b.WriteString(`,"features":[`); err != nil {
		return err
	}
	st := stopper{ctx: ctx}
	for i, f := range fs {
		if err := st.err(); err != nil {
			return err
		}
		fb, err := f.MarshalJSON()
		if err != nil {
			return err
		}
		if i > 0 {
			if _, err := b.WriteString(","); err != nil {
				return err
			}
		}
		if _, err := b.Write(fb); err != nil {
			return err
		}
	}
	_, err := b.WriteString("]}")
	return err
}
