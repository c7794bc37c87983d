package imageprep

import (
	"image"
	"image/color"
	"math/rand"
	"testing"
)

// naiveShrink averages the same blocks as areaShrink through At (slow, obviously right).
func naiveShrink(img image.Image, r image.Rectangle, w, h int) *image.NRGBA {
	out := image.NewNRGBA(image.Rect(0, 0, w, h))
	for oy := 0; oy < h; oy++ {
		for ox := 0; ox < w; ox++ {
			var s [3]int
			n := 0
			for y := r.Min.Y + oy*r.Dy()/h; y < r.Min.Y+(oy+1)*r.Dy()/h; y++ {
				for x := r.Min.X + ox*r.Dx()/w; x < r.Min.X+(ox+1)*r.Dx()/w; x++ {
					c := img.At(x, y)
					if yc, ok := c.(color.YCbCr); ok {
						// Average in YCbCr, as the fast path does.
						s[0] += int(yc.Y)
						s[1] += int(yc.Cb)
						s[2] += int(yc.Cr)
					} else {
						rr, gg, bb, _ := c.RGBA()
						s[0] += int(rr >> 8)
						s[1] += int(gg >> 8)
						s[2] += int(bb >> 8)
					}
					n++
				}
			}
			var c color.NRGBA
			if _, ok := img.(*image.YCbCr); ok {
				c.R, c.G, c.B = color.YCbCrToRGB(uint8(s[0]/n), uint8(s[1]/n), uint8(s[2]/n))
			} else {
				c.R, c.G, c.B = uint8(s[0]/n), uint8(s[1]/n), uint8(s[2]/n)
			}
			c.A = 255
			out.SetNRGBA(ox, oy, c)
		}
	}
	return out
}

func randomYCbCr(rng *rand.Rand, w, h int, ratio image.YCbCrSubsampleRatio) *image.YCbCr {
	m := image.NewYCbCr(image.Rect(0, 0, w, h), ratio)
	for _, p := range [][]uint8{m.Y, m.Cb, m.Cr} {
		for i := range p {
			p[i] = uint8(rng.Intn(256))
		}
	}
	return m
}

func TestAreaShrinkMatchesNaiveAverage(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	rgba := image.NewRGBA(image.Rect(0, 0, 203, 157))
	for i := range rgba.Pix {
		rgba.Pix[i] = uint8(rng.Intn(256))
		if i%4 == 3 {
			rgba.Pix[i] = 255
		}
	}
	gray := image.NewGray(image.Rect(0, 0, 203, 157))
	for i := range gray.Pix {
		gray.Pix[i] = uint8(rng.Intn(256))
	}
	imgs := map[string]image.Image{
		"ycbcr420": randomYCbCr(rng, 203, 157, image.YCbCrSubsampleRatio420),
		"ycbcr422": randomYCbCr(rng, 203, 157, image.YCbCrSubsampleRatio422),
		"ycbcr444": randomYCbCr(rng, 203, 157, image.YCbCrSubsampleRatio444),
		"rgba":     rgba,
		"gray":     gray,
	}
	for name, img := range imgs {
		for _, r := range []image.Rectangle{img.Bounds(), image.Rect(31, 17, 180, 150)} {
			got, ok := areaShrink(img, r, 40, 33)
			if !ok {
				t.Fatalf("%s: no fast path", name)
			}
			want := naiveShrink(img, r, 40, 33)
			for i := range want.Pix {
				if d := int(got.Pix[i]) - int(want.Pix[i]); d > 1 || d < -1 {
					t.Fatalf("%s %v: byte %d is %d, want %d", name, r, i, got.Pix[i], want.Pix[i])
				}
			}
		}
	}
}

func TestAreaShrinkRefusesWhatItCannotDo(t *testing.T) {
	if _, ok := areaShrink(image.NewRGBA(image.Rect(0, 0, 10, 10)), image.Rect(0, 0, 10, 10), 20, 20); ok {
		t.Error("enlarging should fall back to the resampler")
	}
	if _, ok := areaShrink(image.NewCMYK(image.Rect(0, 0, 10, 10)), image.Rect(0, 0, 10, 10), 5, 5); ok {
		t.Error("CMYK has no fast path")
	}
	// shrinkTo still shrinks types without a fast path.
	if got := shrinkTo(image.NewCMYK(image.Rect(0, 0, 100, 50)), 40); got.Bounds().Dx() != 40 || got.Bounds().Dy() != 20 {
		t.Errorf("shrinkTo fallback: %v", got.Bounds())
	}
}
