package tui

import (
	"os"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"headshot/tui/graphics"
)

// tmuxWatchEvery is how often the root asks tmux whether it repainted
// the pane (a tmux client run: a few milliseconds of CPU each time).
const tmuxWatchEvery = 500 * time.Millisecond

// tmuxWatch notices when tmux repainted the pane from its own copy of
// the cells (the window shown again after a switch, an attach, a resize,
// zoom, copy mode), which wipes images that crossed tmux by passthrough
// (sixel, iTerm2): nothing in the view changed, so no frame would draw
// them again. tmux says nothing when it repaints (focus events only
// with `focus-events on`, and none for refresh-client), so the watch
// asks it about the pane twice a second and draws the images again when
// the pane's look changed while it is shown. ctrl+l redraws everything
// by hand.
type tmuxWatch struct {
	query func() (graphics.TmuxPane, error)
	every time.Duration
	last  string
}

// newTmuxWatch is the watch for the real tmux around this process.
func newTmuxWatch() *tmuxWatch {
	return &tmuxWatch{query: func() (graphics.TmuxPane, error) { return graphics.QueryTmuxPane(os.Getenv) }, every: tmuxWatchEvery}
}

// tmuxPaneMsg is one answer of tmux about the pane (skipped: not asked,
// no image was on the screen).
type tmuxPaneMsg struct {
	pane    graphics.TmuxPane
	err     error
	skipped bool
}

// next asks tmux again after a rest, while scr shows images (tmux is not
// bothered on screens without any).
func (w *tmuxWatch) next(scr *graphics.Screen) tea.Cmd {
	return tea.Tick(w.every, func(time.Time) tea.Msg {
		if !scr.Showing() {
			return tmuxPaneMsg{skipped: true}
		}
		p, err := w.query()
		return tmuxPaneMsg{pane: p, err: err}
	})
}

// update draws the images again through scr when the pane's look changed
// while it is shown, and asks again (not after an error: tmux went away).
func (w *tmuxWatch) update(msg tmuxPaneMsg, scr *graphics.Screen) tea.Cmd {
	if msg.err != nil {
		return nil
	}
	if !msg.skipped && msg.pane.Look != w.last {
		first := w.last == ""
		w.last = msg.pane.Look
		if msg.pane.Shown && !first {
			scr.MovePane(msg.pane.Top, msg.pane.Left)
			scr.Repaint()
		}
	}
	return w.next(scr)
}

// tmuxRepaintDelay is how long after a full repaint (a resize, ctrl+l)
// the images are drawn once more: tmux redraws a cleared or resized pane
// at the end of its loop, possibly after the images that followed.
const tmuxRepaintDelay = 250 * time.Millisecond

// repaintMsg asks for the images to be drawn again (no frame).
type repaintMsg struct{}

// repaintAfterTmux draws the images again a moment after a full repaint
// inside tmux (nil elsewhere: terminals keep what was drawn last).
func (m *Model) repaintAfterTmux() tea.Cmd {
	if !m.common.Gfx.RedrawnByTmux() {
		return nil
	}
	return tea.Tick(tmuxRepaintDelay, func(time.Time) tea.Msg { return repaintMsg{} })
}
