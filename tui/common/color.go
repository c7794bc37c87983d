package common

import (
	"fmt"
	"image/color"
	"strconv"
	"strings"

	"github.com/muesli/termenv"
)

// ColorMode is how much colour the terminal gets. Images are drawn only in
// Color256 and ColorTrue; below that the preview shows text details only.
type ColorMode int

// Colour modes, poorest first.
const (
	// ColorPlain emits no escape sequences at all (tests, TERM=dumb, output
	// that is not a terminal).
	ColorPlain ColorMode = iota
	// ColorNone honours NO_COLOR: bold, reverse and underline, never colour.
	ColorNone
	// Color16 is a 16-colour terminal: styles use the basic ANSI colours,
	// images are not drawn (the low 16 differ between terminals).
	Color16
	// Color256 uses xterm indices 16-255 (the 6x6x6 cube and grey ramp).
	Color256
	// ColorTrue uses 24-bit colour (COLORTERM=truecolor or 24bit).
	ColorTrue
)

var colorModeNames = [...]string{"plain", "none", "16", "256", "truecolor"}

func (m ColorMode) String() string {
	if m < 0 || int(m) >= len(colorModeNames) {
		return "unknown"
	}
	return colorModeNames[m]
}

// Images reports whether the mode can draw half-block images.
func (m ColorMode) Images() bool { return m >= Color256 }

// Profile is the termenv profile lipgloss should render styles with.
func (m ColorMode) Profile() termenv.Profile {
	switch m {
	case ColorTrue:
		return termenv.TrueColor
	case Color256:
		return termenv.ANSI256
	case Color16, ColorNone:
		return termenv.ANSI
	}
	return termenv.Ascii
}

// ParseColorMode reads a --color value: auto (detect from getenv), plain,
// none (or no), 16, 256, truecolor (or 24bit).
func ParseColorMode(s string, getenv func(string) string) (ColorMode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "auto":
		return DetectColorMode(getenv), nil
	case "plain", "ascii":
		return ColorPlain, nil
	case "none", "no", "never":
		return ColorNone, nil
	case "16", "ansi":
		return Color16, nil
	case "256", "ansi256":
		return Color256, nil
	case "truecolor", "24bit", "true":
		return ColorTrue, nil
	}
	return 0, fmt.Errorf("--color %q: want auto, none, 16, 256 or truecolor", Sanitize(s))
}

// DetectColorMode picks the mode from the environment: NO_COLOR (any
// value) gives ColorNone; TERM=dumb gives ColorPlain; COLORTERM=truecolor
// or 24bit gives ColorTrue; a TERM naming 256 colours (or tmux/screen,
// which pass 256 colours through) gives Color256; anything else Color16.
func DetectColorMode(getenv func(string) string) ColorMode {
	if _, set := lookup(getenv, "NO_COLOR"); set {
		return ColorNone
	}
	term := strings.ToLower(getenv("TERM"))
	if term == "dumb" {
		return ColorPlain
	}
	switch strings.ToLower(getenv("COLORTERM")) {
	case "truecolor", "24bit":
		return ColorTrue
	}
	if strings.Contains(term, "256") || strings.HasPrefix(term, "tmux") || strings.HasPrefix(term, "screen") ||
		strings.Contains(term, "kitty") || strings.Contains(term, "alacritty") || strings.Contains(term, "wezterm") {
		return Color256
	}
	return Color16
}

// lookup treats a non-empty value as set (getenv cannot tell empty from unset;
// NO_COLOR's spec asks for a non-empty value anyway).
func lookup(getenv func(string) string, k string) (string, bool) {
	v := getenv(k)
	return v, v != ""
}

// The xterm 256-colour cube levels.
var cubeLevels = [6]int{0, 95, 135, 175, 215, 255}

// Index256 returns the xterm colour index in 16..255 nearest to r,g,b: the
// closer of the 6x6x6 cube entry and the 24-step grey ramp. It never
// returns the low 16, whose values differ between terminals.
func Index256(r, g, b uint8) uint8 {
	ci := func(v uint8) int {
		if v < 48 {
			return 0
		}
		if v < 115 {
			return 1
		}
		return (int(v) - 35) / 40
	}
	cr, cg, cb := ci(r), ci(g), ci(b)
	cubeIdx := 16 + 36*cr + 6*cg + cb
	cubeDist := dist2(int(r), int(g), int(b), cubeLevels[cr], cubeLevels[cg], cubeLevels[cb])

	avg := (int(r) + int(g) + int(b)) / 3
	gi := 0
	if avg > 238 {
		gi = 23
	} else if avg > 8 {
		gi = (avg - 3) / 10
		if gi > 23 {
			gi = 23
		}
	}
	gv := 8 + 10*gi
	greyDist := dist2(int(r), int(g), int(b), gv, gv, gv)
	if greyDist < cubeDist {
		return uint8(232 + gi)
	}
	return uint8(cubeIdx)
}

func dist2(r1, g1, b1, r2, g2, b2 int) int {
	dr, dg, db := r1-r2, g1-g2, b1-b2
	return dr*dr + dg*dg + db*db
}

// RGB8 converts any colour to 8-bit channels, dropping alpha (images are
// drawn over black).
func RGB8(c color.Color) (uint8, uint8, uint8) {
	r, g, b, _ := c.RGBA()
	return uint8(r >> 8), uint8(g >> 8), uint8(b >> 8)
}

// FgParam is the SGR parameter that sets the foreground to r,g,b in this
// mode ("38;2;R;G;B" truecolor, "38;5;N" 256 colours), or "" when the mode
// draws no images.
func (m ColorMode) FgParam(r, g, b uint8) string { return m.colorParam(38, r, g, b) }

// BgParam is FgParam for the background (48;...).
func (m ColorMode) BgParam(r, g, b uint8) string { return m.colorParam(48, r, g, b) }

func (m ColorMode) colorParam(base int, r, g, b uint8) string {
	switch m {
	case ColorTrue:
		return strconv.Itoa(base) + ";2;" + strconv.Itoa(int(r)) + ";" + strconv.Itoa(int(g)) + ";" + strconv.Itoa(int(b))
	case Color256:
		return strconv.Itoa(base) + ";5;" + strconv.Itoa(int(Index256(r, g, b)))
	}
	return ""
}
