package graphics

import (
	"bytes"
	"strconv"
	"strings"

	"headshot/imageprep/textsafe"
)

// Caps is what the terminal said it can do.
type Caps struct {
	// Answered: the terminal (or tmux) answered the device attributes
	// query before the timeout.
	Answered bool
	// Kitty: the kitty graphics query was answered OK.
	Kitty bool
	// Sixel: the device attributes list 4, or (inside tmux, where tmux
	// answers those itself) the outer terminal answered XTSMGRAPHICS.
	Sixel bool
	// SixelColors is the number of sixel colour registers (XTSMGRAPHICS;
	// 0: not said).
	SixelColors int
	// Version is the terminal's XTVERSION answer ("kitty(0.26.5)",
	// "XTerm(379)"), sanitised; "" when it did not say.
	Version string
	// ITerm: the environment names iTerm2 or WezTerm (iTerm2 answers no
	// query that tells its inline images apart).
	ITerm bool
	// Tmux: running inside tmux; Passthrough: tmux lets escape sequences
	// through to the outer terminal (allow-passthrough on or all).
	Tmux        bool
	Passthrough bool
	// PaneRow, PaneCol are where tmux's pane starts on the outer
	// terminal: sixel and iTerm2 images crossing tmux are placed there.
	PaneRow, PaneCol int
	// CellW, CellH are a cell's size in pixels (0: unknown).
	CellW, CellH int
}

// Placeholders reports whether the terminal shows kitty images through
// Unicode placeholder cells (kitty 0.28+, Ghostty). Older kittys and
// WezTerm take direct placements only.
func (c Caps) Placeholders() bool {
	if !c.Kitty {
		return false
	}
	v := strings.ToLower(c.Version)
	if strings.HasPrefix(v, "ghostty") {
		return true
	}
	if rest, ok := strings.CutPrefix(v, "kitty("); ok {
		major, minor := versionPair(strings.TrimSuffix(rest, ")"))
		return major > 0 || minor >= 28
	}
	return false
}

func versionPair(s string) (int, int) {
	parts := strings.SplitN(s, ".", 3)
	atoi := func(i int) int {
		if i >= len(parts) {
			return 0
		}
		n, _ := strconv.Atoi(parts[i])
		return n
	}
	return atoi(0), atoi(1)
}

// Choose picks the protocol: a forced one as asked; on auto kitty
// (placeholders, or direct placements outside tmux), then sixel, then
// iTerm2, then half blocks when the colours can draw them (blocks), else
// none.
// Inside tmux only what can cross it is chosen: kitty placeholders and,
// with passthrough, sixel and iTerm2.
func Choose(c Caps, ch Choice, blocks bool) Protocol {
	if !ch.Auto {
		return ch.Protocol
	}
	pass := !c.Tmux || c.Passthrough
	switch {
	case c.Kitty && pass && (c.Placeholders() || (!c.Tmux && !c.Sixel)):
		return Kitty
	case c.Sixel && pass:
		return Sixel
	case c.ITerm && pass:
		return ITerm
	case blocks:
		return HalfBlocks
	}
	// No colours for blocks (NO_COLOR, 16 colours): the photo in plain
	// characters still shows where the face and the crop are.
	return Chars
}

// kittyQueryID is the image id of the detection query.
const kittyQueryID = "31"

// Queries are the bytes Detect writes: the kitty graphics query (a 1x1
// image that is never stored), XTVERSION, XTSMGRAPHICS (sixel colour
// registers), the cell size in pixels, then the primary device
// attributes, which every terminal answers, last.
const (
	queryKitty    = "\x1b_Gi=" + kittyQueryID + ",s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\"
	queryVersion  = "\x1b[>0q"
	querySixelReg = "\x1b[?1;1;0S"
	queryCellSize = "\x1b[16t"
	queryDA1      = "\x1b[c"
)

// parseReplies reads the terminal's answers from buf into c. It reports
// whether the device attributes answer (the last one asked for) has come.
func parseReplies(buf []byte, c *Caps) (da1 bool) {
	for len(buf) > 0 {
		i := bytes.IndexByte(buf, 0x1b)
		if i < 0 || i+1 >= len(buf) {
			return da1
		}
		buf = buf[i:]
		switch buf[1] {
		case '_': // APC: kitty's answer \x1b_Gi=31;OK\x1b\\
			body, rest, ok := cutST(buf[2:])
			if !ok {
				return da1
			}
			if s := string(body); strings.HasPrefix(s, "Gi="+kittyQueryID+";") || strings.HasPrefix(s, "Gi="+kittyQueryID+",") {
				if _, msg, _ := strings.Cut(s, ";"); msg == "OK" {
					c.Kitty = true
				}
			}
			buf = rest
		case 'P': // DCS: XTVERSION \x1bP>|name(version)\x1b\\
			body, rest, ok := cutST(buf[2:])
			if !ok {
				return da1
			}
			if v, ok := strings.CutPrefix(string(body), ">|"); ok {
				c.Version = textsafe.CleanN(v, 60)
			}
			buf = rest
		case '[':
			j := 2
			for j < len(buf) && (buf[j] < 0x40 || buf[j] > 0x7e) {
				j++
			}
			if j >= len(buf) {
				return da1
			}
			params, final := string(buf[2:j]), buf[j]
			buf = buf[j+1:]
			switch {
			case final == 'c' && strings.HasPrefix(params, "?"):
				da1 = true
				c.Answered = true
				for _, a := range strings.Split(params[1:], ";") {
					if a == "4" {
						c.Sixel = true
					}
				}
			case final == 'S' && strings.HasPrefix(params, "?1;0;"):
				if n, err := strconv.Atoi(params[5:]); err == nil && n > 0 {
					c.SixelColors = n
					if c.Tmux {
						// tmux answers the device attributes itself; the
						// outer terminal's sixel registers say it has sixel.
						c.Sixel = true
					}
				}
			case final == 't' && strings.HasPrefix(params, "6;"):
				f := strings.Split(params, ";")
				if len(f) == 3 {
					h, _ := strconv.Atoi(f[1])
					w, _ := strconv.Atoi(f[2])
					if w > 0 && h > 0 && c.CellW == 0 {
						c.CellW, c.CellH = w, h
					}
				}
			}
		default:
			buf = buf[1:]
		}
	}
	return da1
}

// cutST splits a string sequence's body from what follows its
// terminator (ESC \ or BEL).
func cutST(b []byte) (body, rest []byte, ok bool) {
	for i := 0; i < len(b); i++ {
		if b[i] == 0x07 {
			return b[:i], b[i+1:], true
		}
		if b[i] == 0x1b && i+1 < len(b) && b[i+1] == '\\' {
			return b[:i], b[i+2:], true
		}
	}
	return nil, nil, false
}

// Wrap passes seq through tmux to the outer terminal when inTmux (DCS
// tmux; with every ESC doubled), else returns it as is.
func Wrap(seq string, inTmux bool) string {
	if !inTmux {
		return seq
	}
	return "\x1bPtmux;" + strings.ReplaceAll(seq, "\x1b", "\x1b\x1b") + "\x1b\\"
}

// envITerm reports whether the environment names a terminal with iTerm2
// inline images.
func envITerm(getenv func(string) string) bool {
	switch getenv("TERM_PROGRAM") {
	case "iTerm.app", "WezTerm":
		return true
	}
	return getenv("LC_TERMINAL") == "iTerm2"
}
