package app

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"headshot/tui/common"
	"headshot/tui/setup"
	"headshot/upload/config"
)

func isQuit(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	_, ok := cmd().(tea.QuitMsg)
	return ok
}

func hostKey(h *setupHost, k string) tea.Cmd {
	var msg tea.KeyMsg
	switch k {
	case "space":
		msg = tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	case "ctrl+c":
		msg = tea.KeyMsg{Type: tea.KeyCtrlC}
	case "esc":
		msg = tea.KeyMsg{Type: tea.KeyEsc}
	default:
		msg = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
	}
	_, cmd := h.Update(msg)
	return cmd
}

// q or ctrl+c with nothing changed quits at once; with a change they ask
// first (n stays, y quits), so a stray key does not lose typed credentials.
func TestSetupAsksBeforeQuittingWithUnsavedChanges(t *testing.T) {
	c := common.NewCommon(common.ColorNone)
	cfg := &config.Config{}
	if err := cfg.Set("netex", "token", "t0k"); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "config.toml")
	newHost := func() *setupHost {
		h := newSetupHost(setup.New(cfg, path, c), c)
		h.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		return h
	}
	if !isQuit(hostKey(newHost(), "q")) {
		t.Fatal("q with nothing changed did not quit")
	}
	if !isQuit(hostKey(newHost(), "ctrl+c")) {
		t.Fatal("ctrl+c with nothing changed did not quit")
	}

	h := newHost()
	hostKey(h, "space") // choose Zoom: a change
	for _, k := range []string{"q", "ctrl+c"} {
		if isQuit(hostKey(h, k)) {
			t.Fatalf("%s quit with unsaved changes", k)
		}
		if v := h.View(); !strings.Contains(v, "Quit without saving your changes?") || len(strings.Split(v, "\n")) > 24 {
			t.Fatalf("no question after %s (or taller than 24 lines):\n%s", k, v)
		}
		if isQuit(hostKey(h, "n")) || strings.Contains(h.View(), "Quit without saving") {
			t.Fatal("n did not go back to setup")
		}
	}
	hostKey(h, "q")
	if !isQuit(hostKey(h, "y")) {
		t.Fatal("y did not quit")
	}

	// Undoing the change counts as no change.
	h = newHost()
	hostKey(h, "space")
	hostKey(h, "space")
	if !isQuit(hostKey(h, "q")) {
		t.Fatal("q after undoing the only change did not quit")
	}
}

// The quit question's keys are the keymap's (tui/common/keymap.go): bound
// to other keys there, the question answers to those and its help bar
// names them; the old letters no longer answer.
func TestSetupQuitQuestionUsesTheKeymap(t *testing.T) {
	c := common.NewCommon(common.ColorNone)
	c.Keys.Confirm = key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "yes"))
	c.Keys.Deny = key.NewBinding(key.WithKeys("b"), key.WithHelp("b", "no"))
	c.Keys.Quit = key.NewBinding(key.WithKeys("Q"), key.WithHelp("Q", "quit"))
	h := newSetupHost(setup.New(&config.Config{}, filepath.Join(t.TempDir(), "config.toml"), c), c)
	h.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	hostKey(h, "space") // a change, so quitting asks
	if isQuit(hostKey(h, "q")) || strings.Contains(h.View(), "Quit without saving") {
		t.Fatal("q asked or quit although the keymap's quit is Q")
	}
	hostKey(h, "Q")
	v := ansi.Strip(h.View())
	if !strings.Contains(v, "Quit without saving") || !strings.Contains(v, "o quit") || !strings.Contains(v, "b stay") || !strings.Contains(v, "ctrl+s save") {
		t.Fatalf("the question's help does not name the keymap's keys:\n%s", v)
	}
	if isQuit(hostKey(h, "y")) || !strings.Contains(h.View(), "Quit without saving") {
		t.Fatal("y answered a question whose yes is o")
	}
	hostKey(h, "b")
	if strings.Contains(h.View(), "Quit without saving") {
		t.Fatal("b (the keymap's no) did not go back to setup")
	}
	hostKey(h, "Q")
	if !isQuit(hostKey(h, "o")) {
		t.Fatal("o (the keymap's yes) did not quit")
	}
	h = newSetupHost(setup.New(&config.Config{}, filepath.Join(t.TempDir(), "config.toml"), c), c)
	hostKey(h, "space")
	hostKey(h, "ctrl+c") // the keymap's Interrupt asks even though Quit is Q
	if !strings.Contains(h.View(), "Quit without saving") {
		t.Fatal("ctrl+c did not ask")
	}
}

// Setup fits 80x24 and 40x12 with and without the quit question: no line
// wider than the terminal, no more lines than it has (the title stays on
// top), and at 40 columns the question and its keys each show whole.
func TestSetupFitsNarrowTerminals(t *testing.T) {
	c := common.NewCommon(common.ColorNone)
	for _, size := range [][2]int{{80, 24}, {40, 12}} {
		h := newSetupHost(setup.New(&config.Config{}, filepath.Join(t.TempDir(), "config.toml"), c), c)
		h.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		hostKey(h, "space")
		for _, asking := range []bool{false, true} {
			if asking {
				hostKey(h, "q")
			}
			v := ansi.Strip(h.View())
			lines := strings.Split(v, "\n")
			if len(lines) > size[1] || !strings.Contains(lines[0], "headshot setup") {
				t.Errorf("%dx%d asking=%v: %d lines, first %q; want at most %d, the title first", size[0], size[1], asking, len(lines), lines[0], size[1])
			}
			for _, l := range lines {
				if ansi.StringWidth(l) > size[0] {
					t.Errorf("%dx%d asking=%v: line of %d columns: %q", size[0], size[1], asking, ansi.StringWidth(l), l)
				}
			}
			if asking {
				for _, want := range []string{"Quit without saving your changes?", "y quit", "n stay", "ctrl+s save"} {
					if !strings.Contains(v, want) {
						t.Errorf("%dx%d: %q not shown whole:\n%s", size[0], size[1], want, v)
					}
				}
			}
		}
	}
}
