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
		dets := face.Detect(img)
		out := make([]Face, len(dets))
		for i, d := range dets {
			out[i] = Face{Rect: d.Rect, Score: d.Score}
		}
		return out
	}
}
