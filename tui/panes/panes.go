// Package panes is the upload screen: one pane per configured platform, all
// visible together (a grid that is compact at 80x24 and roomier when larger),
// each with a progress bar, done/failed/total, its achieved rate against its
// limit, what is in flight, a live countdown while the platform is throttled
// and its latest events. It reads the engine through a small interface and
// polls its Snapshot on a tick; it never touches the engine's workers.
package panes

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"headshot/tui/common"
	"headshot/upload"
	"headshot/upload/engine"
)

// Engine is what the panes need of the upload engine.
type Engine interface {
	Snapshot() []engine.PlatformStats
	Pause(p upload.Platform, reason string)
	Resume(p upload.Platform)
	Cancel(p upload.Platform)
	SlowDown(p upload.Platform, factor float64)
}

// TickInterval is how often the panes refresh from the engine.
const TickInterval = 250 * time.Millisecond

// minPaneWidth is the narrowest a pane may be before the grid drops a column.
const minPaneWidth = 38

// narrowPaneWidth is how narrow a pane may get when, at minPaneWidth, the
// panes would be too short to show their rate line (seven platforms at
// 80x24): a third column of narrower panes beats four rows of stubs.
const narrowPaneWidth = 26

// usefulPaneHeight is a pane's border plus its title, progress, counts and
// rate (or 429 countdown) lines.
const usefulPaneHeight = 6

// Model is the upload screen.
type Model struct {
	common.Common
	eng       Engine
	platforms []upload.Platform
	now       func() time.Time

	stats     []engine.PlatformStats
	selected  int
	confirm   bool // asking whether to cancel the selected platform
	poll      *common.Poller
	finished  bool // the event channel closed
	lastEvent map[upload.Platform]engine.Event
}

// Option adjusts a Model.
type Option func(*Model)

// WithClock replaces time.Now (tests).
func WithClock(now func() time.Time) Option { return func(m *Model) { m.now = now } }

// New builds the upload screen for the configured platforms. eng may be nil
// until the first upload starts: the root then sends EngineStartedMsg.
func New(c common.Common, platforms []upload.Platform, eng Engine, opts ...Option) *Model {
	m := &Model{Common: c, eng: eng, platforms: platforms, now: time.Now, lastEvent: map[upload.Platform]engine.Event{},
		poll: common.NewPoller(TickInterval)}
	for _, o := range opts {
		o(m)
	}
	m.refresh()
	return m
}

// Attach gives the panes the engine once it exists.
func (m *Model) Attach(eng Engine) tea.Cmd {
	m.eng = eng
	m.refresh()
	return m.startTicking()
}

// Selected is the platform of the selected pane ("" when none).
func (m *Model) Selected() upload.Platform {
	if m.selected < 0 || m.selected >= len(m.stats) {
		return ""
	}
	return m.stats[m.selected].Platform
}

// Confirming reports whether the cancel question is showing.
func (m *Model) Confirming() bool { return m.confirm }

// Capturing implements common.Capturer while the cancel question is open,
// so `q` and `?` answer it rather than quitting.
func (m *Model) Capturing() bool { return m.confirm }

// Init implements common.Component.
func (m *Model) Init() tea.Cmd { return m.startTicking() }

func (m *Model) startTicking() tea.Cmd {
	if m.eng == nil {
		return nil
	}
	return m.poll.Start()
}

// refresh reads the engine's snapshot, keeping platforms in config order.
func (m *Model) refresh() {
	if m.eng == nil {
		m.stats = m.stats[:0]
		for _, p := range m.platforms {
			m.stats = append(m.stats, engine.PlatformStats{Platform: p})
		}
		return
	}
	m.stats = m.eng.Snapshot()
	if m.selected >= len(m.stats) {
		m.selected = max(len(m.stats)-1, 0)
	}
}

// Update implements common.Component.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case common.EngineStartedMsg:
		if msg.Engine != nil {
			return m.Attach(msg.Engine)
		}
	case common.PollMsg:
		if !m.poll.Due(msg) {
			return nil
		}
		m.refresh()
		return m.poll.Next()
	case common.UploadEventMsg:
		if msg.Event.Platform != "" {
			m.lastEvent[msg.Event.Platform] = msg.Event
		}
	case common.UploadsClosedMsg:
		m.finished = true
		m.refresh()
	case tea.KeyMsg:
		return m.handleKey(msg)
	}
	return nil
}

func (m *Model) handleKey(msg tea.KeyMsg) tea.Cmd {
	k := m.Keys
	if m.confirm {
		switch {
		case key.Matches(msg, k.Confirm):
			m.confirm = false
			if p := m.Selected(); p != "" && m.eng != nil {
				m.eng.Cancel(p)
				m.refresh()
				return common.StatusCmd(p.Title() + ": queue canceled")
			}
		case key.Matches(msg, k.Deny):
			m.confirm = false
		}
		return nil
	}
	switch {
	case key.Matches(msg, k.NextPane, k.Down):
		if len(m.stats) > 0 {
			m.selected = (m.selected + 1) % len(m.stats)
		}
	case key.Matches(msg, k.PrevPane, k.Up):
		if len(m.stats) > 0 {
			m.selected = (m.selected + len(m.stats) - 1) % len(m.stats)
		}
	case key.Matches(msg, k.Pause):
		return m.togglePause(m.Selected())
	case key.Matches(msg, k.PauseAll):
		return m.togglePause("")
	case key.Matches(msg, k.Cancel):
		if m.Selected() != "" && m.eng != nil {
			m.confirm = true
		}
	case key.Matches(msg, k.SlowDown):
		if p := m.Selected(); p != "" && m.eng != nil {
			m.eng.SlowDown(p, 0.5)
			m.refresh()
			return common.StatusCmd(p.Title() + ": pace halved")
		}
	case key.Matches(msg, k.Failures):
		return common.SwitchScreen(common.ScreenFailures)
	}
	return nil
}

// workLeft reports whether a platform has photos queued or in flight: only
// those can be paused or canceled (a finished platform shown as "paused"
// read as if it had stopped halfway).
func workLeft(s engine.PlatformStats) bool { return s.Queued+s.InFlight > 0 }

// stat is the stats of platform p.
func (m *Model) stat(p upload.Platform) (engine.PlatformStats, bool) {
	for _, s := range m.stats {
		if s.Platform == p {
			return s, true
		}
	}
	return engine.PlatformStats{}, false
}

// togglePause pauses p (all platforms with photos left when "") unless it
// is paused, then resumes it. A platform that has finished is not paused,
// and the status line says so.
func (m *Model) togglePause(p upload.Platform) tea.Cmd {
	if m.eng == nil {
		return nil
	}
	if p != "" {
		s, ok := m.stat(p)
		switch {
		case !ok:
			return nil
		case s.Paused:
			m.eng.Resume(p)
			m.refresh()
			return common.StatusCmd(p.Title() + ": resumed")
		case !workLeft(s):
			return common.StatusCmd(p.Title() + ": finished, nothing to pause")
		}
		m.eng.Pause(p, "paused by you")
		m.refresh()
		return common.StatusCmd(p.Title() + ": paused")
	}
	var running, paused, finished []string
	for _, s := range m.stats {
		switch {
		case s.Paused:
			paused = append(paused, s.Platform.Title())
		case workLeft(s):
			running = append(running, s.Platform.Title())
		default:
			finished = append(finished, s.Platform.Title())
		}
	}
	if len(running) == 0 {
		if len(paused) == 0 {
			return common.StatusCmd("nothing to pause: every platform has finished")
		}
		for _, s := range m.stats {
			if s.Paused {
				m.eng.Resume(s.Platform)
			}
		}
		m.refresh()
		return common.StatusCmd("resumed " + strings.Join(paused, ", "))
	}
	for _, s := range m.stats {
		if !s.Paused && workLeft(s) {
			m.eng.Pause(s.Platform, "paused by you")
		}
	}
	m.refresh()
	text := "paused " + strings.Join(running, ", ")
	if len(finished) > 0 {
		text += " (" + strings.Join(finished, ", ") + " finished: not paused)"
	}
	return common.StatusCmd(text)
}

// ShortHelp implements common.Component. The keys keep one order in every
// state; a key that cannot act now (p and x on a finished platform, P
// when every platform has finished) is left out, never moved.
func (m *Model) ShortHelp() []key.Binding {
	k := m.Keys
	if m.confirm {
		return []key.Binding{k.Confirm, k.Deny}
	}
	sel, _ := m.stat(m.Selected())
	anyLeft := false
	for _, s := range m.stats {
		anyLeft = anyLeft || workLeft(s) || s.Paused
	}
	var out []key.Binding
	add := func(ok bool, b key.Binding) {
		if ok {
			out = append(out, b)
		}
	}
	add(len(m.stats) > 1, k.NextPane)
	add(m.eng != nil && (workLeft(sel) || sel.Paused), k.Pause)
	add(m.eng != nil, k.Failures)
	add(m.eng != nil && workLeft(sel), k.Cancel)
	add(m.eng != nil && anyLeft, k.PauseAll)
	return append(out, k.Back)
}

// FullHelp implements common.Component.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.Keys
	return [][]key.Binding{{k.NextPane, k.PrevPane, k.Pause, k.PauseAll}, {k.Cancel, k.SlowDown, k.Failures, k.Back}}
}

// grid is how the panes are laid out: cols x rows of paneW x paneH cells.
type grid struct{ cols, rows, paneW, paneH int }

// roomyPaneHeight is a pane tall enough for its four fixed lines and six
// recent events inside its border: the grid takes fewer, wider columns
// (whole event lines) once every pane can be this tall.
const roomyPaneHeight = 12

// layout fits n panes into w x h: the fewest columns that still give every
// pane roomyPaneHeight rows (wide panes keep event lines whole), else as
// many columns as keep minPaneWidth (compact, all visible at 80x24), and
// more columns down to narrowPaneWidth while the panes would otherwise be
// shorter than usefulPaneHeight.
func layout(n, w, h int) grid {
	if n <= 0 {
		return grid{}
	}
	most := max(1, min(n, w/minPaneWidth))
	cols := most
	for c := 1; c <= most; c++ {
		if h/((n+c-1)/c) >= roomyPaneHeight {
			cols = c
			break
		}
	}
	for cols < n && h/((n+cols-1)/cols) < usefulPaneHeight && w/(cols+1) >= narrowPaneWidth {
		cols++
	}
	rows := (n + cols - 1) / cols
	return grid{cols: cols, rows: rows, paneW: max(w/cols, 10), paneH: max(h/rows, 3)}
}

// View implements common.Component.
func (m *Model) View() string {
	st := m.Styles
	header := m.headerLine()
	bodyH := max(m.Height-1, 3)
	g := layout(len(m.stats), m.Width, bodyH)
	if g.rows*g.paneH > bodyH {
		// Too small for a box per platform (seven at 40x12 showed three):
		// a line each, so none is out of sight.
		return lipgloss.JoinVertical(lipgloss.Left, header, m.compactView(bodyH))
	}
	var rows []string
	for r := 0; r < g.rows; r++ {
		var cells []string
		for c := 0; c < g.cols; c++ {
			i := r*g.cols + c
			if i >= len(m.stats) {
				break
			}
			cells = append(cells, m.paneView(i, g.paneW, g.paneH))
		}
		rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, cells...))
	}
	body := lipgloss.JoinVertical(lipgloss.Left, rows...)
	if m.confirm {
		q := st.Dialog.Render(fmt.Sprintf("Cancel everything still queued for %s?\n\n%s cancel   %s keep",
			m.Selected().Title(), st.Key.Render(m.Keys.Confirm.Help().Key), st.Key.Render(m.Keys.Deny.Help().Key)))
		body = lipgloss.Place(m.Width, bodyH, lipgloss.Center, lipgloss.Center, q)
	}
	return lipgloss.JoinVertical(lipgloss.Left, header, body)
}

// compactView is the panes as one line per platform ("> Interact
// throttled 0:09   7/14 ✗0"), the selected one marked, scrolled to keep it
// in the h rows; the cancel question replaces it.
func (m *Model) compactView(h int) string {
	st := m.Styles
	if m.confirm {
		q := fmt.Sprintf("Cancel everything still queued for %s? %s cancel  %s keep",
			m.Selected().ShortTitle(), st.Key.Render(m.Keys.Confirm.Help().Key), st.Key.Render(m.Keys.Deny.Help().Key))
		return strings.Join(common.Wrap(q, m.Width, h), "\n")
	}
	sc := common.Scroll{Cursor: m.selected}
	sc.Follow(len(m.stats), h)
	from, to := sc.Shown(len(m.stats), h)
	var lines []string
	for i := from; i < to; i++ {
		s := m.stats[i]
		parts := nonZero([]string{fmt.Sprintf("%d/%d", s.Done, s.Total)}, "✗%d", s.Failed)
		counts := strings.Join(nonZero(parts, "?%d", s.Held), " ")
		mark := "  "
		if i == m.selected {
			mark = "> "
		}
		titleW := max(m.Width-2-1-lipgloss.Width(counts), 4)
		title := m.titleLine(s, titleW)
		if pad := titleW - lipgloss.Width(title); pad > 0 {
			title += strings.Repeat(" ", pad)
		}
		lines = append(lines, common.Truncate(mark+title+" "+counts, m.Width))
	}
	return strings.Join(lines, "\n")
}

// headerLine sums every platform up in one line.
func (m *Model) headerLine() string {
	// Done is uploaded, as in each pane's bar and number; skipped (sent
	// before, unchanged) and failed are counted apart.
	var total, done, failed, skipped, held int
	for _, s := range m.stats {
		total += s.Total
		done += s.Done
		failed += s.Failed
		skipped += s.Skipped
		held += s.Held
	}
	text := fmt.Sprintf("Uploads: %d/%d done, %d failed", done, total, failed)
	if skipped > 0 {
		text += fmt.Sprintf(", %d skipped", skipped)
	}
	if held > 0 {
		text += fmt.Sprintf(", %d held", held)
	}
	text += fmt.Sprintf(" across %d platforms", len(m.stats))
	switch {
	case m.eng == nil:
		text = "Uploads: nothing sent yet (select photos in the browser and press u)"
	case m.finished:
		text += " (engine stopped)"
	}
	return m.Styles.Title.Render(common.Truncate(text, m.Width))
}

// paneView renders one platform's pane in exactly w x h cells.
func (m *Model) paneView(i, w, h int) string {
	st := m.Styles
	s := m.stats[i]
	frame := st.Pane
	if i == m.selected {
		frame = st.PaneFocused
	}
	innerW := max(w-frame.GetHorizontalFrameSize(), 4)
	innerH := max(h-frame.GetVerticalFrameSize(), 1)

	lines := []string{m.titleLine(s, innerW)}
	canceled := canceledOf(s)
	// The bar and its number measure the same thing: uploaded out of all
	// submitted (failed, skipped, held and canceled are in the counts).
	frac := 0.0
	if s.Total > 0 {
		frac = float64(s.Done) / float64(s.Total)
	}
	lines = append(lines, m.progressBar(frac, max(innerW-14, 4))+fmt.Sprintf(" %d/%d", s.Done, s.Total))
	lines = append(lines, countLines(s, canceled, innerW)...)
	if s.Paused && s.PauseReason != "" {
		// Why it stopped is what matters (often credentials refused and
		// what to check): give it every line left instead of cutting it
		// on the rate line and again in the latest event.
		for _, l := range common.Wrap(pauseText(s.PauseReason), innerW, max(innerH-len(lines), 1)) {
			lines = append(lines, st.Warn.Render(l))
		}
	} else {
		lines = append(lines, m.rateLines(s, innerW, max(innerH-len(lines), 1))...)
		for _, ev := range m.recent(s, innerH-len(lines)) {
			lines = append(lines, st.Muted.Render(eventLine(ev)))
		}
	}
	for j := range lines {
		lines[j] = common.Truncate(lines[j], innerW)
	}
	if len(lines) > innerH {
		lines = lines[:innerH]
	}
	for len(lines) < innerH {
		lines = append(lines, "")
	}
	return frame.Width(innerW + frame.GetHorizontalPadding()).Render(strings.Join(lines, "\n"))
}

// countLines are the pane's counts in the browser's glyphs (✓ sent, ✗
// failed, ↑ sending) and words for the rest ("= 15" for skipped explained
// nothing): one line when it fits w, closer together in a narrow pane (so
// "queued" is not cut), and there with the rest (partly, skipped, held,
// canceled) the zero counts left out, or the rest on a line of their own
// rather than cut off. Held photos (not sent: they
// wait for review) are counted as the browser's "? held" says.
func countLines(s engine.PlatformStats, canceled, w int) []string {
	// Partly is of ✓: a sub-system refused the photo (Netex), as the
	// headless summary counts it ("N uploaded (K partly ...)").
	extra := nonZero(nil, "partly %d", s.Partial)
	extra = nonZero(extra, "skipped %d", s.Skipped)
	extra = nonZero(extra, "held %d", s.Held)
	extra = nonZero(extra, "canceled %d", canceled-s.CutOff)
	// Cut off mid-request: not "canceled" (it may have arrived), not sent.
	extra = nonZero(extra, "cut off %d", s.CutOff)
	wide := strings.Join(append([]string{fmt.Sprintf("✓ %d  ✗ %d  ↑ %d  queued %d", s.Done, s.Failed, s.InFlight, s.Queued)}, extra...), "  ")
	if lipgloss.Width(wide) <= w {
		return []string{wide}
	}
	base := fmt.Sprintf("✓%d ✗%d ↑%d queued %d", s.Done, s.Failed, s.InFlight, s.Queued)
	if len(extra) == 0 {
		return []string{base}
	}
	if one := base + " " + strings.Join(extra, " "); lipgloss.Width(one) <= w {
		return []string{one}
	}
	// Still too wide: leave out the counts that are zero ("✓9 ✗2 held 3"
	// for a finished pane) before taking a line the rate needs.
	short := []string{fmt.Sprintf("✓%d", s.Done)}
	short = nonZero(short, "✗%d", s.Failed)
	short = nonZero(short, "↑%d", s.InFlight)
	short = nonZero(short, "queued %d", s.Queued)
	if one := strings.Join(append(short, extra...), " "); lipgloss.Width(one) <= w {
		return []string{one}
	}
	return []string{base, strings.Join(extra, " ")}
}

// nonZero appends the count n in format f to parts when n is above zero.
func nonZero(parts []string, f string, n int) []string {
	if n <= 0 {
		return parts
	}
	return append(parts, fmt.Sprintf(f, n))
}

// progressBar draws frac of w cells filled; ASCII without colour so it
// reads the same under NO_COLOR.
func (m *Model) progressBar(frac float64, w int) string {
	full, empty := "█", "░"
	if m.Color < common.Color16 {
		full, empty = "#", "."
	}
	n := min(max(int(frac*float64(w)+0.5), 0), w)
	return m.Styles.OK.Render(strings.Repeat(full, n)) + m.Styles.Muted.Render(strings.Repeat(empty, w-n))
}

// titleLine is the platform's name and its state in words (not colour
// alone, so NO_COLOR still tells it).
func (m *Model) titleLine(s engine.PlatformStats, w int) string {
	st := m.Styles
	var state string
	now := m.now()
	switch {
	case s.Paused:
		state = st.Warn.Render("paused")
	case s.ThrottledUntil.After(now):
		state = st.Warn.Render(common.ThrottleWord(s.ThrottleStatus) + " " + Countdown(now, s.ThrottledUntil))
	case s.Total > 0 && s.Queued == 0 && s.InFlight == 0:
		switch c := canceledOf(s); {
		case s.Failed > 0:
			state = st.Err.Render(fmt.Sprintf("done, %d failed", s.Failed))
		case c > 0:
			state = st.Warn.Render(fmt.Sprintf("stopped, %d canceled", c))
		case s.Partial > 0:
			state = st.Warn.Render(fmt.Sprintf("done, %d partly", s.Partial))
		default:
			state = st.OK.Render("done")
		}
	case s.Total > 0:
		state = st.Info.Render("sending")
	default:
		state = st.Muted.Render("idle")
	}
	title := s.Platform.Title()
	if lipgloss.Width(title)+2+lipgloss.Width(state) > w {
		title = s.Platform.ShortTitle() // a narrow pane keeps room for its state
	}
	if lipgloss.Width(title)+2+lipgloss.Width(state) > w {
		// Still too wide: the state in fewer words rather than cut.
		switch {
		case s.Paused:
		case s.ThrottledUntil.After(now):
			// What happened, without the countdown (the rate line below
			// has it: "resumes in 0:10"); else just the wait.
			state = st.Warn.Render(common.ThrottleWord(s.ThrottleStatus))
			if lipgloss.Width(title)+2+lipgloss.Width(state) > w {
				state = st.Warn.Render("wait " + Countdown(now, s.ThrottledUntil))
			}
		case s.Total > 0 && s.Queued == 0 && s.InFlight == 0 && s.Failed > 0:
			state = st.Err.Render(fmt.Sprintf("done ✗%d", s.Failed))
		case s.Total > 0 && s.Queued == 0 && s.InFlight == 0 && canceledOf(s) > 0:
			state = st.Warn.Render("stopped")
		}
	}
	name := st.PaneTitle.Render(title)
	return common.Truncate(name+"  "+state, w)
}

// pauseText says why a platform is paused, once: "paused by you", not
// "paused: paused by you".
func pauseText(reason string) string {
	r := common.Sanitize(reason)
	if strings.HasPrefix(strings.ToLower(r), "paused") {
		return r
	}
	return "paused: " + r
}

// canceledOf is how many items were dropped from the queue by cancel or
// cut off by it mid-request (PlatformStats.CutOff, shown apart): the
// engine keeps them in Total but in no other count. Photos held for review
// have their own count (they read "canceled 3" before).
func canceledOf(s engine.PlatformStats) int {
	return max(s.Total-s.Done-s.Failed-s.Skipped-s.Held-s.InFlight-s.Queued, 0)
}

// rateLines is rateLine in at most n lines of w cells: a narrow pane
// (seven platforms at 80 columns) wraps it between its parts ("0/20 per
// s", "pace 71%", "too large 1, resent 1") rather than cutting the counts off;
// the latest events get what is left.
func (m *Model) rateLines(s engine.PlatformStats, w, n int) []string {
	if s.ThrottledUntil.After(m.now()) || (s.Paused && s.PauseReason != "") {
		return []string{m.rateLine(s, w)}
	}
	parts := m.rateParts(s)
	out := wrapParts(parts, w, n)
	if s.TooLarge > 0 {
		// The 413 count in fewer words when the full words would take a
		// line more (and push the latest events out) or not fit at all.
		short := append([]string(nil), parts...)
		short[len(short)-1] = fmt.Sprintf("too large %d, resent %d", s.TooLarge, s.ReencodedSent)
		if alt := wrapParts(short, w, n); len(alt) < len(out) || lipgloss.Width(parts[len(parts)-1]) > w {
			out = alt
		}
	}
	return out
}

// wrapParts joins parts into lines of at most w cells, at most n lines.
func wrapParts(parts []string, w, n int) []string {
	var out []string
	cur := ""
	for _, p := range parts {
		switch {
		case cur == "":
			cur = p
		case lipgloss.Width(cur)+2+lipgloss.Width(p) <= w:
			cur += "  " + p
		default:
			out = append(out, cur)
			cur = p
		}
	}
	out = append(out, cur)
	if len(out) > n {
		out = append(out[:n-1], strings.Join(out[n-1:], "  "))
	}
	return out
}

// rateLine shows the achieved rate against the limit, or the countdown
// while the platform waits out a throttle, said by what happened
// ("throttled", "quota") and in fewer words where w is narrow, so the
// wait is never the part cut off.
func (m *Model) rateLine(s engine.PlatformStats, w int) string {
	now := m.now()
	if s.Paused && s.PauseReason != "" {
		return m.Styles.Warn.Render(pauseText(s.PauseReason))
	}
	if s.ThrottledUntil.After(now) {
		word, left := common.ThrottleWord(s.ThrottleStatus), Countdown(now, s.ThrottledUntil)
		line := ""
		for _, try := range []string{
			fmt.Sprintf("%s: resumes in %s (pace %d%%)", word, left, pct(s.Pace)),
			// Narrower: the title line says throttled or quota.
			fmt.Sprintf("resumes in %s, pace %d%%", left, pct(s.Pace)),
			"resumes in " + left,
			"wait " + left,
		} {
			line = try
			if w <= 0 || lipgloss.Width(try) <= w {
				break
			}
		}
		return m.Styles.Warn.Render(line)
	}
	return strings.Join(m.rateParts(s), "  ")
}

// rateParts are the rate line's parts: the rate against the limit, the
// pace when lowered, the throttling answers ("throttled 3×", "quota 3×")
// and the 413s.
func (m *Model) rateParts(s engine.PlatformStats) []string {
	line := RateVsLimit(s.Rate, s.Limit)
	if s.Rate == 0 && s.Limit.N > 0 && s.Limit.Per >= time.Minute && s.InFlight+s.Queued > 0 {
		// The engine measures over ~10 s and needs two sends in that
		// window, so a 6-a-minute platform busy at its limit reads 0:
		// show the limit it is held to rather than a false zero.
		line = "limit " + strings.TrimPrefix(RateVsLimit(0, s.Limit), "0/")
	}
	parts := []string{line}
	if s.Pace > 0 && s.Pace < 0.999 {
		parts = append(parts, fmt.Sprintf("pace %d%%", pct(s.Pace)))
	}
	if s.Throttles > 0 {
		parts = append(parts, fmt.Sprintf("%s %d×", common.ThrottleWord(s.ThrottleStatus), s.Throttles))
	}
	if s.TooLarge > 0 {
		parts = append(parts, tooLargeText(s))
	}
	return parts
}

// tooLargeText counts the photos a platform answered 413 and, of them,
// those re-encoded smaller and then uploaded: "413s 4 re-encoded" when
// all four then failed told the opposite of what happened.
func tooLargeText(s engine.PlatformStats) string {
	return fmt.Sprintf("too large: %d, re-encoded and sent: %d", s.TooLarge, s.ReencodedSent)
}

func pct(f float64) int { return int(f*100 + 0.5) }

// recent is the newest n events for the pane, newest last.
func (m *Model) recent(s engine.PlatformStats, n int) []engine.Event {
	if n <= 0 {
		return nil
	}
	evs := s.Recent
	if len(evs) == 0 {
		if ev, ok := m.lastEvent[s.Platform]; ok {
			evs = []engine.Event{ev}
		}
	}
	if len(evs) > n {
		evs = evs[len(evs)-n:]
	}
	return evs
}

// eventLine is one event in a few words, sanitized.
// Platform-wide events (done, throttled, paused) have no person, and a
// class that only repeats the event's kind is said once. A throttle says
// by what ("throttled", "quota") and until when before the server's words,
// so a narrow pane cuts those and keeps the time.
func eventLine(ev engine.Event) string {
	kind := ev.Kind.String()
	if ev.Kind == engine.EventThrottled {
		kind = common.ThrottleWordOf(ev.Err)
		if !ev.Until.IsZero() {
			kind += " till " + ev.Until.Local().Format("15:04:05") // "until" cut the time in a narrow pane
		}
		if ev.Err != nil && ev.Err.Message != "" {
			return kind + ": " + common.Sanitize(ev.Err.Message)
		}
		return kind
	}
	s := kind
	if who := common.Sanitize(ev.Person); who != "" {
		s += " " + who
	}
	var words []string
	if ev.Err != nil {
		if class := common.Sanitize(ev.Err.Class.String()); class != kind {
			words = append(words, class)
		}
		if ev.Err.Message != "" {
			words = append(words, common.Sanitize(ev.Err.Message))
		}
	} else if ev.Message != "" {
		words = append(words, common.Sanitize(ev.Message))
	}
	if len(words) > 0 {
		s += ": " + strings.Join(words, " ")
	}
	return s
}
