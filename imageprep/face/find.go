package face

import (
	"image"
	"image/color"
	"image/draw"

	"github.com/disintegration/imaging"

	"headshot/imageprep/face/tinyface"
)

// Find finds the faces in an upright photo with the convolutional
// detector (package tinyface), best first. Score is calibrated on the
// evaluation set (imageprep/face/eval): at Confident (0.5) and above a
// detection was a real face; below, it may not be. Weak detections are
// reported too, so a caller can tell a group photo from a portrait even
// when the second face is faint.
//
// Two passes: the photo as a whole at the network's input size, then, when
// no confident face was found, the photo in a grey frame twice its size, so
// a face filling a close-up (larger than the network's biggest anchor) is
// found too.
func Find(img image.Image) []Detection {
	if img == nil || img.Bounds().Empty() {
		return nil
	}
	net := tinyface.Default()
	b := img.Bounds()
	long := max(b.Dx(), b.Dy())
	work, k := img, 1.0
	if long > FindInput {
		k = float64(long) / float64(FindInput)
		work = imaging.Resize(img, max(1, int(float64(b.Dx())/k+0.5)), max(1, int(float64(b.Dy())/k+0.5)), imaging.Box)
	}
	boxes, _ := net.Detect(work, tinyface.Options{InputSize: FindInput, MinScore: minRawScore, Unpadded: true})
	out := checkPlausible(img, mergeDetections(nil, toDetections(boxes, k, image.Point{}, b)))
	if len(out) > 0 && out[0].Score >= Confident {
		return out
	}
	// Close-up pass: the photo centred in a grey square twice its long side.
	wb := work.Bounds()
	pad := max(wb.Dx(), wb.Dy()) / 2
	framed := image.NewRGBA(image.Rect(0, 0, wb.Dx()+2*pad, wb.Dy()+2*pad))
	draw.Draw(framed, framed.Bounds(), image.NewUniform(color.Gray{128}), image.Point{}, draw.Src)
	draw.Draw(framed, wb.Sub(wb.Min).Add(image.Pt(pad, pad)), work, wb.Min, draw.Src)
	boxes, _ = net.Detect(framed, tinyface.Options{InputSize: closeUpInput, MinScore: minRawScore})
	more := checkPlausible(img, toDetections(boxes, k, image.Pt(pad, pad), b))
	return mergeDetections(out, more)
}

// sameFace says whether two boxes are one face seen twice: overlapping
// much, or either's centre inside the other (a close-up is often boxed
// once whole and once around its lower half).
func sameFace(a, b image.Rectangle) bool {
	ca, cb := a.Min.Add(a.Max).Div(2), b.Min.Add(b.Max).Div(2)
	return iou(a, b) > 0.3 || ca.In(b) || cb.In(a)
}

// FindInput is the long side Find works at: larger photos are shrunk to
// it first (callers with a faster shrink can hand over a copy this size).
// The whole photo at 416 finds faces down to about 1/20 of its long side.
const FindInput = 416

// The close-up pass's input (a multiple of 32) looks for faces at least a
// third of the frame; raw network scores under minRawScore are dropped.
const (
	closeUpInput = 224
	minRawScore  = 0.15
)

// toDetections maps boxes found in a working copy (scaled down by k, offset
// by off) to the photo's coordinates with calibrated scores.
func toDetections(boxes []tinyface.Box, k float64, off image.Point, bounds image.Rectangle) []Detection {
	var out []Detection
	for _, bx := range boxes {
		bx.X = (bx.X - float64(off.X)) * k
		bx.Y = (bx.Y - float64(off.Y)) * k
		bx.W *= k
		bx.H *= k
		r := bx.Rect(bounds)
		if r.Empty() {
			continue
		}
		out = append(out, Detection{Rect: r, Score: calibrate(bx.Score)})
	}
	return out
}

// calibrate maps the network's objectness to a confidence where 0.5
// separates right from wrong on the evaluation set: piecewise linear, raw
// rawConfident to 0.5. `go run ./imageprep/face/eval -scores` prints the
// split it was fitted to (2026-12, 98 photos): at raw 0.30, 75 of 81 real
// faces and 5 of 21 wrong detections (a mask, a line drawing, a mandrill,
// two boxes between faces) score above; the fewest errors of any
// threshold (0.25: 13, 0.35: 14, 0.50: 15).
func calibrate(raw float64) float64 {
	if raw < rawConfident {
		return Confident * raw / rawConfident
	}
	return Confident + (1-Confident)*(raw-rawConfident)/(1-rawConfident)
}

// rawConfident is the network score calibrated to Confident.
const rawConfident = 0.30

// mergeDetections adds the detections of b (best first) that are not a
// face already in a or earlier in b; the result is best first.
func mergeDetections(a, b []Detection) []Detection {
	out := append([]Detection(nil), a...)
	b = append([]Detection(nil), b...)
	sortDetections(b)
	for _, d := range b {
		dup := false
		for _, e := range out {
			if sameFace(d.Rect, e.Rect) {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, d)
		}
	}
	sortDetections(out)
	return out
}

// iou is the intersection over union of two rectangles.
func iou(a, b image.Rectangle) float64 {
	in := a.Intersect(b)
	if in.Empty() {
		return 0
	}
	ia := float64(in.Dx() * in.Dy())
	return ia / (float64(a.Dx()*a.Dy()+b.Dx()*b.Dy()) - ia)
}

// WeakFace is the Score from which a detection counts as a person when
// telling a group photo from a portrait: a faint second face still means a
// second person, though it is not enough to frame on without review.
const WeakFace = 0.35

// People keeps the detections that count as people: scoring WeakFace or
// more and at least 0.4 as wide as the widest (not a face on a poster
// behind), best first.
func People(ds []Detection) []Detection {
	maxW := 0
	for _, d := range ds {
		if d.Score >= WeakFace {
			maxW = max(maxW, d.Rect.Dx())
		}
	}
	var out []Detection
	for _, d := range ds {
		if d.Score >= WeakFace && !d.Rect.Empty() && float64(d.Rect.Dx()) >= 0.4*float64(maxW) {
			out = append(out, d)
		}
	}
	return out
}
