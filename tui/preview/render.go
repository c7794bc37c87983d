package preview

import (
	"image"
	"math"

	"github.com/disintegration/imaging"

	"headshot/imageprep"
	"headshot/tui/common"
)

// rendered is a preview drawn for one cell budget.
type rendered struct {
	prev   *imageprep.Preview
	orig   []string // half-block lines of the original with the crop drawn
	result []string // half-block lines of the result square
	origW  int      // cell width of orig
	resW   int      // cell width of result
	cols   int      // the budget it was drawn for
	rows   int
}

// layoutFor splits a cell budget between the original and the result:
// the result is a square of side s pixels (s cells wide, s/2 rows), the
// original fits the rest. Pixel rows are twice the cell rows.
func layoutFor(cols, rows int, srcW, srcH int) (origW, origH, resSide int) {
	ph := rows * 2
	if cols < 8 || ph < 4 || srcW <= 0 || srcH <= 0 {
		return 0, 0, 0
	}
	resSide = min(ph, (cols-2)/2)
	availW := cols - 2 - resSide
	k := math.Min(float64(availW)/float64(srcW), float64(ph)/float64(srcH))
	origW = max(1, int(float64(srcW)*k))
	origH = max(1, int(float64(srcH)*k))
	return origW, origH, resSide
}

// draw renders p into at most cols x rows cells.
func drawPreview(p *imageprep.Preview, cols, rows int, mode common.ColorMode) *rendered {
	r := &rendered{prev: p, cols: cols, rows: rows}
	if p == nil || p.Image == nil || !mode.Images() {
		return r
	}
	b := p.Image.Bounds()
	ow, oh, side := layoutFor(cols, rows, b.Dx(), b.Dy())
	if side == 0 {
		return r
	}
	orig := imaging.Resize(p.Image, ow, oh, imaging.Box)
	if p.Result != nil {
		c := cropInPreview(p.Result.Crop, p.Scale).Add(b.Min)
		k := float64(ow) / float64(b.Dx())
		rc := image.Rect(int(float64(c.Min.X-b.Min.X)*k), int(float64(c.Min.Y-b.Min.Y)*k),
			int(math.Ceil(float64(c.Max.X-b.Min.X)*k)), int(math.Ceil(float64(c.Max.Y-b.Min.Y)*k)))
		drawRect(orig, rc, cropColour)
		if sq := c.Intersect(b); !sq.Empty() {
			res := imaging.Resize(imaging.Crop(p.Image, sq), side, side, imaging.Box)
			r.result = HalfBlocks(res, mode)
			r.resW = side
		}
	}
	r.orig = HalfBlocks(orig, mode)
	r.origW = ow
	return r
}
