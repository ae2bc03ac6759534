package service

import (
	"bytes"
	"context"
	"errors"
	"image/png"
	"strings"
	"testing"

	"github.com/segmap/segmap/data"
)

func TestPictureOptionsBounds(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		opts PictureOptions
		ok   bool
	}{
		{PictureOptions{}, true},
		{PictureOptions{Format: "svg", Width: 120, Height: 4000, DPI: 72}, true},
		{PictureOptions{Width: 4000, Height: 120, DPI: 300}, true},
		{PictureOptions{Width: 119}, false},
		{PictureOptions{Width: 4001}, false},
		{PictureOptions{Height: 119}, false},
		{PictureOptions{Height: 4001}, false},
		{PictureOptions{Width: -5}, false},
		{PictureOptions{DPI: 71.9}, false},
		{PictureOptions{DPI: 300.1}, false},
		{PictureOptions{Format: "jpeg"}, false},
	} {
		o := tc.opts
		err := o.normalise()
		if (err == nil) != tc.ok {
			t.Errorf("%+v: err %v, want ok=%v", tc.opts, err, tc.ok)
		}
		if err != nil && !errors.Is(err, ErrBadRequest) {
			t.Errorf("%+v: %v is not a bad request", tc.opts, err)
		}
	}
	o := PictureOptions{}
	_ = o.normalise()
	if o != (PictureOptions{Format: "png", Width: 1000, Height: 800, DPI: 96}) {
		t.Errorf("defaults %+v", o)
	}
}

func TestPictureMap(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc := New(testStore, nil, Options{})
	q := ClassifyQuery{ValuesQuery: ValuesQuery{Level: data.LevelDeSO, Indicator: "low_econ_standard_pct", Year: 2022,
		Kommuner: []string{"0127"}}, K: 4}
	m, cl, err := svc.PictureMap(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	areas, err := testStore.Areas(ctx, data.LevelDeSO, data.AreasOptions{WithGeometry: true, Kommuner: []string{"0127"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Features) != len(areas) || len(areas) < 40 {
		t.Fatalf("%d features for %d Botkyrka DeSO", len(m.Features), len(areas))
	}
	for i, f := range m.Features {
		if f.Fill != cl.Areas[i].Color || f.Geometry == nil {
			t.Errorf("feature %d: fill %q, area %s colour %q", i, f.Fill, cl.Areas[i].Code, cl.Areas[i].Color)
		}
	}
	if len(m.Outlines) != 0 {
		t.Errorf("one kommun: %d outlines, want none", len(m.Outlines))
	}
	if m.Title != cl.Indicator.NameSV+" 2022" || cl.Indicator.NameSV == "" {
		t.Errorf("title %q, want %q + year", m.Title, cl.Indicator.NameSV)
	}
	if m.Subtitle != "DeSO · Botkyrka" || m.Source != "Källa: SCB, 2022" {
		t.Errorf("subtitle %q, source %q", m.Subtitle, m.Source)
	}
	total := 0
	for i, l := range m.Legend {
		total += l.Count
		if i < 4 && l.Color != cl.Legend[i].Color {
			t.Errorf("legend %d colour %q, classification %q", i, l.Color, cl.Legend[i].Color)
		}
	}
	if total != len(areas) {
		t.Errorf("legend counts sum to %d, want %d areas", total, len(areas))
	}

	// English, two kommuner: both outlined and named.
	q.Lang, q.Kommuner = "en", []string{"0127", "0126"}
	m, _, err = svc.PictureMap(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Outlines) != 2 || m.Source != "Source: SCB, 2022" || !strings.Contains(m.Subtitle, "Huddinge and Botkyrka") || m.Lang != "en" {
		t.Errorf("en: %d outlines, subtitle %q, source %q, lang %q", len(m.Outlines), m.Subtitle, m.Source, m.Lang)
	}
}

func TestPicturePNG(t *testing.T) {
	t.Parallel()
	svc := New(testStore, nil, Options{})
	q := ClassifyQuery{ValuesQuery: ValuesQuery{Level: data.LevelRegSO, Indicator: "low_econ_standard_pct", Kommuner: []string{"0127"}}}
	pic, err := svc.Picture(context.Background(), q, PictureOptions{Width: 600, Height: 400, DPI: 192})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(pic.Body))
	if err != nil {
		t.Fatal(err)
	}
	if pic.ContentType != "image/png" || cfg.Width != 1200 || cfg.Height != 800 {
		t.Errorf("%s %d x %d, want image/png 1200 x 800", pic.ContentType, cfg.Width, cfg.Height)
	}
	if _, err := svc.Picture(context.Background(), q, PictureOptions{Width: 50}); !errors.Is(err, ErrBadRequest) {
		t.Errorf("width 50: %v", err)
	}
}

func BenchmarkPicturePNG(b *testing.B) {
	svc := New(testStore, nil, Options{})
	q := ClassifyQuery{ValuesQuery: ValuesQuery{Level: data.LevelDeSO, Indicator: "low_econ_standard_pct", Kommuner: []string{"0127"}}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := svc.Picture(context.Background(), q, PictureOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
