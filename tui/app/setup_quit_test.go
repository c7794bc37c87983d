package app

import (
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

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
