package setup

import (
	"github.com/charmbracelet/bubbles/key"

	"headshot/tui/common"
)

// keyMap is setup's bindings. Keys every screen shares (quit, help) are the
// root's (tui/common.KeyMap); these are the ones only setup has. Letters are
// avoided on the form because every letter is typed into a field.
type keyMap struct {
	Up, Down     key.Binding // platform list
	Toggle       key.Binding
	Continue     key.Binding
	NextField    key.Binding
	PrevField    key.Binding
	NextPlatform key.Binding
	PrevPlatform key.Binding
	Test         key.Binding
	Reveal       key.Binding
	Save         key.Binding
	Platforms    key.Binding // back to the platform list
	Quit         key.Binding
	Yes, No      key.Binding // "Save anyway?"
}

func defaultKeys(shared *common.KeyMap) keyMap {
	b := func(keys []string, k, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, desc))
	}
	return keyMap{
		Up:           b([]string{"up", "k"}, "↑/k", "up"),
		Down:         b([]string{"down", "j"}, "↓/j", "down"),
		Toggle:       b([]string{" ", "x"}, "space", "use/skip"),
		Continue:     b([]string{"enter"}, "enter", "continue"),
		NextField:    b([]string{"tab", "down", "enter"}, "tab/↓", "next"),
		PrevField:    b([]string{"shift+tab", "up"}, "shift+tab/↑", "prev field"),
		NextPlatform: b([]string{"pgdown", "ctrl+n"}, "pgdn", "next platform"),
		PrevPlatform: b([]string{"pgup", "ctrl+p"}, "pgup", "prev platform"),
		Test:         b([]string{"ctrl+t"}, "ctrl+t", "test"),
		Reveal:       b([]string{"ctrl+r"}, "ctrl+r", "show/hide secret"),
		Save:         shared.SaveSetup,
		Platforms:    b([]string{"esc"}, "esc", "platforms"),
		Quit:         shared.Quit,
		Yes:          common.Relabel(shared.Confirm, shared.Confirm.Help().Key, "save anyway"),
		No:           common.Relabel(shared.Deny, shared.Deny.Help().Key, "go back"),
	}
}
