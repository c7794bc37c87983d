package graphics

import (
	"image"
	"strings"
)

// quadrantRunes maps a 2x2 pattern (bit 0 top left, 1 top right, 2 bottom
// left, 3 bottom right; a set bit is drawn in the foreground) to its block
// element.
var quadrantRunes = [16]rune{' ', '▘', '▝', '▀', '▖', '▌', '▞', '▛', '▗', '▚', '▐', '▜', '▄', '▙', '▟', '█'}

// sextantRune maps a 2x3 pattern (bits 0,1 top left/right, 2,3 middle,
// 4,5 bottom) to its character: the 60 sextants at U+1FB00 in pattern
// order, skipping the four patterns that already exist as block elements.
func sextantRune(p int) rune {
	switch p {
	case 0:
		return ' '
	case 21:
		return '▌'
	case 42:
		return '▐'
	case 63:
		return '█'
	}
	i := p - 1
	if p > 21 {
		i--
	}
	if p > 42 {
		i--
	}
	return rune(0x1FB00 + i)
}

// Palette turns colours into SGR parameters for the terminal's colour
// mode (tui/common.ColorMode is one).
type Palette interface {
	// Images reports whether the mode can draw block images at all.
	Images() bool
	FgParam(r, g, b uint8) string
	BgParam(r, g, b uint8) string
}

// TextCells draws img with text cells in protocol p (HalfBlocks,
// Quadrants or Sextants) in the colours mode allows. img should already
// be cols*pw x rows*ph pixels (p.CellPixels); each line is one row of
// cells ending in a reset. A colour code is written only when it differs
// from the previous cell's. Modes that draw no images give nil.
func TextCells(img *image.NRGBA, p Protocol, mode Palette) []string {
	if img == nil || !mode.Images() || !p.Text() {
		return nil
	}
	pw, ph := p.CellPixels()
	b := img.Bounds()
	cols, rows := b.Dx()/pw, (b.Dy()+ph-1)/ph
	if cols == 0 || rows == 0 {
		return nil
	}
	lines := make([]string, 0, rows)
	var sb strings.Builder
	var px [6][3]int
	for cy := 0; cy < rows; cy++ {
		sb.Reset()
		lastFg, lastBg := "", ""
		for cx := 0; cx < cols; cx++ {
			n := 0
			for dy := 0; dy < ph; dy++ {
				for dx := 0; dx < pw; dx++ {
					x, y := b.Min.X+cx*pw+dx, b.Min.Y+cy*ph+dy
					if y >= b.Max.Y {
						px[n] = [3]int{0, 0, 0}
					} else {
						o := img.PixOffset(x, y)
						px[n] = [3]int{int(img.Pix[o]), int(img.Pix[o+1]), int(img.Pix[o+2])}
					}
					n++
				}
			}
			pattern, fg, bg := split(px[:n])
			var r rune
			switch p {
			case HalfBlocks:
				// Always '▀': top pixel foreground, bottom background.
				r, fg, bg = '▀', px[0], px[1]
			case Quadrants:
				r = quadrantRunes[pattern]
			default:
				r = sextantRune(pattern)
			}
			f := mode.FgParam(uint8(fg[0]), uint8(fg[1]), uint8(fg[2]))
			g := mode.BgParam(uint8(bg[0]), uint8(bg[1]), uint8(bg[2]))
			switch {
			case f != lastFg && g != lastBg:
				sb.WriteString("\x1b[" + f + ";" + g + "m")
			case f != lastFg:
				sb.WriteString("\x1b[" + f + "m")
			case g != lastBg:
				sb.WriteString("\x1b[" + g + "m")
			}
			lastFg, lastBg = f, g
			sb.WriteRune(r)
		}
		sb.WriteString("\x1b[0m")
		lines = append(lines, sb.String())
	}
	return lines
}

// split divides a cell's pixels into two colours: pixels brighter than
// the midpoint of the cell's darkest and brightest go to the foreground
// (bit set in the pattern), the rest to the background; each colour is
// its group's mean. A flat cell is all background.
func split(px [][3]int) (pattern int, fg, bg [3]int) {
	lum := func(c [3]int) int { return 299*c[0] + 587*c[1] + 114*c[2] }
	lo, hi := lum(px[0]), lum(px[0])
	for _, c := range px[1:] {
		l := lum(c)
		lo, hi = min(lo, l), max(hi, l)
	}
	mid := (lo + hi + 1) / 2
	var fs, bs [3]int
	nf, nb := 0, 0
	for i, c := range px {
		if hi > lo && lum(c) >= mid {
			pattern |= 1 << i
			nf++
			fs[0], fs[1], fs[2] = fs[0]+c[0], fs[1]+c[1], fs[2]+c[2]
		} else {
			nb++
			bs[0], bs[1], bs[2] = bs[0]+c[0], bs[1]+c[1], bs[2]+c[2]
		}
	}
	for k := 0; k < 3; k++ {
		if nf > 0 {
			fg[k] = fs[k] / nf
		}
		if nb > 0 {
			bg[k] = bs[k] / nb
		}
	}
	if nf == 0 {
		fg = bg
	}
	return pattern, fg, bg
}
