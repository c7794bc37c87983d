package face

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"testing"
)

// The skin test keeps the hue range the plausibility checks accept (real
// faces 37-128°) and drops what is yellower or bluer.
func TestIsSkinTone(t *testing.T) {
	at := func(hue, chroma float64, y uint8) bool {
		r := hue * math.Pi / 180
		u, v := chroma*math.Cos(r), chroma*math.Sin(r)
		return isSkinTone(y, uint8(math.Round(128-u)), uint8(math.Round(128+v)))
	}
	for _, c := range []struct {
		hue, chroma float64
		y           uint8
		want        bool
	}{
		{37, 30, 150, true}, {55, 40, 120, true}, {128, 20, 90, true}, // faces, a blue-lit face
		{55, 30, 30, true},                          // a dark face in low light
		{20, 40, 150, false}, {145, 30, 150, false}, // yellow paint, blue sky
		{55, 3, 150, false}, // nearly grey: no hue
		{55, 30, 10, false}, // black
	} {
		if got := at(c.hue, c.chroma, c.y); got != c.want {
			t.Errorf("hue %.0f° chroma %.0f luma %d: skin %v, want %v", c.hue, c.chroma, c.y, got, c.want)
		}
	}
}

// The small-face pass runs only on a photo with a patch of skin as large
// as the smallest face it finds: every face from 24 px, light or dark,
// has one; a canvas without the face, or the face in blue light, has not.
func TestSkinPatchGatesTheSmallFacePass(t *testing.T) {
	for _, px := range []int{24, 26, 32, 40} {
		img, _ := smallFaceScene(t, px)
		if !hasSkinPatch(img) {
			t.Errorf("a %d px face: no skin patch, the small-face pass would not run", px)
		}
		dark := image.NewRGBA(img.Bounds())
		draw.Draw(dark, dark.Bounds(), img, img.Bounds().Min, draw.Src)
		for i := range dark.Pix {
			if i%4 != 3 {
				dark.Pix[i] = uint8(float64(dark.Pix[i]) * 0.35)
			}
		}
		if !hasSkinPatch(dark) {
			t.Errorf("a %d px face in low light: no skin patch", px)
		}
	}
	img, _ := smallFaceScene(t, 26)
	sky := onCanvas(image.NewRGBA(image.Rect(0, 0, 1, 1)), 480, 360, image.Point{}, color.RGBA{70, 110, 190, 255})
	draw.Draw(sky, image.Rect(0, 240, 480, 360), image.NewUniform(color.Gray{128}), image.Point{}, draw.Src)
	if hasSkinPatch(sky) {
		t.Error("a photo of blue sky over grey has a skin patch")
	}
	blue := image.NewRGBA(img.Bounds())
	draw.Draw(blue, blue.Bounds(), img, img.Bounds().Min, draw.Src)
	for i := 0; i+3 < len(blue.Pix); i += 4 {
		blue.Pix[i], blue.Pix[i+1] = blue.Pix[i]/5, blue.Pix[i+1]/2 // red and green down: blue light
	}
	if hasSkinPatch(blue) {
		t.Error("a face in blue light has a skin patch")
	}
}
