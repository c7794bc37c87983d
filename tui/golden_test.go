package tui

import (
	"flag"
	"fmt"
	"headshot/imageprep/benchdata"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"headshot/imageprep"
	"headshot/tui/common"
	"headshot/upload"
	"headshot/upload/journal"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// drive runs cmd and feeds every message it produces back into the root,
// until nothing is left (quit messages are dropped).
func drive(t *testing.T, m *Model, cmd tea.Cmd) {
	t.Helper()
	queue := []tea.Cmd{cmd}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 10000 {
			t.Fatal("commands never settle")
		}
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case nil, tea.QuitMsg:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		default:
			_, next := m.Update(msg)
			queue = append(queue, next)
		}
	}
}

func send(t *testing.T, m *Model, msgs ...tea.Msg) {
	t.Helper()
	for _, msg := range msgs {
		_, cmd := m.Update(msg)
		drive(t, m, cmd)
	}
}

func writeGradient(t *testing.T, path string, w, h int) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x * 4), uint8(y * 4), 120, 255})
		}
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}

// writePortrait writes a real portrait (one face, 800x600: nothing the
// review gate holds) at path; the name goes into a JPEG comment, so every
// file is its own photo.
func writePortrait(t *testing.T, path string) {
	t.Helper()
	data, err := benchdata.Render(benchdata.SmallJPEG)
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Base(path)
	com := append([]byte{0xFF, 0xFE, 0, byte(len(name) + 2)}, name...)
	out := append(append(append([]byte{}, data[:2]...), com...), data[2:]...)
	if err := os.WriteFile(path, out, 0o600); err != nil {
		t.Fatal(err)
	}
}

// photoFolder makes ./photos in a fresh working directory: a sub-folder,
// two real photos and many generated names.
func photoFolder(t *testing.T) string {
	t.Helper()
	t.Chdir(t.TempDir())
	must(t, os.MkdirAll(filepath.Join("photos", "contractors"), 0o700))
	writeGradient(t, filepath.Join("photos", "alice.png"), 320, 240)
	writeGradient(t, filepath.Join("photos", "bob.png"), 160, 240)
	for i := 0; i < 40; i++ {
		must(t, os.WriteFile(filepath.Join("photos", fmt.Sprintf("staff%03d.jpg", i)), nil, 0o600))
	}
	must(t, os.WriteFile(filepath.Join("photos", "list.csv"), []byte("x"), 0o600))
	return "photos"
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func goldenModel(t *testing.T, w, h int) *Model {
	t.Helper()
	return goldenModelIn(t, w, h, common.ColorPlain)
}

func goldenModelIn(t *testing.T, w, h int, color common.ColorMode) *Model {
	t.Helper()
	dir := photoFolder(t)
	j, err := journal.Open(filepath.Join(t.TempDir(), "journal.db"))
	must(t, err)
	t.Cleanup(func() { j.Close() })
	must(t, j.Put(journal.Entry{Person: "alice", Platform: upload.Zoom, State: journal.StateUploaded}))
	must(t, j.Put(journal.Entry{Person: "alice", Platform: upload.Igloo, State: journal.StateFailed}))
	must(t, j.Put(journal.Entry{Person: "bob", Platform: upload.Netex, State: journal.StateInterrupted}))
	m := New(Options{Dir: dir, Color: color, Journal: j,
		Prep: imageprep.Options{Crop: imageprep.MethodCenter}})
	drive(t, m, m.Init())
	send(t, m, tea.WindowSizeMsg{Width: w, Height: h})
	return m
}

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join(testdataDir, name+".golden")
	if *update {
		must(t, os.MkdirAll(testdataDir, 0o755))
		must(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./tui -run Golden -update)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from %s:\n--- got\n%s\n--- want\n%s", name, path, got, want)
	}
}

// testdataDir is absolute: the golden tests change directory.
var testdataDir = func() string {
	wd, err := os.Getwd()
	if err != nil {
		panic(err)
	}
	return filepath.Join(wd, "testdata")
}()

func checkFits(t *testing.T, v string, w, h int) {
	t.Helper()
	lines := strings.Split(v, "\n")
	if len(lines) > h {
		t.Errorf("%d rows for a %d-row terminal", len(lines), h)
	}
	for i, l := range lines {
		if n := len([]rune(l)); n > w {
			t.Errorf("row %d is %d wide (terminal %d): %q", i, n, w, l)
		}
	}
}

func TestGoldenBrowse(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			m := goldenModel(t, size[0], size[1])
			send(t, m, keyMsg("down"), keyMsg("space")) // select alice; the cursor moves on to bob
			v := m.View()
			checkFits(t, v, size[0], size[1])
			checkGolden(t, fmt.Sprintf("browse-%dx%d", size[0], size[1]), v)
		})
	}
}

// The browser in 256 colours draws the photo in half blocks; the golden
// keeps the glyphs (colours stripped), so it shows where the pictures go
// and how big they are at each size.
func TestGoldenBrowseBlocks(t *testing.T) {
	for _, size := range browseSizes {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			m := goldenModelIn(t, size[0], size[1], common.Color256)
			send(t, m, keyMsg("down"), keyMsg("space")) // select alice; the cursor moves on to bob
			v := ansi.Strip(m.View())
			checkFits(t, v, size[0], size[1])
			checkGolden(t, fmt.Sprintf("browse-blocks-%dx%d", size[0], size[1]), v)
		})
	}
}

func TestGoldenCorrect(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			m := goldenModel(t, size[0], size[1])
			send(t, m, keyMsg("down"), keyMsg("enter"))
			if m.Screen() != common.ScreenCorrect {
				t.Fatalf("enter on a photo should open Correct, screen %v", m.Screen())
			}
			send(t, m, keyMsg("+"), keyMsg("l"))
			v := m.View()
			checkFits(t, v, size[0], size[1])
			checkGolden(t, fmt.Sprintf("correct-%dx%d", size[0], size[1]), v)
			// The crop was changed and not saved: esc asks first.
			send(t, m, keyMsg("esc"))
			if m.Screen() != common.ScreenCorrect || !strings.Contains(m.View(), "not saved") {
				t.Fatalf("esc with an unsaved crop should ask:\n%s", m.View())
			}
			send(t, m, keyMsg("y"))
			if m.Screen() != common.ScreenBrowse {
				t.Fatal("y (discard) should return to the browser")
			}
		})
	}
}
