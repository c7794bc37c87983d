package textsafe

import (
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"
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

func TestCleanInvisibleFormatCharacters(t *testing.T) {
	cases := map[string]string{
		"ja\u200bne":          "ja?ne",       // zero-width space
		"ja\u200dne":          "ja?ne",       // zero-width joiner
		"\ufeffbom":           "?bom",        // byte order mark
		"soft\u00adhyphen":    "soft?hyphen", // soft hyphen
		"iso\u2067late\u2069": "iso?late?",   // bidi isolates
		"tag\U000E0041":       "tag?",        // tag character
		"line\u2028sep":       "line sep",    // line separator folds as space
		"nel\u0085x":          "nel x",       // C1 NEL is whitespace
	}
	for in, want := range cases {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}

// An escape sequence split in any way (7-bit ESC, C1 as a rune, C1 as a lone
// byte, an ESC between two chunks) leaves no introducer behind.
func TestCleanNoEscapeIntroducerSurvives(t *testing.T) {
	for _, in := range []string{
		"a\x1b", "\x1b[31m", "x\x1b\x1b[[2J", "\xc2\x9b31m", "\x9b31m", "\x9d0;t\x9c", "\x1b]8;;http://x\x1b\\l\x1b]8;;\x1b\\",
		"\xc2" + "\x9b", "\x1bP+q\x1b\\",
	} {
		got := Clean(in)
		for _, r := range got {
			if r == 0x1b || (r >= 0x80 && r <= 0x9f) || r < 0x20 || r == 0x7f {
				t.Errorf("Clean(%q) = %q keeps control %U", in, got, r)
			}
		}
		if !utf8.ValidString(got) {
			t.Errorf("Clean(%q) = %q is not valid UTF-8", in, got)
		}
	}
}

// A cut after folded whitespace still shows the ellipsis.
func TestCleanCutAtSpaceShowsEllipsis(t *testing.T) {
	if got := CleanN("aaaaaaaaaa bbb", 10); got != "aaaaaaaaaa…" {
		t.Fatalf("got %q", got)
	}
}

// A huge input costs no more memory than the bounded output needs.
func TestCleanHugeInputAllocatesBounded(t *testing.T) {
	big := strings.Repeat("\x1b[2J", 1<<20) // 4 MiB
	allocs := testing.AllocsPerRun(3, func() { _ = Clean(big) })
	if allocs > 5 {
		t.Fatalf("%v allocations", allocs)
	}
	var ms1, ms2 runtime.MemStats
	runtime.ReadMemStats(&ms1)
	_ = Clean(big)
	runtime.ReadMemStats(&ms2)
	if grew := ms2.TotalAlloc - ms1.TotalAlloc; grew > 64<<10 {
		t.Fatalf("Clean of a 4 MiB input allocated %d bytes", grew)
	}
}
