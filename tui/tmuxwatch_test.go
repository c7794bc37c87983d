package tui

import (
	"bytes"
	"errors"
	"image"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"headshot/tui/graphics"
)

// The watch draws the images again when tmux's answer about the pane
// changed while it is shown (the window shown again after a switch), not
// while it is hidden, not when nothing changed, and stops when tmux goes.
func TestTmuxWatchRepaintsWhenThePaneIsShownAgain(t *testing.T) {
	var out bytes.Buffer
	scr := graphics.NewScreen(graphics.Sixel, graphics.Caps{Sixel: true, CellW: 8, CellH: 16, Tmux: true, Passthrough: true}, &out)
	im := scr.Encode(image.NewNRGBA(image.Rect(0, 0, 16, 16)), 2, 1)
	scr.Write([]byte("\x1b[H" + scr.Frame("title\n"+scr.Cells(im)[0])))

	shown := graphics.TmuxPane{Shown: true, Look: "true 0 0 80x24 0 0"}
	hidden := graphics.TmuxPane{Look: "false 0 0 80x24 0 0"}
	resized := graphics.TmuxPane{Shown: true, Top: 1, Look: "true 1 0 100x30 0 0"}
	w := &tmuxWatch{every: 0}
	repainted := func(msg tmuxPaneMsg) bool {
		out.Reset()
		if cmd := w.update(msg, scr); (cmd == nil) != (msg.err != nil) {
			t.Fatalf("%+v: ask again %v", msg, cmd != nil)
		}
		return strings.Contains(out.String(), "\x1bPtmux;")
	}
	for i, step := range []struct {
		msg  tmuxPaneMsg
		want bool
	}{
		{tmuxPaneMsg{pane: shown}, false},   // the first answer: as drawn
		{tmuxPaneMsg{pane: shown}, false},   // nothing changed
		{tmuxPaneMsg{skipped: true}, false}, // not asked: no image showing
		{tmuxPaneMsg{pane: hidden}, false},  // another window: tmux would drop it
		{tmuxPaneMsg{pane: shown}, true},    // back: tmux repainted without it
		{tmuxPaneMsg{pane: resized}, true},  // resized and moved
		{tmuxPaneMsg{pane: resized}, false}, // settled
		{tmuxPaneMsg{err: errors.New("no server")}, false},
	} {
		if got := repainted(step.msg); got != step.want {
			t.Errorf("step %d (%+v): repainted %v, want %v", i, step.msg, got, step.want)
		}
	}
	out.Reset()
	w.update(tmuxPaneMsg{pane: graphics.TmuxPane{Shown: true, Top: 3, Left: 7, Look: "true 3 7 100x30 0 0"}}, scr)
	if !strings.Contains(out.String(), "\x1b\x1b[5;8H") {
		t.Fatalf("the repaint should place the image at the pane's new place (row 1+3+1, column 0+7+1): %q", out.String())
	}
}

// tmux is asked only while images are on the screen.
func TestTmuxWatchAsksOnlyWhileImagesShow(t *testing.T) {
	var out bytes.Buffer
	scr := graphics.NewScreen(graphics.Sixel, graphics.Caps{Sixel: true, CellW: 8, CellH: 16, Tmux: true, Passthrough: true}, &out)
	asked := 0
	w := &tmuxWatch{every: 0, query: func() (graphics.TmuxPane, error) {
		asked++
		return graphics.TmuxPane{Shown: true, Look: "x"}, nil
	}}
	if msg, ok := w.next(scr)().(tmuxPaneMsg); !ok || !msg.skipped || asked != 0 {
		t.Fatalf("no image on the screen: %+v, tmux asked %d times", msg, asked)
	}
	im := scr.Encode(image.NewNRGBA(image.Rect(0, 0, 16, 16)), 2, 1)
	scr.Write([]byte("\x1b[H" + scr.Frame(scr.Cells(im)[0])))
	if msg, ok := w.next(scr)().(tmuxPaneMsg); !ok || msg.skipped || asked != 1 {
		t.Fatalf("an image on the screen: %+v, tmux asked %d times", msg, asked)
	}
}

// Only a screen whose images tmux wipes gets a watch.
func TestTmuxWatchOnlyForImagesTmuxWipes(t *testing.T) {
	var out bytes.Buffer
	in := New(Options{Dir: t.TempDir(), Gfx: graphics.NewScreen(graphics.Sixel, graphics.Caps{Tmux: true, Passthrough: true}, &out)})
	if in.tmux == nil {
		t.Fatal("sixel through tmux needs the watch")
	}
	for _, scr := range []*graphics.Screen{nil, graphics.NewScreen(graphics.Sixel, graphics.Caps{}, &out), graphics.NewScreen(graphics.HalfBlocks, graphics.Caps{Tmux: true}, &out)} {
		if m := New(Options{Dir: t.TempDir(), Gfx: scr}); m.tmux != nil {
			t.Errorf("%v: no watch needed", scr.Protocol())
		}
	}
}

// A resize or ctrl+l inside tmux draws the images once more a moment
// later (tmux redraws a cleared or resized pane after what followed);
// outside tmux nothing is scheduled.
func TestRepaintAfterTmuxFullRedraw(t *testing.T) {
	var out bytes.Buffer
	scr := graphics.NewScreen(graphics.Sixel, graphics.Caps{Sixel: true, CellW: 8, CellH: 16, Tmux: true, Passthrough: true}, &out)
	m := New(Options{Dir: t.TempDir(), Gfx: scr})
	cmd := m.repaintAfterTmux()
	if cmd == nil {
		t.Fatal("inside tmux a repaint must follow")
	}
	if _, ok := cmd().(repaintMsg); !ok {
		t.Fatal("the repaint command must ask for a repaint")
	}
	im := scr.Encode(image.NewNRGBA(image.Rect(0, 0, 16, 16)), 2, 1)
	scr.Write([]byte("\x1b[H" + scr.Frame(scr.Cells(im)[0])))
	out.Reset()
	m.Update(repaintMsg{})
	if !strings.Contains(out.String(), "\x1bPtmux;") {
		t.Fatalf("repaintMsg should draw the image again: %q", out.String())
	}
	// A focus report (tmux with focus-events on) draws them at once and
	// once more after tmux's redraw.
	out.Reset()
	if _, cmd := m.Update(tea.FocusMsg{}); cmd == nil || !strings.Contains(out.String(), "\x1bPtmux;") {
		t.Fatalf("focus-in should draw the image and ask again later (cmd %v): %q", cmd != nil, out.String())
	}
	if New(Options{Dir: t.TempDir(), Gfx: graphics.NewScreen(graphics.Sixel, graphics.Caps{}, &out)}).repaintAfterTmux() != nil {
		t.Fatal("outside tmux nothing to repaint")
	}
}
