package api_test

import (
	"image"
	"image/draw"
	"image/png"
	"os"
	"testing"
)

func TestZZDebug(t *testing.T) {
	rec := get(t, "/api/map.png?level=deso&indicator=low_econ_standard_pct&year=2022&kommun=0127&k=5&method=quantile&width=900&height=700&dpi=144")
	img, _ := png.Decode(rec.Body)
	os.WriteFile("/tmp/hi_pic/full.png", nil, 0o644)
	f, _ := os.Create("/tmp/hi_pic/full.png")
	png.Encode(f, img)
	f.Close()
	r := image.Rect(588-60, 185-60, 588+60, 185+60)
	dst := image.NewRGBA(image.Rect(0, 0, 120, 120))
	draw.Draw(dst, dst.Bounds(), img, r.Min, draw.Src)
	dst.Set(60, 60, image.White)
	g, _ := os.Create("/tmp/hi_pic/crop.png")
	png.Encode(g, dst)
	g.Close()
}
