package graphics

import (
	"image"
	"strings"
)

// charRamp is the Chars protocol's shades, darkest first: brighter parts
// of the photo are drawn with denser characters (a dark terminal
// background shows them as light).
const charRamp = " .:-=+*#%@"

// CharGrid draws img in plain characters, one cell per 1x2 pixels (a
// cell is about twice as tall as wide), with no escape sequences: the
// Chars protocol. The shades are stretched over the picture's own range
// of brightness, so a dim photo still shows its shapes. The grid is
// returned as runes so lines can be drawn over it (the crop square).
func CharGrid(img *image.NRGBA) [][]rune {
	if img == nil {
		return nil
	}
	b := img.Bounds()
	cols, rows := b.Dx(), (b.Dy()+1)/2
	if cols == 0 || rows == 0 {
		return nil
	}
	lum := make([]int, cols*rows)
	lo, hi := 255, 0
	for cy := 0; cy < rows; cy++ {
		for cx := 0; cx < cols; cx++ {
			sum, n := 0, 0
			for dy := 0; dy < 2; dy++ {
				y := b.Min.Y + 2*cy + dy
				if y >= b.Max.Y {
					continue
				}
				o := img.PixOffset(b.Min.X+cx, y)
				p := img.Pix[o : o+3 : o+3]
				sum += (299*int(p[0]) + 587*int(p[1]) + 114*int(p[2])) / 1000
				n++
			}
			l := sum / n
			lum[cy*cols+cx] = l
			lo, hi = min(lo, l), max(hi, l)
		}
	}
	ramp := []rune(charRamp)
	grid := make([][]rune, rows)
	for cy := range grid {
		grid[cy] = make([]rune, cols)
		for cx := range grid[cy] {
			i := 0
			if hi > lo {
				i = (lum[cy*cols+cx] - lo) * (len(ramp) - 1) * 2 / (hi - lo)
				i = (i + 1) / 2 // rounded
			}
			grid[cy][cx] = ramp[i]
		}
	}
	return grid
}

// FrameCells draws r (in cells, Max exclusive) over grid in heavy
// box-drawing lines, ┏━┓ ┃ ┗━┛, clipped to the grid: the crop square on a
// picture drawn in characters, where no colour can mark it.
func FrameCells(grid [][]rune, r image.Rectangle) {
	if len(grid) == 0 {
		return
	}
	r = r.Intersect(image.Rect(0, 0, len(grid[0]), len(grid)))
	if r.Empty() {
		return
	}
	x0, y0, x1, y1 := r.Min.X, r.Min.Y, r.Max.X-1, r.Max.Y-1
	for x := x0; x <= x1; x++ {
		grid[y0][x], grid[y1][x] = '━', '━'
	}
	for y := y0; y <= y1; y++ {
		grid[y][x0], grid[y][x1] = '┃', '┃'
	}
	switch {
	case x0 == x1 && y0 == y1:
		grid[y0][x0] = '╋'
	case x0 == x1:
		grid[y0][x0], grid[y1][x0] = '┳', '┻'
	case y0 == y1:
		grid[y0][x0], grid[y0][x1] = '┣', '┫'
	default:
		grid[y0][x0], grid[y0][x1], grid[y1][x0], grid[y1][x1] = '┏', '┓', '┗', '┛'
	}
}

// GridLines turns a grid into lines of text.
func GridLines(grid [][]rune) []string {
	out := make([]string, len(grid))
	var sb strings.Builder
	for i, row := range grid {
		sb.Reset()
		for _, r := range row {
			sb.WriteRune(r)
		}
		out[i] = sb.String()
	}
	return out
}
