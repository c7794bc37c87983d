package textsafe

import (
	"strings"
	"testing"
)

func TestCleanRemovesEscapes(t *testing.T) {
	cases := map[string]string{
		"plain.jpg":                "plain.jpg",
		"evil\x1b[2Jname.jpg":      "evil?[2Jname.jpg",
		"osc\x1b]0;title\x07.jpg":  "osc?]0;title?.jpg",
		"c1\u009b31mred":           "c1?31mred",
		"tab\tand\nnewline":        "tab and newline",
		"bad\xffutf8":              "bad?utf8",
		"rtl\u202etxt.jpg":         "rtl?txt.jpg",
		"  lead and   trail  ":     "lead and trail",
		"jane.doe@example.com.jpg": "jane.doe@example.com.jpg",
		"Zoë Ångström 山田.png":      "Zoë Ångström 山田.png",
	}
	for in, want := range cases {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCleanBoundsLength(t *testing.T) {
	got := CleanN(strings.Repeat("a", 50), 10)
	if got != strings.Repeat("a", 10)+"…" {
		t.Fatalf("got %q", got)
	}
	for _, r := range Clean(strings.Repeat("\x1b", 1000)) {
		if r == 0x1b {
			t.Fatal("escape survived")
		}
	}
}
