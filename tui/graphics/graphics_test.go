package graphics

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"image"
	"image/color"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
)

func TestParseChoice(t *testing.T) {
	for in, want := range map[string]string{"": "auto", "AUTO": "auto", "kitty": "kitty", "sixel": "sixel",
		"iterm2": "iterm", "blocks": "blocks", "halfblocks": "blocks", "quadrant": "quadrants", "sextants": "sextants", "none": "none", "chars": "chars", "ascii": "chars"} {
		c, err := ParseChoice(in)
		if err != nil || c.String() != want {
			t.Errorf("ParseChoice(%q) = %v, %v; want %s", in, c, err, want)
		}
	}
	if _, err := ParseChoice("png\x1b[31m"); err == nil || strings.Contains(err.Error(), "\x1b") || !strings.Contains(err.Error(), "auto, kitty") {
		t.Errorf("bad value: err %v", err)
	}
}

func TestParseReplies(t *testing.T) {
	var c Caps
	// xterm -ti vt340: no kitty answer, XTVERSION, 256 registers, cell size, DA1 with 4.
	in := "\x1bP>|XTerm(379)\x1b\\\x1b[?1;0;256S\x1b[6;20;10t\x1b[?63;1;2;4;6;9;15;16;22;28c"
	if !parseReplies([]byte(in[:20]), &c) && c.Answered {
		t.Fatal("answered on a partial reply")
	}
	c = Caps{}
	if !parseReplies([]byte(in), &c) {
		t.Fatal("DA1 not seen")
	}
	if !c.Sixel || c.Kitty || c.SixelColors != 256 || c.Version != "XTerm(379)" || c.CellW != 10 || c.CellH != 20 {
		t.Fatalf("caps %+v", c)
	}
	c = Caps{}
	parseReplies([]byte("\x1b_Gi=31;OK\x1b\\\x1bP>|kitty(0.35.2)\x1b\\\x1b[?62;c"), &c)
	if !c.Kitty || c.Sixel || !c.Placeholders() {
		t.Fatalf("kitty caps %+v", c)
	}
	c = Caps{}
	parseReplies([]byte("\x1b_Gi=31;ENOTSUPPORTED:no\x1b\\\x1b[?62;22c"), &c)
	if c.Kitty || c.Sixel || !c.Answered {
		t.Fatalf("refusal read as support: %+v", c)
	}
	// Inside tmux, tmux answers DA1 itself; the outer terminal's
	// XTSMGRAPHICS answer is what says sixel.
	c = Caps{Tmux: true}
	parseReplies([]byte("\x1b[?1;2c\x1b[?1;0;1024S"), &c)
	if !c.Sixel || c.SixelColors != 1024 {
		t.Fatalf("tmux caps %+v", c)
	}
}

func TestChoose(t *testing.T) {
	auto := Choice{Auto: true}
	cases := []struct {
		name string
		c    Caps
		ch   Choice
		mode bool
		want Protocol
	}{
		{"kitty new", Caps{Kitty: true, Version: "kitty(0.35.1)"}, auto, true, Kitty},
		{"kitty old direct", Caps{Kitty: true, Version: "kitty(0.26.5)"}, auto, true, Kitty},
		{"wezterm prefers sixel", Caps{Kitty: true, Sixel: true, Version: "WezTerm 2024"}, auto, true, Sixel},
		{"xterm", Caps{Sixel: true}, auto, true, Sixel},
		{"tmux no passthrough", Caps{Sixel: true, Tmux: true}, auto, true, HalfBlocks},
		{"tmux old kitty", Caps{Kitty: true, Version: "kitty(0.26.5)", Tmux: true, Passthrough: true}, auto, true, HalfBlocks},
		{"tmux sixel", Caps{Sixel: true, Tmux: true, Passthrough: true}, auto, true, Sixel},
		{"iterm", Caps{ITerm: true}, auto, true, ITerm},
		{"plain terminal", Caps{Answered: true}, auto, true, HalfBlocks},
		{"16 colours", Caps{}, auto, false, Chars},
		{"forced none", Caps{}, Choice{Protocol: None}, false, None},
		{"forced", Caps{Kitty: true}, Choice{Protocol: Sextants}, true, Sextants},
	}
	for _, tc := range cases {
		if got := Choose(tc.c, tc.ch, tc.mode); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestWrapDoublesEscapes(t *testing.T) {
	got := Wrap("\x1b_Gq=2;\x1b\\", true)
	if got != "\x1bPtmux;\x1b\x1b_Gq=2;\x1b\x1b\\\x1b\\" {
		t.Fatalf("%q", got)
	}
	if Wrap("x", false) != "x" {
		t.Fatal("wrapped outside tmux")
	}
}

// halves is a w x h image, left half a, right half b.
func halves(w, h int, a, b color.NRGBA) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if x < w/2 {
				img.SetNRGBA(x, y, a)
			} else {
				img.SetNRGBA(x, y, b)
			}
		}
	}
	return img
}

var (
	black = color.NRGBA{0, 0, 0, 255}
	white = color.NRGBA{255, 255, 255, 255}
	red   = color.NRGBA{200, 30, 40, 255}
)

func TestTextCells(t *testing.T) {
	img := halves(2, 2, black, white)
	q := TextCells(img, Quadrants, truePalette{true})
	if len(q) != 1 || !strings.Contains(q[0], "▐") || !strings.Contains(q[0], "38;2;255;255;255") || !strings.Contains(q[0], "48;2;0;0;0") {
		t.Fatalf("quadrant %q", q)
	}
	s := TextCells(halves(2, 3, white, black), Sextants, truePalette{true})
	if len(s) != 1 || lipgloss.Width(s[0]) != 1 || !strings.Contains(s[0], "▌38;2;255") && !strings.Contains(s[0], "▌") {
		t.Fatalf("sextants %q", s)
	}
	// Only the top-left pixel bright: the first sextant.
	one := halves(2, 3, black, black)
	one.SetNRGBA(0, 0, white)
	if s := TextCells(one, Sextants, truePalette{true}); !strings.ContainsRune(s[0], 0x1FB00) {
		t.Fatalf("top-left sextant %q", s)
	}
	if r := sextantRune(1); r != 0x1FB00 {
		t.Fatalf("sextant 1 = %U", r)
	}
	if r := sextantRune(62); r != 0x1FB3B {
		t.Fatalf("sextant 62 = %U", r)
	}
	h := TextCells(halves(4, 4, red, white), HalfBlocks, indexPalette{})
	if len(h) != 2 || lipgloss.Width(h[0]) != 4 || strings.Contains(h[0], "38;2") {
		t.Fatalf("half blocks %q", h)
	}
	if TextCells(img, Quadrants, truePalette{false}) != nil {
		t.Fatal("drew blocks without colours")
	}
}

// decodeSixel is a small sixel reader for the tests: the raster size and
// each pixel's colour.
func decodeSixel(t *testing.T, data []byte) *image.NRGBA {
	t.Helper()
	s := string(data)
	if !strings.HasPrefix(s, "\x1bP") || !strings.HasSuffix(s, "\x1b\\") {
		t.Fatalf("not a DCS: %q", s[:min(20, len(s))])
	}
	s = s[strings.Index(s, "q")+1 : len(s)-2]
	num := func() int {
		i := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		n, _ := strconv.Atoi(s[:i])
		s = s[i:]
		return n
	}
	if s[0] != '"' {
		t.Fatal("no raster attributes")
	}
	s = s[1:]
	pan := num()
	s = s[1:]
	pad := num()
	s = s[1:]
	w := num()
	s = s[1:]
	h := num()
	if pan != 1 || pad != 1 {
		t.Fatalf("aspect %d:%d", pan, pad)
	}
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	pal := map[int]color.NRGBA{}
	cur, x, y := 0, 0, 0
	for len(s) > 0 {
		c := s[0]
		s = s[1:]
		switch {
		case c == '#':
			n := num()
			if len(s) > 0 && s[0] == ';' {
				s = s[1:]
				num() // 2: RGB
				s = s[1:]
				r := num()
				s = s[1:]
				g := num()
				s = s[1:]
				b := num()
				pal[n] = color.NRGBA{uint8(r * 255 / 100), uint8(g * 255 / 100), uint8(b * 255 / 100), 255}
			}
			cur = n
		case c == '$':
			x = 0
		case c == '-':
			x, y = 0, y+6
		case c == '!':
			n := num()
			ch := s[0]
			s = s[1:]
			for i := 0; i < n; i++ {
				put(img, pal[cur], x, y, ch)
				x++
			}
		case c >= '?' && c <= '~':
			put(img, pal[cur], x, y, c)
			x++
		default:
			t.Fatalf("unexpected %q in sixel data", c)
		}
	}
	return img
}

func put(img *image.NRGBA, c color.NRGBA, x, y int, ch byte) {
	v := ch - '?'
	for i := 0; i < 6; i++ {
		if v&(1<<i) != 0 {
			img.SetNRGBA(x, y+i, c)
		}
	}
}

func meanRGB(img *image.NRGBA, r image.Rectangle) [3]float64 {
	var s [3]float64
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c := img.NRGBAAt(x, y)
			s[0] += float64(c.R)
			s[1] += float64(c.G)
			s[2] += float64(c.B)
			n++
		}
	}
	for k := range s {
		s[k] /= float64(n)
	}
	return s
}

func TestSixelRoundTrip(t *testing.T) {
	src := halves(40, 27, red, white)
	// A gradient band so dithering has work to do.
	for y := 20; y < 27; y++ {
		for x := 0; x < 40; x++ {
			src.SetNRGBA(x, y, color.NRGBA{uint8(x * 6), 128, uint8(255 - x*6), 255})
		}
	}
	for _, regs := range []int{256, 16} {
		got := decodeSixel(t, EncodeSixel(src, regs))
		if got.Bounds() != src.Bounds() {
			t.Fatalf("size %v", got.Bounds())
		}
		for _, r := range []image.Rectangle{image.Rect(0, 0, 20, 20), image.Rect(20, 0, 40, 20), image.Rect(0, 20, 40, 27)} {
			a, b := meanRGB(src, r), meanRGB(got, r)
			for k := 0; k < 3; k++ {
				if d := a[k] - b[k]; d > 12 || d < -12 {
					t.Errorf("regs %d region %v channel %d: mean %.0f, source %.0f", regs, r, k, b[k], a[k])
				}
			}
		}
		// every pixel set: nothing transparent
		for y := 0; y < 27; y++ {
			for x := 0; x < 40; x++ {
				if got.NRGBAAt(x, y).A == 0 {
					t.Fatalf("regs %d: pixel %d,%d not drawn", regs, x, y)
				}
			}
		}
	}
	if n := cubeFor(16); n[0]*n[1]*n[2] > 16 {
		t.Fatalf("cube %v over 16 registers", n)
	}
}

func TestKittyTransmitAndPlaceholders(t *testing.T) {
	src := halves(64, 64, red, white)
	data := string(KittyTransmit(src, 7, 8, 4, true, false))
	parts := strings.Split(data, "\x1b\\")
	parts = parts[:len(parts)-1]
	var b64 strings.Builder
	for i, p := range parts {
		head, payload, _ := strings.Cut(strings.TrimPrefix(p, "\x1b_G"), ";")
		if len(payload) > kittyChunk {
			t.Fatalf("chunk %d: %d bytes", i, len(payload))
		}
		if i == 0 && !strings.Contains(head, "a=T,U=1,c=8,r=4") || !strings.Contains(head, "i=7") && i == 0 {
			t.Fatalf("first chunk keys %q", head)
		}
		last := i == len(parts)-1
		if strings.Contains(head, "m=1") == last {
			t.Fatalf("chunk %d of %d: %q", i, len(parts), head)
		}
		b64.WriteString(payload)
	}
	z, err := base64.StdEncoding.DecodeString(b64.String())
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zlib.NewReader(bytes.NewReader(z))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(zr)
	if len(raw) != 64*64*3 || raw[0] != red.R || raw[3*63] != white.R {
		t.Fatalf("pixels: %d bytes, %v", len(raw), raw[:6])
	}
	wrapped := string(KittyTransmit(src, 7, 8, 4, true, true))
	if !strings.HasPrefix(wrapped, "\x1bPtmux;\x1b\x1b_G") {
		t.Fatalf("tmux: %q", wrapped[:20])
	}

	lines := KittyPlaceholders(7, 8, 4)
	if len(lines) != 4 {
		t.Fatal(len(lines))
	}
	for r, l := range lines {
		if w := lipgloss.Width(l); w != 8 {
			t.Errorf("row %d width %d", r, w)
		}
		if strings.Count(l, string(placeholder)) != 8 || !strings.HasPrefix(l, "\x1b[38;5;7m") {
			t.Errorf("row %d: %q", r, l)
		}
		if !strings.Contains(l, string([]rune{placeholder, diacritics[r], diacritics[3]})) {
			t.Errorf("row %d: no cell (%d,3)", r, r)
		}
	}
}

func TestITerm(t *testing.T) {
	s := string(EncodeITerm(halves(16, 16, red, white), 5, 3, false))
	if !strings.HasPrefix(s, "\x1b]1337;File=inline=1;") || !strings.Contains(s, ";width=5;height=3;") || !strings.HasSuffix(s, "\a") {
		t.Fatalf("%q", s[:60])
	}
}

// truePalette is 24-bit colour (or, with images false, a mode that
// draws none); indexPalette a stand-in for 256 colours.
type truePalette struct{ images bool }

func (p truePalette) Images() bool { return p.images }
func (truePalette) FgParam(r, g, b uint8) string {
	return "38;2;" + strconv.Itoa(int(r)) + ";" + strconv.Itoa(int(g)) + ";" + strconv.Itoa(int(b))
}
func (truePalette) BgParam(r, g, b uint8) string {
	return "48;2;" + strconv.Itoa(int(r)) + ";" + strconv.Itoa(int(g)) + ";" + strconv.Itoa(int(b))
}

type indexPalette struct{}

func (indexPalette) Images() bool { return true }
func (indexPalette) FgParam(r, g, b uint8) string {
	return "38;5;" + strconv.Itoa(16+int(r)/43*36+int(g)/43*6+int(b)/43)
}
func (indexPalette) BgParam(r, g, b uint8) string {
	return "48;5;" + strconv.Itoa(16+int(r)/43*36+int(g)/43*6+int(b)/43)
}

// portraitish is a w x h test picture with gradients and edges.
func portraitish(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.NRGBA{uint8(x * 255 / w), uint8(y * 255 / h), uint8((x ^ y) & 0xff), 255}
			dx, dy := float64(x-w/2)/float64(w/4), float64(y-h/2)/float64(h/3)
			if dx*dx+dy*dy < 1 {
				c = color.NRGBA{224, 180, 150, 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

// BenchmarkEncode is each protocol's cost for the Correct screen's result
// at 120x40 with 8x17 cells (57x27 cells, 456x459 px).
func BenchmarkEncode(b *testing.B) {
	img := portraitish(456, 459)
	for _, tc := range []struct {
		name string
		enc  func() int
	}{
		{"sixel", func() int { return len(EncodeSixel(img, 256)) }},
		{"kitty", func() int { return len(KittyTransmit(img, 1, 57, 27, true, false)) }},
		{"iterm", func() int { return len(EncodeITerm(img, 57, 27, false)) }},
		{"sextants", func() int {
			n := 0
			for _, l := range TextCells(portraitish(114, 81), Sextants, truePalette{true}) {
				n += len(l)
			}
			return n
		}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			n := 0
			for i := 0; i < b.N; i++ {
				n = tc.enc()
			}
			b.ReportMetric(float64(n), "bytes")
		})
	}
}

// Chars: darker pixels get lighter characters, the shades stretch over
// the picture's own range, and one cell covers 1x2 pixels.
func TestCharGridShades(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 3, 4))
	set := func(x, y int, v uint8) { img.SetNRGBA(x, y, color.NRGBA{v, v, v, 255}) }
	for y := 0; y < 4; y++ {
		set(0, y, 40)  // the darkest: ' '
		set(1, y, 100) // in the middle
		set(2, y, 160) // the brightest: '@'
	}
	lines := GridLines(CharGrid(img))
	if len(lines) != 2 || lines[0] != lines[1] {
		t.Fatalf("4 pixel rows should be 2 equal cell rows: %q", lines)
	}
	if r := []rune(lines[0]); r[0] != ' ' || r[2] != '@' || r[1] == ' ' || r[1] == '@' {
		t.Fatalf("shades %q", lines[0])
	}
	flat := image.NewNRGBA(image.Rect(0, 0, 2, 2))
	if l := GridLines(CharGrid(flat)); len(l) != 1 || l[0] != "  " {
		t.Fatalf("a flat picture: %q", l)
	}
}

func TestFrameCellsDrawsAndClips(t *testing.T) {
	grid := CharGrid(image.NewNRGBA(image.Rect(0, 0, 6, 8))) // 6x4 cells
	FrameCells(grid, image.Rect(1, 1, 4, 4))
	want := []string{
		"      ",
		" ┏━┓  ",
		" ┃ ┃  ",
		" ┗━┛  ",
	}
	if got := GridLines(grid); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("frame:\n%s", strings.Join(got, "\n"))
	}
	// Past the edge: clipped, never a panic.
	grid = CharGrid(image.NewNRGBA(image.Rect(0, 0, 4, 4)))
	FrameCells(grid, image.Rect(2, -3, 9, 9))
	if got := GridLines(grid); got[0] != "  ┏┓" || got[1] != "  ┗┛" {
		t.Fatalf("clipped frame: %q", got)
	}
	FrameCells(grid, image.Rect(7, 7, 9, 9)) // wholly outside
	FrameCells(nil, image.Rect(0, 0, 1, 1))
}
