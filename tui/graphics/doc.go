// Package graphics draws photos in a terminal: real pixels through the
// kitty graphics protocol (Unicode placeholders, or direct placements on
// kittys older than 0.28), sixel and iTerm2's inline images where the
// terminal can show them, and text cells (half blocks, quadrants,
// sextants) where it cannot.
//
// Detect asks the terminal once, before the TUI reads keys, what it can
// do (the kitty graphics query, XTVERSION, XTSMGRAPHICS and the primary
// device attributes, through tmux's passthrough when inside tmux).
// Encoders turn an image into the bytes for one protocol and a cell box.
// Screen sits between Bubble Tea's renderer and the terminal: the TUI's
// view marks where each image goes (a zero-width marker), Screen strips
// the marks and, synchronised with the renderer's own writes, sends each
// kitty image once, and draws sixel and iTerm2 images after the frame that
// left their cells blank, erasing them before a frame that no longer has
// them.
package graphics
