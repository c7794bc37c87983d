package imageprep

import (
	"image"

	"headshot/imageprep/face"
)

// faceFinder is how a Preparer calls its detector: img is an upright copy
// of the photo detectSide long (or the photo, if smaller), full the photo
// itself when it is small enough for the detector's small-face pass (nil
// otherwise).
type faceFinder func(img, full image.Image) []Face

// findFaces is the default detector: the convolutional detector of package
// face (face.FindCopy, which looks again for small faces in small photos),
// with its calibrated scores.
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

// smallPhoto is the stage image when it is the whole photo at full size
// and at most face.SmallPhotoSide long (the detector's small-face pass
// needs its own pixels), else nil.
func (st *stage) smallPhoto() image.Image {
	if st.scale == 1 && max(st.src.Width, st.src.Height) <= face.SmallPhotoSide {
		return st.img
	}
	return nil
}

// detectSide is the long side of the copy faces are looked for in: the
// detector's own input size, so it shrinks nothing itself.
const detectSide = face.FindInput
