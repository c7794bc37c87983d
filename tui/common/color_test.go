package common

import (
	"strings"
	"testing"
)

func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

func TestDetectColorMode(t *testing.T) {
	cases := []struct {
		name string
		env  func(string) string
		want ColorMode
	}{
		{"no_color wins", env("NO_COLOR", "1", "COLORTERM", "truecolor", "TERM", "xterm-256color"), ColorNone},
		{"truecolor", env("COLORTERM", "truecolor", "TERM", "xterm"), ColorTrue},
		{"24bit", env("COLORTERM", "24bit"), ColorTrue},
		{"256", env("TERM", "xterm-256color"), Color256},
		{"tmux", env("TERM", "tmux"), Color256},
		{"16", env("TERM", "xterm"), Color16},
		{"dumb", env("TERM", "dumb"), ColorPlain},
	}
	for _, c := range cases {
		if got := DetectColorMode(c.env); got != c.want {
			t.Errorf("%s: got %v want %v", c.name, got, c.want)
		}
	}
}

func TestParseColorMode(t *testing.T) {
	if m, err := ParseColorMode("256", env()); err != nil || m != Color256 {
		t.Fatalf("256: %v %v", m, err)
	}
	if _, err := ParseColorMode("rainbow\x1b[31m", env()); err == nil || strings.Contains(err.Error(), "\x1b") {
		t.Fatalf("bad mode: err %v", err)
	}
}

func TestIndex256NeverLow16(t *testing.T) {
	for r := 0; r < 256; r += 5 {
		for g := 0; g < 256; g += 5 {
			for b := 0; b < 256; b += 5 {
				if i := Index256(uint8(r), uint8(g), uint8(b)); i < 16 {
					t.Fatalf("Index256(%d,%d,%d) = %d", r, g, b, i)
				}
			}
		}
	}
}

func TestIndex256Exact(t *testing.T) {
	cases := []struct {
		r, g, b uint8
		want    uint8
	}{
		{0, 0, 0, 16},
		{255, 255, 255, 231},
		{255, 0, 0, 196},
		{0, 0, 255, 21},
		{128, 128, 128, 244}, // grey ramp beats cube (128 is between 95 and 135)
		{95, 135, 175, 16 + 36*1 + 6*2 + 3},
	}
	for _, c := range cases {
		if got := Index256(c.r, c.g, c.b); got != c.want {
			t.Errorf("Index256(%d,%d,%d) = %d want %d", c.r, c.g, c.b, got, c.want)
		}
	}
}

func TestParams(t *testing.T) {
	if got := Color256.FgParam(255, 0, 0); got != "38;5;196" {
		t.Errorf("256 fg: %q", got)
	}
	if got := ColorTrue.BgParam(1, 2, 3); got != "48;2;1;2;3" {
		t.Errorf("true bg: %q", got)
	}
	if Color16.FgParam(1, 2, 3) != "" || ColorNone.BgParam(1, 2, 3) != "" {
		t.Error("16/none must not colour images")
	}
}

func TestStylesNoColor(t *testing.T) {
	for _, m := range []ColorMode{ColorPlain, ColorNone} {
		s := NewStyles(m)
		for _, st := range []string{s.Err.Render("x"), s.OK.Render("x"), s.CursorRow.Render("x"), s.Title.Render("x")} {
			if strings.Contains(st, "38;") || strings.Contains(st, "48;") || strings.Contains(st, "[3") {
				t.Errorf("%v: colour code in %q", m, st)
			}
		}
	}
	if got := NewStyles(Color256).Err.Render("x"); !strings.Contains(got, "38;5;203") {
		t.Errorf("256 styles should colour: %q", got)
	}
}

// Under NO_COLOR the focused pane must differ from the others by more
// than colour: its border is drawn with other characters.
func TestFocusedPaneDiffersWithoutColour(t *testing.T) {
	for _, m := range []ColorMode{ColorPlain, ColorNone, Color256} {
		s := NewStyles(m)
		plain, focused := s.Pane.Render("x"), s.PaneFocused.Render("x")
		if strings.Split(plain, "\n")[0] == strings.Split(focused, "\n")[0] {
			t.Errorf("%v: focused pane border looks like the others: %q", m, focused)
		}
	}
}
