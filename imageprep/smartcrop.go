package imageprep

import (
	"image"
	"math"

	"github.com/disintegration/imaging"
)

// The smart crop, used when no face is found: on a small copy of the image
// (smartSide px on its long side) each pixel scores for skin tone, edges
// and saturation, with a mild pull to the centre and the upper part (where
// a head usually is); the largest square with the most score wins. Its
// confidence grows with how much more interest the chosen square holds
// than its share of the picture.

const smartSide = 160

// smartCrop returns the chosen square in img's coordinates and a 0..1
// confidence.
func smartCrop(img image.Image) (image.Rectangle, float64) {
	b := img.Bounds()
	W, H := b.Dx(), b.Dy()
	if W == H {
		return image.Rect(0, 0, W, H), 0.5
	}
	k := math.Max(float64(W), float64(H)) / smartSide
	if k < 1 {
		k = 1
	}
	sw, sh := max(1, int(float64(W)/k)), max(1, int(float64(H)/k))
	small, ok := areaShrink(img, b, sw, sh) // from the decoder's pixels
	if !ok {
		small = imaging.Resize(img, sw, sh, imaging.Box)
	}
	score := saliency(small)
	side := min(sw, sh)
	// Integral over the long axis of column/row sums.
	horizontal := sw > sh
	n := sh
	if horizontal {
		n = sw
	}
	line := make([]float64, n)
	total := 0.0
	for y := 0; y < sh; y++ {
		for x := 0; x < sw; x++ {
			v := score[y*sw+x]
			if horizontal {
				line[x] += v
			} else {
				line[y] += v
			}
			total += v
		}
	}
	best, bestAt := -1.0, 0
	cur := 0.0
	for i := 0; i < side; i++ {
		cur += line[i]
	}
	for at := 0; ; at++ {
		if cur > best {
			best, bestAt = cur, at
		}
		if at+side >= n {
			break
		}
		cur += line[at+side] - line[at]
	}
	// Map back to img coordinates.
	s := min(W, H)
	var r image.Rectangle
	if horizontal {
		x := int(math.Round(float64(bestAt) * float64(W) / float64(sw)))
		r = image.Rect(x, 0, x+s, s)
	} else {
		y := int(math.Round(float64(bestAt) * float64(H) / float64(sh)))
		r = image.Rect(0, y, s, y+s)
	}
	r = ClampCrop(r, W, H)
	if total < 0.01*float64(sw*sh) {
		return r, 0 // nothing of interest anywhere: let the caller centre
	}
	conf := 0.3
	{
		share := float64(side) / float64(n)
		lift := (best / total) / share // 1: no better than average
		conf = 0.3 + 0.6*clamp01((lift-1)/0.6)
	}
	return r, conf
}

// saliency scores each pixel of a small NRGBA image.
func saliency(img *image.NRGBA) []float64 {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	lum := make([]float64, w*h)
	out := make([]float64, w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			p := img.Pix[y*img.Stride+4*x:]
			r, g, b := float64(p[0]), float64(p[1]), float64(p[2])
			lum[y*w+x] = 0.299*r + 0.587*g + 0.114*b
		}
	}
	cx, cy := float64(w)/2, float64(h)*0.45
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			p := img.Pix[y*img.Stride+4*x:]
			r, g, b := float64(p[0]), float64(p[1]), float64(p[2])
			// edges: Laplacian magnitude of luma
			l := lum[y*w+x]
			e := 0.0
			if x > 0 && x < w-1 && y > 0 && y < h-1 {
				e = math.Abs(4*l - lum[y*w+x-1] - lum[y*w+x+1] - lum[(y-1)*w+x] - lum[(y+1)*w+x])
			}
			edge := math.Min(1, e/64)
			mx, mn := math.Max(r, math.Max(g, b)), math.Min(r, math.Min(g, b))
			sat := 0.0
			if mx > 0 {
				sat = (mx - mn) / mx
			}
			satScore := 0.0
			if l > 40 && l < 235 {
				satScore = sat
			}
			skin := skinScore(r, g, b)
			dx := (float64(x) - cx) / float64(w)
			dy := (float64(y) - cy) / float64(h)
			bias := 1 - 0.6*math.Min(1, math.Sqrt(dx*dx+dy*dy)*1.4)
			out[y*w+x] = (1.8*skin + 1.0*edge + 0.4*satScore) * bias
		}
	}
	return out
}

// skinScore is 0..1 for how skin-like a colour is (a YCbCr box rule that
// covers light to dark skin, softened at its edges).
func skinScore(r, g, b float64) float64 {
	y := 0.299*r + 0.587*g + 0.114*b
	cb := 128 - 0.168736*r - 0.331264*g + 0.5*b
	cr := 128 + 0.5*r - 0.418688*g - 0.081312*b
	if y < 40 || y > 245 {
		return 0
	}
	// Centre of the skin cluster and its half-widths.
	dcb := (cb - 110) / 22
	dcr := (cr - 152) / 20
	d := dcb*dcb + dcr*dcr
	if d >= 1 {
		return 0
	}
	return 1 - d
}
