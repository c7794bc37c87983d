package face

import (
	"image"
	"image/color"
	"testing"
)

// fill paints r of img with c, and every eighth row and column of r dark
// when lines is set (a line drawing's strokes, or a face's features).
func fill(img *image.NRGBA, r image.Rectangle, c color.NRGBA, lines bool) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			p := c
			if lines && (x%8 == 0 || y%8 == 0) {
				p = color.NRGBA{20, 20, 20, 255}
			}
			img.SetNRGBA(x, y, p)
		}
	}
}

func TestPlausibleTellsSkinFromPaperAndPlastic(t *testing.T) {
	box := image.Rect(20, 20, 120, 140)
	for _, c := range []struct {
		name  string
		col   color.NRGBA
		lines bool
		want  bool
	}{
		{"light skin", color.NRGBA{230, 190, 170, 255}, true, true},
		{"dark skin", color.NRGBA{90, 60, 45, 255}, true, true},
		{"dark skin, low light", color.NRGBA{27, 18, 14, 255}, true, true},
		{"skin under a warm lamp", color.NRGBA{220, 170, 110, 255}, true, true},
		{"grey portrait", color.NRGBA{150, 150, 150, 255}, true, true},
		{"overexposed grey portrait, some shading", color.NRGBA{180, 180, 180, 255}, true, true},
		{"line drawing on cream paper", color.NRGBA{246, 240, 226, 255}, true, false},
		{"line drawing on white paper", color.NRGBA{250, 250, 250, 255}, true, false},
		{"cream plastic mask", color.NRGBA{235, 225, 190, 255}, true, false},
	} {
		img := image.NewNRGBA(image.Rect(0, 0, 140, 160))
		fill(img, img.Bounds(), color.NRGBA{90, 120, 160, 255}, false) // a blue background
		fill(img, box, c.col, c.lines)
		if got := plausible(img, box); got != c.want {
			t.Errorf("%s: plausible %v, want %v", c.name, got, c.want)
		}
	}
}

// checkPlausible caps implausible detections under Confident (so they are
// held for review) but keeps them as weak faces, and re-sorts.
func TestCheckPlausibleCapsAndSorts(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 300, 160))
	mask, skin := image.Rect(10, 10, 110, 130), image.Rect(150, 10, 250, 130)
	fill(img, mask, color.NRGBA{235, 225, 190, 255}, true)
	fill(img, skin, color.NRGBA{200, 150, 125, 255}, true)
	ds := checkPlausible(img, []Detection{{mask, 0.9}, {skin, 0.7}})
	if ds[0].Rect != skin || ds[0].Score != 0.7 || ds[1].Rect != mask || ds[1].Score >= Confident || ds[1].Score < WeakFace {
		t.Errorf("got %+v", ds)
	}
}
