//go:build unix

package graphics

import (
	"errors"
	"os"
	"time"

	"github.com/charmbracelet/x/term"
	"golang.org/x/sys/unix"
)

// Detect asks the terminal on in/out what it can show. Call it once,
// before Bubble Tea starts reading keys: it puts in into raw mode (no
// echo, so answers never reach the screen), writes the queries and reads
// answers until the device attributes answer comes (inside tmux, a short
// grace after it for the outer terminal's answers through passthrough)
// or timeout passes. A terminal that answers nothing costs timeout once.
// Nothing is asked of TERM=dumb or the Linux console (which would print
// the kitty query).
func Detect(in, out *os.File, timeout time.Duration, getenv func(string) string) (Caps, error) {
	c := Caps{Tmux: getenv("TMUX") != "", ITerm: envITerm(getenv)}
	if ws, err := unix.IoctlGetWinsize(int(out.Fd()), unix.TIOCGWINSZ); err == nil && ws.Col > 0 && ws.Row > 0 && ws.Xpixel > 0 && ws.Ypixel > 0 {
		c.CellW, c.CellH = int(ws.Xpixel)/int(ws.Col), int(ws.Ypixel)/int(ws.Row)
	}
	if c.Tmux {
		c.Passthrough = TmuxPassthrough(getenv) != "off"
		c.PaneRow, c.PaneCol = TmuxPaneOffset(getenv)
	}
	switch getenv("TERM") {
	case "dumb", "linux", "":
		return c, nil
	}
	if !term.IsTerminal(in.Fd()) || !term.IsTerminal(out.Fd()) {
		return c, errors.New("graphics: not a terminal")
	}
	st, err := term.MakeRaw(in.Fd())
	if err != nil {
		return c, err
	}
	defer term.Restore(in.Fd(), st)

	pass := !c.Tmux || c.Passthrough
	q := ""
	if pass {
		q += Wrap(queryKitty, c.Tmux) + Wrap(queryVersion, c.Tmux) + Wrap(querySixelReg, c.Tmux)
	}
	q += queryCellSize + queryDA1
	// \r and erase-line wipe whatever a terminal that understood none of
	// it may have printed.
	if _, err := out.WriteString(q + "\r\x1b[K"); err != nil {
		return c, err
	}
	var buf []byte
	deadline := time.Now().Add(timeout)
	var graceEnd time.Time
	chunk := make([]byte, 1024)
	for {
		now := time.Now()
		end := deadline
		if !graceEnd.IsZero() && graceEnd.Before(end) {
			end = graceEnd
		}
		if !now.Before(end) {
			break
		}
		fds := []unix.PollFd{{Fd: int32(in.Fd()), Events: unix.POLLIN}}
		n, err := unix.Poll(fds, int(end.Sub(now)/time.Millisecond)+1)
		if err != nil {
			if errors.Is(err, unix.EINTR) {
				continue
			}
			return c, err
		}
		if n == 0 {
			continue
		}
		k, err := in.Read(chunk)
		if err != nil {
			return c, err
		}
		buf = append(buf, chunk[:k]...)
		probe := c
		if parseReplies(buf, &probe) {
			c = probe
			if !c.Tmux || !pass || (c.Kitty && c.Version != "") {
				break
			}
			if graceEnd.IsZero() {
				graceEnd = time.Now().Add(tmuxGrace)
			}
		}
	}
	parseReplies(buf, &c)
	return c, nil
}

// tmuxGrace is how long Detect waits, after tmux's own answer, for the
// outer terminal's answers to come back through tmux.
const tmuxGrace = 150 * time.Millisecond
