package face

import (
	"image"
	"image/color"
	"image/draw"
	"math"

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
// img is the photo at its own resolution; FindCopy takes a shrunk copy.
// Up to three passes, each only when the ones before found no confident
// face:
//
//  1. the photo as a whole at FindInput (416) px: faces from about a
//     tenth of the photo's long side (40 px at the network's input);
//  2. the photo in a grey frame twice its size (224 px input): a face
//     filling a close-up, larger than the network's biggest anchor;
//  3. for a small colour photo only (long side at most SmallPhotoSide), the photo
//     at twice its size, at most fineInput (832) px: faces from about
//     1/21 of the long side, which is 24 px in a photo up to 500 px long
//     and 31 px at 640 px (the eval's 26 px faces on 480 px photos: 8 of
//     8). Bounded so it never runs on a large photo (a 12 MP photo without
//     a face costs what it did) and costs at most about four first passes.
func Find(img image.Image) []Detection {
	if img == nil || img.Bounds().Empty() {
		return nil
	}
	var full image.Image
	if b := img.Bounds(); max(b.Dx(), b.Dy()) <= SmallPhotoSide {
		full = img
	}
	return FindCopy(img, full)
}

// FindCopy is Find for img, an upright copy of a photo shrunk for the
// first passes (boxes are in img's coordinates), and full, the photo
// itself when it is at most SmallPhotoSide long (nil otherwise): the
// small-face pass needs the photo's own pixels and runs on full only.
func FindCopy(img, full image.Image) []Detection {
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
	out := checkPlausible(img, mergeDetections(nil, toDetections(boxes, k, image.Point{}, b)), false)
	if confident(out) {
		return out
	}
	// Close-up pass: the photo centred in a grey square twice its long side.
	wb := work.Bounds()
	pad := max(wb.Dx(), wb.Dy()) / 2
	framed := image.NewRGBA(image.Rect(0, 0, wb.Dx()+2*pad, wb.Dy()+2*pad))
	draw.Draw(framed, framed.Bounds(), image.NewUniform(color.Gray{128}), image.Point{}, draw.Src)
	draw.Draw(framed, wb.Sub(wb.Min).Add(image.Pt(pad, pad)), work, wb.Min, draw.Src)
	boxes, _ = net.Detect(framed, tinyface.Options{InputSize: closeUpInput, MinScore: minRawScore})
	out = mergeDetections(out, checkPlausible(img, toDetections(boxes, k, image.Pt(pad, pad), b), false))
	if confident(out) {
		return out
	}
	// Small-face pass, for small colour photos only (see Find): in a
	// greyscale photo its boxes are capped under Confident anyway (coins
	// pass for faces), so it would cost without ever framing a face.
	if _, grey := full.(*image.Gray); full == nil || grey || full.Bounds().Empty() {
		return out
	}
	fb := full.Bounds()
	if in := fineInputFor(max(fb.Dx(), fb.Dy())); in > 0 {
		boxes = detectFine(net, full, in)
		fine := checkPlausible(full, toDetections(boxes, 1, image.Point{}, fb), true)
		// In img's coordinates.
		kf := float64(long) / float64(max(fb.Dx(), fb.Dy()))
		for i := range fine {
			fine[i].Rect = scaleRect(fine[i].Rect.Sub(fb.Min), kf).Add(b.Min).Intersect(b)
		}
		out = mergeDetections(out, fine)
	}
	return out
}

// scaleRect multiplies r's corners by k, rounding outwards.
func scaleRect(r image.Rectangle, k float64) image.Rectangle {
	if k == 1 {
		return r
	}
	return image.Rect(int(math.Floor(float64(r.Min.X)*k)), int(math.Floor(float64(r.Min.Y)*k)),
		int(math.Ceil(float64(r.Max.X)*k)), int(math.Ceil(float64(r.Max.Y)*k)))
}

// finePasses lets one small-face pass run at a time in a process: its
// tensors (an 832 x 640 input: 6.4 MB, the first layer's output 8.5 MB)
// are the largest the detector makes, and several workers running it at
// once would add that much to peak memory per worker.
var finePasses = make(chan struct{}, 1)

// detectFine runs the small-face pass on full at input in, one at a time
// (finePasses); the turn is given up even if the pass panics.
func detectFine(net *tinyface.Net, full image.Image, in int) []tinyface.Box {
	finePasses <- struct{}{}
	defer func() { <-finePasses }()
	boxes, _ := net.Detect(full, tinyface.Options{InputSize: in, MinScore: minRawScore, Unpadded: true})
	return boxes
}

// confident says whether the best of ds (best first) is a confident face.
func confident(ds []Detection) bool { return len(ds) > 0 && ds[0].Score >= Confident }

// SmallPhotoSide is the long side (px) up to which a photo without a
// confident face is looked at again at twice its size for small faces
// (Find's third pass). Above it, the pass would cost more than the rest of
// a prepare; the smallest face found is then about a tenth of the long
// side (first pass).
const SmallPhotoSide = 640

// fineInput caps the small-face pass's network input: 832 x 640 for a 4:3
// photo, about four times the first pass's 416 x 320.
const fineInput = 832

// fineInputFor is the small-face pass's network input for a photo long
// px long: twice the photo, rounded up to the network's multiple of 32 and
// at most fineInput; 0 (no pass) when the photo is larger than
// SmallPhotoSide, or when the first pass already saw it at twice its size.
func fineInputFor(long int) int {
	if long > SmallPhotoSide {
		return 0
	}
	in := min(fineInput, (2*long+31)/32*32)
	if in <= FindInput { // FindInput is a multiple of 32: 2*long <= FindInput
		return 0
	}
	return in
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
// threshold (0.25: 13, 0.35: 14, 0.50: 15). On the extended set (109
// photos, with the plausibility checks and the small-face pass) Confident
// keeps 93 of 99 real faces and none of 29 wrong detections: 6 errors,
// against 8 at 0.45 and 11 at 0.55.
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
