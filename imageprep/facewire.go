package imageprep

import (
	"image"

	"headshot/imageprep/face"
)

// The real face detector: a pure-Go evaluator of OpenCV's LBP frontal-face
// cascade (package face). Tests replace DetectFaces with fakes for
// determinism.
func init() {
	DetectFaces = func(img image.Image) []Face {
		// Callers hand over copies already at their working size (up to
		// the finest detectSides entry): detect at that size.
		dets := face.Default().Detect(img, face.Params{MaxSide: detectSides[len(detectSides)-1]})
		out := make([]Face, len(dets))
		for i, d := range dets {
			out[i] = Face{Rect: d.Rect, Score: d.Score}
		}
		return out
	}
}
