package tui

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"headshot/imageprep"
	"headshot/tui/common"
	"headshot/tui/graphics"
)

// browseSizes are the terminals the browser's layout is checked at.
var browseSizes = [][2]int{{80, 24}, {120, 40}, {200, 60}}

// blockBox is the preview's pictures in a browse view drawn in half
// blocks: the rows holding one, and the widest run of block cells.
func blockBox(view string) (rows, widest int) {
	for _, l := range strings.Split(ansi.Strip(view), "\n") {
		run, best := 0, 0
		for _, r := range l {
			if r == '▀' {
				run++
				best = max(best, run)
			} else {
				run = 0
			}
		}
		if best > 0 {
			rows++
			widest = max(widest, best)
		}
	}
	return rows, widest
}

// browseAt opens the browser on one real portrait at w x h.
func browseAt(t *testing.T, opts Options, w, h int) *Model {
	t.Helper()
	dir := t.TempDir()
	writePortrait(t, filepath.Join(dir, "jane.doe@example.com.jpg"))
	for i := 0; i < 30; i++ {
		writePortrait(t, filepath.Join(dir, fmt.Sprintf("staff%03d@example.com.jpg", i)))
	}
	opts.Dir = dir
	opts.Prep = imageprep.Options{Crop: imageprep.MethodCenter}
	m := New(opts)
	drive(t, m, m.Init())
	send(t, m, tea.WindowSizeMsg{Width: w, Height: h})
	if p := m.Component(common.ScreenBrowse); p == nil {
		t.Fatal("no browser")
	}
	return m
}

// The browser's preview grows with the terminal (the complaint: at
// 120x40 it stayed 12 rows while rows below were empty), the list keeps
// at least eight files and the status and help lines stay at the bottom.
func TestBrowsePreviewGrowsWithTheTerminal(t *testing.T) {
	prevArea := 0
	for _, size := range browseSizes {
		w, h := size[0], size[1]
		m := browseAt(t, Options{Color: common.Color256}, w, h)
		v := m.View()
		rows, widest := blockBox(v)
		area := rows * widest
		t.Logf("%dx%d: pictures on %d rows, widest %d cells", w, h, rows, widest)
		if area <= prevArea {
			t.Errorf("%dx%d: picture area %d cells, not more than %d at the smaller size", w, h, area, prevArea)
		}
		prevArea = area
		// The rows the pictures use: most of the height, not a third.
		if h >= 40 && rows < (h-2)*3/4 {
			t.Errorf("%dx%d: pictures on %d of %d rows", w, h, rows, h-2)
		}
		plain := strings.Split(ansi.Strip(v), "\n")
		if len(plain) != h {
			t.Fatalf("%dx%d: %d rows", w, h, len(plain))
		}
		if !strings.Contains(plain[h-1], "q quit") {
			t.Errorf("%dx%d: help line lost: %q", w, h, plain[h-1])
		}
		files := 0
		for _, l := range plain {
			if strings.Contains(l, "@example.com.jpg") || strings.Contains(l, "@example.com.j…") {
				files++
			}
		}
		if files < 8 {
			t.Errorf("%dx%d: the list shows %d files", w, h, files)
		}
	}
}

var drawRe = regexp.MustCompile(`draw \S+ row=(\d+) col=(\d+) cols=(\d+) rows=(\d+)`)

// placed is one image box the screen drew.
type placed struct{ row, col, cols, rows int }

// drawnBoxes flushes the view through scr as Bubble Tea's renderer would
// and returns the image boxes it drew.
func drawnBoxes(t *testing.T, m *Model, scr *graphics.Screen) []placed {
	t.Helper()
	var trace strings.Builder
	scr.SetTrace(&trace)
	scr.Invalidate()
	if _, err := scr.Write([]byte("\x1b[H" + m.View())); err != nil {
		t.Fatal(err)
	}
	var out []placed
	for _, g := range drawRe.FindAllStringSubmatch(trace.String(), -1) {
		var p placed
		p.row, _ = strconv.Atoi(g[1])
		p.col, _ = strconv.Atoi(g[2])
		p.cols, _ = strconv.Atoi(g[3])
		p.rows, _ = strconv.Atoi(g[4])
		out = append(out, p)
	}
	return out
}

// With real pixels (sixel, 8x17-pixel cells as xterm's VT340 has) the
// result square grows with the terminal too, and every image stays in
// the preview's area: right of the list, above the status line.
func TestBrowseSixelPreviewGrowsWithTheTerminal(t *testing.T) {
	prevSide := 0
	for _, size := range browseSizes {
		w, h := size[0], size[1]
		scr := graphics.NewScreen(graphics.Sixel, graphics.Caps{Sixel: true, CellW: 8, CellH: 17}, &countingWriter{})
		m := browseAt(t, Options{Color: common.ColorTrue, Gfx: scr}, w, h)
		boxes := drawnBoxes(t, m, scr)
		if len(boxes) != 2 {
			t.Fatalf("%dx%d: %d images drawn, want the original and the result", w, h, len(boxes))
		}
		res := boxes[1]
		side := min(res.cols*8, res.rows*17)
		t.Logf("%dx%d: original %dx%d cells, result %dx%d cells (%d px)", w, h, boxes[0].cols, boxes[0].rows, res.cols, res.rows, side)
		if side <= prevSide {
			t.Errorf("%dx%d: result %d px, not more than %d at the smaller size", w, h, side, prevSide)
		}
		prevSide = side
		for _, b := range boxes {
			if b.row+b.rows > h-2 || b.col+b.cols > w {
				t.Errorf("%dx%d: image %+v outside the preview", w, h, b)
			}
		}
		if w >= 120 && res.rows < 15 {
			t.Errorf("%dx%d: result only %d rows high", w, h, res.rows)
		}
	}
}
