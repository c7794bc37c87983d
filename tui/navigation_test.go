package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"headshot/tui/common"
	"headshot/upload"
)

// threePhotos is a browser on a.png, b.png, c.png, sized 80x24.
func threePhotos(t *testing.T) (*Model, string) {
	t.Helper()
	dir := t.TempDir()
	for _, n := range []string{"a.png", "b.png", "c.png"} {
		writeGradient(t, dir+"/"+n, 8, 8)
	}
	m := New(Options{Dir: dir, Color: common.ColorPlain})
	drive(t, m, m.Init())
	send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	return m, dir
}

func helpBar(m *Model) string {
	lines := strings.Split(m.View(), "\n")
	return lines[len(lines)-1]
}

// Keys typed together reach a capturing component one at a time too: the
// file picker in Correct moves twice for "jj" (before, it got one
// two-rune key it did not match, and enter picked the wrong file).
func TestRunesTypedTogetherReachACapturingPicker(t *testing.T) {
	m, dir := threePhotos(t)
	send(t, m, common.OpenCorrectMsg{Path: dir + "/a.png", Person: "a"})
	send(t, m, keyMsg("f"))
	send(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("jj")}, keyMsg("enter"))
	if v := m.View(); !strings.Contains(v, "Correct c.png") {
		t.Fatalf("jj then enter should pick c.png:\n%s", v)
	}
}

// While a component takes every key, the help bar must not offer ? and q
// (they are typed into the field): ctrl+c is the way out.
func TestHelpBarWhileTypingOffersCtrlC(t *testing.T) {
	m, _ := threePhotos(t)
	send(t, m, keyMsg("/"))
	bar := helpBar(m)
	if strings.Contains(bar, "q quit") || strings.Contains(bar, "? help") || !strings.Contains(bar, "ctrl+c quit") {
		t.Fatalf("help bar while filtering: %q", bar)
	}
	send(t, m, keyMsg("q"))
	if m.quitting || !strings.Contains(m.View(), "/q") {
		t.Fatal("q typed into the filter must not quit")
	}
	send(t, m, keyMsg("esc"))
	if bar := helpBar(m); !strings.Contains(bar, "q quit") {
		t.Fatalf("help bar after the filter: %q", bar)
	}
}

// The quit question's own keys are the help bar while it shows.
func TestHelpBarDuringQuitQuestion(t *testing.T) {
	m, _ := threePhotos(t)
	m.up = &uploads{workFn: func() workLeft { return workLeft{InFlight: 1} }, closeFn: func() {}}
	send(t, m, keyMsg("q"))
	bar := helpBar(m)
	if !strings.Contains(bar, "y quit") || !strings.Contains(bar, "n keep uploading") || strings.Contains(bar, "select") {
		t.Fatalf("help bar during the quit question: %q", bar)
	}
}

// esc always shows on screens it leaves, even at 80 columns, and the full
// help lists it once.
func TestEscShowsOnEveryScreenAndOnceInFullHelp(t *testing.T) {
	m, dir := threePhotos(t)
	send(t, m, common.OpenCorrectMsg{Path: dir + "/a.png", Person: "a"})
	for _, s := range []common.Screen{common.ScreenCorrect, common.ScreenUpload, common.ScreenFailures} {
		send(t, m, common.SwitchScreenMsg{Screen: s})
		if bar := helpBar(m); !strings.Contains(bar, "esc back") || !strings.Contains(bar, "q quit") {
			t.Errorf("%v: help bar %q", s, bar)
		}
	}
	send(t, m, common.SwitchScreenMsg{Screen: common.ScreenCorrect})
	send(t, m, keyMsg("?"))
	if n := strings.Count(m.View(), "esc back"); n != 1 {
		t.Fatalf("full help shows esc back %d times:\n%s", n, m.View())
	}
}

// esc goes back where the technician came from: Correct opened from the
// failure list returns there; the failure list returns to the upload
// panes once uploads exist; the panes return to the browser.
func TestEscGoesBackWhereYouCameFrom(t *testing.T) {
	m, dir := threePhotos(t)
	m.up = &uploads{workFn: func() workLeft { return workLeft{} }, closeFn: func() {}}
	send(t, m, common.SwitchScreenMsg{Screen: common.ScreenFailures})
	send(t, m, common.OpenCorrectMsg{Path: dir + "/a.png", Person: "a"})
	want := []common.Screen{common.ScreenFailures, common.ScreenUpload, common.ScreenBrowse}
	for _, w := range want {
		send(t, m, keyMsg("esc"))
		if m.Screen() != w {
			t.Fatalf("esc: screen %v, want %v", m.Screen(), w)
		}
	}
	send(t, m, common.OpenCorrectMsg{Path: dir + "/a.png", Person: "a"})
	send(t, m, keyMsg("esc"))
	if m.Screen() != common.ScreenBrowse {
		t.Fatalf("Correct opened from the browser: esc led to %v", m.Screen())
	}
}

// The full help never cuts a column at 80 columns: the failure view's
// four columns plus the root's wrap into blocks, so "? help" and "q quit"
// still show.
func TestFullHelpWrapsInsteadOfCutting(t *testing.T) {
	m, _ := threePhotos(t)
	m.up = &uploads{workFn: func() workLeft { return workLeft{} }, closeFn: func() {}}
	for _, s := range []common.Screen{common.ScreenBrowse, common.ScreenFailures, common.ScreenUpload, common.ScreenCorrect} {
		send(t, m, common.SwitchScreenMsg{Screen: s})
		send(t, m, keyMsg("?"))
		v := m.View()
		if !strings.Contains(v, "? help") || !strings.Contains(v, "q quit") {
			t.Errorf("%v: full help lost the root keys:\n%s", s, v)
		}
		checkFits(t, v, 80, 24)
		send(t, m, keyMsg("?"))
	}
}

// esc closes the ? help and stays on the screen; a second esc goes back.
func TestEscClosesHelp(t *testing.T) {
	m, dir := threePhotos(t)
	send(t, m, common.OpenCorrectMsg{Path: dir + "/a.png", Person: "a"})
	send(t, m, keyMsg("?"))
	if !m.help.ShowAll {
		t.Fatal("? did not open the help")
	}
	send(t, m, keyMsg("esc"))
	if m.help.ShowAll || m.Screen() != common.ScreenCorrect {
		t.Fatalf("esc: help %v, screen %v", m.help.ShowAll, m.Screen())
	}
	send(t, m, keyMsg("esc"))
	if m.Screen() != common.ScreenBrowse {
		t.Fatalf("second esc: screen %v", m.Screen())
	}
}

// The Correct footer names s save and r reset.
func TestCorrectFooterShowsSaveAndReset(t *testing.T) {
	m, dir := threePhotos(t)
	send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	writeGradient(t, dir+"/big.png", 400, 400) // a photo that can be prepared
	send(t, m, common.OpenCorrectMsg{Path: dir + "/big.png", Person: "a"})
	drive(t, m, nil)
	if bar := helpBar(m); !strings.Contains(bar, "s save") || !strings.Contains(bar, "r reset") {
		t.Fatalf("footer %q", bar)
	}
}

// At 40x12 the full help keeps every column (the ↑/↓ keys too): it wraps.
func TestFullHelpAt40x12(t *testing.T) {
	m, _ := threePhotos(t)
	send(t, m, tea.WindowSizeMsg{Width: 40, Height: 12})
	send(t, m, keyMsg("?"))
	v := m.View()
	checkFits(t, v, 40, 12)
	if !strings.Contains(v, "more help") {
		t.Fatalf("40x12 help does not say it scrolls:\n%s", v)
	}
	// Scrolling down shows every row once: the ↑ keys and q quit too.
	seen := v
	for i := 0; i < 30; i++ {
		send(t, m, keyMsg("down"))
		seen += m.View()
		checkFits(t, m.View(), 40, 12)
	}
	if !strings.Contains(seen, "↑") || !strings.Contains(seen, "q quit") || !strings.Contains(seen, "? help") {
		t.Fatalf("40x12 help lost a column:\n%s", seen)
	}
	send(t, m, keyMsg("esc"))
	if m.help.ShowAll {
		t.Fatal("esc did not close the help")
	}
}

// m remap in the failure list lands on the person prompt in Correct, not on
// the crop (no p needed); esc on that prompt goes back to the failure list.
func TestRemapFromFailuresOpensThePersonPrompt(t *testing.T) {
	m, dir := threePhotos(t)
	m.up = &uploads{workFn: func() workLeft { return workLeft{} }, closeFn: func() {}}
	send(t, m, common.SwitchScreenMsg{Screen: common.ScreenFailures})
	send(t, m, common.OpenCorrectMsg{Path: dir + "/a.png", Person: "a", Remap: true, Platform: upload.Zoom})
	if m.Screen() != common.ScreenCorrect || !m.capturing() {
		t.Fatalf("screen %v, capturing %v", m.Screen(), m.capturing())
	}
	v := m.View()
	if !strings.Contains(v, "person: a") || !strings.Contains(v, "[zoom]") || !strings.Contains(helpBar(m), "enter set person") {
		t.Fatalf("remap view:\n%s", v)
	}
	send(t, m, keyMsg("esc"))
	if m.Screen() != common.ScreenFailures {
		t.Fatalf("esc on the remap prompt: screen %v, want failures", m.Screen())
	}
}

// Every line cut for width ends in "…", so a cut line never reads as a
// whole one (or wraps, its end on a line below): the browser's rows and
// preview, Correct's title, at 40x12 and 80x24.
func TestCutLinesEndInEllipsis(t *testing.T) {
	long := "maximilian.alexander.featherstonehaugh-worthington@example.com.png"
	for _, size := range [][2]int{{40, 12}, {80, 24}} {
		m, dir := threePhotos(t)
		writeGradient(t, dir+"/"+long, 300, 300)
		send(t, m, tea.WindowSizeMsg{Width: size[0], Height: size[1]}, tea.KeyMsg{Type: tea.KeyCtrlR})
		send(t, m, keyMsg("G"))
		checkCut := func(where string) {
			t.Helper()
			v := m.View()
			checkFits(t, v, size[0], size[1])
			found := false
			lines := strings.Split(v, "\n")
			for i, l := range lines {
				if !strings.Contains(l, "maximilian") {
					continue
				}
				found = true
				// Cut: it says so with "…". Wrapped (the preview's
				// details): the rest is on the next line, whole or
				// itself cut with "…".
				wrapped := false
				if i+1 < len(lines) {
					next := lines[i+1]
					wrapped = strings.Contains(next, "worthington") && !strings.Contains(l, "worthington") &&
						(strings.Contains(next, "…") || strings.Contains(next, "example.com.png"))
				}
				if !strings.Contains(l, "…") && !strings.Contains(l, "example.com.png") && !wrapped {
					t.Errorf("%dx%d %s: cut without …: %q\n%s", size[0], size[1], where, l, v)
				}
			}
			if !found {
				t.Fatalf("%dx%d %s: the long name is not shown:\n%s", size[0], size[1], where, v)
			}
		}
		checkCut("browser")
		send(t, m, keyMsg("enter"))
		if m.Screen() != common.ScreenCorrect {
			t.Fatalf("enter: screen %v", m.Screen())
		}
		checkCut("correct")
	}
}

// The browser's footer keeps its order once uploads run: v and f join at
// the end, and at 80 columns "a all" and "f failures" are left out to
// fit, never moved (the footer used to move "a all" from second to sixth).
func TestBrowserFooterKeepsItsOrder(t *testing.T) {
	m, _ := threePhotos(t)
	keysOf := func() []string {
		var out []string
		for _, part := range strings.Split(helpBar(m), " • ") {
			out = append(out, strings.Fields(part)[0])
		}
		return out
	}
	before := keysOf()
	if strings.Join(before, " ") != "space a enter u / ? q" {
		t.Fatalf("footer before uploads: %v", before)
	}
	send(t, m, common.EngineStartedMsg{})
	after := keysOf()
	if strings.Join(after, " ") != "space enter u / v ? q" {
		t.Fatalf("footer once uploads run, 80 columns: %v (%q)", after, helpBar(m))
	}
	send(t, m, tea.WindowSizeMsg{Width: 120, Height: 30})
	if got := strings.Join(keysOf(), " "); got != "space a enter u / v f ? q" {
		t.Fatalf("footer at 120 columns: %v", got)
	}
}
