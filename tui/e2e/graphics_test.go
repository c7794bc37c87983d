package e2e

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"math/bits"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/disintegration/imaging"

	"headshot/imageprep"
	"headshot/tui/demo"
	"headshot/upload/config"
)

// needX skips unless a virtual X server, xterm and the tools to drive and
// photograph it are installed (CI installs them: xvfb xterm x11-apps
// xdotool).
func needX(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"Xvfb", "xterm", "xwd", "xdotool"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed (apt-get install xvfb xterm x11-apps xdotool)", tool)
		}
	}
}

// xserver is an Xvfb display.
type xserver struct {
	display string
	cmd     *exec.Cmd
}

// startX runs Xvfb on a display it picks itself (-displayfd).
func startX(t *testing.T, w, h int) *xserver {
	t.Helper()
	r, wr, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", fmt.Sprintf("%dx%dx24", w, h), "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{wr}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	wr.Close()
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	got := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(r).ReadString('\n')
		got <- strings.TrimSpace(line)
	}()
	select {
	case d := <-got:
		if d == "" {
			t.Skip("Xvfb did not start")
		}
		return &xserver{display: ":" + d, cmd: cmd}
	case <-time.After(20 * time.Second):
		t.Skip("Xvfb did not start in 20s")
	}
	return nil
}

// screenshot photographs the whole screen, or the window of class
// winClass (a GL window such as kitty's reads wrong from the root), with
// xwd and, when HEADSHOT_SHOTS names a folder, keeps it there as
// name.png.
func (x *xserver) screenshot(t *testing.T, name, winClass string) *image.NRGBA {
	t.Helper()
	args := []string{"-root"}
	if winClass != "" {
		cmd := exec.Command("xdotool", "search", "--class", winClass)
		cmd.Env = append(os.Environ(), "DISPLAY="+x.display)
		ids, err := cmd.Output()
		f := strings.Fields(string(ids))
		if err != nil || len(f) == 0 {
			t.Fatalf("no %s window: %v", winClass, err)
		}
		args = []string{"-id", f[len(f)-1]}
	}
	out, err := exec.Command("xwd", append(args, "-silent", "-display", x.display)...).Output()
	if err != nil {
		t.Fatalf("xwd: %v", err)
	}
	img, err := decodeXWD(out)
	if err != nil {
		t.Fatalf("xwd: %v", err)
	}
	if dir := os.Getenv("HEADSHOT_SHOTS"); dir != "" {
		f, err := os.Create(filepath.Join(dir, name+".png"))
		if err == nil {
			png.Encode(f, img)
			f.Close()
			t.Logf("screenshot %s", f.Name())
		}
	}
	return img
}

func (x *xserver) keys(t *testing.T, keys ...string) {
	t.Helper()
	args := append([]string{"key", "--delay", "150"}, keys...)
	cmd := exec.Command("xdotool", args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+x.display)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("xdotool %v: %v %s", keys, err, out)
	}
}

// decodeXWD reads a 24/32-bit ZPixmap X window dump.
func decodeXWD(b []byte) (*image.NRGBA, error) {
	if len(b) < 100 {
		return nil, fmt.Errorf("dump of %d bytes", len(b))
	}
	u := func(i int) uint32 { return binary.BigEndian.Uint32(b[i*4:]) }
	header, format, w, h, order, bpp, bpl := u(0), u(2), u(4), u(5), u(7), u(11), u(12)
	rm, gm, bm, ncolors := u(14), u(15), u(16), u(19)
	if format != 2 || bpp != 32 || rm == 0 || gm == 0 || bm == 0 {
		return nil, fmt.Errorf("unsupported dump: format %d, %d bits per pixel", format, bpp)
	}
	off := int(header) + int(ncolors)*12
	if off+int(h)*int(bpl) > len(b) {
		return nil, fmt.Errorf("dump truncated")
	}
	ch := func(p, m uint32) uint8 { return uint8((p & m) >> bits.TrailingZeros32(m)) }
	img := image.NewNRGBA(image.Rect(0, 0, int(w), int(h)))
	for y := 0; y < int(h); y++ {
		row := b[off+y*int(bpl):]
		for x := 0; x < int(w); x++ {
			var p uint32
			if order == 0 {
				p = binary.LittleEndian.Uint32(row[x*4:])
			} else {
				p = binary.BigEndian.Uint32(row[x*4:])
			}
			img.SetNRGBA(x, y, color.NRGBA{ch(p, rm), ch(p, gm), ch(p, bm), 255})
		}
	}
	return img, nil
}

// drawn is one image the screen drew, read from its trace.
type drawn struct {
	proto                string
	row, col, cols, rows int
	cellW, cellH         int
}

var traceLine = regexp.MustCompile(`^draw (\w+) row=(\d+) col=(\d+) cols=(\d+) rows=(\d+) cell=(\d+)x(\d+)`)

// lastDraws is the images drawn by the latest frame that drew two (the
// original and the result), and how many trace lines there were.
func lastDraws(path string) ([]drawn, int) {
	data, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	var batch, last []drawn
	for _, l := range lines {
		m := traceLine.FindStringSubmatch(l)
		if m == nil {
			batch = nil
			continue
		}
		n := func(i int) int { v, _ := strconv.Atoi(m[i]); return v }
		batch = append(batch, drawn{m[1], n(2), n(3), n(4), n(5), n(6), n(7)})
		if len(batch) == 2 {
			last = batch
			batch = nil
		}
	}
	return last, len(lines)
}

// waitDraws waits for a frame drawing two images that differs from prev,
// then for the trace to be quiet (the terminal has drawn what it got).
func waitDraws(t *testing.T, trace string, prev []drawn, timeout time.Duration) []drawn {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var got []drawn
	n := -1
	for time.Now().Before(deadline) {
		d, lines := lastDraws(trace)
		if len(d) == 2 && (prev == nil || d[1] != prev[1]) {
			if lines == n && fmt.Sprint(d) == fmt.Sprint(got) {
				return d
			}
			got, n = d, lines
		}
		time.Sleep(700 * time.Millisecond)
	}
	data, _ := os.ReadFile(trace)
	t.Fatalf("no images drawn in %v; trace:\n%s", timeout, data)
	return nil
}

// box is a drawn image's pixels on the screen.
func (d drawn) box() image.Rectangle {
	return image.Rect(d.col*d.cellW, d.row*d.cellH, (d.col+d.cols)*d.cellW, (d.row+d.rows)*d.cellH)
}

// lumaGrid is img's mean luma over a g x g grid.
func lumaGrid(img image.Image, g int) []float64 {
	small := imaging.Resize(img, g, g, imaging.Box)
	out := make([]float64, 0, g*g)
	for y := 0; y < g; y++ {
		for x := 0; x < g; x++ {
			c := small.NRGBAAt(x, y)
			out = append(out, 0.299*float64(c.R)+0.587*float64(c.G)+0.114*float64(c.B))
		}
	}
	return out
}

// edges is the gradient magnitude of a g x g luma grid.
func edges(l []float64, g int) []float64 {
	out := make([]float64, 0, g*g)
	for y := 1; y < g-1; y++ {
		for x := 1; x < g-1; x++ {
			dx := l[y*g+x+1] - l[y*g+x-1]
			dy := l[(y+1)*g+x] - l[(y-1)*g+x]
			out = append(out, math.Hypot(dx, dy))
		}
	}
	return out
}

func correlation(a, b []float64) float64 {
	var ma, mb float64
	for i := range a {
		ma += a[i]
		mb += b[i]
	}
	ma /= float64(len(a))
	mb /= float64(len(b))
	var num, da, db float64
	for i := range a {
		num += (a[i] - ma) * (b[i] - mb)
		da += (a[i] - ma) * (a[i] - ma)
		db += (b[i] - mb) * (b[i] - mb)
	}
	return num / math.Sqrt(da*db+1e-9)
}

func meanRGB(img image.Image) [3]float64 {
	small := imaging.Resize(img, 1, 1, imaging.Box)
	c := small.NRGBAAt(0, 0)
	return [3]float64{float64(c.R), float64(c.G), float64(c.B)}
}

// problems collects what a screenshot got wrong.
type problems []string

func (p *problems) add(format string, args ...any) { *p = append(*p, fmt.Sprintf(format, args...)) }

// settled photographs the screen until check finds nothing wrong (the
// terminal paints what it was sent in its own time: kitty on a software
// renderer under load takes seconds), failing with the last problems
// after 30 s.
func (x *xserver) settled(t *testing.T, name, winClass string, check func(*problems, *image.NRGBA)) *image.NRGBA {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		shot := x.screenshot(t, name, winClass)
		var p problems
		check(&p, shot)
		if len(p) == 0 {
			return shot
		}
		if time.Now().After(deadline) {
			for _, e := range p {
				t.Error(e)
			}
			return shot
		}
		time.Sleep(time.Second)
	}
}

// checkShows checks that the screen's box holds want: the same mean
// colour, the same light and dark areas, the same edges.
func checkShows(p *problems, shot *image.NRGBA, d drawn, want image.Image, what string) {
	r := d.box()
	if !r.In(shot.Bounds()) {
		p.add("%s: box %v outside the screen %v", what, r, shot.Bounds())
		return
	}
	got := imaging.Crop(shot, r)
	exp := imaging.Resize(want, r.Dx(), r.Dy(), imaging.Lanczos)
	mg, me := meanRGB(got), meanRGB(exp)
	for k := 0; k < 3; k++ {
		if math.Abs(mg[k]-me[k]) > 14 {
			p.add("%s: mean colour %.0f,%.0f,%.0f; the photo's %.0f,%.0f,%.0f", what, mg[0], mg[1], mg[2], me[0], me[1], me[2])
			break
		}
	}
	const g = 24
	lg, le := lumaGrid(got, g), lumaGrid(exp, g)
	if c := correlation(lg, le); c < 0.9 {
		p.add("%s: light and dark areas correlate %.2f with the photo's (want >= 0.9)", what, c)
	}
	if c := correlation(edges(lg, g), edges(le, g)); c < 0.7 {
		p.add("%s: edges correlate %.2f with the photo's (want >= 0.7)", what, c)
	}
}

// checkBlank checks that r holds only the terminal's background: no
// image pixel spilled there.
func checkBlank(p *problems, shot *image.NRGBA, r image.Rectangle, bg color.NRGBA, what string) {
	r = r.Intersect(shot.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if c := shot.NRGBAAt(x, y); c != bg {
				p.add("%s: pixel %d,%d is %v, not the background %v: something drawn outside the image", what, x, y, c, bg)
				return
			}
		}
	}
}

// checkLayout checks both images of a preview: the result holds the
// prepared photo, the original the photo, and the gap between them and
// the top pixel rows under them are background.
func checkLayout(p *problems, shot *image.NRGBA, ds []drawn, photo, result image.Image, bg color.NRGBA, termWidth int, what string) {
	orig, res := ds[0], ds[1]
	if res.col < orig.col || res.row < orig.row {
		orig, res = res, orig
	}
	checkShows(p, shot, res, result, what+" result")
	checkShows(p, shot, orig, photo, what+" original")
	ob, rb := orig.box(), res.box()
	if res.row > orig.row { // stacked: the result under the original
		checkBlank(p, shot, image.Rect(ob.Min.X, ob.Max.Y, max(ob.Max.X, rb.Max.X), rb.Min.Y), bg, what+" gap")
	} else {
		checkBlank(p, shot, image.Rect(ob.Max.X, rb.Min.Y, rb.Min.X, rb.Max.Y), bg, what+" gap")
	}
	// Text under an image starts a few pixels down its cell; an image
	// running over would fill the cell's top rows.
	checkBlank(p, shot, image.Rect(rb.Min.X, rb.Max.Y, rb.Max.X, rb.Max.Y+2), bg, what+" under the result")
	checkBlank(p, shot, image.Rect(ob.Min.X, ob.Max.Y, ob.Max.X, ob.Max.Y+2), bg, what+" under the original")
	if rb.Max.X+res.cellW <= termWidth {
		checkBlank(p, shot, image.Rect(rb.Max.X, rb.Min.Y, rb.Max.X+2, rb.Max.Y), bg, what+" right of the result")
	}
}

// TestDemoSixelInXterm runs `headshot demo` in xterm emulating a VT340
// (sixel) under a virtual X server, photographs the screen, and checks
// that the browser's and the Correct screen's previews hold the photo's
// pixels where the screen drew them, and nothing outside.
func TestDemoSixelInXterm(t *testing.T) {
	needX(t)
	testSixelDemo(t, "xterm-sixel", nil, headshot(t), "demo", "--fast", "20")
}

// TestDemoSixelThroughTmux is the same inside tmux with
// allow-passthrough on (its own server and config): the images cross
// tmux to xterm, placed at the pane's cells.
func TestDemoSixelThroughTmux(t *testing.T) {
	needX(t)
	needTmux(t)
	conf := filepath.Join(t.TempDir(), "tmux.conf")
	if err := os.WriteFile(conf, []byte("set -g allow-passthrough on\nset -g default-terminal tmux-256color\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(t.TempDir(), "tmux.sock")
	t.Cleanup(func() { exec.Command("tmux", "-S", sock, "kill-server").Run() })
	tmux := func(args ...string) {
		t.Helper()
		if out, err := exec.Command("tmux", append([]string{"-S", sock}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("tmux %v: %v %s", args, err, out)
		}
	}
	// tmux repaints a window it shows again from its own copy of the
	// cells, which has no passed-through images: headshot notices and
	// draws them again; while the other window shows, nothing is drawn.
	switchAway := func(t *testing.T, x *xserver, browse []drawn) {
		tmux("new-window", "-d", "sleep 600")
		tmux("select-window", "-t", ":1")
		time.Sleep(1500 * time.Millisecond)
		x.settled(t, "tmux-sixel-other-window", "", func(p *problems, shot *image.NRGBA) {
			for _, d := range browse {
				checkBlank(p, shot, d.box(), color.NRGBA{0x1e, 0x1e, 0x28, 0xff}, "the other window where the photo was")
			}
		})
		tmux("select-window", "-t", ":0")
		tmux("kill-window", "-t", ":1") // q then ends the session
	}
	testSixelDemo(t, "tmux-sixel", switchAway, "tmux", "-S", sock, "-f", conf, "new-session", headshot(t)+" demo --fast 20")
}

func testSixelDemo(t *testing.T, name string, switchAway func(*testing.T, *xserver, []drawn), argv ...string) {
	testDemoImages(t, name, "sixel", "", switchAway, func(ctx context.Context) *exec.Cmd {
		term := exec.CommandContext(ctx, "xterm", "-ti", "vt340", "-xrm", "XTerm*decTerminalID: vt340",
			"-xrm", "XTerm*numColorRegisters: 256", "-geometry", "120x40+0+0", "-b", "0", "-bw", "0",
			"-bg", "#1e1e28", "-fg", "#d0d0d0", "-fa", "Monospace", "-fs", "10",
			"-e")
		term.Args = append(term.Args, argv...)
		return term
	})
}

// TestDemoKitty is the same in kitty (the kitty graphics protocol:
// Debian's kitty 0.26 takes direct placements; 0.28+ would get Unicode
// placeholders), where kitty starts on Xvfb (it needs OpenGL 3.3; Mesa's
// software renderer gives it).
func TestDemoKitty(t *testing.T) {
	needX(t)
	if _, err := exec.LookPath("kitty"); err != nil {
		t.Skip("kitty not installed")
	}
	bin := headshot(t)
	testDemoImages(t, "kitty", "kitty", "kitty", nil, func(ctx context.Context) *exec.Cmd {
		term := exec.CommandContext(ctx, "kitty", "--config", "NONE", "-o", "background=#1e1e28", "-o", "foreground=#d0d0d0",
			"-o", "window_padding_width=0", "-o", "initial_window_width=120c", "-o", "initial_window_height=40c",
			"-o", "remember_window_size=no", "-o", "font_size=10", "-o", "placement_strategy=top-left",
			bin, "demo", "--fast", "20")
		term.Env = append(term.Env, "LIBGL_ALWAYS_SOFTWARE=1")
		return term
	})
}

// testDemoImages runs the demo in the terminal newTerm starts (its
// window of class winClass photographed alone; "": the whole screen),
// expecting protocol want. switchAway, when set, hides the browser after
// its first screenshot and shows it again (a tmux window switch): the
// photo must be back.
func testDemoImages(t *testing.T, name, want, winClass string, switchAway func(*testing.T, *xserver, []drawn), newTerm func(context.Context) *exec.Cmd) {
	x := startX(t, 1100, 760)
	env := cleanEnv(t)
	trace := filepath.Join(t.TempDir(), "trace.log")
	env = append(env, "DISPLAY="+x.display, "HEADSHOT_GRAPHICS_TRACE="+trace, "TMPDIR="+t.TempDir())
	bg := color.NRGBA{0x1e, 0x1e, 0x28, 0xff}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	term := newTerm(ctx)
	term.Env = append(env, term.Env...)
	if err := term.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{}) // closed when xterm has ended
	go func() { term.Wait(); close(exited) }()
	t.Cleanup(func() {
		select {
		case <-exited:
		default:
			term.Process.Kill()
			<-exited
		}
	})

	// What the browser shows first: the first sample, prepared as the
	// demo prepares it.
	samples := t.TempDir()
	if _, err := demo.WriteSamples(samples, demo.SampleOptions{BigWidth: 600, BigHeight: 400}); err != nil {
		t.Fatal(err)
	}
	first := filepath.Join(samples, "amara.okafor@example.com.jpg")
	res, err := imageprep.NewPreparer().Prepare(context.Background(), first, (&config.Config{}).PrepOptions())
	if err != nil {
		t.Fatal(err)
	}
	result, err := imaging.Decode(strings.NewReader(string(res.Data)))
	if err != nil {
		t.Fatal(err)
	}
	photo, err := imaging.Open(first, imaging.AutoOrientation(true))
	if err != nil {
		t.Fatal(err)
	}

	// A terminal that cannot start here (kitty without OpenGL) is skipped.
	for start := time.Now(); ; time.Sleep(200 * time.Millisecond) {
		if _, err := os.Stat(trace); err == nil {
			break
		}
		select {
		case <-exited:
			t.Skipf("%s ended before headshot started (it does not run on this X server)", term.Args[0])
		default:
		}
		if time.Since(start) > time.Minute {
			t.Skipf("%s did not start headshot in a minute", term.Args[0])
		}
	}
	browse := waitDraws(t, trace, nil, 2*time.Minute)
	if browse[0].proto != want {
		t.Fatalf("%s detected as %s, want %s", term.Args[0], browse[0].proto, want)
	}
	cw, ch := browse[0].cellW, browse[0].cellH
	x.settled(t, name+"-browse", winClass, func(p *problems, shot *image.NRGBA) {
		// The terminal is the top-left 120x40 cells: the cell size the
		// screen was told matches what is on the screen (the last column
		// is the terminal's background, the next the bare X root).
		if winClass != "" {
			if w := shot.Bounds().Dx(); w < 120*cw || w >= 121*cw {
				p.add("cell %dx%d: the window is %d px wide, not 120 cells", cw, ch, w)
			}
		} else if c, out := shot.NRGBAAt(120*cw-1, 30*ch), shot.NRGBAAt(120*cw, 30*ch); c != bg || out == bg {
			p.add("cell %dx%d: the terminal's right edge is not at x=%d (%v, then %v)", cw, ch, 120*cw, c, out)
		}
		checkLayout(p, shot, browse, photo, result, bg, 120*cw, "browse")
	})

	if switchAway != nil {
		switchAway(t, x, browse)
		x.settled(t, name+"-browse-again", winClass, func(p *problems, shot *image.NRGBA) {
			checkLayout(p, shot, browse, photo, result, bg, 120*cw, "browse shown again")
		})
	}

	x.keys(t, "Return")
	correct := waitDraws(t, trace, browse, time.Minute)
	x.settled(t, name+"-correct", winClass, func(p *problems, shot *image.NRGBA) {
		checkLayout(p, shot, correct, photo, result, bg, 120*cw, "correct")
	})
	if correct[1].rows <= browse[1].rows {
		t.Errorf("Correct's result is %d rows, no bigger than the browser's %d", correct[1].rows, browse[1].rows)
	}
	// Back in the browser, Correct's images are gone: below the
	// browser's details (six rows), where Correct's result sat, nothing
	// is drawn now.
	x.keys(t, "Escape")
	back := waitDraws(t, trace, correct, time.Minute)
	x.settled(t, name+"-back", winClass, func(p *problems, shot *image.NRGBA) {
		checkLayout(p, shot, back, photo, result, bg, 120*cw, "back in browse")
		cb, bb := correct[1].box(), back[1].box()
		if top := bb.Max.Y + 7*ch; cb.Max.Y > top {
			checkBlank(p, shot, image.Rect(cb.Min.X, top, cb.Max.X, cb.Max.Y), bg, "where Correct's result was")
		}
	})

	x.keys(t, "q")
	select {
	case <-exited:
	case <-time.After(20 * time.Second):
		t.Error("headshot did not quit on q")
	}
}
