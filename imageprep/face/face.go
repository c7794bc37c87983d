// Package face finds the faces in a photograph and says how far to trust
// each one, for framing a headshot and for flagging photos a person must
// look at.
//
// Find (and FindCopy, for a caller that already has a shrunk copy) runs
// the convolutional TinyFaceDetector of package tinyface: the whole photo
// at FindInput px; if that finds no confident face, the photo in a grey
// frame for a face filling a close-up, and a large face the first pass
// half saw looked at again mirrored and turned (profiles, three-quarter
// views, tilted heads); then a finer look for small faces,
// only where it can pay: a small colour photo at twice its size, or, in a
// large one, closer looks around what the first pass saw small (see Find).
//
// Every Detection has a Score in 0..1 calibrated on the evaluation set
// (imageprep/face/eval): at Confident (0.5) and above a detection was a
// real face, below it may not be and the photo is held for review. A box
// that is implausible as a face (one bright colourless tone, like paper;
// a mask's plastic hue; a one-tone animal face) is capped under Confident
// by the plausibility checks, but still counts as a person. People keeps
// the detections that count as people (WeakFace and up, not much smaller
// than the widest), so a group photo is told from a portrait even when
// the second face is faint.
//
// Typical use:
//
//	ds := face.Find(img) // best first
//	if len(ds) > 0 && ds[0].Score >= face.Confident {
//		// frame ds[0].Rect; len(face.People(ds)) > 1 means several people
//	} else {
//		// no trustworthy face: fall back to a saliency crop, hold for review
//	}
//
// The LBP cascade headshot used before lives in imageprep/face/lbp, kept
// only as the evaluation's baseline; the product does not import it.
package face

import (
	"image"
	"sort"
)

// Confident is the Score from which a detection can be trusted without a
// human looking at it (see calibrate).
const Confident = 0.5

// Detection is one face: Rect in the input image's coordinates and a Score
// in 0..1 (see Confident).
type Detection struct {
	Rect  image.Rectangle
	Score float64
}

// sortDetections orders detections best first: highest Score, then
// largest.
func sortDetections(out []Detection) {
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].Rect.Dx()*out[i].Rect.Dy() > out[j].Rect.Dx()*out[j].Rect.Dy()
	})
}
