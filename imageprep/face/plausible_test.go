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
	ds := checkPlausible(img, []Detection{{mask, 0.9}, {skin, 0.7}}, false)
	if ds[0].Rect != skin || ds[0].Score != 0.7 || ds[1].Rect != mask || ds[1].Score >= Confident || ds[1].Score < WeakFace {
		t.Errorf("got %+v", ds)
	}
}

// TestPlausibleWantsOneTone: skin is one colour, lips and eyes aside; a
// box of two far-apart colours (a mandrill's red nose in blue cheeks, its
// eyes in orange fur) is not a photographed face.
func TestPlausibleWantsOneTone(t *testing.T) {
	box := image.Rect(20, 20, 120, 140)
	in := box.Inset(box.Dx() / 5)
	for _, c := range []struct {
		name        string
		main, other color.NRGBA
		share       float64 // of the inner box's rows in other
		want        bool
	}{
		{"skin with red lips", color.NRGBA{200, 150, 125, 255}, color.NRGBA{170, 60, 70, 255}, 0.15, true},
		{"dark skin with dark eyes", color.NRGBA{90, 60, 45, 255}, color.NRGBA{30, 25, 25, 255}, 0.2, true},
		{"face under purple light", color.NRGBA{150, 120, 180, 255}, color.NRGBA{110, 90, 150, 255}, 0.3, true},
		{"red nose in blue cheeks", color.NRGBA{210, 50, 50, 255}, color.NRGBA{110, 140, 200, 255}, 0.4, false},
		{"eyes in orange fur", color.NRGBA{230, 140, 60, 255}, color.NRGBA{120, 130, 150, 255}, 0.3, false},
	} {
		img := image.NewNRGBA(image.Rect(0, 0, 140, 160))
		fill(img, box, c.main, false)
		stripe := image.Rect(in.Min.X, in.Min.Y, in.Max.X, in.Min.Y+int(c.share*float64(in.Dy())))
		fill(img, stripe, c.other, false)
		if got := plausible(img, box); got != c.want {
			t.Errorf("%s: plausible %v, want %v", c.name, got, c.want)
		}
	}
}
