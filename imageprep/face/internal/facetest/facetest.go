// Package facetest holds what the face detectors' tests share: the
// committed test photographs (imageprep/testdata/faces) with their
// hand-measured face boxes, and the helpers that place a photo on a canvas
// at a chosen size. Used by the tests of package face (the product's
// detector) and of package lbp (the evaluation's baseline), so both are
// tested on the same photos and boxes.
package facetest

import (
	"image"
	"image/color"
	"image/draw"
	_ "image/jpeg" // the committed photos are JPEGs
	"os"
	"path/filepath"
	"runtime"
	"testing"

	xdraw "golang.org/x/image/draw"
)

// Photo is a committed photograph with one frontal face whose box was
// measured by hand (hairline to chin, cheek to cheek) on the committed file.
type Photo struct {
	Name string
	Box  image.Rectangle
}

// FacePhotos are the committed photographs with one face.
var FacePhotos = []Photo{
	{"astronaut.jpg", image.Rect(183, 90, 266, 180)},
	{"grace_hopper.jpg", image.Rect(168, 150, 362, 322)},
}

// NonFacePhotos are committed photographs without a human face.
var NonFacePhotos = []string{
	"chelsea.jpg", // a cat's face
	"coffee.jpg",
	"rocket.jpg",
	"hubble.jpg",
	"brick.jpg",
	"coins.jpg",
}

// Dir is imageprep/testdata/faces, wherever the test runs from.
func Dir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "testdata", "faces")
}

// Load decodes a committed test photo from imageprep/testdata/faces.
func Load(tb testing.TB, name string) image.Image {
	tb.Helper()
	f, err := os.Open(filepath.Join(Dir(), name))
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

// ScaledCopy returns img resized to w x h as RGBA (Catmull-Rom when
// shrinking, bilinear when enlarging, which is as good there and cheaper).
func ScaledCopy(img image.Image, w, h int) *image.RGBA {
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	var s xdraw.Scaler = xdraw.CatmullRom
	if w > img.Bounds().Dx() {
		s = xdraw.BiLinear
	}
	s.Scale(out, out.Bounds(), img, img.Bounds(), xdraw.Src, nil)
	return out
}

// OnCanvas places img with its top-left at `at` on a w x h canvas of bg.
func OnCanvas(img image.Image, w, h int, at image.Point, bg color.Color) *image.RGBA {
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(out, out.Bounds(), image.NewUniform(bg), image.Point{}, draw.Src)
	r := img.Bounds().Sub(img.Bounds().Min).Add(at)
	draw.Draw(out, r, img, img.Bounds().Min, draw.Src)
	return out
}
