package lbp

import (
	"image"
	"image/color"
	"image/draw"
	"testing"

	"headshot/imageprep/face/internal/facetest"
)

// The shared test photos and canvas helpers (package facetest).
type facePhoto = facetest.Photo

var (
	loadPhoto     = facetest.Load
	scaledCopy    = facetest.ScaledCopy
	onCanvas      = facetest.OnCanvas
	facePhotos    = facetest.FacePhotos
	nonFacePhotos = facetest.NonFacePhotos
)

// requireFace asserts that the best detection is confident and overlaps
// want with IoU >= 0.5.
func requireFace(t *testing.T, ds []Detection, want image.Rectangle) {
	t.Helper()
	if len(ds) == 0 {
		t.Fatalf("no face found, want one near %v", want)
	}
	best := ds[0]
	if got := iou(best.Rect, want); got < 0.5 {
		t.Errorf("best detection %v (score %.2f) has IoU %.2f with the face %v, want >= 0.5; all: %v", best.Rect, best.Score, got, want, ds)
	}
	if best.Score < Confident {
		t.Errorf("face %v scored %.2f, want >= Confident (%.2f)", best.Rect, best.Score, Confident)
	}
}

func TestDetectFindsFaceInPhotos(t *testing.T) {
	t.Parallel()
	for _, ph := range facePhotos {
		t.Run(ph.Name, func(t *testing.T) {
			ds := Detect(loadPhoto(t, ph.Name))
			requireFace(t, ds, ph.Box)
			for _, d := range ds[1:] {
				if d.Score >= Confident {
					t.Errorf("second confident detection %v (%.2f) in a one-face photo", d.Rect, d.Score)
				}
			}
		})
	}
}

func TestDetectFindsFaceInGreyscalePhoto(t *testing.T) {
	t.Parallel()
	for _, ph := range facePhotos {
		t.Run(ph.Name, func(t *testing.T) {
			src := loadPhoto(t, ph.Name)
			grey := image.NewGray(src.Bounds())
			draw.Draw(grey, grey.Bounds(), src, src.Bounds().Min, draw.Src)
			requireFace(t, Detect(grey), ph.Box)
		})
	}
}

func TestDetectNoConfidentFaceInNonFacePhotos(t *testing.T) {
	t.Parallel()
	for _, name := range nonFacePhotos {
		t.Run(name, func(t *testing.T) {
			for _, d := range Detect(loadPhoto(t, name)) {
				if d.Score >= Confident {
					t.Errorf("confident detection %v (score %.2f) in a photo without a face", d.Rect, d.Score)
				}
			}
		})
	}
}

// camera.jpg's face is turned about 60 degrees to look into a viewfinder,
// beyond what a frontal cascade is trained for; the photo checks that the
// greyscale path does not invent a face on the coat, tripod or sky.
func TestDetectCameramanHasNoFalseFace(t *testing.T) {
	t.Parallel()
	head := image.Rect(150, 60, 270, 200)
	for _, d := range Detect(loadPhoto(t, "camera.jpg")) {
		if d.Score >= Confident && iou(d.Rect, head) < 0.3 {
			t.Errorf("confident detection %v (score %.2f) away from the cameraman's head %v", d.Rect, d.Score, head)
		}
	}
}

func TestDetectOffCentreOnBiggerCanvas(t *testing.T) {
	t.Parallel()
	cases := []struct {
		photo  facePhoto
		w, h   int
		at     image.Point
		origin image.Point // the canvas's Bounds().Min
	}{
		{facePhotos[0], 800, 640, image.Pt(280, 120), image.Pt(0, 0)},
		{facePhotos[1], 900, 760, image.Pt(20, 150), image.Pt(0, 0)},
		{facePhotos[1], 900, 760, image.Pt(380, 10), image.Pt(-300, 250)},
	}
	for _, c := range cases {
		t.Run(c.photo.Name, func(t *testing.T) {
			var canvas image.Image = onCanvas(loadPhoto(t, c.photo.Name), c.w, c.h, c.at, color.RGBA{90, 110, 140, 255})
			want := c.photo.Box.Add(c.at)
			if c.origin != (image.Point{}) {
				shifted := canvas.(*image.RGBA)
				shifted.Rect = shifted.Rect.Add(c.origin)
				want = want.Add(c.origin)
			}
			requireFace(t, Detect(canvas), want)
		})
	}
}

func TestDetectAtSeveralScales(t *testing.T) {
	t.Parallel()
	for _, ph := range facePhotos {
		src := loadPhoto(t, ph.Name)
		for _, f := range []float64{0.7, 1.6, 2.5} {
			w := int(float64(src.Bounds().Dx()) * f)
			h := int(float64(src.Bounds().Dy()) * f)
			var img image.Image = scaledCopy(src, w, h)
			if f < 1 {
				img = toYCbCr(img) // as decoded from a small JPEG
			}
			want := image.Rect(
				int(float64(ph.Box.Min.X)*f), int(float64(ph.Box.Min.Y)*f),
				int(float64(ph.Box.Max.X)*f), int(float64(ph.Box.Max.Y)*f))
			t.Run(ph.Name+"@"+img.Bounds().Size().String(), func(t *testing.T) {
				requireFace(t, Detect(img), want)
			})
		}
	}
}

func TestDetectAgreesAcrossImageTypes(t *testing.T) {
	t.Parallel()
	src := loadPhoto(t, "astronaut.jpg")
	b := src.Bounds()
	rgba := image.NewRGBA(b)
	draw.Draw(rgba, b, src, b.Min, draw.Src)
	nrgba := image.NewNRGBA(b)
	draw.Draw(nrgba, b, src, b.Min, draw.Src)
	rgba64 := image.NewRGBA64(b) // no fast path: goes through At
	draw.Draw(rgba64, b, src, b.Min, draw.Src)
	imgs := map[string]image.Image{
		"YCbCr": toYCbCr(rgba), "RGBA": rgba, "NRGBA": nrgba, "RGBA64": rgba64,
	}
	for name, img := range imgs {
		t.Run(name, func(t *testing.T) {
			requireFace(t, Detect(img), facePhotos[0].Box)
		})
	}
}

func TestDetectBlankAndDegenerateImages(t *testing.T) {
	t.Parallel()
	grey := image.NewGray(image.Rect(0, 0, 640, 480))
	for i := range grey.Pix {
		grey.Pix[i] = 128
	}
	white := image.NewRGBA(image.Rect(0, 0, 300, 300))
	draw.Draw(white, white.Bounds(), image.White, image.Point{}, draw.Src)
	gradient := image.NewGray(image.Rect(0, 0, 500, 400))
	for y := 0; y < 400; y++ {
		for x := 0; x < 500; x++ {
			gradient.Pix[y*500+x] = uint8((x + y) / 4)
		}
	}
	cases := map[string]image.Image{
		"flat grey":        grey,
		"white":            white,
		"black NRGBA":      image.NewNRGBA(image.Rect(0, 0, 200, 100)),
		"transparent":      image.NewNRGBA(image.Rect(0, 0, 200, 200)),
		"gradient":         gradient,
		"1x1":              image.NewGray(image.Rect(0, 0, 1, 1)),
		"smaller than win": image.NewRGBA(image.Rect(0, 0, 30, 30)),
		"one row":          image.NewRGBA(image.Rect(0, 0, 5000, 1)),
		"empty":            image.NewRGBA(image.Rect(0, 0, 0, 0)),
		"nil":              nil,
	}
	for name, img := range cases {
		t.Run(name, func(t *testing.T) {
			if ds := Detect(img); len(ds) != 0 {
				t.Errorf("found %v in an image without content", ds)
			}
		})
	}
}

func TestDetectHonoursMinAndMaxSize(t *testing.T) {
	t.Parallel()
	img := loadPhoto(t, "grace_hopper.jpg")
	face := facePhotos[1].Box
	d := Default()
	if ds := d.Detect(img, Params{MaxSize: face.Dx() / 2}); len(ds) != 0 && iou(ds[0].Rect, face) >= 0.5 {
		t.Errorf("MaxSize %d still found the %d px face: %v", face.Dx()/2, face.Dx(), ds)
	}
	if ds := d.Detect(img, Params{MinSize: face.Dx() * 2}); len(ds) != 0 {
		t.Errorf("MinSize %d still found faces: %v", face.Dx()*2, ds)
	}
	requireFace(t, d.Detect(img, Params{MinSize: face.Dx() / 2, MaxSize: face.Dx() * 2}), face)
}

func TestDetectSortsBestFirst(t *testing.T) {
	t.Parallel()
	// Two faces: the astronaut large, Grace Hopper small, side by side.
	a := loadPhoto(t, "astronaut.jpg")
	g := scaledCopy(loadPhoto(t, "grace_hopper.jpg"), 256, 300)
	canvas := onCanvas(a, 800, 512, image.Point{}, color.White)
	draw.Draw(canvas, image.Rect(520, 100, 776, 400), g, image.Point{}, draw.Src)
	ds := Detect(canvas)
	for i := 1; i < len(ds); i++ {
		if ds[i].Score > ds[i-1].Score {
			t.Fatalf("detections not sorted by score: %v", ds)
		}
	}
	wantG := image.Rect(520+84, 100+75, 520+181, 100+161)
	found := 0
	for _, d := range ds {
		if d.Score >= Confident && (iou(d.Rect, facePhotos[0].Box) >= 0.5 || iou(d.Rect, wantG) >= 0.5) {
			found++
		}
	}
	if found != 2 {
		t.Errorf("want both faces confident, got %v", ds)
	}
}
