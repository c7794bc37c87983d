package preview

import (
	"image"
	"image/color"
	"image/draw"
	"strings"

	"headshot/tui/common"
)

// HalfBlocks draws img as rows of '▀' cells: each cell shows two pixels,
// the upper as the foreground and the lower as the background, in the
// colours mode allows (38;2/48;2 truecolor or 38;5/48;5 with indices
// 16-255). A colour code is written only when it differs from the
// previous cell's. Each line ends with a reset. Modes without images give
// nil.
func HalfBlocks(img image.Image, mode common.ColorMode) []string {
	if !mode.Images() || img == nil {
		return nil
	}
	b := img.Bounds()
	lines := make([]string, 0, (b.Dy()+1)/2)
	var sb strings.Builder
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		sb.Reset()
		lastFg, lastBg := "", ""
		for x := b.Min.X; x < b.Max.X; x++ {
			fr, fg, fb := common.RGB8(img.At(x, y))
			var br, bgc, bb uint8
			if y+1 < b.Max.Y {
				br, bgc, bb = common.RGB8(img.At(x, y+1))
			}
			f := mode.FgParam(fr, fg, fb)
			g := mode.BgParam(br, bgc, bb)
			switch {
			case f != lastFg && g != lastBg:
				sb.WriteString("\x1b[" + f + ";" + g + "m")
			case f != lastFg:
				sb.WriteString("\x1b[" + f + "m")
			case g != lastBg:
				sb.WriteString("\x1b[" + g + "m")
			}
			lastFg, lastBg = f, g
			sb.WriteString("▀")
		}
		sb.WriteString("\x1b[0m")
		lines = append(lines, sb.String())
	}
	return lines
}

// cropColour outlines the crop square on the original.
var cropColour = color.RGBA{R: 255, G: 215, B: 0, A: 255}

// drawRect outlines r (in img's coordinates) in place, 1 pixel wide.
func drawRect(img draw.Image, r image.Rectangle, c color.Color) {
	r = r.Intersect(img.Bounds())
	if r.Empty() {
		return
	}
	for x := r.Min.X; x < r.Max.X; x++ {
		img.Set(x, r.Min.Y, c)
		img.Set(x, r.Max.Y-1, c)
	}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		img.Set(r.Min.X, y, c)
		img.Set(r.Max.X-1, y, c)
	}
}
