package correct

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"headshot/tui/common"
)

// headRows is the rows above the preview: title, crop line, target line.
const headRows = 3

// SetSize implements common.Component.
func (m *Model) SetSize(w, h int) {
	m.Common.SetSize(w, h)
	m.pv.SetSize(w, max(h-headRows, 0))
}

func (m *Model) pickRows() int { return max(m.Height-headRows-1, 1) }

// View implements common.Component.
func (m *Model) View() string {
	if m.Width <= 0 || m.Height <= 0 {
		return ""
	}
	st := m.Styles
	if m.path == "" {
		return lipgloss.Place(m.Width, m.Height, lipgloss.Center, lipgloss.Center,
			st.Muted.Render("choose a photo in the browser and press enter"))
	}
	name := common.SanitizeN(filepath.Base(m.path), 60)
	person := common.SanitizeN(m.person, 80)
	lines := []string{st.Title.Render("Correct ") + name + st.Muted.Render(" → ") + st.Selected.Render(person)}

	cropLine := "crop: auto"
	if c, _, _, ok := m.base(); ok {
		how := "auto"
		if m.crop != nil {
			how = "manual"
			if m.saved {
				how += ", saved"
			} else {
				how += ", not saved"
			}
		}
		cropLine = fmt.Sprintf("crop: %s  %dx%d at %d,%d", how, c.Dx(), c.Dy(), c.Min.X, c.Min.Y)
	} else if m.crop != nil {
		cropLine = fmt.Sprintf("crop: manual  %dx%d at %d,%d", m.crop.Dx(), m.crop.Dy(), m.crop.Min.X, m.crop.Min.Y)
	}
	if r := m.result(); r != nil && r.NeedsReview() {
		// Held or approved: said in the review colour, never in grey.
		if m.approved || m.saved {
			cropLine += "  " + st.OK.Render("✓ approved: u sends it")
		} else {
			cropLine += "  " + st.Held.Render("⚠ held: a approves")
		}
	}
	lines = append(lines, st.Subtitle.Render(cropLine))

	targets := []string{"all"}
	for _, p := range m.platforms {
		targets = append(targets, string(p))
	}
	for i, t := range targets {
		if i == m.target {
			targets[i] = st.Selected.Render("[" + t + "]")
		} else {
			targets[i] = st.Muted.Render(" " + t + " ")
		}
	}
	lines = append(lines, st.Muted.Render("upload to: ")+strings.Join(targets, ""))

	switch m.mode {
	case modeRename:
		lines = append(lines, "", m.rename.View(),
			st.Muted.Render("the person key: an email, username or id, as the platforms know them"))
	case modePick:
		lines = append(lines, m.pickerView()...)
	case modeLeave:
		lines = append(lines, "", st.Warn.Render("The crop was changed and not saved."), "",
			st.Key.Render(m.Keys.Save.Help().Key)+" save it   "+st.Key.Render(m.Keys.Confirm.Help().Key)+" discard it   "+st.Key.Render(m.Keys.Deny.Help().Key)+" keep editing")
	default:
		lines = append(lines, m.pv.View())
	}
	out := strings.Split(strings.Join(lines, "\n"), "\n")
	if len(out) > m.Height {
		out = out[:m.Height]
	}
	for i, l := range out {
		if lipgloss.Width(l) > m.Width {
			out[i] = common.Truncate(l, m.Width)
		}
	}
	return strings.Join(out, "\n")
}

func (m *Model) pickerView() []string {
	st := m.Styles
	out := []string{st.Header.Render("another file for " + common.SanitizeN(m.person, 60) + ":")}
	if m.pick.err != nil {
		return append(out, st.Err.Render(common.Sanitize(m.pick.err.Error())))
	}
	if m.pick.files == nil {
		return append(out, st.Info.Render("reading folder..."))
	}
	from, to := m.pick.list.Shown(len(m.pick.files), m.pickRows())
	for i := from; i < to; i++ {
		n := common.SanitizeN(filepath.Base(m.pick.files[i]), 0)
		if i == m.pick.list.Cursor {
			out = append(out, st.CursorRow.Render("> "+n))
		} else {
			out = append(out, "  "+n)
		}
	}
	return out
}
