package preview

import (
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"headshot/imageprep"
	"headshot/tui/common"
	"headshot/tui/graphics"
	"headshot/upload/journal"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

// gradient is a w x h image with varied colours.
func gradient(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x * 255 / max(w-1, 1)), uint8(y * 255 / max(h-1, 1)), 128, 255})
		}
	}
	return img
}

var sgr = regexp.MustCompile(`\x1b\[([0-9;]*)m`)

func TestHalfBlocks256UsesOnlyHighIndices(t *testing.T) {
	img := gradient(16, 8)
	img.Set(0, 0, color.RGBA{255, 0, 0, 255}) // pure red: low-16 colour 9 must not be used
	img.Set(1, 0, color.RGBA{0, 0, 0, 255})
	lines := HalfBlocks(img, common.Color256)
	if len(lines) != 4 {
		t.Fatalf("8 pixel rows = 4 cell rows, got %d", len(lines))
	}
	seen := 0
	for _, l := range lines {
		if n := strings.Count(l, "▀"); n != 16 {
			t.Fatalf("want 16 cells, got %d", n)
		}
		for _, m := range sgr.FindAllStringSubmatch(l, -1) {
			params := strings.Split(m[1], ";")
			if len(params) == 1 && params[0] == "0" {
				continue
			}
			for i := 0; i < len(params); i += 3 {
				if params[i] != "38" && params[i] != "48" || params[i+1] != "5" {
					t.Fatalf("unexpected SGR %q", m[1])
				}
				n, _ := strconv.Atoi(params[i+2])
				if n < 16 || n > 255 {
					t.Fatalf("colour index %d outside 16-255 in %q", n, m[1])
				}
				seen++
			}
		}
	}
	if seen == 0 {
		t.Fatal("no colour codes")
	}
}

func TestHalfBlocksSkipRepeatedCodes(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 20, 2))
	for i := range img.Pix {
		img.Pix[i] = 200
	}
	lines := HalfBlocks(img, common.Color256)
	if got := len(sgr.FindAllString(lines[0], -1)); got != 2 { // one set, one reset
		t.Fatalf("uniform row should set colour once, got %d codes: %q", got, lines[0])
	}
}

func TestHalfBlocksTruecolor(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 1, 2))
	img.Set(0, 0, color.RGBA{10, 20, 30, 255})
	img.Set(0, 1, color.RGBA{40, 50, 60, 255})
	lines := HalfBlocks(img, common.ColorTrue)
	if want := "\x1b[38;2;10;20;30;48;2;40;50;60m▀\x1b[0m"; lines[0] != want {
		t.Fatalf("got %q want %q", lines[0], want)
	}
}

func TestHalfBlocksNoImagesWithoutColour(t *testing.T) {
	for _, m := range []common.ColorMode{common.ColorPlain, common.ColorNone, common.Color16} {
		if HalfBlocks(gradient(4, 4), m) != nil {
			t.Errorf("%v must not draw images", m)
		}
	}
}

// fakePrep returns a fixed preview and counts calls; block, when set,
// holds calls until closed.
type fakePrep struct {
	mu    sync.Mutex
	calls []string
}

func (f *fakePrep) Preview(ctx context.Context, path string, maxSide int, o imageprep.Options) (*imageprep.Preview, error) {
	f.mu.Lock()
	f.calls = append(f.calls, filepath.Base(path))
	f.mu.Unlock()
	crop := image.Rect(20, 0, 60, 40)
	if o.Manual != nil {
		crop = *o.Manual
	}
	return &imageprep.Preview{Image: gradient(80, 40), Scale: 1, Result: &imageprep.Result{
		Source: imageprep.Source{Path: path, Format: imageprep.JPEG, Width: 80, Height: 40, Orientation: 6, Bytes: 123456},
		Hash:   "h-" + filepath.Base(path), Crop: crop, Method: imageprep.MethodFace, Confidence: 0.87,
		Flags: []imageprep.Flag{imageprep.FlagUpscaled}, Data: make([]byte, 48*1024), Format: imageprep.JPEG,
		Quality: 85, Width: 600, Height: 600,
	}}, nil
}

func (f *fakePrep) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

func files(t *testing.T, names ...string) []string {
	dir := t.TempDir()
	var out []string
	for _, n := range names {
		p := filepath.Join(dir, n)
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

// settle runs cmd and feeds its messages to m until nothing is left.
func settle(m *Model, cmd tea.Cmd) {
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := c()
		if b, ok := msg.(tea.BatchMsg); ok {
			queue = append(queue, b...)
			continue
		}
		queue = append(queue, m.Update(msg))
	}
}

func TestPreviewRendersWithDetails(t *testing.T) {
	fp := &fakePrep{}
	m := New(common.NewCommon(common.Color256), fp, imageprep.Options{})
	m.SetDebounce(0)
	m.SetSize(60, 14)
	p := files(t, "alice.jpg")[0]
	settle(m, m.Show(p))
	v := m.View()
	if !strings.Contains(v, "▀") || !strings.Contains(v, "38;5;") {
		t.Fatalf("no half-block image:\n%s", v)
	}
	// the crop square is outlined in gold (255,215,0 -> index 220)
	if !strings.Contains(v, "8;5;220") {
		t.Fatalf("crop outline not drawn:\n%q", v)
	}
	for _, want := range []string{"alice.jpg", "JPEG 80x40 · 121 KB · rotated 90° CW", "crop face 87%", "600x600 JPEG q85 · 48 KB", "upscaled"} {
		if !strings.Contains(v, want) {
			t.Errorf("details miss %q:\n%s", want, v)
		}
	}
	for i, l := range strings.Split(v, "\n") {
		if w := lipgloss.Width(l); w > 60 {
			t.Errorf("line %d is %d wide", i, w)
		}
	}
	if lipgloss.Height(v) > 14 {
		t.Errorf("view taller than its pane")
	}
}

func TestPreviewNoColorIsPlainText(t *testing.T) {
	m := New(common.NewCommon(common.ColorNone), &fakePrep{}, imageprep.Options{})
	m.SetDebounce(0)
	m.SetSize(60, 14)
	settle(m, m.Show(files(t, "bob.png")[0]))
	v := m.View()
	if strings.Contains(v, "\x1b[") || strings.Contains(v, "▀") {
		t.Fatalf("NO_COLOR preview has escape codes or blocks: %q", v)
	}
	if !strings.Contains(v, "crop face 87%") {
		t.Fatalf("details missing: %s", v)
	}
}

func TestPreviewDropsStaleResults(t *testing.T) {
	fp := &fakePrep{}
	m := New(common.NewCommon(common.Color256), fp, imageprep.Options{})
	m.SetDebounce(0)
	m.SetSize(60, 14)
	ps := files(t, "a.jpg", "b.jpg")
	m.Show(ps[0])
	m.Update(dueMsg{owner: m, id: m.RequestID()})
	cmdA := m.prepare() // a's preparation is running...
	m.Show(ps[1])       // ...when the cursor moves to b
	m.Update(cmdA())    // a's result arrives late
	if m.Current() != nil {
		t.Fatal("a's late result was shown for b")
	}
	if m.Path() != ps[1] || m.Loading() == "" {
		t.Fatalf("should still be preparing b: path %s loading %q", m.Path(), m.Loading())
	}
	settle(m, func() tea.Msg { return dueMsg{owner: m, id: m.RequestID()} })
	if cur := m.Current(); cur == nil || cur.Result.Hash != "h-b.jpg" {
		t.Fatalf("b not shown: %+v", cur)
	}
	// A result for another preview pane is ignored.
	other := New(m.Common, fp, imageprep.Options{})
	if cmd := m.Update(ReadyMsg{owner: other, ID: m.RequestID(), Path: ps[0]}); cmd != nil || m.Current().Result.Hash != "h-b.jpg" {
		t.Fatal("another pane's result was taken")
	}
}

func TestPreviewCachesByFileAndOptions(t *testing.T) {
	fp := &fakePrep{}
	m := New(common.NewCommon(common.Color256), fp, imageprep.Options{})
	m.SetDebounce(0)
	m.SetSize(60, 14)
	ps := files(t, "a.jpg", "b.jpg")
	settle(m, m.Show(ps[0]))
	settle(m, m.Show(ps[1]))
	settle(m, m.Show(ps[0]))
	if fp.count() != 2 {
		t.Fatalf("a prepared twice: %v", fp.calls)
	}
	crop := image.Rect(0, 0, 30, 30)
	settle(m, m.ShowCrop(ps[0], &crop))
	if fp.count() != 3 {
		t.Fatalf("a new crop must be prepared: %v", fp.calls)
	}
	if got := m.Current().Result.Crop; got != crop {
		t.Fatalf("crop %v", got)
	}
	// A changed file (new mtime/size) is prepared again.
	if err := os.WriteFile(ps[1], []byte("changed"), 0o600); err != nil {
		t.Fatal(err)
	}
	settle(m, m.Show(ps[1]))
	if fp.count() != 4 {
		t.Fatalf("changed file served from cache: %v", fp.calls)
	}
}

func TestPreviewSlowFormatNote(t *testing.T) {
	m := New(common.NewCommon(common.ColorPlain), &fakePrep{}, imageprep.Options{})
	m.SetDebounce(0)
	m.SetSize(60, 10)
	m.Show(files(t, "x.HEIC")[0])
	if !strings.Contains(m.View(), "decoding HEIC...") {
		t.Fatalf("view: %s", m.View())
	}
}

func TestPreviewRealPhoto(t *testing.T) {
	p := filepath.Join(t.TempDir(), "real.png")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, gradient(256, 192)); err != nil {
		t.Fatal(err)
	}
	f.Close()
	m := New(common.NewCommon(common.ColorTrue), imageprep.NewPreparer(), imageprep.Options{Crop: imageprep.MethodCenter})
	m.SetDebounce(0)
	m.SetSize(70, 16)
	settle(m, m.Show(p))
	if m.Err() != nil {
		t.Fatal(m.Err())
	}
	v := m.View()
	if !strings.Contains(v, "38;2;") || !strings.Contains(v, "PNG 256x192") || !strings.Contains(v, "crop center") {
		t.Fatalf("view:\n%s", v)
	}
}

func TestPreviewDetailsBesideWhenShort(t *testing.T) {
	m := New(common.NewCommon(common.Color256), &fakePrep{}, imageprep.Options{})
	m.SetDebounce(0)
	m.SetSize(80, 11) // the stacked preview on an 80x24 terminal
	settle(m, m.Show(files(t, "wide.jpg")[0]))
	v := m.View()
	lines := strings.Split(v, "\n")
	if len(lines) > 11 {
		t.Fatalf("%d rows", len(lines))
	}
	if !strings.Contains(lines[0], "▀") || !strings.Contains(lines[0], "wide.jpg") {
		t.Fatalf("details should sit beside the image: %q", lines[0])
	}
	for i, l := range lines {
		if w := lipgloss.Width(l); w > 80 {
			t.Errorf("line %d is %d wide", i, w)
		}
	}
}

func TestPreviewShowsSavedCorrection(t *testing.T) {
	j, err := journal.Open(filepath.Join(t.TempDir(), "j.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	fp := &fakePrep{}
	m := New(common.NewCommon(common.ColorPlain), fp, imageprep.Options{})
	m.SetDebounce(0)
	m.UseCorrections(j)
	m.SetSize(60, 14)
	p := files(t, "a.jpg")[0]
	settle(m, m.Show(p))
	if got := m.Current().Result.Crop; got != image.Rect(20, 0, 60, 40) {
		t.Fatalf("no correction yet: auto crop expected, got %v", got)
	}
	saved := image.Rect(5, 5, 35, 35)
	if err := j.SaveCorrection(journal.Correction{Hash: "h-a.jpg", Path: p, Crop: saved}); err != nil {
		t.Fatal(err)
	}
	settle(m, m.Update(common.CorrectionSavedMsg{Path: p, Hash: "h-a.jpg"}))
	if got := m.Current().Result.Crop; got != saved {
		t.Fatalf("saved crop not shown: %v", got)
	}
	if !strings.Contains(m.View(), "30x30 at 5,5") {
		t.Fatalf("details:\n%s", m.View())
	}
}

// Only a face crop shows a confidence; "crop center 40%" meant nothing.
func TestCropLineShowsConfidenceOnlyForFaces(t *testing.T) {
	r := &imageprep.Result{Crop: image.Rect(10, 20, 110, 120), Confidence: 0.4}
	for method, want := range map[imageprep.Method]string{
		imageprep.MethodFace:   "crop face 40% · 100x100 at 10,20",
		imageprep.MethodCenter: "crop center · 100x100 at 10,20",
		imageprep.MethodSmart:  "crop smart · 100x100 at 10,20",
		imageprep.MethodManual: "crop manual · 100x100 at 10,20",
	} {
		r.Method = method
		if got := cropLine(r); got != want {
			t.Errorf("%s: %q, want %q", method, got, want)
		}
	}
}

// Coming back to a photo reuses its drawing: with kitty the same image,
// already in the terminal, so nothing is encoded or sent again.
func TestPreviewRevisitReusesTheEncodedImage(t *testing.T) {
	var out strings.Builder
	c := common.NewCommon(common.ColorTrue)
	c.Gfx = graphics.NewScreen(graphics.Kitty, graphics.Caps{Kitty: true, Version: "kitty(0.35.0)", CellW: 8, CellH: 16}, &out)
	m := New(c, &fakePrep{}, imageprep.Options{})
	m.SetDebounce(0)
	m.SetSize(80, 20)
	fs := files(t, "a.jpg", "b.jpg")
	settle(m, m.Show(fs[0]))
	first := m.cur
	if first == nil || first.origIm == nil || first.resIm == nil {
		t.Fatalf("no kitty images drawn: %+v", first)
	}
	if v := m.View(); !strings.ContainsRune(v, '\U0010EEEE') {
		t.Fatal("no placeholders in the view")
	}
	settle(m, m.Show(fs[1]))
	if m.cur == first {
		t.Fatal("b shows a's drawing")
	}
	settle(m, m.Show(fs[0]))
	if m.cur != first {
		t.Fatal("a drawn again instead of reused")
	}
	// A new size is a new drawing.
	m.SetSize(100, 30)
	settle(m, m.Update(tea.WindowSizeMsg{Width: 100, Height: 30}))
	if m.cur == first || m.cur.cols != 100 {
		t.Fatalf("not redrawn at the new size: cols %d", m.cur.cols)
	}
}

// frameCols finds the crop square drawn in characters: the columns of ┏
// and ┓ on their row, or -1s when there is none.
func frameCols(v string) (left, right int) {
	for _, l := range strings.Split(v, "\n") {
		r := []rune(l)
		for i, c := range r {
			if c == '┏' {
				for j := i + 1; j < len(r); j++ {
					if r[j] == '┓' {
						return i, j
					}
				}
			}
		}
	}
	return -1, -1
}

// Without colours (NO_COLOR, 16 colours, or blocks forced there) the
// photo is drawn in plain characters and the crop square in box lines, at
// the crop's place: cropping works without colour.
func TestPreviewNoColorDrawsTheCropInCharacters(t *testing.T) {
	for _, mode := range []common.ColorMode{common.ColorNone, common.Color16, common.ColorPlain} {
		m := New(common.NewCommon(mode), &fakePrep{}, imageprep.Options{})
		m.SetDebounce(0)
		m.SetSize(60, 20)
		p := files(t, "bob.png")[0]
		settle(m, m.Show(p))
		v := m.View()
		for _, l := range strings.Split(v, "\n") {
			if strings.Contains(l, "┃") && strings.Contains(l, "\x1b[") {
				t.Fatalf("%v: escape codes in the picture: %q", mode, l)
			}
		}
		left, right := frameCols(v)
		if left < 0 || !strings.Contains(v, "┗") || !strings.Contains(v, "┛") {
			t.Fatalf("%v: no crop square:\n%s", mode, v)
		}
		// The crop is x 20-60 of an 80-wide photo: a quarter in, half
		// the width, of the original drawn at r.origW cells.
		w := m.cur.origW
		if d := left - w/4; d < -1 || d > 1 {
			t.Errorf("%v: square starts at column %d of %d", mode, left, w)
		}
		if d := (right - left + 1) - w/2; d < -1 || d > 1 {
			t.Errorf("%v: square %d wide of %d", mode, right-left+1, w)
		}
		// Moved right, the square moves right.
		settle(m, m.ShowCrop(p, &image.Rectangle{Min: image.Pt(40, 0), Max: image.Pt(80, 40)}))
		if l2, _ := frameCols(m.View()); l2 <= left {
			t.Errorf("%v: moved crop drawn at %d (was %d):\n%s", mode, l2, left, m.View())
		}
	}
	// --graphics none draws nothing but the details.
	c := common.NewCommon(common.ColorNone)
	c.Gfx = graphics.NewScreen(graphics.None, graphics.Caps{}, nil)
	m := New(c, &fakePrep{}, imageprep.Options{})
	m.SetDebounce(0)
	m.SetSize(60, 20)
	settle(m, m.Show(files(t, "bob.png")[0]))
	if l, _ := frameCols(m.View()); l >= 0 || !strings.Contains(m.View(), "crop face") {
		t.Fatalf("graphics none:\n%s", m.View())
	}
}

// With real pixels the crop square is gold in colour, and under NO_COLOR
// a white line edged in black (no colour, seen on any photo).
func TestCropOutlineWithoutColourIsBlackAndWhite(t *testing.T) {
	grey := func() *image.NRGBA {
		img := image.NewNRGBA(image.Rect(0, 0, 100, 100))
		for i := range img.Pix {
			img.Pix[i] = 128
		}
		return img
	}
	rc := image.Rect(20, 20, 60, 60)
	img := grey()
	outlineCrop(img, rc, true)
	if c := img.NRGBAAt(20, 40); c != cropColour {
		t.Fatalf("colour: edge pixel %v", c)
	}
	img = grey()
	outlineCrop(img, rc, false)
	white, black := color.NRGBA{255, 255, 255, 255}, color.NRGBA{0, 0, 0, 255}
	if c := img.NRGBAAt(20, 40); c != white {
		t.Fatalf("no colour: edge pixel %v", c)
	}
	if c := img.NRGBAAt(19, 40); c != black {
		t.Fatalf("no colour: outside the edge %v", c)
	}
	if c := img.NRGBAAt(21, 40); c != black {
		t.Fatalf("no colour: inside the edge %v", c)
	}
	for i := 0; i < len(img.Pix); i += 4 {
		if r, g, b := img.Pix[i], img.Pix[i+1], img.Pix[i+2]; r != g || g != b {
			t.Fatalf("a coloured pixel at %d: %v %v %v", i/4, r, g, b)
		}
	}
}
