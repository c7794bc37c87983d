package graphics

import (
	"fmt"
	"strings"

	"headshot/imageprep/textsafe"
)

// Protocol is how images reach the terminal.
type Protocol int

// Protocols, in the order auto detection prefers them (after None).
const (
	// None draws no images at all, only the photo's details.
	None Protocol = iota
	// HalfBlocks draws two pixels per cell with '▀' (any terminal with
	// 256 colours).
	HalfBlocks
	// Quadrants draws 2x2 pixels per cell with the quadrant block
	// elements (U+2596..U+259F), two colours per cell.
	Quadrants
	// Sextants draws 2x3 pixels per cell with the Symbols for Legacy
	// Computing sextants (U+1FB00..U+1FB3B), where the font has them.
	Sextants
	// Sixel sends DEC sixel graphics (xterm -ti vt340, foot, WezTerm,
	// mlterm, Windows Terminal 1.22+, iTerm2).
	Sixel
	// ITerm sends iTerm2's inline images (OSC 1337 File=).
	ITerm
	// Kitty uses the kitty graphics protocol (kitty, Ghostty).
	Kitty
	// Chars draws the photo in plain characters, darker to brighter
	// " .:-=+*#%@", with the crop square in box-drawing lines: no colour
	// at all, for NO_COLOR and 16-colour terminals (auto picks it there).
	Chars
)

var protocolNames = [...]string{"none", "blocks", "quadrants", "sextants", "sixel", "iterm", "kitty", "chars"}

func (p Protocol) String() string {
	if p < 0 || int(p) >= len(protocolNames) {
		return "unknown"
	}
	return protocolNames[p]
}

// Pixels reports whether the protocol shows real pixels (not text cells).
func (p Protocol) Pixels() bool { return p >= Sixel && p <= Kitty }

// Text reports whether the protocol draws with text cells.
func (p Protocol) Text() bool { return p >= HalfBlocks && p <= Sextants }

// CellPixels is how many image pixels one text cell holds across and down
// in a text protocol (1x2 half blocks and chars, 2x2 quadrants, 2x3
// sextants).
func (p Protocol) CellPixels() (int, int) {
	switch p {
	case Quadrants:
		return 2, 2
	case Sextants:
		return 2, 3
	}
	return 1, 2
}

// Choice is the user's --graphics / [ui] graphics setting: Auto, or one
// protocol forced.
type Choice struct {
	Auto     bool
	Protocol Protocol
}

// Choices lists the accepted setting values, for help and errors.
const Choices = "auto, kitty, sixel, iterm, blocks, quadrants, sextants, chars or none"

// ParseChoice reads a --graphics / [ui] graphics value. "" is auto;
// "halfblocks" is accepted for blocks.
func ParseChoice(s string) (Choice, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	switch v {
	case "", "auto":
		return Choice{Auto: true}, nil
	case "halfblocks", "half":
		return Choice{Protocol: HalfBlocks}, nil
	case "quadrant", "sextant":
		v += "s"
	case "iterm2":
		v = "iterm"
	case "ascii", "text":
		v = "chars"
	}
	for i, n := range protocolNames {
		if n == v {
			return Choice{Protocol: Protocol(i)}, nil
		}
	}
	return Choice{}, fmt.Errorf("graphics %q: want %s", textsafe.CleanN(s, 40), Choices)
}

func (c Choice) String() string {
	if c.Auto {
		return "auto"
	}
	return c.Protocol.String()
}
