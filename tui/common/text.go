package common

import (
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"headshot/upload"
)

// Truncate cuts s (which may hold styles) to w cells, ending in "…" when
// anything was cut, so a cut line never reads as a whole one. w <= 0 (no
// size known yet) leaves s whole.
func Truncate(s string, w int) string {
	if w <= 0 {
		return s
	}
	return ansi.Truncate(s, w, "…")
}

// TruncateLeft cuts s to w cells from the left, starting with "…", for
// text whose end matters most (a file path).
func TruncateLeft(s string, w int) string {
	n := ansi.StringWidth(s)
	if w <= 1 || n <= w {
		return s
	}
	return "…" + ansi.TruncateLeft(s, n-w+1, "")
}

// Plural is upload.Plural ("1 photo", "3 photos", "2 classes"): one rule
// for the TUI, the engine's plan and the headless summary.
func Plural(n int, noun string) string { return upload.Plural(n, noun) }

// Scroll is the cursor and the first row drawn of a list that may be
// taller than its pane (the browser's files, the failures, Correct's file
// picker). Each list draws its own rows; the arithmetic lives here.
type Scroll struct {
	Cursor int // the selected row
	Offset int // the first row drawn
}

// Follow scrolls so the cursor is among the rows drawn of a list of n,
// leaving no empty rows below the end when the list fills the pane.
func (s *Scroll) Follow(n, rows int) {
	rows = max(rows, 1)
	if s.Cursor < s.Offset {
		s.Offset = s.Cursor
	}
	if s.Cursor >= s.Offset+rows {
		s.Offset = s.Cursor - rows + 1
	}
	s.Offset = max(min(s.Offset, n-rows), 0)
}

// Move moves the cursor by delta, within the n rows, and follows it. It
// reports whether the cursor moved.
func (s *Scroll) Move(delta, n, rows int) bool {
	old := s.Cursor
	s.Cursor = max(min(s.Cursor+delta, n-1), 0)
	s.Follow(n, rows)
	return s.Cursor != old
}

// Shown is the range of rows drawn, from Offset to at most rows further.
func (s Scroll) Shown(n, rows int) (from, to int) {
	return s.Offset, min(s.Offset+max(rows, 1), n)
}

// Wrap breaks plain text into at most n lines of w cells; the last ends in
// "…" when the text goes on, and a word longer than w is cut with "…".
func Wrap(s string, w, n int) []string {
	if w <= 1 || n <= 0 {
		return nil
	}
	words := strings.Fields(s)
	var lines []string
	cur := ""
	i := 0
	for ; i < len(words); i++ {
		try := words[i]
		if cur != "" {
			try = cur + " " + words[i]
		}
		if ansi.StringWidth(try) <= w {
			cur = try
			continue
		}
		if cur != "" {
			lines = append(lines, cur)
		}
		cur = words[i]
		if len(lines) == n {
			break
		}
	}
	more := i < len(words)
	if !more && cur != "" {
		if len(lines) < n {
			lines = append(lines, cur)
		} else {
			more = true
		}
	}
	for j := range lines {
		lines[j] = Truncate(lines[j], w)
	}
	if last := len(lines) - 1; more && last >= 0 && !strings.HasSuffix(lines[last], "…") {
		lines[last] = Truncate(lines[last]+"…", w)
	}
	return lines
}

// Ago says how long before now t was, coarsely: "just now", "5 min ago",
// "2 h ago", "3 d ago"; "" for a zero time.
func Ago(t, now time.Time) string {
	if t.IsZero() {
		return ""
	}
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + " min ago"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + " h ago"
	default:
		return strconv.Itoa(int(d/(24*time.Hour))) + " d ago"
	}
}
