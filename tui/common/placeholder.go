package common

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// Placeholder is a component that shows a fixed message; the root uses it
// for screens whose real component is not configured.
type Placeholder struct {
	Common
	Text string
}

// NewPlaceholder makes a placeholder showing text.
func NewPlaceholder(c Common, text string) *Placeholder {
	return &Placeholder{Common: c, Text: text}
}

// Init implements Component.
func (p *Placeholder) Init() tea.Cmd { return nil }

// Update implements Component.
func (p *Placeholder) Update(tea.Msg) tea.Cmd { return nil }

// View implements Component.
func (p *Placeholder) View() string {
	return lipgloss.Place(max(p.Width, 1), max(p.Height, 1), lipgloss.Center, lipgloss.Center,
		p.Styles.Muted.Render(p.Text))
}

// ShortHelp implements Component.
func (p *Placeholder) ShortHelp() []key.Binding { return []key.Binding{p.Keys.Back} }

// FullHelp implements Component.
func (p *Placeholder) FullHelp() [][]key.Binding { return [][]key.Binding{p.ShortHelp()} }
