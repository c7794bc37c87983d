package face

import (
	"image"
	"testing"

	"github.com/disintegration/imaging"
)

func TestFindConfidentFaceInPhotos(t *testing.T) {
	t.Parallel()
	for _, ph := range facePhotos {
		t.Run(ph.name, func(t *testing.T) {
			ds := Find(loadPhoto(t, ph.name))
			if len(ds) == 0 || ds[0].Score < Confident {
				t.Fatalf("no confident face: %v", ds)
			}
			c := ds[0].Rect.Min.Add(ds[0].Rect.Max).Div(2)
			if !c.In(ph.box) {
				t.Errorf("best face %v is not centred on %v", ds[0].Rect, ph.box)
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
	img := imaging.Crop(loadPhoto(t, ph.name), ph.box.Inset(-ph.box.Dx()/4))
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
	p := loadPhoto(t, facePhotos[0].name)
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
