package imageprep

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"testing"

	"github.com/disintegration/imaging"
)

// resampleCrop is as faithful as imaging's Catmull-Rom resize of the same
// crop: against imaging's resize of the original RGB pixels (before any
// chroma subsampling), its PSNR is at least imaging's own from the same
// decoded image type (less 0.5 dB), or over 45 dB; for the decoders' image
// types, sub-images with offsets, reductions and enlargements.
func TestResampleCropMatchesImaging(t *testing.T) {
	src := photoScene(900, 700)
	ycc420 := toYCbCr(src, image.YCbCrSubsampleRatio420)
	ycc444 := toYCbCr(src, image.YCbCrSubsampleRatio444)
	gray := image.NewGray(src.Rect)
	for y := 0; y < 700; y++ {
		for x := 0; x < 900; x++ {
			gray.Set(x, y, src.At(x, y))
		}
	}
	grayRGB := imaging.Clone(gray)
	offset := ycc420.SubImage(image.Rect(100, 50, 800, 690)).(*image.YCbCr)
	for _, c := range []struct {
		name  string
		img   image.Image
		truth image.Image
		crop  image.Rectangle
		n     int
	}{
		{"nrgba reduce", src, src, image.Rect(50, 20, 690, 660), 500},
		{"ycc420 reduce", ycc420, src, image.Rect(50, 20, 690, 660), 500},
		{"ycc420 odd crop", ycc420, src, image.Rect(51, 23, 690, 662), 600},
		{"ycc444 reduce", ycc444, src, image.Rect(0, 0, 700, 700), 333},
		{"ycc420 sub-image", offset, src, image.Rect(101, 51, 739, 689), 480},
		{"ycc420 enlarge", ycc420, src, image.Rect(300, 300, 500, 500), 300},
		{"gray reduce", gray, grayRGB, image.Rect(100, 0, 800, 700), 600},
	} {
		got, ok := resampleCrop(c.img, c.crop, c.n)
		if !ok {
			t.Errorf("%s: not handled", c.name)
			continue
		}
		truth := imaging.Resize(imaging.Crop(c.truth, c.crop), c.n, c.n, imaging.CatmullRom)
		theirs := imaging.Resize(imaging.Crop(c.img, c.crop), c.n, c.n, imaging.CatmullRom)
		ours, ref := psnrNRGBA(got, truth), psnrNRGBA(theirs, truth)
		if ours < ref-0.5 && ours < 45 {
			t.Errorf("%s: PSNR %.1f dB against the RGB original's resize, imaging's %.1f dB", c.name, ours, ref)
		}
	}
}

// toYCbCr converts src as a JPEG encoder does: each chroma sample is the
// mean of the pixels it covers.
func toYCbCr(src *image.NRGBA, r image.YCbCrSubsampleRatio) *image.YCbCr {
	m := image.NewYCbCr(src.Rect, r)
	sums := make([][3]int, len(m.Cb))
	for y := 0; y < src.Rect.Dy(); y++ {
		for x := 0; x < src.Rect.Dx(); x++ {
			c := src.NRGBAAt(x, y)
			yy, cb, cr := color.RGBToYCbCr(c.R, c.G, c.B)
			m.Y[m.YOffset(x, y)] = yy
			s := &sums[m.COffset(x, y)]
			s[0], s[1], s[2] = s[0]+int(cb), s[1]+int(cr), s[2]+1
		}
	}
	for i, s := range sums {
		if s[2] > 0 {
			m.Cb[i], m.Cr[i] = uint8((s[0]+s[2]/2)/s[2]), uint8((s[1]+s[2]/2)/s[2])
		}
	}
	return m
}

func psnrNRGBA(a, b *image.NRGBA) float64 {
	if a.Rect.Size() != b.Rect.Size() {
		panic(fmt.Sprint("sizes ", a.Rect, b.Rect))
	}
	var se float64
	n := 0
	for y := 0; y < a.Rect.Dy(); y++ {
		for x := 0; x < a.Rect.Dx(); x++ {
			p, q := a.NRGBAAt(x, y), b.NRGBAAt(x+b.Rect.Min.X, y+b.Rect.Min.Y)
			for _, d := range []int{int(p.R) - int(q.R), int(p.G) - int(q.G), int(p.B) - int(q.B)} {
				se += float64(d * d)
				n++
			}
		}
	}
	if se == 0 {
		return 99
	}
	return 10 * math.Log10(255*255/(se/float64(n)))
}
