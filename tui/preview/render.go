package preview

import (
	"bytes"
	"image"
	"image/color"
	"math"

	"github.com/disintegration/imaging"

	"headshot/imageprep"
	"headshot/tui/graphics"
)

// rendered is a preview drawn for one cell budget in one protocol: text
// lines (blocks) or encoded images (real pixels).
type rendered struct {
	prev   *imageprep.Preview
	proto  graphics.Protocol
	orig   []string // text cells of the original with the crop drawn
	result []string // text cells of the result square
	origIm *graphics.Image
	resIm  *graphics.Image
	origW  int // cell width of the original
	resW   int // cell width of the result
	cols   int // the budget it was drawn for
	rows   int
	bytes  int // encoded image bytes (pixels protocols)
	// stacked: the result goes under the original, not beside it.
	stacked bool
}

// box is a layout in cells: the original, then the result two cells to
// its right, or (stacked) one row under it.
type box struct {
	origCols, origRows int
	resCols, resRows   int
	stacked            bool
}

// gapCols is the space between the original and the result side by
// side; gapRows between them stacked.
const (
	gapCols = 2
	gapRows = 1
)

// resultSide is the result square's side in pixels.
func (b box) resultSide(cw, ch int) int { return min(b.resCols*cw, b.resRows*ch) }

// layoutFor splits a cell budget between the original and the result,
// for cells cw x ch pixels big, both keeping their shape to within a
// cell: side by side, or the result under the original when the budget
// is tall and narrow enough that this draws the result bigger (the
// browser's pane beside the list).
func layoutFor(cols, rows, srcW, srcH, cw, ch int) box {
	if cols < 8 || rows < 2 || srcW <= 0 || srcH <= 0 || cw <= 0 || ch <= 0 {
		return box{}
	}
	b := besideLayout(cols, rows, srcW, srcH, cw, ch)
	if s := stackedLayout(cols, rows, srcW, srcH, cw, ch); s.resultSide(cw, ch) > b.resultSide(cw, ch) {
		return s
	}
	return b
}

// besideLayout: the result is as big a square as fits in the height and
// half the width, the original fits the rest.
func besideLayout(cols, rows, srcW, srcH, cw, ch int) box {
	side := min(rows*ch, (cols-gapCols)*cw/2) // result side in pixels
	resRows := max(1, side/ch)
	resCols := max(1, min((cols-gapCols)/2, int(math.Round(float64(resRows*ch)/float64(cw)))))
	availW := (cols - gapCols - resCols) * cw
	k := math.Min(float64(availW)/float64(srcW), float64(rows*ch)/float64(srcH))
	oc := max(1, int(float64(srcW)*k/float64(cw)))
	or := max(1, int(float64(srcH)*k/float64(ch)))
	return box{origCols: oc, origRows: or, resCols: resCols, resRows: resRows}
}

// stackedLayout: the original fits the full width and half the height,
// the result is as big a square as fits in the rows left.
func stackedLayout(cols, rows, srcW, srcH, cw, ch int) box {
	half := (rows - gapRows) / 2
	if half < 1 {
		return box{}
	}
	k := math.Min(float64(cols*cw)/float64(srcW), float64(half*ch)/float64(srcH))
	oc := max(1, int(float64(srcW)*k/float64(cw)))
	or := max(1, int(float64(srcH)*k/float64(ch)))
	side := min((rows-gapRows-or)*ch, cols*cw)
	resRows := max(1, side/ch)
	resCols := max(1, min(cols, int(math.Round(float64(resRows*ch)/float64(cw)))))
	return box{origCols: oc, origRows: or, resCols: resCols, resRows: resRows, stacked: true}
}

// cellGeometry is the pixels per cell drawing uses: the terminal's cell
// for real pixels; for text, the cell's shape (1x2) for layout and the
// protocol's pixels per cell for the raster.
func cellGeometry(p graphics.Protocol, scr *graphics.Screen) (layoutW, layoutH, rasterW, rasterH int) {
	if p.Pixels() {
		w, h := scr.CellSize()
		return w, h, w, h
	}
	pw, ph := p.CellPixels()
	return 1, 2, pw, ph
}

// drawPreview renders p into at most cols x rows cells in protocol proto
// (images encoded through scr for real pixels).
func drawPreview(p *imageprep.Preview, cols, rows int, proto graphics.Protocol, mode graphics.Palette, scr *graphics.Screen) *rendered {
	r := &rendered{prev: p, cols: cols, rows: rows, proto: proto}
	if proto.Text() && !mode.Images() {
		// Blocks asked for where colours cannot draw them: characters.
		proto = graphics.Chars
	}
	if p == nil || p.Image == nil || proto == graphics.None || (proto.Pixels() && scr == nil) {
		return r
	}
	b := p.Image.Bounds()
	lw, lh, rw, rh := cellGeometry(proto, scr)
	lay := layoutFor(cols, rows, b.Dx(), b.Dy(), lw, lh)
	if lay.origCols == 0 {
		return r
	}
	ow, oh := lay.origCols*rw, lay.origRows*rh
	orig := imaging.Resize(p.Image, ow, oh, imaging.Lanczos)
	var res *image.NRGBA
	if p.Result != nil {
		c := cropInPreview(p.Result.Crop, p.Scale).Add(b.Min)
		kx, ky := float64(ow)/float64(b.Dx()), float64(oh)/float64(b.Dy())
		rc := image.Rect(int(float64(c.Min.X-b.Min.X)*kx), int(float64(c.Min.Y-b.Min.Y)*ky),
			int(math.Ceil(float64(c.Max.X-b.Min.X)*kx)), int(math.Ceil(float64(c.Max.Y-b.Min.Y)*ky)))
		res = resultImage(p, c.Intersect(b), lay.resCols*rw, lay.resRows*rh)
		if proto == graphics.Chars {
			// No colour to mark the square: box-drawing lines over the
			// characters, on the cells the crop's edges fall in.
			grid := graphics.CharGrid(orig)
			graphics.FrameCells(grid, image.Rect(rc.Min.X, rc.Min.Y/rh, max(rc.Max.X, rc.Min.X+1), (rc.Max.Y+rh-1)/rh))
			r.origW, r.stacked, r.orig = lay.origCols, lay.stacked, graphics.GridLines(grid)
			r.result, r.resW = graphics.GridLines(graphics.CharGrid(res)), lay.resCols
			return r
		}
		outlineCrop(orig, rc, mode.Images())
	}
	r.origW, r.stacked = lay.origCols, lay.stacked
	if proto == graphics.Chars {
		r.orig = graphics.GridLines(graphics.CharGrid(orig))
		return r
	}
	if proto.Text() {
		r.orig = graphics.TextCells(orig, proto, mode)
		if res != nil {
			r.result = graphics.TextCells(res, proto, mode)
			r.resW = lay.resCols
		}
		return r
	}
	r.origIm = scr.Encode(orig, lay.origCols, lay.origRows)
	r.bytes = r.origIm.Bytes()
	if res != nil {
		r.resIm = scr.Encode(res, lay.resCols, lay.resRows)
		r.resW = lay.resCols
		r.bytes += r.resIm.Bytes()
	}
	return r
}

// resultImage is the photo as it will be uploaded, w x h: the prepared
// output itself when it decodes (so what is judged is what is sent),
// else the crop cut from the preview.
func resultImage(p *imageprep.Preview, crop image.Rectangle, w, h int) *image.NRGBA {
	if p.Result != nil && len(p.Result.Data) > 0 {
		if img, err := imaging.Decode(bytes.NewReader(p.Result.Data)); err == nil {
			return imaging.Resize(img, w, h, imaging.Lanczos)
		}
	}
	if crop.Empty() {
		return nil
	}
	return imaging.Resize(imaging.Crop(p.Image, crop), w, h, imaging.Lanczos)
}

// outlineCrop draws the crop square rc on the original in pixels. The
// line is about a 200th of the picture, at least a pixel: visible, not
// hiding the face. In gold where colours are wanted; under NO_COLOR (or
// 16 colours) a white line edged in black, seen on any photo without a
// colour of its own.
func outlineCrop(img *image.NRGBA, rc image.Rectangle, colours bool) {
	b := img.Bounds()
	t := max(1, min(b.Dx(), b.Dy())/200)
	if colours {
		drawRect(img, rc, cropColour, t)
		return
	}
	drawRect(img, rc.Inset(-1), color.NRGBA{A: 255}, t+2)
	drawRect(img, rc, color.NRGBA{R: 255, G: 255, B: 255, A: 255}, t)
}

// cropColour outlines the crop square on the original.
var cropColour = color.NRGBA{R: 255, G: 215, B: 0, A: 255}

// drawRect outlines r (in img's coordinates) in place, t pixels wide.
func drawRect(img *image.NRGBA, r image.Rectangle, c color.NRGBA, t int) {
	r = r.Intersect(img.Bounds())
	if r.Empty() {
		return
	}
	t = min(t, r.Dx()/2, r.Dy()/2)
	t = max(t, 1)
	for i := 0; i < t; i++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			img.SetNRGBA(x, r.Min.Y+i, c)
			img.SetNRGBA(x, r.Max.Y-1-i, c)
		}
		for y := r.Min.Y; y < r.Max.Y; y++ {
			img.SetNRGBA(r.Min.X+i, y, c)
			img.SetNRGBA(r.Max.X-1-i, y, c)
		}
	}
}
