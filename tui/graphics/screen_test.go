package graphics

import (
	"bytes"
	"image"
	"strings"
	"testing"
)

// frame is what Bubble Tea's renderer writes for a view: cursor home,
// then the lines.
func frame(view string) []byte { return []byte("\x1b[H" + strings.ReplaceAll(view, "\n", "\r\n")) }

func sixelScreen(out *bytes.Buffer) (*Screen, *Image) {
	s := NewScreen(Sixel, Caps{Sixel: true, CellW: 4, CellH: 6}, out)
	im := s.Encode(image.NewNRGBA(image.Rect(0, 0, 12, 12)), 3, 2)
	return s, im
}

// view puts the image's cells at row 1, column 2 under a first line.
func view(s *Screen, im *Image, first string) string {
	cells := s.Cells(im)
	return first + "\n" + "ab" + cells[0] + "z\n" + "ab" + cells[1] + "z\nstatus"
}

func TestScreenDrawsSixelAfterTheFrameThatBlankedIt(t *testing.T) {
	var out bytes.Buffer
	s, im := sixelScreen(&out)
	v := s.Frame(view(s, im, "title"))
	if strings.Contains(v, "headshot-image") || strings.Split(v, "\n")[1] != "ab   z" {
		t.Fatalf("mark left in the view: %q", v)
	}
	s.Write(frame(v))
	got := out.String()
	fi := strings.Index(got, "\x1b[H")
	si := strings.Index(got, "\x1bP0;1;0q")
	if fi != 0 || si < fi {
		t.Fatalf("sixel must follow the frame: %q", got)
	}
	if !strings.Contains(got[fi:si], "\x1b7\x1b[2;3H") || !strings.HasSuffix(got, "\x1b\\\x1b8") {
		t.Fatalf("sixel not placed at row 2 col 3 between save/restore: %q", got[fi:])
	}

	// The next frame changes only the first line: the image's cells are
	// untouched, so it is not sent again.
	out.Reset()
	s.Write(frame(s.Frame(view(s, im, "title 2"))))
	if strings.Contains(out.String(), "\x1bP") {
		t.Fatal("sixel re-sent though its rows did not change")
	}
	// A frame that rewrites a row the image covers draws it again.
	out.Reset()
	marked := strings.Replace(view(s, im, "title 2"), "ab", "AB", 1)
	s.Write(frame(s.Frame(marked)))
	if strings.Count(out.String(), "\x1bP0;1;0q") != 1 {
		t.Fatalf("sixel not redrawn after its row changed: %q", out.String())
	}
	// A resize repaints everything: Invalidate draws it again.
	out.Reset()
	s.Invalidate()
	s.Write(frame(s.Frame(marked)))
	if strings.Count(out.String(), "\x1bP0;1;0q") != 1 {
		t.Fatal("not redrawn after Invalidate")
	}
	// A frame without the image erases its cells before the frame.
	out.Reset()
	s.Write(frame(s.Frame("other screen\nab    z")))
	got = out.String()
	erase := strings.Index(got, "\x1b[2;3H\x1b[3X")
	if erase < 0 || erase > strings.Index(got, "\x1b[H") || !strings.Contains(got, "\x1b[3;3H\x1b[3X") || strings.Contains(got, "\x1bP") {
		t.Fatalf("image not erased before the frame: %q", got)
	}
	// Writes that are not frames pass straight through.
	out.Reset()
	s.Write([]byte("\x1b[?1049h"))
	if out.String() != "\x1b[?1049h" {
		t.Fatalf("%q", out.String())
	}
	if s.Written() == 0 {
		t.Fatal("bytes not counted")
	}
}

func TestScreenSendsKittyImagesOnce(t *testing.T) {
	var out bytes.Buffer
	s := NewScreen(Kitty, Caps{Kitty: true, Version: "kitty(0.35.0)"}, &out)
	im := s.Encode(image.NewNRGBA(image.Rect(0, 0, 8, 8)), 2, 2)
	v := s.Frame(view(s, im, "t"))
	if !strings.ContainsRune(v, placeholder) {
		t.Fatal("no placeholders in the view")
	}
	s.Write(frame(v))
	if n := strings.Count(out.String(), "a=T,U=1"); n != 1 || strings.Index(out.String(), "a=T") > strings.Index(out.String(), "\x1b[H") {
		t.Fatalf("image sent %d times / after the frame: %q", n, out.String())
	}
	out.Reset()
	s.Invalidate()
	s.Write(frame(s.Frame(view(s, im, "t2"))))
	if strings.Contains(out.String(), "\x1b_G") {
		t.Fatalf("kitty image sent again: %q", out.String())
	}
	out.Reset()
	s.Release()
	if !strings.Contains(out.String(), "a=d,d=A") {
		t.Fatal("images not freed")
	}
}

func TestScreenKittyDirectPlacements(t *testing.T) {
	var out bytes.Buffer
	s := NewScreen(Kitty, Caps{Kitty: true, Version: "kitty(0.26.5)"}, &out)
	im := s.Encode(image.NewNRGBA(image.Rect(0, 0, 8, 8)), 2, 2)
	v := s.Frame(view(s, im, "t"))
	if strings.ContainsRune(v, placeholder) {
		t.Fatal("placeholders for a kitty without them")
	}
	s.Write(frame(v))
	got := out.String()
	if !strings.Contains(got, "a=t,q=2") || !strings.Contains(got, "\x1b[2;3H\x1b_Ga=p,") {
		t.Fatalf("%q", got)
	}
	out.Reset()
	s.Write(frame(s.Frame("gone")))
	if !strings.Contains(out.String(), "a=d,d=i") {
		t.Fatalf("placement not removed: %q", out.String())
	}
}

// After tmux repainted the pane from its own cells (no images), Repaint
// draws the images again without a frame, through passthrough at the
// pane's new place; kitty placeholders (cells tmux keeps) need nothing.
func TestScreenRepaintAfterTmuxRepainted(t *testing.T) {
	var out bytes.Buffer
	s := NewScreen(Sixel, Caps{Sixel: true, CellW: 4, CellH: 6, Tmux: true, Passthrough: true, PaneRow: 0, PaneCol: 0}, &out)
	if !s.RedrawnByTmux() {
		t.Fatal("sixel through tmux is wiped when tmux repaints")
	}
	im := s.Encode(image.NewNRGBA(image.Rect(0, 0, 12, 12)), 3, 2)
	s.Write(frame(s.Frame(view(s, im, "title"))))
	out.Reset()
	s.MovePane(5, 40) // the pane moved: a split above it, to the left
	if err := s.Repaint(); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if !strings.HasPrefix(got, "\x1bPtmux;") || !strings.Contains(got, "\x1b\x1b[7;43H") || !strings.Contains(got, "\x1b\x1bP0;1;0q") {
		t.Fatalf("repaint should pass the sixel through tmux at row 7, column 43: %q", got)
	}
	if strings.Contains(got, "\x1b[H") {
		t.Fatal("repaint wrote a frame")
	}

	// Nothing drawn yet: nothing to repaint.
	var empty bytes.Buffer
	if err := NewScreen(Sixel, Caps{Tmux: true, Passthrough: true}, &empty).Repaint(); err != nil || empty.Len() != 0 {
		t.Fatalf("repaint with no images wrote %q (%v)", empty.String(), err)
	}
	for _, c := range []struct {
		p    Protocol
		caps Caps
		want bool
	}{
		{Sixel, Caps{}, false}, // outside tmux the terminal keeps them
		{Kitty, Caps{Tmux: true, Kitty: true, Version: "kitty(0.35.0)"}, false}, // placeholders are cells
		{ITerm, Caps{Tmux: true, Passthrough: true}, true},
		{HalfBlocks, Caps{Tmux: true}, false},
	} {
		if got := NewScreen(c.p, c.caps, &empty).RedrawnByTmux(); got != c.want {
			t.Errorf("%v %+v: RedrawnByTmux %v, want %v", c.p, c.caps, got, c.want)
		}
	}
}

func TestParseTmuxPane(t *testing.T) {
	p, err := parseTmuxPane("1 1 0 61 on top 59x39 0 0\n")
	if err != nil || !p.Shown || p.Top != 1 || p.Left != 61 {
		t.Fatalf("%+v %v: want shown at row 1 (under a top status line), column 61", p, err)
	}
	hidden, _ := parseTmuxPane("0 1 0 61 on top 59x39 0 0\n")
	detached, _ := parseTmuxPane("1 0 0 61 on top 59x39 0 0\n")
	if hidden.Shown || detached.Shown {
		t.Fatal("a window not current, or a detached session, is not shown")
	}
	bottom, _ := parseTmuxPane("1 1 0 61 on bottom 59x39 0 0\n")
	if bottom.Top != 0 {
		t.Fatalf("status at the bottom moves nothing: %+v", bottom)
	}
	for _, other := range []string{"1 1 0 61 on top 80x39 0 0", "1 1 0 61 on top 59x39 1 0", "1 1 0 61 on top 59x39 0 1", "0 1 0 61 on top 59x39 0 0"} {
		q, _ := parseTmuxPane(other)
		if q.Look == p.Look {
			t.Errorf("%q looks the same as the first answer", other)
		}
	}
	if _, err := parseTmuxPane("garbage"); err == nil {
		t.Fatal("a malformed answer must be an error")
	}
}

// After the pane shrank (a tmux split), an image that no longer fits is
// erased only where the pane still is: through passthrough, cells beyond
// it are tmux's border and another pane's.
func TestScreenEraseStaysInsideTheTerminal(t *testing.T) {
	var out bytes.Buffer
	s := NewScreen(Sixel, Caps{Sixel: true, CellW: 4, CellH: 6, Tmux: true, Passthrough: true}, &out)
	s.Resize(10, 4)
	im := s.Encode(image.NewNRGBA(image.Rect(0, 0, 12, 12)), 3, 2)
	s.Write(frame(s.Frame(view(s, im, "title")))) // drawn at row 1, column 2
	s.Resize(4, 2)                                // now 4x2: one row, two columns of it left
	out.Reset()
	s.Write(frame(s.Frame("ti\nab")))
	got := out.String()
	if !strings.Contains(got, "\x1b\x1b[2;3H\x1b\x1b[2X") {
		t.Fatalf("the image's cells still on the screen (row 2, columns 3-4) should be erased: %q", got)
	}
	if strings.Contains(got, "[3;3H") || strings.Contains(got, "[3X") {
		t.Fatalf("erased outside the 4x2 terminal: %q", got)
	}
}

// An image that does not fit the terminal (a frame laid out before a
// resize) is not drawn: it would scroll the terminal or, through tmux,
// cover another pane.
func TestScreenDrawsOnlyImagesThatFit(t *testing.T) {
	var out bytes.Buffer
	s := NewScreen(Sixel, Caps{Sixel: true, CellW: 4, CellH: 6, Tmux: true, Passthrough: true}, &out)
	im := s.Encode(image.NewNRGBA(image.Rect(0, 0, 12, 12)), 3, 2)
	s.Resize(10, 2) // the image at rows 1-2 needs 3 rows
	s.Write(frame(s.Frame(view(s, im, "title"))))
	if strings.Contains(out.String(), "P0;1;0q") || s.Showing() {
		t.Fatalf("an image below the terminal's last row was drawn: %q", out.String())
	}
	s.Resize(10, 4)
	out.Reset()
	s.Write(frame(s.Frame(view(s, im, "title"))))
	if !strings.Contains(out.String(), "P0;1;0q") || !s.Showing() {
		t.Fatalf("once it fits it is drawn: %q", out.String())
	}
}
