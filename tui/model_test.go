package tui

import (
	"os"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"headshot/tui/common"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

func keyMsg(s string) tea.KeyMsg {
	switch s {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	case "space":
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	case "backspace":
		return tea.KeyMsg{Type: tea.KeyBackspace}
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "left":
		return tea.KeyMsg{Type: tea.KeyLeft}
	case "right":
		return tea.KeyMsg{Type: tea.KeyRight}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

func newTestModel(t *testing.T, dir string) *Model {
	t.Helper()
	m := New(Options{Dir: dir, Color: common.ColorPlain})
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	return m
}

func isQuit(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	_, ok := cmd().(tea.QuitMsg)
	return ok
}

func TestQuitWithNothingInFlight(t *testing.T) {
	m := newTestModel(t, t.TempDir())
	_, cmd := m.Update(keyMsg("q"))
	if !isQuit(cmd) {
		t.Fatal("q with nothing in flight should quit at once")
	}
	if m.ConfirmingQuit() {
		t.Fatal("no question expected")
	}
	m = newTestModel(t, t.TempDir())
	if _, cmd := m.Update(keyMsg("ctrl+c")); !isQuit(cmd) {
		t.Fatal("ctrl+c should quit")
	}
}

// The quit question says what quitting leaves: uploads moving, or only
// waiting on paused platforms, where "in flight" would be untrue.
func TestQuitQuestionSaysWhatIsLeft(t *testing.T) {
	m := newTestModel(t, t.TempDir())
	work := workLeft{Queued: 12, Paused: true}
	m.up = &uploads{closeFn: func() {}, workFn: func() workLeft { return work }}
	m.Update(keyMsg("q"))
	v := m.View()
	if !strings.Contains(v, "12 uploads wait on paused platforms.") || strings.Contains(v, "in flight") || strings.Contains(v, "keep uploading") || !strings.Contains(v, "n go back") {
		t.Fatalf("every platform paused, yet:\n%s", v)
	}
	work = workLeft{InFlight: 2, Queued: 5}
	if v := m.View(); !strings.Contains(v, "2 uploads in flight, 5 queued.") || !strings.Contains(v, "may still arrive") {
		t.Fatalf("two requests under way:\n%s", v)
	}
}

func TestQuitAsksWhenBusy(t *testing.T) {
	m := newTestModel(t, t.TempDir())
	closed := false
	m.up = &uploads{workFn: func() workLeft { return workLeft{InFlight: 1} }, closeFn: func() { closed = true }}
	if _, cmd := m.Update(keyMsg("q")); cmd != nil {
		t.Fatal("busy quit must ask first")
	}
	if !m.ConfirmingQuit() || !strings.Contains(m.View(), "Quit now?") {
		t.Fatal("quit question not shown")
	}
	m.Update(keyMsg("n"))
	if m.ConfirmingQuit() || closed {
		t.Fatal("n must keep uploading")
	}
	m.Update(keyMsg("q"))
	_, cmd := m.Update(keyMsg("y"))
	if cmd == nil {
		t.Fatal("y must quit")
	}
	msg := cmd()
	if !closed {
		t.Fatal("engine not closed before quitting")
	}
	if _, cmd := m.Update(msg); !isQuit(cmd) {
		t.Fatal("program should end after the engine closed")
	}
}

func TestResizeAndHelp(t *testing.T) {
	m := newTestModel(t, t.TempDir())
	for _, size := range [][2]int{{80, 24}, {120, 40}, {40, 10}} {
		m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		v := m.View()
		if h := lipgloss.Height(v); h > size[1] {
			t.Errorf("%dx%d: view is %d rows", size[0], size[1], h)
		}
		for i, line := range strings.Split(v, "\n") {
			if w := lipgloss.Width(line); w > size[0] {
				t.Errorf("%dx%d: line %d is %d wide", size[0], size[1], i, w)
			}
		}
	}
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	short := m.View()
	if !strings.Contains(short, "? help") || !strings.Contains(short, "q quit") {
		t.Fatalf("help bar missing root keys:\n%s", short)
	}
	m.Update(keyMsg("?"))
	if !m.help.ShowAll {
		t.Fatal("? should show full help")
	}
}

func TestErrorsAreSanitized(t *testing.T) {
	m := newTestModel(t, t.TempDir())
	m.Update(common.StatusMsg{Text: "bad \x1b[2Jname"})
	if strings.Contains(m.View(), "\x1b[2J") {
		t.Fatal("escape sequence reached the view")
	}
}

func TestUploadWithoutEngine(t *testing.T) {
	m := newTestModel(t, t.TempDir())
	_, cmd := m.Update(common.StartUploadMsg{Requests: []common.UploadRequest{{Path: "a.jpg", Person: "a"}}})
	if cmd == nil {
		t.Fatal("expected an error")
	}
	m.Update(cmd())
	if !strings.Contains(m.Status(), "not configured") {
		t.Fatalf("status %q", m.Status())
	}
}

func TestColourModesInTheRealView(t *testing.T) {
	for _, mode := range []common.ColorMode{common.Color256, common.ColorNone} {
		dir := t.TempDir()
		writeGradient(t, dir+"/alice.png", 256, 192)
		m := New(Options{Dir: dir, Color: mode})
		drive(t, m, m.Init())
		send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
		send(t, m, keyMsg("j"), keyMsg("k")) // cursor settles on alice.png
		v := m.View()
		switch mode {
		case common.Color256:
			if !strings.Contains(v, "▀") || !strings.Contains(v, "38;5;") {
				t.Fatalf("256: no half-block preview:\n%s", v)
			}
			if strings.Contains(v, "38;2;") || strings.Contains(v, "48;2;") {
				t.Fatal("256: truecolor code in a 256-colour view")
			}
		case common.ColorNone:
			if strings.Contains(v, "▀") || strings.Contains(v, "38;") || strings.Contains(v, "48;") {
				t.Fatalf("NO_COLOR: colour or image in view: %q", v)
			}
			if !strings.Contains(v, "PNG 256x192") {
				t.Fatalf("NO_COLOR: details missing:\n%s", v)
			}
		}
	}
}

func TestRunesTypedTogetherActAsSeparateKeys(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"a.png", "b.png", "c.png"} {
		writeGradient(t, dir+"/"+n, 8, 8)
	}
	m := New(Options{Dir: dir, Color: common.ColorPlain})
	drive(t, m, m.Init())
	send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	send(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("jj")})
	if !strings.Contains(m.View(), ">   c.png") {
		t.Fatalf("jj should move down twice:\n%s", m.View())
	}
}

func TestEveryScreenFitsEverySize(t *testing.T) {
	dir := t.TempDir()
	writeGradient(t, dir+"/alice.png", 256, 192)
	for _, mode := range []common.ColorMode{common.ColorPlain, common.Color256} {
		m := New(Options{Dir: dir, Color: mode})
		drive(t, m, m.Init())
		send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
		send(t, m, common.OpenCorrectMsg{Path: dir + "/alice.png", Person: "alice"})
		for _, s := range orderedScreens {
			send(t, m, common.SwitchScreenMsg{Screen: s})
			if m.Screen() != s {
				t.Fatalf("screen %v not shown", s)
			}
			for _, size := range [][2]int{{80, 24}, {120, 40}, {100, 30}, {60, 20}, {40, 12}, {200, 60}} {
				send(t, m, tea.WindowSizeMsg{Width: size[0], Height: size[1]})
				v := m.View()
				lines := strings.Split(v, "\n")
				if len(lines) != size[1] {
					t.Errorf("%v %v %dx%d: %d rows", mode, s, size[0], size[1], len(lines))
				}
				for i, l := range lines {
					if w := lipgloss.Width(l); w > size[0] {
						t.Errorf("%v %v %dx%d: row %d is %d wide", mode, s, size[0], size[1], i, w)
					}
				}
			}
		}
	}
}

// The quit question fits the terminal at 80x24 and 40x12: its text is
// wrapped, not cut with "…" at the right edge (at 40 columns "recorded as
// interrupted" was lost), and its border shows whole.
func TestQuitQuestionFitsNarrowTerminals(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {40, 12}} {
		m := newTestModel(t, t.TempDir())
		m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		m.up = &uploads{workFn: func() workLeft { return workLeft{InFlight: 1} }, closeFn: func() {}}
		m.Update(keyMsg("q"))
		v := ansi.Strip(m.View())
		for _, l := range strings.Split(v, "\n") {
			if w := ansi.StringWidth(l); w > size[0] || strings.Contains(l, "…") {
				t.Errorf("%dx%d: line %q (%d columns) is cut", size[0], size[1], l, w)
			}
		}
		text := strings.Join(strings.Fields(strings.NewReplacer("│", " ").Replace(v)), " ")
		if !strings.Contains(text, "Quit now? In-flight uploads are recorded as interrupted and sent again next time.") ||
			!strings.ContainsAny(v, "╰└") || !strings.Contains(text, "y quit n keep uploading") {
			t.Errorf("%dx%d: the question is not whole:\n%s", size[0], size[1], v)
		}
	}
}
