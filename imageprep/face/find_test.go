package face

import (
	"image"
	"image/color"
	"image/draw"
	"testing"
	"time"

	"github.com/disintegration/imaging"
)

func TestFindConfidentFaceInPhotos(t *testing.T) {
	t.Parallel()
	for _, ph := range facePhotos {
		t.Run(ph.Name, func(t *testing.T) {
			ds := Find(loadPhoto(t, ph.Name))
			if len(ds) == 0 || ds[0].Score < Confident {
				t.Fatalf("no confident face: %v", ds)
			}
			c := ds[0].Rect.Min.Add(ds[0].Rect.Max).Div(2)
			if !c.In(ph.Box) {
				t.Errorf("best face %v is not centred on %v", ds[0].Rect, ph.Box)
			}
			if n := len(People(ds)); n != 1 {
				t.Errorf("%d people in a portrait: %v", n, ds)
			}
		})
	}
}

func TestFindNoConfidentFaceInNonFacePhotos(t *testing.T) {
	t.Parallel()
	for _, name := range nonFacePhotos {
		t.Run(name, func(t *testing.T) {
			for _, d := range Find(loadPhoto(t, name)) {
				if d.Score >= Confident {
					t.Errorf("confident face %v (%.2f) in a photo without one", d.Rect, d.Score)
				}
			}
		})
	}
}

// TestFindCloseUp: a face filling the frame is larger than the network's
// anchors; the close-up pass must find it.
func TestFindCloseUp(t *testing.T) {
	t.Parallel()
	ph := facePhotos[0]
	img := imaging.Crop(loadPhoto(t, ph.Name), ph.Box.Inset(-ph.Box.Dx()/4))
	img = imaging.Resize(img, 400, 0, imaging.Lanczos)
	ds := Find(img)
	if len(ds) == 0 || ds[0].Score < Confident {
		t.Fatalf("no confident face in a close-up: %v", ds)
	}
	if !image.Pt(200, 200*img.Bounds().Dy()/400).In(ds[0].Rect.Inset(-20)) {
		t.Errorf("close-up face %v is off the middle", ds[0].Rect)
	}
}

// TestFindTwoPeople: the same portrait twice side by side is two people,
// even when one of them is faded.
func TestFindTwoPeople(t *testing.T) {
	t.Parallel()
	p := loadPhoto(t, facePhotos[0].Name)
	b := p.Bounds()
	pair := imaging.New(2*b.Dx(), b.Dy(), image.White.C)
	pair = imaging.Paste(pair, p, image.Pt(0, 0))
	pair = imaging.Paste(pair, imaging.AdjustContrast(p, -40), image.Pt(b.Dx(), 0))
	if n := len(People(Find(pair))); n != 2 {
		t.Errorf("%d people found, want 2: %v", n, Find(pair))
	}
}

func TestCalibrateIsMonotonicWithConfidentAtTheFittedPoint(t *testing.T) {
	if got := calibrate(rawConfident); got != Confident {
		t.Errorf("calibrate(%v) = %v, want %v", rawConfident, got, Confident)
	}
	prev := -1.0
	for raw := 0.0; raw <= 1; raw += 0.01 {
		c := calibrate(raw)
		if c < prev || c < 0 || c > 1 {
			t.Fatalf("calibrate(%.2f) = %v after %v", raw, c, prev)
		}
		prev = c
	}
}

// smallFaceScene is a committed portrait shrunk until its face is px wide,
// pasted on a 480 x 360 canvas of mid grey, and the face's box there.
func smallFaceScene(tb testing.TB, px int) (image.Image, image.Rectangle) {
	ph := facePhotos[0]
	src := loadPhoto(tb, ph.Name)
	k := float64(px) / float64(ph.Box.Dx())
	b := src.Bounds()
	small := scaledCopy(src, int(float64(b.Dx())*k), int(float64(b.Dy())*k))
	at := image.Pt(60, 90)
	box := image.Rect(int(float64(ph.Box.Min.X)*k), int(float64(ph.Box.Min.Y)*k), int(float64(ph.Box.Max.X)*k), int(float64(ph.Box.Max.Y)*k)).Add(at)
	return onCanvas(small, 480, 360, at, color.Gray{128}), box
}

// TestFindSmallFaceInSmallPhoto: a 26 px face in a 480 px photo is under
// what the 416 px pass sees; the small-photo pass finds it.
func TestFindSmallFaceInSmallPhoto(t *testing.T) {
	t.Parallel()
	img, box := smallFaceScene(t, 26)
	ds := Find(img)
	if len(ds) == 0 || ds[0].Score < Confident {
		t.Fatalf("no confident face: %v", ds)
	}
	if c := ds[0].Rect.Min.Add(ds[0].Rect.Max).Div(2); !c.In(box) {
		t.Errorf("best face %v is not centred on %v", ds[0].Rect, box)
	}
}

// TestFindSkipsSmallFacePassInGreyPhotos: in a greyscale photo the
// small-face pass could only report boxes capped under Confident (grey
// round things pass for faces), so it does not run: no box at the face.
func TestFindSkipsSmallFacePassInGreyPhotos(t *testing.T) {
	t.Parallel()
	img, box := smallFaceScene(t, 26)
	grey := image.NewGray(img.Bounds())
	draw.Draw(grey, grey.Bounds(), img, img.Bounds().Min, draw.Src)
	for _, d := range Find(grey) {
		if c := d.Rect.Min.Add(d.Rect.Max).Div(2); c.In(box) {
			t.Errorf("a box %v (%.2f) at the 26 px face of a grey photo: the small-face pass ran", d.Rect, d.Score)
		}
	}
}

// TestFindCopySkipsSmallFacePassForLargePhotos: without the small photo
// itself (a large photo's shrunk copy), there is no small-face pass: its
// cost would double a faceless large photo's. With it, the face is found
// and boxed in the copy's coordinates.
func TestFindCopySkipsSmallFacePassForLargePhotos(t *testing.T) {
	t.Parallel()
	img, box := smallFaceScene(t, 26)
	if ds := FindCopy(img, nil); len(ds) > 0 && ds[0].Score >= Confident {
		t.Errorf("small-face pass ran without the photo: %v", ds)
	}
	half := scaledCopy(img, 240, 180)
	ds := FindCopy(half, img)
	if len(ds) == 0 || ds[0].Score < Confident {
		t.Fatalf("no confident face with the photo at hand: %v", ds)
	}
	if c := ds[0].Rect.Min.Add(ds[0].Rect.Max); !c.In(box) { // twice the centre: the copy is half size
		t.Errorf("best face %v (in the half-size copy) is not centred on %v", ds[0].Rect, box)
	}
}

func TestFineInputFor(t *testing.T) {
	for _, c := range []struct{ long, want int }{
		{480, fineInput},            // twice 480 capped at 832
		{320, 640},                  // twice the photo
		{208, 0},                    // the first pass already saw it at twice its size
		{SmallPhotoSide, fineInput}, // the largest photo with the pass
		{SmallPhotoSide + 1, 0},     // a larger photo
		{4032, 0},
	} {
		if got := fineInputFor(c.long); got != c.want {
			t.Errorf("fineInputFor(%d) = %d, want %d", c.long, got, c.want)
		}
	}
}

// panicImage is a colour photo whose pixels cannot be read.
type panicImage struct{ image.Rectangle }

func (panicImage) ColorModel() color.Model   { return color.RGBAModel }
func (p panicImage) Bounds() image.Rectangle { return p.Rectangle }
func (panicImage) At(x, y int) color.Color   { panic("unreadable pixel") }

// TestSmallFacePassReleasesItsTurnOnPanic: a small-face pass that panics
// (recovered by the caller) still gives up its turn, so the next one runs
// instead of waiting forever.
func TestSmallFacePassReleasesItsTurnOnPanic(t *testing.T) {
	blank := image.NewRGBA(image.Rect(0, 0, 480, 360))
	draw.Draw(blank, blank.Bounds(), image.NewUniform(color.RGBA{90, 140, 200, 255}), image.Point{}, draw.Src)
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("the pass read the unreadable photo without panicking")
			}
		}()
		FindCopy(blank, panicImage{blank.Bounds()})
	}()
	done := make(chan struct{})
	go func() {
		FindCopy(blank, blank)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("the next small-face pass is still waiting for its turn")
	}
}

// groupScene is a w x h photo of three people side by side whose faces
// are w/16 wide (a 12 MP group photo's faces, 250 px of 4032), on a grey
// background, and their face boxes: under what the 416 px first pass
// finds (26 px there).
func groupScene(tb testing.TB, w, h int) (*image.RGBA, []image.Rectangle) {
	canvas := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(canvas, canvas.Bounds(), image.NewUniform(color.RGBA{120, 125, 130, 255}), image.Point{}, draw.Src)
	var boxes []image.Rectangle
	for i, ph := range []facePhoto{facePhotos[1], facePhotos[0], facePhotos[1]} {
		src := loadPhoto(tb, ph.Name)
		box := ph.Box
		if i == 2 { // the same person mirrored: a third face, not a copy
			src = imaging.FlipH(src)
			sb := src.Bounds()
			box = image.Rect(sb.Dx()-ph.Box.Max.X, ph.Box.Min.Y, sb.Dx()-ph.Box.Min.X, ph.Box.Max.Y)
		}
		// Head and shoulders only, so the neighbours do not cover each other.
		fw, fh := box.Dx(), box.Dy()
		cut := image.Rect(box.Min.X-fw/2, box.Min.Y-fh/2, box.Max.X+fw/2, box.Max.Y+fh).Intersect(src.Bounds())
		src, box = imaging.Crop(src, cut), box.Sub(cut.Min)
		k := float64(w) / 16 / float64(box.Dx())
		b := src.Bounds()
		small := scaledCopy(src, int(float64(b.Dx())*k), int(float64(b.Dy())*k))
		// Faces side by side, a face width and a half apart, at mid height.
		fx, fy := w/4+i*w*5/32, h*2/5
		at := image.Pt(fx-int(float64(box.Min.X)*k), fy-int(float64(box.Min.Y)*k))
		draw.Draw(canvas, small.Bounds().Add(at), small, image.Point{}, draw.Src)
		boxes = append(boxes, image.Rect(int(float64(box.Min.X)*k), int(float64(box.Min.Y)*k), int(float64(box.Max.X)*k), int(float64(box.Max.Y)*k)).Add(at))
	}
	return canvas, boxes
}

// TestFindCopyFindsSmallFacesInLargePhoto: three faces of 1/16 of a large
// photo's long side are found (each boxed on its face, confident), with
// the stage's finer copy at hand; the first pass alone sees none
// confidently.
func TestFindCopyFindsSmallFacesInLargePhoto(t *testing.T) {
	t.Parallel()
	full, boxes := groupScene(t, 1600, 1200)
	img := scaledCopy(full, 416, 312)
	k := 416.0 / 1600
	ds := FindCopy(img, full)
	for i, want := range boxes {
		want = scaleRect(want, k)
		ok := false
		for _, d := range ds {
			c := d.Rect.Min.Add(d.Rect.Max).Div(2)
			if d.Score >= Confident && c.In(want) {
				ok = true
			}
		}
		if !ok {
			t.Errorf("face %d %v (in the copy) not found confidently: %v", i, want, ds)
		}
	}
	if n := len(People(ds)); n != 3 {
		t.Errorf("%d people, want 3: %v", n, ds)
	}
}

// TestFindCopyLooksNoCloserWithoutCause: the closer looks read the finer
// copy only around small faces or face-like spots; a portrait whose face
// the first pass finds, or a photo with nothing face-like, never reads it
// (here it cannot be read: reading panics).
func TestFindCopyLooksNoCloserWithoutCause(t *testing.T) {
	t.Parallel()
	portrait := loadPhoto(t, facePhotos[1].Name)
	b := portrait.Bounds()
	blank := image.NewRGBA(image.Rect(0, 0, 416, 312))
	draw.Draw(blank, blank.Bounds(), image.NewUniform(color.RGBA{90, 140, 200, 255}), image.Point{}, draw.Src)
	for name, img := range map[string]image.Image{"portrait": scaledCopy(portrait, b.Dx()*416/b.Dy(), 416), "blank": blank} {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s: the finer copy was read: %v", name, r)
				}
			}()
			FindCopy(img, panicImage{image.Rect(0, 0, 4*img.Bounds().Dx(), 4*img.Bounds().Dy())})
		}()
	}
}

// TestFindFaceTurned30Degrees: a close-up whose head is turned 30 degrees
// in the picture (the first pass gives it 0.34, under Confident) is found
// by the pose looks, which see the first pass's large weak box turned
// upright.
func TestFindFaceTurned30Degrees(t *testing.T) {
	t.Parallel()
	ph := facePhotos[0]
	closeUp := imaging.Crop(loadPhoto(t, ph.Name), ph.Box.Inset(-ph.Box.Dx()/2)) // centred on the face
	img := imaging.Rotate(closeUp, 30, color.NRGBA{128, 128, 128, 255})
	ds := Find(img)
	if len(ds) == 0 || ds[0].Score < Confident {
		t.Fatalf("no confident face: %v", ds)
	}
	b := img.Bounds()
	c, want := ds[0].Rect.Min.Add(ds[0].Rect.Max).Div(2), b.Min.Add(b.Max).Div(2)
	if d := c.Sub(want); max(d.X, -d.X, d.Y, -d.Y) > ph.Box.Dx()/4 {
		t.Errorf("best face %v is centred at %v, the turned face at %v", ds[0].Rect, c, want)
	}
}
