package imageprep

import (
	"image"

	"headshot/imageprep/face"
)

// faceFinder is how a Preparer calls its detector: img is an upright copy
// of the photo detectSide long (or the photo, if smaller), full the stage's
// decode of the photo (finer than img, at most the photo's own size), which
// the detector looks at more closely only where it needs to.
type faceFinder func(img, full image.Image) []Face

// findFaces is the default detector: the convolutional detector of package
// face (face.FindCopy, which looks again for small faces: in a small photo
// at twice its size, in a large one around what its first pass saw), with
// its calibrated scores.
func findFaces(img, full image.Image) []Face {
	dets := face.FindCopy(img, full)
	out := make([]Face, len(dets))
	for i, d := range dets {
		out[i] = Face{Rect: d.Rect, Score: d.Score}
	}
	return out
}

// asFinder adapts a caller's FaceDetector, which is not told the photo's
// size (nil stays nil: no detection).
func asFinder(d FaceDetector) faceFinder {
	if d == nil {
		return nil
	}
	return func(img, _ image.Image) []Face { return d(img) }
}

// detectSide is the long side of the copy faces are looked for in: the
// detector's own input size, so it shrinks nothing itself.
const detectSide = face.FindInput
