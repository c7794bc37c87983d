package browse

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"headshot/tui/common"
	"headshot/upload"
	"headshot/upload/journal"
)

// sideBySideWidth is the narrowest terminal that shows the preview beside
// the list; narrower terminals stack it below.
const sideBySideWidth = 110

// minSideListWidth keeps a typical name (jane.doe@example.com.jpg) whole
// beside the person and five status columns when the preview is beside
// the list.
const minSideListWidth = 64

// minSidePreviewWidth keeps the preview's detail lines (the review
// reasons are the longest) whole beside the list.
const minSidePreviewWidth = 50

// minListRows is the fewest file rows the list keeps when the preview is
// below it.
const minListRows = 8

// headerRows is the rows above the list: title, filter/status, columns.
const headerRows = 3

// SetSize implements common.Component: the list and the preview share the
// area, side by side when wide, stacked when narrow. The preview gets the
// room that draws its picture largest (a face must be judged by it); the
// list gets the rest.
func (m *Model) SetSize(w, h int) {
	m.Common.SetSize(w, h)
	m.side = w >= sideBySideWidth
	var pw, ph int
	if m.pv == nil {
		m.listW, m.listH = w, h
	} else if m.side {
		m.listW = m.sideListWidth(w, h)
		m.listH = h
		pw, ph = w-m.listW-1, h
	} else {
		m.listW = w
		m.listH = m.stackedListHeight(w, h)
		pw, ph = w, h-m.listH
	}
	if m.pv != nil {
		m.pv.SetSize(max(pw, 0), max(ph, 0))
	}
	m.clampOffset()
}

// sideListWidth is the list's width beside the preview: the widest, from
// two fifths of the terminal (or minSideListWidth) up to what leaves the
// preview minSidePreviewWidth, that still lets the preview draw its
// picture as large as it can. A preview without pictures leaves the list
// 55%.
func (m *Model) sideListWidth(w, h int) int {
	lo := max(minSideListWidth, w*2/5)
	hi := max(lo, w-1-minSidePreviewWidth)
	best, bestSide := lo, 0
	for l := lo; l <= hi; l++ {
		if s := m.pv.PictureSide(w-l-1, h); s > 0 && s >= bestSide {
			best, bestSide = l, s
		}
	}
	if bestSide == 0 {
		return max(w*55/100, minSideListWidth)
	}
	return best
}

// stackedListHeight is the list's height above the preview: at most half
// the height, at least minListRows rows of files, the most that still
// lets the preview draw its picture as large as it can.
func (m *Model) stackedListHeight(w, h int) int {
	hi := max(h/2, min(h, headerRows+3))
	lo := min(hi, headerRows+minListRows)
	best, bestSide := hi, 0
	for l := lo; l <= hi; l++ {
		if s := m.pv.PictureSide(w, h-l); s > 0 && s >= bestSide {
			best, bestSide = l, s
		}
	}
	return best
}

// rows is how many list rows fit.
func (m *Model) rows() int { return max(m.listH-headerRows, 1) }

func (m *Model) clampOffset() { m.list.Follow(len(m.visible), m.rows()) }

// View implements common.Component.
func (m *Model) View() string {
	if m.Width <= 0 || m.Height <= 0 {
		return ""
	}
	list := m.listView()
	if m.pv == nil {
		return list
	}
	pv := m.pv.View()
	if m.side {
		pvBox := lipgloss.NewStyle().Width(m.Width - m.listW - 1).Height(m.listH).MaxHeight(m.listH).Render(pv)
		return lipgloss.JoinHorizontal(lipgloss.Top, list, " ", pvBox)
	}
	pvBox := lipgloss.NewStyle().Height(m.Height - m.listH).MaxHeight(m.Height - m.listH).Render(pv)
	return lipgloss.JoinVertical(lipgloss.Left, list, pvBox)
}

func (m *Model) listView() string {
	st := m.Styles
	w := m.listW
	lines := make([]string, 0, m.listH)

	photos := 0
	for _, v := range m.visible {
		if m.entries[v].kind == kindImage {
			photos++
		}
	}
	count := common.Plural(photos, "photo")
	if m.filter.Value() != "" {
		// "0 of 14 photos": the filter hid them, the folder has them.
		all := 0
		for _, e := range m.entries {
			if e.kind == kindImage {
				all++
			}
		}
		count = fmt.Sprintf("%d of %s", photos, common.Plural(all, "photo"))
	}
	if n := len(m.selected); n > 0 {
		count += fmt.Sprintf(" · %d selected", n)
	}
	dir := common.SanitizeN(m.dir, 0)
	dir = common.TruncateLeft(dir, w-lipgloss.Width(count)-2)
	lines = append(lines, common.Truncate(st.Title.Render(dir)+"  "+st.Muted.Render(count), w))

	switch {
	case m.filtering || m.filter.Value() != "":
		lines = append(lines, common.Truncate(m.filter.View(), w))
	case m.loading:
		lines = append(lines, st.Info.Render("reading folder..."))
	case m.sniffing:
		lines = append(lines, st.Info.Render("identifying files by content..."))
	case m.unknown > 0:
		lines = append(lines, common.Truncate(st.Muted.Render(common.Plural(m.unknown, "file")+" of unknown type: ")+st.Key.Render("i")+st.Muted.Render(" to identify"), w))
	case lipgloss.Width(legend) > w:
		lines = append(lines, common.Truncate(st.Muted.Render(shortLegend), w))
	default:
		lines = append(lines, common.Truncate(st.Muted.Render(legend), w))
	}

	nameW, personW := m.columns()
	hdr := "    " + pad("file", nameW) + " " + pad("person", personW) + " " + m.statusHeader()
	lines = append(lines, common.Truncate(st.Header.Render(hdr), w))

	if len(m.visible) == 0 && !m.loading {
		msg := "no photos here"
		if m.filter.Value() != "" {
			msg = "nothing matches the filter (esc clears it)"
		}
		lines = append(lines, st.Muted.Render("    "+msg))
	}
	from, to := m.list.Shown(len(m.visible), m.rows())
	for i := from; i < to; i++ {
		lines = append(lines, m.row(i, nameW, personW))
	}
	for len(lines) < m.listH {
		lines = append(lines, "")
	}
	for i := range lines {
		lines[i] = common.Truncate(lines[i], w)
	}
	return strings.Join(lines[:m.listH], "\n")
}

const legend = "✓ sent  ✗ failed  ↑ sending  ! interrupted  ? held  · new"

// shortLegend is the legend for a narrow list, so every glyph keeps its word.
const shortLegend = "✓sent ✗failed ↑send !interrupted ?held ·new"

// columns splits the row width between the file name and the person.
func (m *Model) columns() (int, int) {
	rest := m.listW - 4 - 1 - 1 - m.statusWidth()
	personW := max(min(rest*2/5, 24), 6)
	return max(rest-personW, 6), personW
}

func (m *Model) statusWidth() int { return 3*len(m.platforms) - 1 }

func (m *Model) statusHeader() string {
	hs := make([]string, len(m.platforms))
	for i, p := range m.platforms {
		hs[i] = abbrev(p)
	}
	return strings.Join(hs, " ")
}

// abbrev is a platform's two-letter column header.
func abbrev(p upload.Platform) string {
	s := string(p)
	if len(s) >= 2 {
		return s[:2]
	}
	return pad(s, 2)
}

func (m *Model) row(i, nameW, personW int) string {
	st := m.Styles
	e := m.entries[m.visible[i]]
	cur := i == m.list.Cursor
	mark := "  "
	if cur {
		mark = "> "
	}
	sel := "  "
	if m.selected[e.path] {
		sel = st.Selected.Render("●") + " "
	}
	name := common.SanitizeN(e.name, 0)
	if e.kind == kindDir {
		name = pad(common.Truncate(name+"/", nameW), nameW)
		line := mark + sel + st.Dir.Render(name)
		if cur {
			return st.CursorRow.Render(ansi.Strip(mark + sel + name))
		}
		return line
	}
	person := common.SanitizeN(m.PersonFor(e.path), 0)
	cells := m.statusCells(m.PersonFor(e.path), e.path)
	text := mark + sel + pad(common.Truncate(name, nameW), nameW) + " " + st.Muted.Render(pad(common.Truncate(person, personW), personW)) + " " + cells
	if cur {
		plain := mark + sel + pad(common.Truncate(name, nameW), nameW) + " " + pad(common.Truncate(person, personW), personW) + " " + ansi.Strip(cells)
		return st.CursorRow.Render(pad(plain, m.listW))
	}
	return text
}

// statusCells is one glyph per platform for the file at path: from the
// journal's entries for this file (another file of the same person, e.g. a
// text file named jane.jpg that failed, says nothing about this one), and
// "?" in the warning colour while it is held for review.
func (m *Model) statusCells(person, path string) string {
	st := m.Styles
	entries := m.status[person]
	_, held := m.held[path]
	cells := make([]string, len(m.platforms))
	for i, p := range m.platforms {
		g, style := "·", st.New
		if held {
			g, style = "?", st.Held
		}
		for _, e := range entries {
			if e.Platform != p || !m.sameFile(e.Path, path) {
				continue
			}
			if held && e.State != journal.StateUploaded {
				continue
			}
			switch e.State {
			case journal.StateUploaded:
				g, style = "✓", st.OK
			case journal.StateFailed:
				g, style = "✗", st.Err
			case journal.StateQueued, journal.StateUploading:
				g, style = "↑", st.Info
			case journal.StateInterrupted:
				g, style = "!", st.Warn
			}
		}
		cells[i] = style.Render(g) + " "
	}
	return strings.TrimRight(strings.Join(cells, " "), " ")
}

// sameFile reports whether a journal entry's path names the row's file
// (entries written before paths were recorded count for the person).
func (m *Model) sameFile(entryPath, rowPath string) bool {
	if entryPath == "" || entryPath == rowPath {
		return true
	}
	if m.absDir != "" && !filepath.IsAbs(rowPath) {
		rowPath = filepath.Join(m.absDir, filepath.Base(rowPath))
	}
	return filepath.Clean(entryPath) == filepath.Clean(rowPath)
}

func pad(s string, w int) string {
	if n := lipgloss.Width(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}
