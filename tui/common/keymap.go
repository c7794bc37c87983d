package common

import "github.com/charmbracelet/bubbles/key"

// KeyMap is every key binding of the TUI, with its help text. Components
// pick the bindings they use for their ShortHelp/FullHelp; the root owns
// Quit, Help and Back. Bindings may overlap between components (h is
// "parent folder" in the browser and "nudge left" in Correct) but never
// within one.
type KeyMap struct {
	// Root.
	Quit      key.Binding
	Interrupt key.Binding // ctrl+c: quits (or asks) even while a text field takes the keys
	Help      key.Binding
	Back      key.Binding
	Redraw    key.Binding // paint the whole screen again (images included)

	// Lists.
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Home     key.Binding
	End      key.Binding

	// Browse.
	Open       key.Binding // enter: folder, or the photo in Correct
	Parent     key.Binding
	Filter     key.Binding
	Select     key.Binding
	SelectAll  key.Binding
	SelectNone key.Binding
	Upload     key.Binding
	Sniff      key.Binding // check files of unknown type by content
	Uploads    key.Binding // show the upload panes again
	Reload     key.Binding // read the folder again (files added meanwhile)

	// Correct.
	NudgeUp    key.Binding
	NudgeDown  key.Binding
	NudgeLeft  key.Binding
	NudgeRight key.Binding
	ZoomIn     key.Binding
	ZoomOut    key.Binding
	Reset      key.Binding
	PickFile   key.Binding
	Rename     key.Binding
	Target     key.Binding // cycle the upload target: all platforms, or one
	Save       key.Binding
	Approve    key.Binding // send this photo although it needs review

	// Upload panes and failure views.
	NextPane   key.Binding
	PrevPane   key.Binding
	Pause      key.Binding
	PauseAll   key.Binding
	Cancel     key.Binding
	SlowDown   key.Binding
	Retry      key.Binding
	RetryAll   key.Binding
	Skip       key.Binding
	Remap      key.Binding
	Reencode   key.Binding
	Failures   key.Binding
	OpenInEdit key.Binding // open a failed item in Correct

	// Dialogs.
	Accept  key.Binding // send, in the send question
	Confirm key.Binding
	Deny    key.Binding

	// Setup.
	SaveSetup key.Binding // save the config (setup's form, and its quit question)
}

// DefaultKeyMap returns the bindings with their help text.
func DefaultKeyMap() *KeyMap {
	b := func(keys []string, k, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, desc))
	}
	return &KeyMap{
		Quit:      b([]string{"q", "ctrl+c"}, "q", "quit"),
		Interrupt: b([]string{"ctrl+c"}, "ctrl+c", "quit"),
		Help:      b([]string{"?"}, "?", "help"),
		Back:      b([]string{"esc"}, "esc", "back"),
		// Redraw: ctrl+l as in shells and editors.
		Redraw: b([]string{"ctrl+l"}, "ctrl+l", "redraw"),

		Up:       b([]string{"up", "k"}, "↑/k", "up"),
		Down:     b([]string{"down", "j"}, "↓/j", "down"),
		PageUp:   b([]string{"pgup", "ctrl+b"}, "pgup", "page up"),
		PageDown: b([]string{"pgdown", "ctrl+f"}, "pgdn", "page down"),
		Home:     b([]string{"home", "g"}, "g", "top"),
		End:      b([]string{"end", "G"}, "G", "bottom"),

		Open:       b([]string{"enter"}, "enter", "open/correct"),
		Parent:     b([]string{"backspace", "left", "h"}, "←/h", "parent folder"),
		Filter:     b([]string{"/"}, "/", "filter"),
		Select:     b([]string{" "}, "space", "select"),
		SelectAll:  b([]string{"a"}, "a", "select all"),
		SelectNone: b([]string{"n"}, "n", "select none"),
		Upload:     b([]string{"u"}, "u", "upload"),
		Sniff:      b([]string{"i"}, "i", "identify unknown files"),
		Uploads:    b([]string{"v"}, "v", "view uploads"),
		Reload:     b([]string{"ctrl+r"}, "ctrl+r", "reload folder"),

		NudgeUp:    b([]string{"up", "k"}, "↑/k", "crop up"),
		NudgeDown:  b([]string{"down", "j"}, "↓/j", "crop down"),
		NudgeLeft:  b([]string{"left", "h"}, "←/h", "crop left"),
		NudgeRight: b([]string{"right", "l"}, "→/l", "crop right"),
		ZoomIn:     b([]string{"+", "="}, "+", "zoom in"),
		ZoomOut:    b([]string{"-", "_"}, "-", "zoom out"),
		Reset:      b([]string{"r"}, "r", "reset"),
		PickFile:   b([]string{"f"}, "f", "other file"),
		Rename:     b([]string{"p"}, "p", "change person"),
		Target:     b([]string{"t"}, "t", "target"),
		Save:       b([]string{"s"}, "s", "save"),
		Approve:    b([]string{"a"}, "a", "approve (send although held)"),

		NextPane:   b([]string{"tab"}, "tab", "next pane"),
		PrevPane:   b([]string{"shift+tab"}, "shift+tab", "prev pane"),
		Pause:      b([]string{"p"}, "p", "pause/resume"),
		PauseAll:   b([]string{"P"}, "P", "pause/resume all"),
		Cancel:     b([]string{"x"}, "x", "cancel"),
		SlowDown:   b([]string{"-"}, "-", "slow down"),
		Retry:      b([]string{"r"}, "r", "retry"),
		RetryAll:   b([]string{"R"}, "R", "retry all of class"),
		Skip:       b([]string{"s"}, "s", "skip"),
		Remap:      b([]string{"m"}, "m", "remap person"),
		Reencode:   b([]string{"e"}, "e", "re-encode smaller"),
		Failures:   b([]string{"f"}, "f", "failures"),
		OpenInEdit: b([]string{"c"}, "c", "open in correct"),

		Accept:  b([]string{"y", "enter"}, "y/enter", "send"),
		Confirm: b([]string{"y", "Y"}, "y", "yes"),
		Deny:    b([]string{"n", "N", "esc"}, "n", "no"),

		// Setup: every letter is typed into a field, so a ctrl key.
		SaveSetup: b([]string{"ctrl+s"}, "ctrl+s", "save"),
	}
}

// Relabel is b with other help words (help key k, description desc) for
// one screen's footer: "a all" for SelectAll, "n/esc keep editing" for
// Deny. The keys stay b's, so the help never names a key the screen
// does not bind.
func Relabel(b key.Binding, k, desc string) key.Binding {
	b.SetHelp(k, desc)
	return b
}
