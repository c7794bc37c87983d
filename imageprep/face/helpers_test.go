package face

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
	f, err := os.Open(filepath.Join("..", "testdata", "faces", name))
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
