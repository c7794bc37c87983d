package lbp

import (
	"image"
	"image/color"
	"image/draw"
	_ "image/jpeg"
	"os"
	"path/filepath"
	"testing"

	xdraw "golang.org/x/image/draw"
)

// loadPhoto decodes a committed test photo from imageprep/testdata/faces.
func loadPhoto(tb testing.TB, name string) image.Image {
	tb.Helper()
	f, err := os.Open(filepath.Join("..", "..", "testdata", "faces", name))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
	return img
}

// drawScaled draws src scaled (Catmull-Rom) into r of a YCbCr image.
func drawScaled(dst *image.YCbCr, r image.Rectangle, src image.Image) {
	tmp := image.NewRGBA(r)
	xdraw.CatmullRom.Scale(tmp, r, src, src.Bounds(), xdraw.Src, nil)
	pasteYCbCr(dst, tmp)
}

// pasteYCbCr writes src (opaque) into dst at src's bounds, converting to
// YCbCr; chroma samples take the value of their top-left pixel.
func pasteYCbCr(dst *image.YCbCr, src *image.RGBA) {
	b := src.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := src.RGBAAt(x, y)
			yy, cb, cr := color.RGBToYCbCr(c.R, c.G, c.B)
			dst.Y[dst.YOffset(x, y)] = yy
			dst.Cb[dst.COffset(x, y)] = cb
			dst.Cr[dst.COffset(x, y)] = cr
		}
	}
}

// toYCbCr converts img to a 4:2:0 YCbCr image with the same bounds.
func toYCbCr(img image.Image) *image.YCbCr {
	rgba := image.NewRGBA(img.Bounds())
	draw.Draw(rgba, rgba.Bounds(), img, img.Bounds().Min, draw.Src)
	out := image.NewYCbCr(img.Bounds(), image.YCbCrSubsampleRatio420)
	pasteYCbCr(out, rgba)
	return out
}

// scaledCopy returns img resized to w x h as RGBA (Catmull-Rom when
// shrinking, bilinear when enlarging, which is as good there and cheaper).
func scaledCopy(img image.Image, w, h int) *image.RGBA {
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	var s xdraw.Scaler = xdraw.CatmullRom
	if w > img.Bounds().Dx() {
		s = xdraw.BiLinear
	}
	s.Scale(out, out.Bounds(), img, img.Bounds(), xdraw.Src, nil)
	return out
}

// onCanvas places img with its top-left at `at` on a w x h canvas of bg.
func onCanvas(img image.Image, w, h int, at image.Point, bg color.Color) *image.RGBA {
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(out, out.Bounds(), image.NewUniform(bg), image.Point{}, draw.Src)
	r := img.Bounds().Sub(img.Bounds().Min).Add(at)
	draw.Draw(out, r, img, img.Bounds().Min, draw.Src)
	return out
}

// blankGrey is a w x h mid-grey image.
func blankGrey(w, h int) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	for i := range g.Pix {
		g.Pix[i] = 128
	}
	return g
}

// iou is the intersection over union of two rectangles.
func iou(a, b image.Rectangle) float64 {
	in := a.Intersect(b)
	if in.Empty() {
		return 0
	}
	ia := float64(in.Dx() * in.Dy())
	return ia / (float64(a.Dx()*a.Dy()+b.Dx()*b.Dy()) - ia)
}
