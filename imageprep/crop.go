package imageprep

import (
	"image"
	"math"
)

// Face is one face a detector found, in the coordinates of the image it
// was given.
type Face struct {
	Rect  image.Rectangle
	Score float64 // 0..1
}

// FaceDetector finds faces in an upright image.
type FaceDetector func(img image.Image) []Face

// DetectFaces is the detector Prepare uses for MethodFace. It is set to the
// face package's detector when that package is linked in (facewire.go);
// nil means no detector, and face crops fall back to the smart crop.
var DetectFaces FaceDetector

// minCropSide is the smallest crop ClampCrop and ZoomCrop produce.
const minCropSide = 16

// ClampCrop makes r a square inside a w x h image: the side is r's longer
// side (at least minCropSide, at most the image's short side), centred on
// r's centre, then shifted inside the image.
func ClampCrop(r image.Rectangle, w, h int) image.Rectangle {
	if w <= 0 || h <= 0 {
		return image.Rectangle{}
	}
	r = r.Canon()
	side := max(r.Dx(), r.Dy(), minCropSide)
	side = min(side, w, h)
	cx2 := r.Min.X + r.Max.X // twice the centre, to keep halves exact
	cy2 := r.Min.Y + r.Max.Y
	x := (cx2 - side) / 2
	y := (cy2 - side) / 2
	x = min(max(x, 0), w-side)
	y = min(max(y, 0), h-side)
	return image.Rect(x, y, x+side, y+side)
}

// NudgeCrop moves r by (dx, dy) and keeps it a square inside the image.
func NudgeCrop(r image.Rectangle, dx, dy, w, h int) image.Rectangle {
	return ClampCrop(ClampCrop(r, w, h).Add(image.Pt(dx, dy)), w, h)
}

// ZoomCrop zooms about r's centre: factor > 1 zooms in (a smaller square),
// factor < 1 zooms out. The result is a square inside the image.
func ZoomCrop(r image.Rectangle, factor float64, w, h int) image.Rectangle {
	r = ClampCrop(r, w, h)
	if factor <= 0 || math.IsNaN(factor) || math.IsInf(factor, 0) {
		return r
	}
	side := int(math.Round(float64(r.Dx()) / factor))
	side = max(side, minCropSide)
	c := r.Min.Add(r.Max)
	half := image.Pt(side, side)
	return ClampCrop(image.Rectangle{Min: c.Sub(half).Div(2), Max: c.Add(half).Div(2)}, w, h)
}

// CenterCrop is the largest square in the middle of a w x h image.
func CenterCrop(w, h int) image.Rectangle {
	return ClampCrop(image.Rect(0, 0, w, h), w, h)
}

// Profile-photo framing. Cascade detectors box the inner face (brows to
// mouth, temple to temple), which is about 0.7 of the head: at this
// fraction of the square the head takes about half of it (0.42 cut the
// hair off on real portraits). The box's centre sits this far down the
// square, which puts the eyes (about 30% down the box) above the middle
// and leaves the hair a little headroom.
const (
	faceWidthFraction = 0.33
	faceCentreDown    = 0.50
)

// FrameFace is the profile-photo square around face f in a w x h image:
// face box a little under half the side (the head about half), a little
// headroom, eyes above the middle; clamped to the image (shifted, then shrunk if the image is too
// small). clamped reports whether the ideal square did not fit.
func FrameFace(f image.Rectangle, w, h int) (crop image.Rectangle, clamped bool) {
	fw := float64(max(f.Dx(), f.Dy()))
	side := int(math.Round(fw / faceWidthFraction))
	cx := float64(f.Min.X+f.Max.X) / 2
	cy := float64(f.Min.Y+f.Max.Y) / 2
	x := int(math.Round(cx - float64(side)/2))
	y := int(math.Round(cy - faceCentreDown*float64(side)))
	ideal := image.Rect(x, y, x+side, y+side)
	if side <= min(w, h) {
		crop = ClampCrop(ideal, w, h)
	} else {
		// Too big: shrink to the short side, keeping the face as centred
		// as the image allows.
		s := min(w, h)
		x = int(math.Round(cx - float64(s)/2))
		y = int(math.Round(cy - faceCentreDown*float64(s)))
		crop = ClampCrop(image.Rect(x, y, x+s, y+s), w, h)
	}
	return crop, crop != ideal
}

// scaleRect maps a rectangle by factor s (decoded -> source coordinates).
func scaleRect(r image.Rectangle, s float64) image.Rectangle {
	return image.Rect(
		int(math.Round(float64(r.Min.X)*s)), int(math.Round(float64(r.Min.Y)*s)),
		int(math.Round(float64(r.Max.X)*s)), int(math.Round(float64(r.Max.Y)*s)))
}

// pickFace chooses the face to frame: the largest, weighted by confidence.
func pickFace(faces []Face) Face {
	best, bestV := faces[0], -1.0
	for _, f := range faces {
		a := float64(f.Rect.Dx() * f.Rect.Dy())
		v := a * (0.5 + 0.5*clamp01(f.Score))
		if v > bestV {
			best, bestV = f, v
		}
	}
	return best
}

// significantFaces keeps the faces worth counting as people: confident
// enough and not tiny next to the biggest (a face in a poster behind).
func significantFaces(faces []Face) []Face {
	maxW := 0
	for _, f := range faces {
		maxW = max(maxW, f.Rect.Dx())
	}
	var out []Face
	for _, f := range faces {
		if f.Rect.Empty() || f.Score < 0.2 {
			continue
		}
		if float64(f.Rect.Dx()) < 0.4*float64(maxW) {
			continue
		}
		out = append(out, f)
	}
	return out
}

func clamp01(v float64) float64 {
	if math.IsNaN(v) {
		return 0
	}
	return math.Min(1, math.Max(0, v))
}
