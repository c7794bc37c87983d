package common

import (
	"io"

	"github.com/charmbracelet/lipgloss"
)

// Styles is every style the TUI uses, built once by NewStyles for a colour
// mode. Colours are xterm 256 indices (reduced by lipgloss to 16 colours on
// a 16-colour terminal); under NO_COLOR only bold, reverse and underline
// are used, and every state is also told by a glyph or word so nothing
// depends on colour.
type Styles struct {
	App       lipgloss.Style // outer frame of the whole screen
	Title     lipgloss.Style // screen title ("headshot  ~/photos")
	Subtitle  lipgloss.Style
	Muted     lipgloss.Style // secondary text (paths, counts)
	Header    lipgloss.Style // table headers
	Row       lipgloss.Style // a list row
	CursorRow lipgloss.Style // the row under the cursor
	Selected  lipgloss.Style // the selection mark of a selected row
	Dir       lipgloss.Style // folder rows
	Filter    lipgloss.Style // filter prompt
	Input     lipgloss.Style // text inputs

	Pane        lipgloss.Style // bordered pane (upload platform, preview)
	PaneFocused lipgloss.Style // bordered pane with focus
	PaneTitle   lipgloss.Style

	OK      lipgloss.Style // uploaded, success
	Warn    lipgloss.Style // throttled, flags, interrupted
	Held    lipgloss.Style // held for review: Warn, bold
	Err     lipgloss.Style // failed, errors
	Info    lipgloss.Style // queued, in flight
	New     lipgloss.Style // not yet sent
	Key     lipgloss.Style // key names in prompts
	Dialog  lipgloss.Style // confirmation box
	Status  lipgloss.Style // bottom status line
	Spinner lipgloss.Style

	// HelpKey, HelpDesc and HelpSep style the help bar (bubbles/help).
	HelpKey  lipgloss.Style
	HelpDesc lipgloss.Style
	HelpSep  lipgloss.Style
}

// NewStyles builds the style set for mode with its own lipgloss renderer,
// so the result does not depend on what the process's stdout is.
func NewStyles(mode ColorMode) *Styles {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(mode.Profile())
	ns := r.NewStyle
	colour := mode >= Color16
	fg := func(s lipgloss.Style, c string) lipgloss.Style {
		if colour {
			return s.Foreground(lipgloss.Color(c))
		}
		return s
	}
	bg := func(s lipgloss.Style, c string) lipgloss.Style {
		if colour {
			return s.Background(lipgloss.Color(c))
		}
		return s
	}
	border := lipgloss.RoundedBorder()
	if mode == ColorPlain {
		border = lipgloss.NormalBorder()
	}

	s := &Styles{}
	s.App = ns()
	s.Title = fg(ns().Bold(true), "212")
	s.Subtitle = fg(ns(), "250")
	s.Muted = fg(ns(), "244")
	s.Header = fg(ns().Bold(true), "250")
	s.Row = ns()
	s.CursorRow = bg(fg(ns().Bold(true), "231"), "61")
	if !colour {
		s.CursorRow = ns().Reverse(true)
	}
	s.Selected = fg(ns().Bold(true), "214")
	s.Dir = fg(ns().Bold(true), "75")
	s.Filter = fg(ns(), "212")
	s.Input = fg(ns(), "231")

	s.Pane = fg(ns().Border(border), "240").Padding(0, 1)
	s.Pane = s.Pane.BorderForeground(s.Pane.GetForeground()).UnsetForeground()
	// The focused pane has a heavier border, not only another colour, so
	// NO_COLOR still shows which platform p, x and - act on.
	s.PaneFocused = ns().Border(lipgloss.ThickBorder()).Padding(0, 1)
	if colour {
		s.PaneFocused = s.PaneFocused.BorderForeground(lipgloss.Color("212"))
	}
	s.PaneTitle = fg(ns().Bold(true), "231")

	s.OK = fg(ns(), "78")
	s.Warn = fg(ns(), "214")
	s.Held = s.Warn.Bold(true)
	s.Err = fg(ns().Bold(true), "203")
	s.Info = fg(ns(), "75")
	s.New = fg(ns(), "244")
	s.Key = fg(ns().Bold(true), "212")
	s.Dialog = ns().Border(border).Padding(1, 2)
	if colour {
		s.Dialog = s.Dialog.BorderForeground(lipgloss.Color("203"))
	}
	s.Status = fg(ns(), "250")
	s.Spinner = fg(ns(), "212")

	s.HelpKey = fg(ns().Bold(true), "250")
	s.HelpDesc = fg(ns(), "244")
	s.HelpSep = fg(ns(), "240")
	return s
}
