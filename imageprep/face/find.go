package face

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"slices"

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
//     8). Bounded so it never runs on a large photo and costs at most
//     about four first passes, and only when the photo has a face-sized
//     patch of skin colour (hasSkinPatch): a small photo of sky, a board
//     or a logo skips it.
//
// Between the close-up pass and the third, when there is still no
// confident face but the first pass half saw a large one, that one is
// looked at again mirrored and turned ±25 degrees
// (lookAtPoses): profiles, three-quarter views, heads tilted up to about
// 30 degrees.
//
// A larger colour photo gets closer looks instead (refine), whenever the
// first pass saw only small faces or none: around the first pass's small
// candidates, then around the small faces found, at twice the first
// pass's resolution. They find faces from about 1/17 of the long side
// (240 px in a 12 MP photo; the eval's large group photos, faces 1/11 to
// 1/19: 23 of 24) and cost nothing on a portrait, on an ordinary group
// photo, or on a photo without anything face-like.
func Find(img image.Image) []Detection {
	if img == nil || img.Bounds().Empty() {
		return nil
	}
	return FindCopy(img, img)
}

// FindCopy is Find for img, an upright copy of a photo shrunk for the
// first passes (boxes are in img's coordinates), and full, the photo at a
// finer resolution (at most its own; nil when the caller has none):
//
//   - full at most SmallPhotoSide long: the small-face pass runs on it
//     (see Find);
//   - full larger: where the first pass saw only small faces or none, it
//     looks again at twice its resolution around them (refine).
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
	// One network pass gives the detections (minRawScore and up) and the
	// weak candidates refine looks at again (candidateScore and up).
	all, _ := net.Detect(work, tinyface.Options{InputSize: FindInput, MinScore: candidateScore, Unpadded: true})
	var boxes []tinyface.Box
	for _, bx := range all {
		if bx.Score > minRawScore {
			boxes = append(boxes, bx)
		}
	}
	out := checkPlausible(img, mergeDetections(nil, toDetections(boxes, k, image.Point{}, b)), false)
	if !confident(out) {
		// Close-up pass: the photo centred in a grey square twice its long side.
		wb := work.Bounds()
		pad := max(wb.Dx(), wb.Dy()) / 2
		framed := image.NewRGBA(image.Rect(0, 0, wb.Dx()+2*pad, wb.Dy()+2*pad))
		draw.Draw(framed, framed.Bounds(), image.NewUniform(color.Gray{128}), image.Point{}, draw.Src)
		draw.Draw(framed, wb.Sub(wb.Min).Add(image.Pt(pad, pad)), work, wb.Min, draw.Src)
		cb, _ := net.Detect(framed, tinyface.Options{InputSize: closeUpInput, MinScore: minRawScore})
		out = mergeDetections(out, checkPlausible(img, toDetections(cb, k, image.Pt(pad, pad), b), false))
	}
	if !confident(out) {
		out = lookAtPoses(net, work, img, out, all, k)
	}
	// The finer looks need the photo's colour: in a greyscale photo their
	// boxes are capped under Confident anyway (coins pass for faces), so
	// they would cost without ever framing a face.
	if _, grey := full.(*image.Gray); full == nil || grey || full.Bounds().Empty() {
		return out
	}
	fb := full.Bounds()
	if max(fb.Dx(), fb.Dy()) > SmallPhotoSide {
		return refine(net, img, full, out, all, k)
	}
	if confident(out) {
		return out
	}
	// Small-face pass, for small colour photos only (see Find), and only
	// when the photo has a patch of skin a small face could be.
	if in := fineInputFor(max(fb.Dx(), fb.Dy())); in > 0 && hasSkinPatch(full) {
		boxes = detectFine(net, full, in)
		fine := checkPlausible(full, toDetections(boxes, 1, image.Point{}, fb), true)
		out = mergeDetections(out, toImg(fine, fb, b))
	}
	return out
}

// The pose looks (see lookAtPoses).
const (
	// poseScore is the raw first-pass score from which a large weak box
	// is looked at again turned and mirrored; poseBox its least width, a
	// share of the first pass's long side.
	poseScore = 0.1
	poseBox   = 0.25
	// poseWindow is the window's side in box widths; poseInput the
	// network input each turned copy is seen at (0.38 first pass).
	poseWindow = 1.5
	poseInput  = 224
	// poseTilt is how far the window is turned each way (degrees).
	poseTilt = 25
)

// lookAtPoses looks again at the first pass's best large weak box (raw
// poseScore or more, at least poseBox of the long side wide: a face
// filling much of the photo that the network half saw) mirrored, then
// turned poseTilt degrees each way, until one finds a confident face. The
// network was trained on upright faces and is not symmetric: a profile, a
// three-quarter view or a head tilted 25-30 degrees that scores 0.12-0.19
// upright scores 0.38-0.99 mirrored or turned upright (the eval's misses:
// 5 of 5 such boxes). A photo without such a box costs nothing more (none
// of the 12 faceless 12 MP bench photos has one); one with it at most
// three looks of 0.38 first pass.
//
// work is img shrunk by k; all the first pass's boxes in work, best first.
func lookAtPoses(net *tinyface.Net, work, img image.Image, out []Detection, all []tinyface.Box, k float64) []Detection {
	wb := work.Bounds()
	var cand *tinyface.Box
	for i, bx := range all {
		if bx.Score >= poseScore && bx.W >= poseBox*float64(max(wb.Dx(), wb.Dy())) {
			cand = &all[i]
			break
		}
	}
	if cand == nil {
		return out
	}
	cx, cy, side := cand.X+cand.W/2, cand.Y+cand.H/2, poseWindow*max(cand.W, cand.H)
	w := image.Rect(int(cx-side/2), int(cy-side/2), int(cx+side/2), int(cy+side/2)).Add(wb.Min).Intersect(wb)
	if w.Dx() < 16 || w.Dy() < 16 {
		return out
	}
	win := imaging.Crop(work, w)
	ww, wh := float64(w.Dx()), float64(w.Dy())
	for _, deg := range []float64{0, -poseTilt, poseTilt} {
		var in *image.NRGBA
		if deg == 0 {
			in = imaging.FlipH(win)
		} else {
			in = imaging.Rotate(win, deg, color.NRGBA{128, 128, 128, 255})
		}
		boxes, _ := net.Detect(in, tinyface.Options{InputSize: poseInput, MinScore: minRawScore, Unpadded: true})
		ib := in.Bounds()
		a := deg * math.Pi / 180
		for i := range boxes {
			bx := &boxes[i]
			x, y := bx.X+bx.W/2, bx.Y+bx.H/2
			if deg == 0 {
				x = ww - x
			} else {
				// imaging.Rotate turns counter-clockwise about the centre.
				dx, dy := x-float64(ib.Dx())/2, y-float64(ib.Dy())/2
				x = dx*math.Cos(a) - dy*math.Sin(a) + ww/2
				y = dx*math.Sin(a) + dy*math.Cos(a) + wh/2
			}
			bx.X, bx.Y = x-bx.W/2+float64(w.Min.X-wb.Min.X), y-bx.H/2+float64(w.Min.Y-wb.Min.Y)
		}
		// A face seen better this way replaces the weak box it was.
		out = mergeDetections(checkPlausible(img, mergeDetections(nil, toDetections(boxes, k, image.Point{}, img.Bounds())), false), out)
		if confident(out) {
			break
		}
	}
	return out
}

// toImg maps detections in full's coordinates (fb) to img's (b), a copy
// of the same photo at another size.
func toImg(ds []Detection, fb, b image.Rectangle) []Detection {
	kf := float64(max(b.Dx(), b.Dy())) / float64(max(fb.Dx(), fb.Dy()))
	for i := range ds {
		ds[i].Rect = scaleRect(ds[i].Rect.Sub(fb.Min), kf).Add(b.Min).Intersect(b)
	}
	return ds
}

// Refining (large photos, see refine).
const (
	// candidateScore is the raw score from which a first-pass box is a
	// candidate for a second look.
	candidateScore = 0.05
	// smallBox is the widest first-pass box (network px at FindInput) a
	// second look is for: the network's smallest anchor boxes a face of a
	// tenth of the long side or less at 40-50 px.
	smallBox = FindInput / 8
	// maxRefine bounds the second looks per photo; each costs about
	// 0.6 first pass.
	maxRefine = 4
	// refineZoom is how much finer than the first pass a second look
	// sees: a face of 1/16 of the long side (26 px at FindInput) is 52 px.
	refineZoom = 2
	// windowBoxes is a window's side in candidate-box widths.
	windowBoxes = 2.5
)

// refine looks again at a large photo where the first pass saw small faces
// or none: for up to maxRefine candidates (first-pass boxes scoring
// candidateScore or more, at most smallBox wide, whose pixels could be a
// face (plausible), best first), the square windowBoxes times the box's width around it, cut
// from full and seen at refineZoom times the first pass's resolution. It
// runs only when no confident face is wider than smallBox, so a portrait
// or an ordinary group photo costs nothing more, and a photo without a
// face only its few face-like spots (none on most).
//
// all are the first pass's boxes in work coordinates (img shrunk by k).
func refine(net *tinyface.Net, img, full image.Image, out []Detection, all []tinyface.Box, k float64) []Detection {
	b, fb := img.Bounds(), full.Bounds()
	widest := 0.0 // the widest confident face, in work px
	for _, d := range out {
		if d.Score >= Confident {
			widest = max(widest, float64(d.Rect.Dx())/k)
		}
	}
	if widest > smallBox {
		return out
	}
	// From img's work coordinates to full's.
	kf := float64(max(fb.Dx(), fb.Dy())) / float64(max(b.Dx(), b.Dy())) * k
	var wins []image.Rectangle
	for _, bx := range all { // best first
		if len(wins) == maxRefine {
			break
		}
		if bx.W > smallBox || bx.W < 0.4*widest {
			continue
		}
		if ok, _ := judge(img, scaleRect(bx.Rect(image.Rect(0, 0, 1<<20, 1<<20)), k).Add(b.Min)); !ok {
			continue // fur, paint, paper: not worth a closer look
		}
		cx, cy, side := (bx.X+bx.W/2)*kf, (bx.Y+bx.H/2)*kf, windowBoxes*max(bx.W, bx.H)*kf
		w := image.Rect(int(cx-side/2), int(cy-side/2), int(cx+side/2), int(cy+side/2)).Add(fb.Min).Intersect(fb)
		covered := false
		for _, o := range wins {
			if in := o.Intersect(w); in.Dx()*in.Dy() >= w.Dx()*w.Dy()*2/3 {
				covered = true
				break
			}
		}
		if !covered && w.Dx() >= 8 && w.Dy() >= 8 {
			wins = append(wins, w)
		}
	}
	look := func(out []Detection, w image.Rectangle) []Detection {
		// w at refineZoom times the first pass's scale.
		side := float64(max(w.Dx(), w.Dy())) / kf * refineZoom
		in := min(maxRefineInput, max(64, (int(side)+31)/32*32))
		found := mergeDetections(nil, toImg(lookAt(net, full, w, in), fb, b))
		// What was boxed wholly inside w at a coarser scale, this look has
		// seen better: its boxes (or none) replace those.
		wi := toImg([]Detection{{Rect: w}}, fb, b)[0].Rect
		out = slices.DeleteFunc(out, func(d Detection) bool {
			return d.Rect.In(wi) && float64(d.Rect.Dx()) <= smallBox*k
		})
		return mergeDetections(found, out)
	}
	for _, w := range wins {
		out = look(out, w)
	}
	// Neighbours: where a small face was found, others of its size are
	// likely near it (a group photo) though the first pass gave no
	// candidate there. One look at the small faces' surroundings: their
	// bounding box widened by neighbourWidths face widths on each side and
	// neighbourHeights face heights above and below.
	var around image.Rectangle
	for _, d := range out {
		if d.Score >= Confident && float64(d.Rect.Dx()) <= smallFace*float64(max(b.Dx(), b.Dy())) {
			w, h := d.Rect.Dx(), d.Rect.Dy()
			around = around.Union(image.Rect(d.Rect.Min.X-neighbourWidths*w, d.Rect.Min.Y-neighbourHeights*h,
				d.Rect.Max.X+neighbourWidths*w, d.Rect.Max.Y+neighbourHeights*h))
		}
	}
	if around.Empty() || len(wins) == 0 {
		return out
	}
	around = around.Intersect(b).Sub(b.Min)
	kr := float64(max(fb.Dx(), fb.Dy())) / float64(max(b.Dx(), b.Dy())) // img px to full px
	out = dropStraddling(look(out, scaleRect(around, kr).Add(fb.Min).Intersect(fb)))
	return tighten(net, full, out, b, kr)
}

// tighten boxes a lone small face again, closer: at refineZoom the network
// boxes a face of 1/16 of the long side about 1.3 times its size (its
// smallest anchor is 51 x 67 px), which would frame the person loosely in
// a photo with room around them. One look at the face's surroundings
// (tightenBoxes times its box), seen so the box is tightenSide px, and the
// box found there replaces it. Only for one person (a group photo is held
// for review anyway): about 0.4 first pass.
func tighten(net *tinyface.Net, full image.Image, out []Detection, b image.Rectangle, kr float64) []Detection {
	people := People(out)
	if len(people) != 1 || people[0].Score < Confident {
		return out
	}
	f := people[0]
	fr := scaleRect(f.Rect.Sub(b.Min), kr).Add(full.Bounds().Min) // in full
	c, side := fr.Min.Add(fr.Max).Div(2), int(tightenBoxes*float64(max(fr.Dx(), fr.Dy())))
	w := image.Rect(c.X-side/2, c.Y-side/2, c.X+side/2, c.Y+side/2).Intersect(full.Bounds())
	if w.Dx() < 8 || w.Dy() < 8 {
		return out
	}
	in := (int(tightenSide*tightenBoxes) + 31) / 32 * 32
	for _, d := range lookAt(net, full, w, in) { // best first
		if d.Score >= Confident && d.Rect.Min.Add(d.Rect.Max).Div(2).In(fr) {
			d = toImg([]Detection{d}, full.Bounds(), b)[0]
			for i := range out {
				if out[i] == f {
					out[i] = d
				}
			}
			sortDetections(out)
			break
		}
	}
	return out
}

// The tightening look (see tighten).
const (
	tightenBoxes = 2.0
	tightenSide  = 112
)

// dropStraddling drops, from ds (best first), a box lying across two
// better ones, each covering a quarter of it or more: in a group photo the
// finer looks sometimes box the gap between two neighbours' faces too.
func dropStraddling(ds []Detection) []Detection {
	out := ds[:0:0]
	for i, d := range ds {
		n, area := 0, d.Rect.Dx()*d.Rect.Dy()
		for _, e := range ds[:i] {
			if in := d.Rect.Intersect(e.Rect); in.Dx()*in.Dy()*4 >= area {
				n++
			}
		}
		if n < 2 {
			out = append(out, d)
		}
	}
	return out
}

// The neighbour look (see refine).
const (
	// smallFace is the widest face (share of the photo's long side) whose
	// neighbours are looked for: the first pass finds faces wider.
	smallFace = 0.1
	// neighbourWidths and neighbourHeights widen the look around small
	// faces, in face widths and heights.
	neighbourWidths, neighbourHeights = 3, 1
	// maxRefineInput caps a look's network input (a whole 4:3 photo at
	// 832 x 640 costs about four first passes).
	maxRefineInput = 832
)

// lookAt runs the network on window w of full at input in and returns its
// plausible detections in full's coordinates, best first.
func lookAt(net *tinyface.Net, full image.Image, w image.Rectangle, in int) []Detection {
	long := max(w.Dx(), w.Dy())
	var crop image.Image
	s := 1.0 // full px per crop px
	if long > in+in/4 {
		// Shrink with an area filter: the network's own bilinear scaling
		// would alias a window several times its input.
		s = float64(long) / float64(in)
		crop = imaging.Resize(subImage(full, w), max(1, int(float64(w.Dx())/s+0.5)), max(1, int(float64(w.Dy())/s+0.5)), imaging.Box)
	} else {
		crop = imaging.Crop(full, w)
	}
	var boxes []tinyface.Box
	if in > FindInput {
		boxes = detectFine(net, crop, in)
	} else {
		boxes, _ = net.Detect(crop, tinyface.Options{InputSize: in, MinScore: minRawScore, Unpadded: true})
	}
	ds := toDetections(boxes, s, image.Point{}, image.Rect(0, 0, w.Dx(), w.Dy()))
	for i := range ds {
		ds[i].Rect = ds[i].Rect.Add(w.Min)
	}
	// A closer look confirms faces: what it finds that does not look like
	// a photographed face (see plausible), or has no colour to judge by,
	// is no evidence of a person and is dropped, not capped.
	return slices.DeleteFunc(ds, func(d Detection) bool {
		ok, coloured := judge(full, d.Rect)
		return !ok || !coloured
	})
}

// subImage is w of img, without a copy when img can give one.
func subImage(img image.Image, w image.Rectangle) image.Image {
	if s, ok := img.(interface {
		SubImage(image.Rectangle) image.Image
	}); ok {
		return s.SubImage(w)
	}
	return imaging.Crop(img, w)
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
// a prepare: a larger photo gets the closer looks around what its first
// pass saw instead (refine), which find faces from about 1/17 of the long
// side.
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
