package imageprep

import (
	"fmt"
	"image"
)

// The review gate. A photo that could embarrass a person on every
// platform at once is held for a human: these thresholds say when. All
// sizes are in the oriented SOURCE image's pixels (what the 600x600 is made
// from), not in the output's. README.md ("What is held for review") lists
// them for technicians; review_test.go has one test per threshold.
const (
	// MinSourceSide: a source under this on either side is not a photo
	// (a 1x1 placeholder, an icon) and is refused outright, like a
	// corrupt file.
	MinSourceSide = 64
	// MinCropSide: a crop square under this would be blown up more than
	// 4.7x to 600x600; such a source is refused outright. Automatic and
	// manual crops are never made smaller than this (ClampCrop), so only a
	// source whose short side is under it is refused.
	MinCropSide = 128
	// MinFaceConfidence: a face found with less confidence than this is as
	// likely wrong (a pattern on a dress) as right: review.
	MinFaceConfidence = 0.5
	// ReviewFaceSide: a framed face box narrower than this (a 600x600 made
	// from a 40 px face is not a profile photo): review.
	ReviewFaceSide = 64
	// ReviewCropSide: a crop square under this is enlarged more than 3x:
	// visibly soft, review.
	ReviewCropSide = 200
	// UpscaledBelow: the "upscaled" note (not a review reason) is shown
	// only for crop squares under this, i.e. enlarged more than 1.5x; a
	// crop a little under 600 px looks the same after enlarging.
	UpscaledBelow = 400
	// FaceInsideShare: a smart or centre crop that keeps less than this
	// share of the face box's area cuts the person's face off: review.
	FaceInsideShare = 0.6
)

// Flags the review gate adds (review reasons, with FlagNoFace,
// FlagManyFaces, FlagDark and FlagBlurry).
const (
	FlagLowConfidence Flag = "low-confidence" // the framed face's confidence is under MinFaceConfidence
	FlagSmallFace     Flag = "small-face"     // the framed face is under ReviewFaceSide source pixels
	FlagSmallCrop     Flag = "small-crop"     // the crop square is under ReviewCropSide source pixels
	FlagFaceCut       Flag = "face-cut"       // a smart or centre crop keeps under FaceInsideShare of the face
)

// reviewFlags are the flags that hold a photo for review; the others
// (upscaled) are notes.
var reviewFlags = []Flag{FlagNoFace, FlagLowConfidence, FlagManyFaces, FlagFaceCut, FlagSmallFace, FlagSmallCrop, FlagDark, FlagBlurry}

// IsReview reports whether f holds a photo for review.
func (f Flag) IsReview() bool {
	for _, g := range reviewFlags {
		if f == g {
			return true
		}
	}
	return false
}

// NeedsReview reports whether the photo must be approved by a human
// before it is sent.
func (r *Result) NeedsReview() bool {
	for _, f := range r.Flags {
		if f.IsReview() {
			return true
		}
	}
	return false
}

// Review is why the photo needs a human's look, one short phrase per
// reason (empty when it does not), in the order of reviewFlags.
func (r *Result) Review() []string {
	var out []string
	for _, f := range reviewFlags {
		if r.Has(f) {
			out = append(out, r.reasonText(f))
		}
	}
	return out
}

// reasonText is one review reason in words, with the measured figure.
func (r *Result) reasonText(f Flag) string {
	switch f {
	case FlagNoFace:
		return "no face found"
	case FlagLowConfidence:
		return fmt.Sprintf("face confidence %.0f%% (under %.0f%%)", r.FaceScore*100, MinFaceConfidence*100)
	case FlagManyFaces:
		return fmt.Sprintf("%d faces", max(r.FaceCount, 2))
	case FlagFaceCut:
		return fmt.Sprintf("the %s crop cuts the face off", r.Method)
	case FlagSmallFace:
		return fmt.Sprintf("face only %d px (under %d)", max(r.Face.Dx(), r.Face.Dy()), ReviewFaceSide)
	case FlagSmallCrop:
		return fmt.Sprintf("crop only %d px (under %d)", r.Crop.Dx(), ReviewCropSide)
	case FlagDark:
		return "very dark"
	case FlagBlurry:
		return "blurry"
	}
	return string(f)
}

// checkSize refuses a source too small to be a photo.
func checkSize(src Source) error {
	w, h := src.Width, src.Height
	if w < MinSourceSide || h < MinSourceSide {
		return &Error{Path: src.Path, Kind: KindTooSmall,
			Detail: fmt.Sprintf("%dx%d px is not a photo (want at least %d px on each side)", w, h, MinSourceSide)}
	}
	if s := min(w, h); s < MinCropSide {
		return &Error{Path: src.Path, Kind: KindTooSmall,
			Detail: fmt.Sprintf("%dx%d px: the largest square is %d px, under %d px", w, h, s, MinCropSide)}
	}
	return nil
}

// sizeFlags are the review flags and notes that follow from the crop and
// the main face (the framed one, or the one a smart or centre crop was
// checked against; zero rectangle: none).
func sizeFlags(crop, face image.Rectangle, faceScore float64) []Flag {
	var flags []Flag
	if !face.Empty() {
		// The framed face, or the main face under a smart or centre crop.
		if faceScore < MinFaceConfidence {
			flags = append(flags, FlagLowConfidence)
		}
		if max(face.Dx(), face.Dy()) < ReviewFaceSide {
			flags = append(flags, FlagSmallFace)
		}
	}
	if crop.Dx() < ReviewCropSide {
		flags = append(flags, FlagSmallCrop)
	}
	if crop.Dx() < UpscaledBelow {
		flags = append(flags, FlagUpscaled)
	}
	return flags
}
