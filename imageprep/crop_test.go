package imageprep

import (
	"image"
	"testing"
)

func square(r image.Rectangle) bool { return r.Dx() == r.Dy() }

func TestClampCrop(t *testing.T) {
	for _, c := range []struct {
		in   image.Rectangle
		w, h int
		want image.Rectangle
	}{
		{image.Rect(10, 10, 110, 110), 400, 300, image.Rect(10, 10, 110, 110)},
		{image.Rect(-50, -20, 50, 80), 400, 300, image.Rect(0, 0, 100, 100)},       // shifted in
		{image.Rect(350, 250, 450, 350), 400, 300, image.Rect(300, 200, 400, 300)}, // shifted in
		{image.Rect(0, 0, 1000, 1000), 400, 300, image.Rect(100, 0, 400, 300)},     // shrunk about its centre, shifted in
		{image.Rect(100, 100, 200, 150), 400, 300, image.Rect(100, 75, 200, 175)},  // made square
		{image.Rect(5, 5, 6, 6), 400, 300, image.Rect(0, 0, 16, 16)},               // minimum side
	} {
		got := ClampCrop(c.in, c.w, c.h)
		if got != c.want || !square(got) {
			t.Errorf("ClampCrop(%v, %d, %d) = %v, want %v", c.in, c.w, c.h, got, c.want)
		}
	}
}

func TestNudgeAndZoom(t *testing.T) {
	r := image.Rect(100, 100, 200, 200)
	if got := NudgeCrop(r, 30, -20, 400, 300); got != image.Rect(130, 80, 230, 180) {
		t.Errorf("nudge: %v", got)
	}
	if got := NudgeCrop(r, 1000, 1000, 400, 300); got != image.Rect(300, 200, 400, 300) {
		t.Errorf("nudge past the corner: %v", got)
	}
	if got := ZoomCrop(r, 2, 400, 300); got != image.Rect(125, 125, 175, 175) {
		t.Errorf("zoom in: %v", got)
	}
	if got := ZoomCrop(r, 0.5, 400, 300); got != image.Rect(50, 50, 250, 250) {
		t.Errorf("zoom out: %v", got)
	}
	if got := ZoomCrop(r, 0.01, 400, 300); got != image.Rect(0, 0, 300, 300) {
		t.Errorf("zoom out past the image: %v", got)
	}
	if got := ZoomCrop(r, 0, 400, 300); got != r {
		t.Errorf("zoom 0 should keep the crop: %v", got)
	}
}

func TestFrameFace(t *testing.T) {
	// Plenty of room: side 1/0.33 of the face, face centred horizontally,
	// eyes (30% down the box) above the middle, headroom above the box.
	f := image.Rect(400, 300, 500, 400)
	c, clamped := FrameFace(f, 2000, 2000)
	if clamped || c.Dx() != 303 || !square(c) || (c.Min.X+c.Max.X)/2 != 450 {
		t.Errorf("frame %v clamped %v", c, clamped)
	}
	if mid := (c.Min.Y + c.Max.Y) / 2; mid <= 330 {
		t.Errorf("eyes at 330 should be above the crop middle %d", mid)
	}
	if f.Min.Y-c.Min.Y < 50 {
		t.Errorf("headroom %d px above a 100 px face", f.Min.Y-c.Min.Y)
	}
	// Face at the top-left corner: shifted inside.
	c, clamped = FrameFace(image.Rect(0, 0, 100, 100), 1000, 800)
	if !clamped || c.Min != (image.Point{}) || c.Dx() != 303 {
		t.Errorf("corner: %v %v", c, clamped)
	}
	// Face filling the frame: shrunk to the short side.
	c, _ = FrameFace(image.Rect(100, 50, 500, 450), 600, 500)
	if c.Dx() != 500 || !c.In(image.Rect(0, 0, 600, 500)) {
		t.Errorf("big face: %v", c)
	}
}

// TestFrameFaceKeepsCrownWhenBoundedByShortSide: a big face in a tall
// photo whose width bounds the square; the photo has room above the face,
// so the square must keep it.
func TestFrameFaceKeepsCrownWhenBoundedByShortSide(t *testing.T) {
	face := image.Rect(150, 500, 450, 900) // 300 wide, 400 tall, in 600x1600
	crop, clamped := FrameFace(face, 600, 1600)
	if crop.Dx() != 600 || !clamped {
		t.Fatalf("crop %v (clamped %v), want the 600 px short side", crop, clamped)
	}
	if crop.Min.Y > face.Min.Y-face.Dy()/3 {
		t.Errorf("crop %v cuts the crown: starts %d px above the face box, want >= %d", crop, face.Min.Y-crop.Min.Y, face.Dy()/3)
	}
	if crop.Max.Y < face.Max.Y {
		t.Errorf("crop %v cuts the chin (face ends at %d)", crop, face.Max.Y)
	}
}
