package doctor

import (
	"strings"
	"testing"

	"headshot/tui/graphics"
)

func findingText(fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(f.Detail + " | " + f.Fix + "\n")
	}
	return b.String()
}

// Inside tmux with allow-passthrough off, doctor says how to turn it on;
// with it on, it says so and warns of nothing.
func TestDoctorTmuxPassthrough(t *testing.T) {
	e := env(map[string]string{"TERM": "tmux-256color", "TMUX": "/tmp/tmux-0/default,1,0"})
	off := checkTerminal(Options{Getenv: e, Passthrough: func() string { return "off" }})
	s := findingText(off)
	if !strings.Contains(s, "allow-passthrough is off") || !strings.Contains(s, "set -g allow-passthrough on") {
		t.Fatalf("no passthrough fix:\n%s", s)
	}
	on := checkTerminal(Options{Getenv: e, Passthrough: func() string { return "on" }})
	for _, f := range on {
		if f.Level != OK {
			t.Fatalf("warned with passthrough on: %+v", f)
		}
	}
	if !strings.Contains(findingText(on), "allow-passthrough on") {
		t.Fatalf("passthrough state not said:\n%s", findingText(on))
	}
}

// Doctor names the protocol the browser will use and why.
func TestDoctorSaysWhichImages(t *testing.T) {
	e := env(map[string]string{"TERM": "xterm-256color"})
	fs := checkTerminal(Options{Getenv: e, Graphics: func() (graphics.Caps, bool) {
		return graphics.Caps{Answered: true, Sixel: true, SixelColors: 256, Version: "XTerm(379)", CellW: 8, CellH: 17}, true
	}})
	s := findingText(fs)
	if !strings.Contains(s, "images: sixel (XTerm(379), 256 colour registers, cell 8x17 px)") {
		t.Fatalf("%s", s)
	}
	fs = checkTerminal(Options{Getenv: e, Graphics: func() (graphics.Caps, bool) { return graphics.Caps{Answered: true}, true }})
	if s := findingText(fs); !strings.Contains(s, "images: blocks") || !strings.Contains(s, "--graphics quadrants") {
		t.Fatalf("%s", s)
	}
}
