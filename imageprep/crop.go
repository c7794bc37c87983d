package imageprep

import (
	"image"
	"math"

	"headshot/imageprep/face"
)

// Face is one face a detector found, in the coordinates of the image it
// was given.
type Face struct {
	Rect  image.Rectangle
	Score float64 // 0..1
}

// FaceDetector finds faces in an upright image, best first, each with a
// calibrated Score (0.5 and above: a real face; see face.Find).
type FaceDetector func(img image.Image) []Face

// minCropSide is the smallest crop ClampCrop and ZoomCrop produce. The
// preparer widens any crop under MinCropSide to it (growCrop).
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

// growCrop widens a crop square under side to side about its centre,
// inside the w x h image.
func growCrop(r image.Rectangle, side, w, h int) image.Rectangle {
	if r.Dx() >= side {
		return r
	}
	c := r.Min.Add(r.Max)
	half := image.Pt(side, side)
	return ClampCrop(image.Rectangle{Min: c.Sub(half).Div(2), Max: c.Add(half).Div(2)}, w, h)
}

// CenterCrop is the largest square in the middle of a w x h image.
func CenterCrop(w, h int) image.Rectangle {
	return ClampCrop(image.Rect(0, 0, w, h), w, h)
}

// Profile-photo framing. The detector boxes the face from the brows or
// forehead to the chin; at this fraction of the square the head takes about
// half of it. The box's centre sits faceCentreDown of the way down, which
// puts the eyes above the middle. Whatever the square's size, crownRoom
// face heights above the box (the hair and crown) stay in it when the photo
// has them, and chinRoom below it.
const (
	faceWidthFraction = 0.33
	faceCentreDown    = 0.50
	crownRoom         = 0.5
	chinRoom          = 0.1
)

// FrameFace is the profile-photo square around face f in a w x h image:
// face box about a third of the side, eyes above the middle, clamped to the
// image (shifted, then shrunk to the short side if the image is too small).
// When the square is bounded by the short side, it is placed by the face
// box and the room above it, so the crown is never cut when the photo has
// room above the face. clamped reports whether the ideal square did not
// fit.
func FrameFace(f image.Rectangle, w, h int) (crop image.Rectangle, clamped bool) {
	fh := float64(f.Dy())
	fw := float64(max(f.Dx(), f.Dy()))
	side := int(math.Round(fw / faceWidthFraction))
	cx := float64(f.Min.X+f.Max.X) / 2
	cy := float64(f.Min.Y+f.Max.Y) / 2
	place := func(side int) image.Rectangle {
		x := int(math.Round(cx - float64(side)/2))
		y := int(math.Round(cy - faceCentreDown*float64(side)))
		y = min(y, f.Min.Y-int(math.Round(crownRoom*fh)))     // the crown in
		y = max(y, f.Max.Y+int(math.Round(chinRoom*fh))-side) // the chin in
		return image.Rect(x, y, x+side, y+side)
	}
	ideal := place(side)
	if side > min(w, h) {
		side = min(w, h)
	}
	crop = ClampCrop(place(side), w, h)
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

// significantFaces keeps the faces worth counting as people (face.People:
// a faint second face still counts, a face on a poster behind does not).
func significantFaces(faces []Face) []Face {
	ds := make([]face.Detection, len(faces))
	for i, f := range faces {
		ds[i] = face.Detection{Rect: f.Rect, Score: f.Score}
	}
	var out []Face
	for _, d := range face.People(ds) {
		out = append(out, Face{Rect: d.Rect, Score: d.Score})
	}
	return out
}

func clamp01(v float64) float64 {
	if math.IsNaN(v) {
		return 0
	}
	return math.Min(1, math.Max(0, v))
}
