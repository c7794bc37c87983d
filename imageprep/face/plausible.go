package face

import (
	"image"
	"image/color"
	"math"
)

// The network answers "face-shaped", not "a person": a Guy Fawkes mask or
// a line drawing of a face scores like a photographed one. These checks
// look at the pixels inside a detection's box and cap the score of one
// that is not a photographed face under Confident, so the photo is held
// for review rather than cropped on it. They measure (2026-12, on the
// evaluation set's 81 real faces and its masks, drawings and false boxes;
// see imageprep/face/eval):
//
//   - blank paper: a line drawing's box is mostly one bright, flat,
//     nearly colourless tone (the drawing: 78% of its inner box within ±10
//     levels of 244, chroma 9; real faces at most 54% at a bright level,
//     an overexposed close-up, with chroma 31);
//   - hue: skin, of any darkness and in low light, has a hue angle
//     atan2(Cr-128, 128-Cb) of 37° (a warm-lit group photo) or more (most
//     48-64°, a blue-lit face 128°); the painted plastic of a mask, paper
//     and fur are yellower (24-35°). Greyscale photos (and nearly
//     colourless boxes) have no hue: the test is skipped for them, so a
//     black-and-white portrait still passes;
//   - one tone: skin is one colour, lips and eyes aside, so a box whose
//     colour spreads widely is fur or paint. Spread is the levels between
//     the 10th and 90th percentile of Cb or Cr. Cr over maxCrSpread: the
//     mandrill's red nose in blue cheeks spreads 95, real faces at most 45
//     (a blue-lit group photo). Cb over maxWarmCbSpread in a warm box
//     (mean hue under warmHue): the mandrill's eyes in orange fur spread
//     76 and 80 at hues 28 and 38°, real faces under 45° (warm-lit groups)
//     at most 28; real faces of any hue spread Cb up to 68 (the blue-lit
//     group photo, 127°, which the hue limit leaves alone).
const (
	implausibleScore = 0.4  // the cap: under Confident, still a person (>= WeakFace)
	paperLevel       = 190  // a modal luma at least this bright ...
	paperShare       = 0.6  // ... holding this share of the box is paper
	paperChroma      = 15.0 // ... when its mean chroma is under this
	minSkinHue       = 36.0 // degrees; yellower is not skin
	minHueChroma     = 8.0  // mean chroma under this: no hue to judge
	warmHue          = 45.0 // degrees; under it the one-tone test applies
	maxWarmCbSpread  = 50   // Cb levels between the 10th and 90th percentiles
	maxCrSpread      = 64   // Cr levels between the 10th and 90th percentiles
)

// plausible reports whether the pixels in r (a detection's box in img)
// look like a photographed face; see the constants above.
func plausible(img image.Image, r image.Rectangle) bool {
	p, _ := judge(img, r)
	return p
}

// judge is plausible, and whether the box has colour to judge by (false
// for a greyscale photo or a nearly colourless box).
func judge(img image.Image, r image.Rectangle) (plausible, coloured bool) {
	in := r.Inset(r.Dx() / 5).Intersect(img.Bounds())
	if in.Dx() < 4 || in.Dy() < 4 {
		return true, false // too small to judge
	}
	// At most about 48 x 48 samples: the decision needs statistics, not
	// every pixel.
	step := max(1, max(in.Dx(), in.Dy())/48)
	var hist, cbHist, crHist [256]int
	var n int
	var sumCb, sumCr float64
	for y := in.Min.Y; y < in.Max.Y; y += step {
		for x := in.Min.X; x < in.Max.X; x += step {
			yy, cb, cr := ycbcrAt(img, x, y)
			hist[yy]++
			cbHist[cb]++
			crHist[cr]++
			sumCb += float64(cb) - 128
			sumCr += float64(cr) - 128
			n++
		}
	}
	// The most common tone, counting its ±10 neighbours.
	best, mode, win := 0, 0, 0
	for v := 0; v < 256; v++ {
		win += hist[v]
		if v >= 21 {
			win -= hist[v-21]
		}
		if win > best {
			best, mode = win, v-10
		}
	}
	cb, cr := sumCb/float64(n), sumCr/float64(n)
	chroma := math.Hypot(cb, cr)
	if mode >= paperLevel && float64(best) >= paperShare*float64(n) && chroma < paperChroma {
		return false, chroma >= minHueChroma
	}
	if chroma < minHueChroma {
		return true, false
	}
	hue := math.Atan2(cr, -cb) * 180 / math.Pi
	if hue < minSkinHue {
		return false, true
	}
	if spread(&crHist, n) > maxCrSpread || hue < warmHue && spread(&cbHist, n) > maxWarmCbSpread {
		return false, true
	}
	return true, true
}

// spread is the number of levels between the 10th and 90th percentiles
// of the n counts in hist.
func spread(hist *[256]int, n int) int {
	return percentile(hist, n, 0.9) - percentile(hist, n, 0.1)
}

// percentile is the level under which a share q of the n counts in hist
// lie.
func percentile(hist *[256]int, n int, q float64) int {
	want := int(q * float64(n))
	acc := 0
	for v, c := range hist {
		acc += c
		if acc > want {
			return v
		}
	}
	return 255
}

// ycbcrAt is the pixel at (x, y) in JPEG's YCbCr, read without conversion
// from a YCbCr image.
func ycbcrAt(img image.Image, x, y int) (uint8, uint8, uint8) {
	switch m := img.(type) {
	case *image.YCbCr:
		ci := m.COffset(x, y)
		return m.Y[m.YOffset(x, y)], m.Cb[ci], m.Cr[ci]
	case *image.Gray:
		return m.Pix[m.PixOffset(x, y)], 128, 128
	}
	c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
	return color.RGBToYCbCr(c.R, c.G, c.B)
}

// checkPlausible caps the score of every detection in ds whose box does
// not look like a photographed face, and returns ds best first. With
// needColour, a box without colour to judge by (greyscale) is capped too:
// the small-face pass's detections, where the network is least sure and
// grey round things (coins) pass for faces.
func checkPlausible(img image.Image, ds []Detection, needColour bool) []Detection {
	changed := false
	for i := range ds {
		if ds[i].Score <= implausibleScore {
			continue
		}
		if ok, coloured := judge(img, ds[i].Rect); !ok || (needColour && !coloured) {
			ds[i].Score = implausibleScore
			changed = true
		}
	}
	if changed {
		sortDetections(ds)
	}
	return ds
}
