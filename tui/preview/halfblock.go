package preview

import (
	"image"

	"github.com/disintegration/imaging"

	"headshot/tui/common"
	"headshot/tui/graphics"
)

// HalfBlocks draws img as rows of '▀' cells: each cell shows two pixels,
// the upper as the foreground and the lower as the background, in the
// colours mode allows (38;2/48;2 truecolor or 38;5/48;5 with indices
// 16-255). It is graphics.TextCells in half blocks for any image. Modes
// without images give nil.
func HalfBlocks(img image.Image, mode common.ColorMode) []string {
	if img == nil {
		return nil
	}
	return graphics.TextCells(imaging.Clone(img), graphics.HalfBlocks, mode)
}
