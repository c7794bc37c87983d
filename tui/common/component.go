package common

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"headshot/tui/graphics"
)

// Component is one screen or pane the root model routes to. Components are
// pointers that update in place, so the root needs no type assertions:
// Update returns only the command to run.
//
// The help bar is built from the active component's ShortHelp plus the
// root's keys; `?` shows FullHelp.
type Component interface {
	// Init returns the component's first command (may be nil).
	Init() tea.Cmd
	// Update handles one message and returns the command to run next.
	Update(msg tea.Msg) tea.Cmd
	// View renders the component inside the size last given to SetSize.
	View() string
	// SetSize tells the component how many cells it may draw in.
	SetSize(width, height int)
	// ShortHelp is the component's keys for the one-line help bar.
	ShortHelp() []key.Binding
	// FullHelp is the component's keys for the `?` help, in columns.
	FullHelp() [][]key.Binding
}

// HelpTrimmer is a Component whose footer keys are not equally useful:
// when the help bar is too narrow the root leaves out the keys DropFirst
// names (in that order; matched by their help key, "a") before cutting
// from the end. The keys left keep the order
// ShortHelp gives: a key never changes place between states, it is only
// left out.
type HelpTrimmer interface {
	DropFirst() []key.Binding
}

// Capturer is implemented by components that sometimes take every key
// (a text input, a filter being typed). While Capturing reports true the
// root passes keys straight through and does not act on `q` or `?`
// itself (ctrl+c still quits).
type Capturer interface {
	Capturing() bool
}

// Common is what every component embeds: its size and the shared styles,
// keys, colour mode and graphics screen. The pointers are shared, never
// copied per component.
type Common struct {
	Width  int
	Height int
	Styles *Styles
	Keys   *KeyMap
	Color  ColorMode
	// Gfx is the terminal's image screen (nil: half blocks when the
	// colours allow, as in tests).
	Gfx *graphics.Screen
}

// Graphics is how images are drawn: Gfx's protocol, else half blocks
// when the colour mode can draw them, else plain characters.
func (c Common) Graphics() graphics.Protocol {
	if c.Gfx != nil {
		return c.Gfx.Protocol()
	}
	if c.Color.Images() {
		return graphics.HalfBlocks
	}
	return graphics.Chars
}

// NewCommon builds the shared bundle for a colour mode.
func NewCommon(mode ColorMode) Common {
	return Common{Styles: NewStyles(mode), Keys: DefaultKeyMap(), Color: mode}
}

// SetSize records the component's size.
func (c *Common) SetSize(width, height int) {
	c.Width, c.Height = width, height
}
