package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"headshot/tui/common"
	"headshot/upload"
	"headshot/upload/engine"
)

// Model is the root model. Build it with New.
type Model struct {
	common  common.Common
	opts    Options
	screen  common.Screen
	screens map[common.Screen]common.Component
	help    help.Model
	// helpTop is the first row of a full help taller than the terminal;
	// helpClipped says it is (↑/↓ scroll it then).
	helpTop     int
	helpClipped bool

	status      string
	statusIsErr bool
	confirmQuit bool
	quitting    bool

	// confirm is the send question `u` opened (nil: none showing).
	confirm    *sendConfirm
	confirmSeq int

	// correctFrom is the screen Correct was opened from: esc goes back
	// there (the browser, or the failure list).
	correctFrom common.Screen

	up     *uploads       // upload engine plumbing (nil until the first upload)
	engine *engine.Engine // the engine once started

	// tmux watches for tmux repainting the pane over images that
	// crossed it (nil: not in tmux, or images tmux keeps).
	tmux *tmuxWatch
}

// Screen is the screen being shown.
func (m *Model) Screen() common.Screen { return m.screen }

// Component returns the component behind a screen.
func (m *Model) Component(s common.Screen) common.Component { return m.screens[s] }

// Status is the status line text (errors and notes).
func (m *Model) Status() string { return m.status }

// Engine is the upload engine once the first upload started (else nil).
func (m *Model) Engine() *engine.Engine { return m.engine }

// ConfirmingSend reports whether the send question is showing, and its
// plan once worked out (nil while the photos are being checked).
func (m *Model) ConfirmingSend() (bool, *engine.Plan) {
	if m.confirm == nil {
		return false, nil
	}
	return true, m.confirm.plan
}

// ConfirmingQuit reports whether the quit question is showing.
func (m *Model) ConfirmingQuit() bool { return m.confirmQuit }

func (m *Model) active() common.Component { return m.screens[m.screen] }

// Init implements tea.Model.
func (m *Model) Init() tea.Cmd {
	cmds := make([]tea.Cmd, 0, len(m.screens))
	for _, s := range orderedScreens {
		if c := m.screens[s]; c != nil {
			cmds = append(cmds, c.Init())
		}
	}
	if m.tmux != nil {
		cmds = append(cmds, m.tmux.next(m.common.Gfx))
	}
	return tea.Batch(cmds...)
}

var orderedScreens = []common.Screen{common.ScreenBrowse, common.ScreenCorrect, common.ScreenUpload, common.ScreenFailures}

// chromeHeight is the rows the root draws below the active component: the
// status line and the help bar (full help takes more).
func (m *Model) chromeHeight() int {
	if m.help.ShowAll {
		return 1 + lipgloss.Height(m.helpView())
	}
	return 2
}

func (m *Model) resize() {
	h := max(m.common.Height-m.chromeHeight(), 1)
	for _, c := range m.screens {
		c.SetSize(m.common.Width, h)
	}
	m.help.Width = m.common.Width
}

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.common.SetSize(msg.Width, msg.Height)
		m.resize()
		// The renderer repaints every line after a resize: images drawn
		// over the cells (sixel) are drawn again.
		m.common.Gfx.Resize(msg.Width, msg.Height)
		// Components may need a command after a resize (the preview
		// redraws at the new size): they get the message too, after
		// SetSize.
		return m, tea.Batch(m.broadcast(msg), m.repaintAfterTmux())
	case tea.KeyMsg:
		return m, m.handleKey(msg)
	case tmuxPaneMsg:
		return m, m.tmux.update(msg, m.common.Gfx)
	case repaintMsg:
		m.common.Gfx.Repaint()
		return m, nil
	case tea.FocusMsg:
		// tmux with focus-events on says the pane is shown again (and
		// has been, or is about to be, repainted without its images).
		if m.common.Gfx.RedrawnByTmux() {
			m.common.Gfx.Repaint()
		}
		return m, m.repaintAfterTmux()
	case common.SwitchScreenMsg:
		m.show(msg.Screen)
		return m, nil
	case common.OpenCorrectMsg:
		if m.screen != common.ScreenCorrect {
			m.correctFrom = m.screen
		}
		m.show(common.ScreenCorrect)
		return m, m.active().Update(msg)
	case common.StartUploadMsg:
		return m, m.askToSend(msg.Requests)
	case common.LeaveMsg:
		if msg.Quit {
			return m, m.requestQuit()
		}
		m.status = ""
		m.show(m.backTo())
		return m, nil
	case planReadyMsg:
		return m, m.planReady(msg)
	case common.UploadEventMsg:
		return m, tea.Batch(m.broadcast(msg), m.afterEvent(msg.Event))
	case common.UploadsClosedMsg:
		return m, m.broadcast(msg)
	case common.ErrorMsg:
		if msg.Err != nil {
			m.status, m.statusIsErr = common.Sanitize(msg.Err.Error()), true
		}
		return m, nil
	case common.StatusMsg:
		m.status, m.statusIsErr = common.Sanitize(msg.Text), false
		return m, nil
	case quitMsg:
		m.quitting = true
		return m, tea.Quit
	}
	// Everything else (command results, ticks) goes to every component;
	// each ignores what is not its own (results carry request ids).
	return m, m.broadcast(msg)
}

func (m *Model) broadcast(msg tea.Msg) tea.Cmd {
	var cmds []tea.Cmd
	for _, s := range orderedScreens {
		if c := m.screens[s]; c != nil {
			cmds = append(cmds, c.Update(msg))
		}
	}
	return tea.Batch(cmds...)
}

func (m *Model) show(s common.Screen) {
	if m.screens[s] == nil {
		return
	}
	m.screen = s
}

func (m *Model) capturing() bool {
	c, ok := m.active().(common.Capturer)
	return ok && c.Capturing()
}

func (m *Model) handleKey(msg tea.KeyMsg) tea.Cmd {
	keys := m.common.Keys
	if m.confirmQuit {
		switch {
		case key.Matches(msg, keys.Confirm, keys.Interrupt):
			m.confirmQuit = false
			return m.quit()
		case key.Matches(msg, keys.Deny):
			m.confirmQuit = false
		}
		return nil
	}
	if key.Matches(msg, keys.Interrupt) {
		return m.requestQuit()
	}
	if key.Matches(msg, m.common.Keys.Redraw) {
		// Everything again: the renderer's lines and the images.
		m.common.Gfx.Invalidate()
		return tea.Batch(tea.ClearScreen, m.repaintAfterTmux())
	}
	if m.confirm != nil {
		return m.confirmKey(msg)
	}
	// Keys typed faster than the terminal is read (or sent by tmux
	// send-keys) arrive as one message of several runes: act on each,
	// also while a component captures keys (a list picker matches one
	// rune at a time; a text input takes them one by one just the same).
	if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste {
		var cmds []tea.Cmd
		for _, r := range msg.Runes {
			cmds = append(cmds, m.handleKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt}))
		}
		return tea.Batch(cmds...)
	}
	if m.capturing() {
		return m.active().Update(msg)
	}
	if key.Matches(msg, keys.Quit) || key.Matches(msg, keys.Back) && m.screen != common.ScreenBrowse {
		// A screen with unsaved changes (Correct's crop) asks first.
		if l, ok := m.active().(common.Leaver); ok && l.AskBeforeLeaving(key.Matches(msg, keys.Quit)) {
			return nil
		}
	}
	switch {
	case m.help.ShowAll && msg.Type == tea.KeyEsc:
		m.help.ShowAll = false // esc closes the help before it leaves a screen
		m.helpTop = 0
		m.resize()
		return nil
	case m.help.ShowAll && m.helpClipped && (msg.Type == tea.KeyUp || msg.Type == tea.KeyDown):
		if msg.Type == tea.KeyUp {
			m.helpTop--
		} else {
			m.helpTop++
		}
		return nil
	case key.Matches(msg, keys.Quit):
		return m.requestQuit()
	case key.Matches(msg, keys.Help):
		m.help.ShowAll = !m.help.ShowAll
		m.resize()
		return nil
	case key.Matches(msg, keys.Back) && m.screen != common.ScreenBrowse:
		m.status = ""
		m.show(m.backTo())
		return nil
	}
	m.status = ""
	return m.active().Update(msg)
}

// backTo is the screen esc leads to: Correct goes back to where it was
// opened from, the failure list to the upload panes, the rest to the
// browser.
func (m *Model) backTo() common.Screen {
	switch m.screen {
	case common.ScreenCorrect:
		if m.correctFrom != common.ScreenCorrect && m.screens[m.correctFrom] != nil {
			return m.correctFrom
		}
	case common.ScreenFailures:
		if m.up != nil && m.screens[common.ScreenUpload] != nil {
			return common.ScreenUpload
		}
	}
	return common.ScreenBrowse
}

// requestQuit quits at once when nothing is in flight, else asks first.
func (m *Model) requestQuit() tea.Cmd {
	if m.up.busy() {
		m.confirmQuit = true
		return nil
	}
	return m.quit()
}

// quitMsg is sent when the engine has been closed and the program may end.
type quitMsg struct{}

// quit closes the engine off the update loop (in-flight uploads are
// recorded as interrupted), then ends the program.
func (m *Model) quit() tea.Cmd {
	up := m.up
	if up == nil {
		m.quitting = true
		return tea.Quit
	}
	m.status, m.statusIsErr = "stopping uploads...", false
	return func() tea.Msg {
		up.close()
		return quitMsg{}
	}
}

// View implements tea.Model.
func (m *Model) View() string {
	if m.quitting {
		return ""
	}
	st := m.common.Styles
	body := m.active().View()
	w, bodyH := m.common.Width, max(m.common.Height-m.chromeHeight(), 1)
	switch {
	case m.confirmQuit:
		body = lipgloss.Place(w, bodyH, lipgloss.Center, lipgloss.Center, m.quitView(w, bodyH))
	case m.confirm != nil:
		body = lipgloss.Place(w, bodyH, lipgloss.Center, lipgloss.Center, m.confirmView(w, bodyH))
	}
	body = lipgloss.NewStyle().Height(bodyH).MaxHeight(bodyH).Render(fitWidth(body, m.common.Width))
	status := m.status
	if m.statusIsErr {
		status = st.Err.Render(common.Truncate(status, m.common.Width))
	} else {
		status = st.Status.Render(common.Truncate(status, m.common.Width))
	}
	// The screen takes the images' marks out of the frame and draws
	// them in step with the renderer.
	return m.common.Gfx.Frame(lipgloss.JoinVertical(lipgloss.Left, body, status, m.helpView()))
}

// quitView is the question asked when quitting with uploads in flight,
// its text wrapped to fit w columns (at 40 it would be cut mid-sentence)
// and h rows.
func (m *Model) quitView(w, h int) string {
	st := m.common.Styles
	keys := m.common.Keys
	wrap := lipgloss.NewStyle().Width(max(min(w-st.Dialog.GetHorizontalFrameSize()-2, 56), 20))
	head, body := quitQuestion(m.up.work())
	return dialog(st.Dialog, h, st.Err.Render(head)+"\n\n"+
		wrap.Render(body)+"\n\n"+
		st.Key.Render(keys.Confirm.Help().Key)+" quit   "+st.Key.Render(keys.Deny.Help().Key)+" "+m.stayWords())
}

// stayWords is what answering no to the quit question does: "keep
// uploading", or "go back" when every platform left is paused (nothing
// is uploading to keep on with).
func (m *Model) stayWords() string {
	if m.up.work().Paused {
		return "go back"
	}
	return "keep uploading"
}

// quitQuestion is the quit question's heading and text for what is left:
// uploads moving, or only waiting on paused platforms ("in flight" would
// be wrong then), counted when the engine says.
func quitQuestion(w workLeft) (head, body string) {
	switch {
	case w.Paused:
		return fmt.Sprintf("%s wait on paused platforms.", upload.Plural(w.Queued, "upload")),
			"Quit now? Nothing is being sent; they stay unsent until you send these photos again."
	case w.InFlight > 0:
		head = fmt.Sprintf("%s in flight", upload.Plural(w.InFlight, "upload"))
		if w.Queued > 0 {
			head += fmt.Sprintf(", %d queued", w.Queued)
		}
		return head + ".", "Quit now? In-flight uploads are recorded as interrupted and sent again next time. They may still arrive."
	}
	// Only queued (the question is asked only while something is left).
	return fmt.Sprintf("%s queued.", upload.Plural(w.Queued, "upload")),
		"Quit now? They stay unsent until you send these photos again."
}

// dialog draws text in the dialog box, without its blank rows above and
// below the text when the box would be taller than h rows (40x12).
func dialog(box lipgloss.Style, h int, text string) string {
	d := box.Render(text)
	if lipgloss.Height(d) > h {
		d = box.PaddingTop(0).PaddingBottom(0).Render(text)
	}
	return d
}

// helpView renders the active component's keys plus the root's. The
// short help drops the component's last keys until the line fits (esc
// and the root's ? and q always show; while a component captures keys,
// ctrl+c instead of ? and q; while the quit question shows, y and n).
func (m *Model) helpView() string {
	keys := m.common.Keys
	if m.confirmQuit {
		return m.help.ShortHelpView([]key.Binding{
			common.Relabel(keys.Confirm, keys.Confirm.Help().Key, "quit"),
			common.Relabel(keys.Deny, keys.Deny.Help().Key, m.stayWords()),
		})
	}
	if m.confirm != nil {
		return m.help.ShortHelpView(m.confirmHelp())
	}
	root := []key.Binding{keys.Help, keys.Quit}
	if m.capturing() {
		// ? and q are typed into the component: only ctrl+c quits.
		root = []key.Binding{keys.Interrupt}
	}
	hk := helpKeys{c: m.active(), root: root, back: keys.Back}
	if m.help.ShowAll {
		return m.fullHelpView(hk.FullHelp())
	}
	// The component's esc key (back, cancel) is kept with the root's, so
	// the way out always shows; its other keys go from the end.
	var comp, kept []key.Binding
	for _, b := range m.active().ShortHelp() {
		if hasKey([][]key.Binding{{b}}, "esc") {
			kept = append(kept, b)
		} else {
			comp = append(comp, b)
		}
	}
	root = append(kept, root...)
	var dropFirst []key.Binding
	if t, ok := m.active().(common.HelpTrimmer); ok {
		dropFirst = t.DropFirst()
	}
	h := m.help
	h.Width = 0 // fitted here: bubbles' own cut can overflow or drop q
	for {
		line := h.ShortHelpView(append(append([]key.Binding{}, comp...), root...))
		if len(comp) == 0 || m.common.Width <= 0 || lipgloss.Width(line) <= m.common.Width {
			return line
		}
		comp = dropOne(comp, &dropFirst)
	}
}

// dropOne leaves one key out of a help bar too wide: the first of
// dropFirst still shown (matched by the key it names), else the last.
func dropOne(keys []key.Binding, dropFirst *[]key.Binding) []key.Binding {
	for len(*dropFirst) > 0 {
		d := (*dropFirst)[0]
		*dropFirst = (*dropFirst)[1:]
		for i, b := range keys {
			if b.Help().Key == d.Help().Key {
				return append(append([]key.Binding{}, keys[:i]...), keys[i+1:]...)
			}
		}
	}
	return keys[:len(keys)-1]
}

// fullHelpView lays the help's columns out in as many blocks as the width
// needs, so no column (the root's ? and q come last) is cut off with "…"
// on a narrow terminal.
func (m *Model) fullHelpView(cols [][]key.Binding) string {
	h := m.help
	h.Width = 0
	var blocks []string
	var cur [][]key.Binding
	for _, col := range cols {
		try := append(append([][]key.Binding{}, cur...), col)
		if len(cur) > 0 && m.common.Width > 0 && lipgloss.Width(h.FullHelpView(try)) > m.common.Width {
			blocks = append(blocks, h.FullHelpView(cur))
			cur = [][]key.Binding{col}
			continue
		}
		cur = try
	}
	if len(cur) > 0 {
		blocks = append(blocks, h.FullHelpView(cur))
	}
	all := strings.Split(lipgloss.JoinVertical(lipgloss.Left, blocks...), "\n")
	// A help taller than the terminal leaves room for the status line and
	// two rows of the screen, and scrolls with ↑/↓ (a small terminal never
	// loses a column).
	room := m.common.Height - 3
	if m.common.Height <= 0 || len(all) <= room || room < 2 {
		m.helpClipped = false
		return strings.Join(all, "\n")
	}
	m.helpClipped = true
	rows := room - 1
	m.helpTop = min(max(m.helpTop, 0), len(all)-rows)
	shown := all[m.helpTop : m.helpTop+rows]
	more := fmt.Sprintf("↑/↓ more help (%d-%d of %d) · esc close", m.helpTop+1, m.helpTop+rows, len(all))
	shown = append(shown, m.common.Styles.Muted.Render(common.Truncate(more, m.common.Width)))
	return strings.Join(shown, "\n")
}

// helpKeys joins a component's help with the root's keys (root), plus
// esc when the component does not list it itself.
type helpKeys struct {
	c    common.Component
	root []key.Binding
	back key.Binding
}

func (h helpKeys) ShortHelp() []key.Binding {
	return append(append([]key.Binding{}, h.c.ShortHelp()...), h.root...)
}

func (h helpKeys) FullHelp() [][]key.Binding {
	cols := h.c.FullHelp()
	last := append([]key.Binding{}, h.root...)
	if !hasKey(cols, "esc") {
		last = append(last, h.back)
	}
	return append(append([][]key.Binding{}, cols...), last)
}

// hasKey reports whether any binding in cols answers to k.
func hasKey(cols [][]key.Binding, k string) bool {
	for _, col := range cols {
		for _, b := range col {
			for _, bk := range b.Keys() {
				if bk == k {
					return true
				}
			}
		}
	}
	return false
}

// fitWidth cuts every line of s wider than w cells, ending it in "…" (a
// component that overflows still shows that its line goes on).
func fitWidth(s string, w int) string {
	if w <= 0 {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if lipgloss.Width(l) > w {
			lines[i] = common.Truncate(l, w)
		}
	}
	return strings.Join(lines, "\n")
}
