// Package textsafe makes untrusted text (file names, server messages, config
// values) safe to show on a terminal: no control characters, no escape
// sequences, bounded length. Every string that did not come from headshot's
// own code passes through Clean before it is printed or rendered.
package textsafe

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxLen is the default rune budget for Clean.
const MaxLen = 300

// Clean returns s with every control character (C0, DEL, C1, including ESC
// and CSI), every invalid UTF-8 byte and every invisible format character
// (bidi overrides and marks, zero-width spaces and joiners, BOM, soft
// hyphen, tag characters) replaced by '?', runs of whitespace (including
// line and paragraph separators) folded to one space, and the result cut to
// MaxLen runes with an ellipsis. An escape sequence cannot survive in any
// form: its introducer (ESC, or C1 CSI/OSC as a rune or a lone byte) is
// always replaced, so what remains is inert text.
func Clean(s string) string { return CleanN(s, MaxLen) }

// CleanN is Clean with a caller-chosen rune budget (n <= 0: no limit).
func CleanN(s string, n int) string {
	var b strings.Builder
	if n > 0 && len(s) > 4*n+8 {
		b.Grow(4*n + 8) // the output is bounded; do not reserve for a huge input
	} else {
		b.Grow(len(s))
	}
	runes := 0
	space := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size <= 1:
			r = '?'
		case r == '\t' || r == '\n' || r == '\r' || unicode.IsSpace(r):
			if !space && runes > 0 {
				space = true
			}
			continue
		case unicode.IsControl(r) || isBidiControl(r) || unicode.Is(unicode.Cf, r):
			r = '?'
		}
		if space {
			if n > 0 && runes >= n {
				return strings.TrimRight(b.String(), " ") + "…"
			}
			b.WriteByte(' ')
			runes++
			space = false
		}
		if n > 0 && runes >= n {
			return strings.TrimRight(b.String(), " ") + "…"
		}
		b.WriteRune(r)
		runes++
	}
	return b.String()
}

func isBidiControl(r rune) bool {
	switch {
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0x200E, r == 0x200F, r == 0x061C:
		return true
	}
	return false
}
