package cli

import (
	"io"
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"
)

// terminalWidth reports whether w is a terminal and, if so, its width in
// columns ($COLUMNS, then 80, when the size cannot be read).
func terminalWidth(w io.Writer) (int, bool) {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) || os.Getenv("TERM") == "dumb" { // a dumb terminal cannot erase a line
		return 0, false
	}
	if cols, _, err := term.GetSize(f.Fd()); err == nil && cols > 0 {
		return cols, true
	}
	return columnsEnv(), true
}

// columnsEnv is $COLUMNS when it is a sane number, else 80.
func columnsEnv() int {
	if n, err := strconv.Atoi(strings.TrimSpace(os.Getenv("COLUMNS"))); err == nil && n >= 20 && n <= 1000 {
		return n
	}
	return 80
}

// output is where a run's lines go. On a terminal (live) it also keeps one
// progress line at the bottom, rewritten in place with \r and cleared
// before every normal line, so the lines above it stay plain; on a pipe
// it writes plain lines only. Safe for concurrent use.
type output struct {
	mu     sync.Mutex
	w      io.Writer
	live   bool // w is a terminal: show the progress line
	width  int  // terminal columns (live only)
	status string
	shown  bool // the progress line is on the screen
}

// clearLine returns the cursor to the start of the line and erases it.
const clearLine = "\r\x1b[K"

// Line prints one normal line (already sanitized), above the progress line.
func (o *output) Line(s string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.shown {
		io.WriteString(o.w, clearLine)
	}
	io.WriteString(o.w, s+"\n")
	o.shown = false
	o.drawLocked()
}

// Status replaces the progress line (live only; a pipe gets nothing). s
// must be sanitized; it is cut to the terminal's width with an ellipsis so
// it never wraps (a wrapped line cannot be rewritten in place).
func (o *output) Status(s string) {
	if !o.live {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.status = s
	o.drawLocked()
}

// Clear removes the progress line for good (before the summary).
func (o *output) Clear() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.shown {
		io.WriteString(o.w, clearLine)
	}
	o.status, o.shown = "", false
}

func (o *output) drawLocked() {
	if !o.live || o.status == "" {
		return
	}
	s := o.status
	if max := o.width - 1; max > 0 && ansi.StringWidth(s) > max { // the last column would wrap on some terminals
		s = ansi.Truncate(s, max, "…")
	}
	io.WriteString(o.w, "\r"+s+"\x1b[K")
	o.shown = true
}

// fitWidth cuts s (plain, sanitized text) to width columns with an
// ellipsis; width <= 0 leaves it whole.
func fitWidth(s string, width int) string {
	if width <= 0 || ansi.StringWidth(s) <= width {
		return s
	}
	return ansi.Truncate(s, width, "…")
}

// padRight pads s with spaces to width columns.
func padRight(s string, width int) string {
	if n := width - ansi.StringWidth(s); n > 0 {
		return s + strings.Repeat(" ", n)
	}
	return s
}
