package tui

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"headshot/imageprep"
	"headshot/tui/common"
	"headshot/tui/graphics"
	"headshot/tui/preview"
)

// benchFolder writes n distinct 800x1000 portrait JPEGs (20 pictures,
// each file made unique by a trailer after the image data).
func benchFolder(b *testing.B, n int) string {
	b.Helper()
	dir := filepath.Join(os.TempDir(), "headshot-bench-photos-"+strconv.Itoa(n))
	if m, _ := filepath.Glob(filepath.Join(dir, "*.jpg")); len(m) == n {
		return dir
	}
	os.MkdirAll(dir, 0o700)
	var pics [][]byte
	for k := 0; k < 20; k++ {
		img := image.NewRGBA(image.Rect(0, 0, 800, 1000))
		for y := 0; y < 1000; y++ {
			for x := 0; x < 800; x++ {
				c := color.RGBA{uint8(40 + k*5), uint8(60 + y/10), 90, 255}
				dx, dy := float64(x-400)/160, float64(y-400)/220
				if dx*dx+dy*dy <= 1 {
					c = color.RGBA{224, uint8(170 + k), 150, 255}
				}
				img.SetRGBA(x, y, c)
			}
		}
		var buf bytes.Buffer
		jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85})
		pics = append(pics, buf.Bytes())
	}
	for i := 0; i < n; i++ {
		data := append(append([]byte{}, pics[i%20]...), []byte(strconv.Itoa(i))...)
		if err := os.WriteFile(filepath.Join(dir, "p"+strconv.Itoa(1000+i)+".jpg"), data, 0o600); err != nil {
			b.Fatal(err)
		}
	}
	return dir
}

// lineRenderer does what Bubble Tea's standard renderer does with a
// frame in the alt screen: home, unchanged lines skipped, changed lines
// written with erase-to-end.
type lineRenderer struct {
	last []string
	out  *graphics.Screen
}

func (r *lineRenderer) flush(view string) {
	lines := strings.Split(view, "\n")
	var b strings.Builder
	b.WriteString("\x1b[H")
	for i, l := range lines {
		if i < len(r.last) && r.last[i] == l {
			b.WriteByte('\n')
			continue
		}
		b.WriteString(l + "\x1b[K")
		if i < len(lines)-1 {
			b.WriteString("\r\n")
		}
	}
	r.out.Write([]byte(b.String()))
	r.last = lines
}

type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// BenchmarkBrowse500 moves the browser's cursor down through 500 photos
// at 120x40 (cells 10x20 px) in each drawing mode, running every command
// (preparation, the debounce tick) to completion before the next key.
// Reported: frame-ms (the update loop's cost per frame: Update, View,
// the screen's marks and the renderer's diff), p99- and max-frame-ms, B/key (bytes
// to the terminal per keypress, images included) and prep-ms (preparing
// and encoding one photo's preview, in a command off the loop; centre
// crops, so face detection's cost, which is imageprep's, is left out).
// Run: go test -run '^$' -bench Browse500 -benchtime 500x ./tui/
func BenchmarkBrowse500(b *testing.B) {
	dir := benchFolder(b, 500)
	for _, proto := range []graphics.Protocol{graphics.HalfBlocks, graphics.Sextants, graphics.Sixel, graphics.Kitty} {
		b.Run(proto.String(), func(b *testing.B) {
			cw := &countingWriter{}
			caps := graphics.Caps{CellW: 10, CellH: 20, Sixel: true, Kitty: true, Version: "kitty(0.35.0)"}
			scr := graphics.NewScreen(proto, caps, cw)
			m := New(Options{Dir: dir, Color: common.ColorTrue, Gfx: scr, Prep: imageprep.Options{Crop: imageprep.MethodCenter}})
			r := &lineRenderer{out: scr}
			var frames int
			var frameTime, maxFrame, prepTime time.Duration
			var all []time.Duration
			var preps int
			step := func(msg tea.Msg) tea.Cmd {
				t0 := time.Now()
				_, cmd := m.Update(msg)
				r.flush(m.View())
				d := time.Since(t0)
				frames++
				frameTime += d
				maxFrame = max(maxFrame, d)
				all = append(all, d)
				return cmd
			}
			var run func(tea.Cmd)
			run = func(cmd tea.Cmd) {
				if cmd == nil {
					return
				}
				t0 := time.Now()
				msg := cmd()
				if _, ok := msg.(preview.ReadyMsg); ok {
					prepTime += time.Since(t0)
					preps++
				}
				if batch, ok := msg.(tea.BatchMsg); ok {
					for _, c := range batch {
						run(c)
					}
					return
				}
				if msg != nil {
					run(step(msg))
				}
			}
			run(step(tea.WindowSizeMsg{Width: 120, Height: 40}))
			run(m.Init())
			start := cw.n
			frames, frameTime, maxFrame, all = 0, 0, 0, nil
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				run(step(tea.KeyMsg{Type: tea.KeyDown}))
			}
			b.StopTimer()
			b.ReportMetric(float64(cw.n-start)/float64(b.N), "B/key")
			b.ReportMetric(float64(frameTime.Microseconds())/1000/float64(max(frames, 1)), "frame-ms")
			b.ReportMetric(float64(maxFrame.Microseconds())/1000, "max-frame-ms")
			if len(all) > 0 {
				slices.Sort(all)
				b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-frame-ms")
			}
			if preps > 0 {
				b.ReportMetric(float64(prepTime.Milliseconds())/float64(preps), "prep-ms")
			}
		})
	}
}
