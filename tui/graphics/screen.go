package graphics

import (
	"bytes"
	"fmt"
	"image"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/charmbracelet/x/ansi"
)

// Image is one picture encoded for the screen's protocol and a cell box.
// Build it with Screen.Encode (in a command: encoding takes milliseconds)
// and put Screen.Cells in the view where it goes.
type Image struct {
	id         uint32
	serial     uint64 // the screen's key for it (ids are reused)
	Cols, Rows int
	data       []byte // sixel or iTerm2 escape; kitty: the transmission
}

// Bytes is the size of the encoded image (what drawing or sending it
// once costs).
func (im *Image) Bytes() int { return len(im.data) }

type placement struct {
	img      *Image
	row, col int
}

// Screen is the terminal between Bubble Tea's renderer and the tty: give
// it to tea.WithOutput and pass every frame's view through Frame. It is
// safe for the renderer's goroutine and the update loop at once.
type Screen struct {
	proto Protocol
	caps  Caps
	out   io.Writer

	mu        sync.Mutex
	nextID    uint32
	serial    uint64
	images    map[uint64]*Image // encoded images a view may show, newest last
	order     []uint64
	sent      map[uint32]*Image // kitty: what the terminal holds per id
	want      []placement       // images in the latest view
	drawn     []placement       // sixel/iTerm2/kitty direct images on screen
	prevLines []string
	// cols, rows is the terminal's (tmux: the pane's) size, 0 unknown:
	// erasing stays inside it (through tmux, cells beyond the pane are
	// another pane's or tmux's own borders).
	cols, rows int
	dirty      bool
	written    int64
	trace      io.Writer
}

// SetTrace makes the screen write one line per image it draws or erases
// ("draw sixel row=1 col=60 cols=30 rows=15 cell=8x17 bytes=51234"), for
// end-to-end tests and for diagnosing a terminal (HEADSHOT_GRAPHICS_TRACE).
func (s *Screen) SetTrace(w io.Writer) {
	s.mu.Lock()
	s.trace = w
	s.mu.Unlock()
}

func (s *Screen) traceLocked(what string, p placement) {
	if s.trace == nil {
		return
	}
	cw, ch := s.CellSize()
	fmt.Fprintf(s.trace, "%s %s row=%d col=%d cols=%d rows=%d cell=%dx%d bytes=%d\n",
		what, s.proto, p.row, p.col, p.img.Cols, p.img.Rows, cw, ch, len(p.img.data))
}

// NewScreen makes the screen for protocol p writing to out (os.Stdout
// when nil).
func NewScreen(p Protocol, caps Caps, out io.Writer) *Screen {
	if out == nil {
		out = os.Stdout
	}
	return &Screen{proto: p, caps: caps, out: out, sent: map[uint32]*Image{}, images: map[uint64]*Image{}}
}

// Protocol is how this screen draws images.
func (s *Screen) Protocol() Protocol {
	if s == nil {
		return None
	}
	return s.proto
}

// Caps is what detection found.
func (s *Screen) Caps() Caps { return s.caps }

// CellSize is a cell's size in pixels: detected, else 10x20.
func (s *Screen) CellSize() (int, int) {
	if s == nil || s.caps.CellW <= 0 || s.caps.CellH <= 0 {
		return 10, 20
	}
	return s.caps.CellW, s.caps.CellH
}

// placeholders: kitty images are shown by placeholder cells.
func (s *Screen) placeholders() bool {
	return s.proto == Kitty && (s.caps.Placeholders() || s.caps.Tmux)
}

// Encode prepares img (already sized for the box in pixels) to fill
// cols x rows cells. Images get ids 1..255 in turn (kitty placeholders
// carry the id in a 256-colour foreground).
func (s *Screen) Encode(img *image.NRGBA, cols, rows int) *Image {
	s.mu.Lock()
	s.nextID = s.nextID%255 + 1
	s.serial++
	im := &Image{id: s.nextID, serial: s.serial, Cols: cols, Rows: rows}
	s.images[im.serial] = im
	s.order = append(s.order, im.serial)
	if len(s.order) > maxImages {
		delete(s.images, s.order[0])
		s.order = s.order[1:]
	}
	id := im.id
	s.mu.Unlock()
	switch s.proto {
	case Kitty:
		im.data = KittyTransmit(img, id, cols, rows, s.placeholders(), s.caps.Tmux)
	case Sixel:
		im.data = EncodeSixel(img, s.caps.SixelColors)
	case ITerm:
		im.data = EncodeITerm(img, cols, rows, false) // wrapped for tmux when drawn
	}
	return im
}

// maxImages bounds the encoded images a screen keeps track of (the
// preview caches far fewer).
const maxImages = 512

// marker opens and closes the zero-width mark Cells puts in a view.
const markOpen, markClose = "\x1b_headshot-image;", "\x1b\\"

// Cells is what the view shows where im goes: its placeholder cells
// (kitty) or blank cells, the first line carrying a zero-width mark that
// Frame turns into the image's position.
func (s *Screen) Cells(im *Image) []string {
	var lines []string
	if s.placeholders() {
		lines = KittyPlaceholders(im.id, im.Cols, im.Rows)
	} else {
		blank := strings.Repeat(" ", im.Cols)
		lines = make([]string, im.Rows)
		for i := range lines {
			lines[i] = blank
		}
	}
	if len(lines) > 0 {
		lines[0] = markOpen + strconv.FormatUint(im.serial, 10) + markClose + lines[0]
	}
	return lines
}

// Frame takes the root view, notes where its images are, and returns it
// without the marks. Call it from the root model's View on every frame.
func (s *Screen) Frame(view string) string {
	if s == nil || !strings.Contains(view, markOpen) {
		if s != nil {
			s.mu.Lock()
			s.want, s.prevLines = nil, nil
			s.mu.Unlock()
		}
		return view
	}
	lines := strings.Split(view, "\n")
	var want []placement
	s.mu.Lock()
	defer s.mu.Unlock()
	for row, l := range lines {
		for {
			i := strings.Index(l, markOpen)
			if i < 0 {
				break
			}
			j := strings.Index(l[i:], markClose)
			if j < 0 {
				break
			}
			key := l[i+len(markOpen) : i+j]
			serial, _ := strconv.ParseUint(key, 10, 64)
			if im := s.images[serial]; im != nil {
				want = append(want, placement{img: im, row: row, col: ansi.StringWidth(l[:i])})
			}
			l = l[:i] + l[i+j+len(markClose):]
		}
		lines[row] = l
	}
	if !samePlacements(want, s.want) {
		s.dirty = true
	} else {
		for _, p := range want {
			for r := p.row; r < p.row+p.img.Rows && r < len(lines); r++ {
				if r >= len(s.prevLines) || s.prevLines[r] != lines[r] {
					s.dirty = true
				}
			}
		}
	}
	s.want, s.prevLines = want, lines
	return strings.Join(lines, "\n")
}

// Invalidate makes the next frame draw every image again (the renderer
// repaints everything after a resize).
func (s *Screen) Invalidate() {
	if s == nil {
		return
	}
	s.mu.Lock()
	s.dirty = true
	s.mu.Unlock()
}

// Resize records the terminal's new size (in cells) and makes the next
// frame draw every image again, as the renderer repaints everything.
func (s *Screen) Resize(cols, rows int) {
	if s == nil {
		return
	}
	s.mu.Lock()
	s.cols, s.rows, s.dirty = cols, rows, true
	s.mu.Unlock()
}

// Written is the bytes written to the terminal so far.
func (s *Screen) Written() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.written
}

// frameStart is how Bubble Tea's renderer begins every alt-screen frame
// (cursor home); other writes (mode switches) carry no frame.
var frameStart = []byte("\x1b[H")

// Write implements io.Writer for the renderer: before a frame, kitty
// images not yet sent are sent and images the frame no longer has are
// erased; after it, sixel and iTerm2 images whose cells the frame
// touched are drawn again, each between cursor save and restore so the
// renderer's cursor is where it left it.
func (s *Screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !bytes.HasPrefix(p, frameStart) {
		return s.raw(p)
	}
	var pre, post bytes.Buffer
	for _, w := range s.want {
		if s.proto == Kitty && s.sent[w.img.id] != w.img {
			pre.Write(w.img.data)
			s.sent[w.img.id] = w.img
			s.traceLocked("send", w)
		}
	}
	for _, d := range s.drawn {
		if !containsPlacement(s.want, d) {
			s.erase(&pre, d)
			s.traceLocked("erase", d)
			s.dirty = true
		}
	}
	if s.dirty {
		s.drawn = s.drawn[:0]
		for _, w := range s.want {
			if !s.fits(w) {
				// A frame laid out for the old size after a resize: drawn
				// it would scroll the terminal or, through tmux, cover
				// another pane. The preview's next frame has it resized.
				s.traceLocked("skip", w)
				continue
			}
			s.draw(&post, w)
			s.traceLocked("draw", w)
			s.drawn = append(s.drawn, w)
		}
		if s.placeholders() {
			s.drawn = s.drawn[:0]
		}
		s.dirty = false
	}
	if pre.Len() > 0 {
		if _, err := s.raw(pre.Bytes()); err != nil {
			return 0, err
		}
	}
	n, err := s.raw(p)
	if err != nil {
		return n, err
	}
	if post.Len() > 0 {
		if _, err := s.raw(post.Bytes()); err != nil {
			return n, err
		}
	}
	return n, nil
}

func (s *Screen) raw(p []byte) (int, error) {
	n, err := s.out.Write(p)
	s.written += int64(n)
	return n, err
}

// fits reports whether p lies inside the terminal (size unknown: yes).
func (s *Screen) fits(p placement) bool {
	if s.cols <= 0 || s.rows <= 0 {
		return true
	}
	return p.row+p.img.Rows <= s.rows && p.col+p.img.Cols <= s.cols
}

// draw puts one image at its place (nothing for kitty placeholders: the
// cells show it).
func (s *Screen) draw(b *bytes.Buffer, p placement) {
	if s.placeholders() {
		return
	}
	var seq bytes.Buffer
	seq.WriteString("\x1b7" + s.cursorTo(p.row, p.col))
	if s.proto == Kitty {
		seq.Write(KittyPlace(p.img.id, p.img.Cols, p.img.Rows, false))
	} else {
		seq.Write(p.img.data)
	}
	seq.WriteString("\x1b8")
	s.throughTmux(b, seq.Bytes())
}

// cursorTo moves to a cell of the view: inside tmux, where the sequence
// goes through passthrough, on the outer terminal.
func (s *Screen) cursorTo(row, col int) string {
	if s.caps.Tmux {
		row, col = row+s.caps.PaneRow, col+s.caps.PaneCol
	}
	return ansi.CursorPosition(col+1, row+1)
}

// throughTmux writes seq, passed through to the outer terminal inside
// tmux (which would drop images or place them in its own grid).
func (s *Screen) throughTmux(b *bytes.Buffer, seq []byte) {
	if s.caps.Tmux {
		b.WriteString(Wrap(string(seq), true))
		return
	}
	b.Write(seq)
}

// erase removes an image the next frame does not have: its cells are
// blanked (they were blank in the last frame, so the renderer's picture
// of the screen stays true), a kitty placement is deleted.
func (s *Screen) erase(b *bytes.Buffer, p placement) {
	if s.proto == Kitty {
		b.Write(KittyUnplace(p.img.id, false))
		return
	}
	n, rows := p.img.Cols, p.img.Rows
	if s.cols > 0 && s.rows > 0 { // only the cells still on the screen
		n, rows = min(n, s.cols-p.col), min(rows, s.rows-p.row)
	}
	if n <= 0 || rows <= 0 {
		return
	}
	var seq strings.Builder
	seq.WriteString("\x1b7")
	for r := 0; r < rows; r++ {
		seq.WriteString(s.cursorTo(p.row+r, p.col) + "\x1b[" + strconv.Itoa(n) + "X")
	}
	seq.WriteString("\x1b8")
	s.throughTmux(b, []byte(seq.String()))
}

// RedrawnByTmux reports whether tmux wipes this screen's images when it
// repaints the pane by itself (a window switch, an attach, a resize):
// sixel, iTerm2 and direct kitty placements cross tmux by passthrough
// and tmux keeps no copy of them. Kitty placeholders are cells tmux
// keeps.
func (s *Screen) RedrawnByTmux() bool {
	if s == nil || !s.caps.Tmux {
		return false
	}
	return s.proto == Sixel || s.proto == ITerm || (s.proto == Kitty && !s.placeholders())
}

// MovePane records where tmux's pane now starts on the outer terminal
// (images crossing tmux are placed there); the next Repaint uses it.
func (s *Screen) MovePane(top, left int) {
	if s == nil {
		return
	}
	s.mu.Lock()
	s.caps.PaneRow, s.caps.PaneCol = top, left
	s.mu.Unlock()
}

// Showing reports whether images drawn over the cells (sixel, iTerm2,
// direct kitty placements) are on the screen.
func (s *Screen) Showing() bool {
	if s == nil {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.drawn) > 0
}

// Repaint draws the images on the screen again now, between frames:
// after tmux repainted the pane from its own copy of the cells, which
// has no images, nothing in the view changed, so no frame would.
func (s *Screen) Repaint() error {
	if s == nil || s.placeholders() {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.drawn) == 0 {
		return nil
	}
	var b bytes.Buffer
	for _, d := range s.drawn {
		s.draw(&b, d)
		s.traceLocked("redraw", d)
	}
	_, err := s.raw(b.Bytes())
	return err
}

// Release frees what the terminal holds for this screen (kitty images);
// call it when the program ends.
func (s *Screen) Release() error {
	if s == nil || s.proto != Kitty {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err := s.raw(KittyDeleteAll(s.caps.Tmux))
	return err
}

func samePlacements(a, b []placement) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func containsPlacement(ps []placement, p placement) bool {
	for _, q := range ps {
		if q == p {
			return true
		}
	}
	return false
}

// TTY is the screen as the terminal file Bubble Tea wants for output
// (tea.WithOutput): writes go through the screen, the file descriptor
// (window size, raw mode) is f's.
func (s *Screen) TTY(f *os.File) interface {
	io.ReadWriteCloser
	Fd() uintptr
} {
	return tty{s, f}
}

type tty struct {
	*Screen
	f *os.File
}

func (t tty) Read(p []byte) (int, error) { return t.f.Read(p) }
func (t tty) Fd() uintptr                { return t.f.Fd() }

// Close leaves the file open (it is the program's stdout).
func (t tty) Close() error { return nil }
