package imageprep

import (
	"image"

	"headshot/imageprep/face"
)

// findFaces is the default FaceDetector: the convolutional detector of
// package face (face.Find), with its calibrated scores.
func findFaces(img image.Image) []Face {
	dets := face.Find(img)
	out := make([]Face, len(dets))
	for i, d := range dets {
		out[i] = Face{Rect: d.Rect, Score: d.Score}
	}
	return out
}

// detectSide is the long side of the copy faces are looked for in: the
// detector's own input size, so it shrinks nothing itself.
const detectSide = face.FindInput
