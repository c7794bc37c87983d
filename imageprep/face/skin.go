package face

import (
	"image"
	"math"
)

// The small-face pass (Find's third pass) sees a small photo at twice its
// size, about four first passes; on a photo without a face it found
// nothing and cost 2.2x what vipsthumbnail spends on the whole photo.
// hasSkinPatch lets it run only where a face could be: a patch of
// skin-coloured pixels the size of the smallest face it finds (24 px), so
// a photo of sky, a board, a logo or blue water skips it.
//
// Skin here is the hue range of the evaluation's real faces (37-128°, any
// darkness, in low light too; plausible.go's minSkinHue is its lower
// bound) widened by a margin on each side, with enough chroma to have a hue; the cells are skinCell px
// (every other pixel sampled) and a patch is two by two cells each at
// least half skin, which a face 24 px wide always covers.
const (
	skinCell      = 8
	skinCellShare = 0.5
	skinMinHue    = minSkinHue - 6 // degrees, atan2(Cr-128, 128-Cb)
	skinMaxHue    = 135.0          // degrees
	skinMinChroma = 6              // levels from grey
	skinMinLuma   = 20
	skinMaxLuma   = 250
)

// The two rays bounding the skin hues, as (cos, sin).
var (
	skinMinRay = [2]float64{math.Cos(skinMinHue * math.Pi / 180), math.Sin(skinMinHue * math.Pi / 180)}
	skinMaxRay = [2]float64{math.Cos(skinMaxHue * math.Pi / 180), math.Sin(skinMaxHue * math.Pi / 180)}
)

// isSkinTone reports whether a pixel's colour falls in the skin range
// above, without trigonometry per pixel: the hue is between skinMinHue and
// skinMaxHue (less than 180° apart) when (u, v) = (128-Cb, Cr-128) lies
// between the two rays: on the left of the first, on the right of the second.
func isSkinTone(y, cb, cr uint8) bool {
	if y < skinMinLuma || y > skinMaxLuma {
		return false
	}
	u, v := 128-float64(cb), float64(cr)-128
	if u*u+v*v < skinMinChroma*skinMinChroma {
		return false
	}
	return skinMinRay[0]*v-skinMinRay[1]*u >= 0 && u*skinMaxRay[1]-v*skinMaxRay[0] >= 0
}

// hasSkinPatch reports whether img has a two-by-two block of skinCell
// cells each at least skinCellShare skin-toned (see above).
func hasSkinPatch(img image.Image) bool {
	b := img.Bounds()
	cw, ch := b.Dx()/skinCell, b.Dy()/skinCell
	if cw < 2 || ch < 2 {
		return true // too small to rule anything out
	}
	const samples = (skinCell / 2) * (skinCell / 2)
	prev := make([]bool, cw)
	cur := make([]bool, cw)
	for cy := 0; cy < ch; cy++ {
		for cx := 0; cx < cw; cx++ {
			n := 0
			x0, y0 := b.Min.X+cx*skinCell, b.Min.Y+cy*skinCell
			for y := y0; y < y0+skinCell; y += 2 {
				for x := x0; x < x0+skinCell; x += 2 {
					if isSkinTone(ycbcrAt(img, x, y)) {
						n++
					}
				}
			}
			cur[cx] = float64(n) >= skinCellShare*samples
			if cy > 0 && cx > 0 && cur[cx] && cur[cx-1] && prev[cx] && prev[cx-1] {
				return true
			}
		}
		prev, cur = cur, prev
	}
	return false
}
