package imageprep

import (
	"image"

	"headshot/imageprep/face"
)

// faceFinder is how a Preparer calls its detector: img is the upright
// photo or a shrunk copy of it, photoLong the photo's own long side.
type faceFinder func(img image.Image, photoLong int) []Face

// findFaces is the default detector: the convolutional detector of package
// face (face.FindCopy, which looks again for small faces in small photos),
// with its calibrated scores.
func findFaces(img image.Image, photoLong int) []Face {
	dets := face.FindCopy(img, photoLong)
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
	return func(img image.Image, _ int) []Face { return d(img) }
}

// detectImage is the image faces are looked for in: the stage image
// itself when it is a small photo at full size (face.SmallPhotoSide: the
// detector's small-face pass needs every pixel, and shrinking it would
// save little), else a copy detectSide long.
func (st *stage) detectImage() image.Image {
	if st.scale == 1 && max(st.src.Width, st.src.Height) <= face.SmallPhotoSide {
		return st.img
	}
	return shrinkTo(st.img, detectSide)
}

// detectSide is the long side of the copy faces are looked for in: the
// detector's own input size, so it shrinks nothing itself.
const detectSide = face.FindInput
