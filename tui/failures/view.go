package failures

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"headshot/tui/common"
	"headshot/upload"
)

// View implements common.Component.
func (m *Model) View() string {
	w, h := max(m.Width, 1), max(m.Height, 1)
	lines := []string{m.titleLine()}
	if m.Failures() == 0 && m.Earlier() == 0 && !m.hasPlatformRows() {
		lines = append(lines, "", m.Styles.Muted.Render(m.emptyText()))
		return m.fit(lines, w, h)
	}
	detail := m.detailLines(w)
	listH := h - 1 - len(detail)
	if listH < 3 {
		detail = nil
		listH = h - 1
	}
	m.scroll(listH)
	from, to := m.list.Shown(len(m.rows), listH)
	cols := columns{platform: m.platformWidth(), person: m.personWidth(w)}
	for i := from; i < to; i++ {
		lines = append(lines, m.rowLine(i, w, cols))
	}
	for len(lines) < h-len(detail) {
		lines = append(lines, "")
	}
	lines = append(lines, detail...)
	return m.fit(lines, w, h)
}

// fit cuts every line to w cells and the whole to h lines.
func (m *Model) fit(lines []string, w, h int) string {
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		lines[i] = common.Truncate(l, w)
	}
	return strings.Join(lines, "\n")
}

func (m *Model) hasPlatformRows() bool {
	for _, r := range m.rows {
		if r.kind == rowPlatform {
			return true
		}
	}
	return false
}

func (m *Model) emptyText() string {
	switch {
	case m.eng == nil:
		return "No failures (nothing sent yet)"
	case len(m.skipped) > 0:
		return fmt.Sprintf("No failures (%d skipped)", len(m.skipped))
	}
	return "No failures"
}

// titleLine counts the failures and the classes they fall in; failures
// the journal kept from earlier runs are counted apart.
func (m *Model) titleLine() string {
	n, platforms, classes := 0, 0, 0
	for _, r := range m.rows {
		switch r.kind {
		case rowItem:
			n++
		case rowPlatform:
			platforms++
		case rowHeader:
			if r.group != groupEarlier {
				classes++
			}
		}
	}
	earlier := m.Earlier()
	if n == 0 && classes == 0 && earlier == 0 {
		return m.Styles.Title.Render("Failures")
	}
	// Whole-platform rows (throttled, credentials) are counted apart from
	// failed uploads, so the count matches the rows a technician sees.
	var text string
	if n == 0 && classes == 0 {
		text = "Failures: none this session"
	} else {
		text = "Failures: " + common.Plural(n, "upload") + " failed"
		if platforms > 0 {
			text += ", " + common.Plural(platforms, "platform") + " held up"
		}
		text += " · " + common.Plural(classes, "class")
	}
	if earlier > 0 {
		text += fmt.Sprintf(" · %d from earlier runs", earlier)
	}
	if len(m.skipped) > 0 {
		text += fmt.Sprintf(", %d skipped", len(m.skipped))
	}
	return m.Styles.Title.Render(text)
}

// scroll keeps the cursor inside the listH rows shown, and its group's
// header too when there is room.
func (m *Model) scroll(listH int) {
	up := m.list.Cursor < m.list.Offset
	m.list.Follow(len(m.rows), listH)
	if up && m.list.Offset == m.list.Cursor && m.list.Offset > 0 && m.rows[m.list.Offset-1].kind == rowHeader {
		m.list.Offset--
	}
}

// groupStyle colours a group's header; the words carry the class anyway.
func (m *Model) groupStyle(g group) lipgloss.Style {
	switch g {
	case groupThrottled:
		return m.Styles.Warn
	case groupNetwork, groupOther:
		return m.Styles.Info
	}
	return m.Styles.Err
}

// columns are the widths of the platform and person columns.
type columns struct{ platform, person int }

// rowLine renders row i in at most w cells.
func (m *Model) rowLine(i, w int, cols columns) string {
	r := m.rows[i]
	if r.kind == rowHeader {
		return common.Truncate(m.groupStyle(r.group).Render(fmt.Sprintf("%s (%d)", groups[r.group].title, r.count)), w)
	}
	mark := "  "
	if i == m.list.Cursor {
		mark = "> "
	}
	name := pad(shortName(r.platform()), cols.platform)
	var text string
	switch r.kind {
	case rowPlatform:
		text = mark + name + "  " + pad("(whole platform)", cols.person) + "  " + m.platformWords(r)
	case rowPast:
		text = mark + name + "  " + pad(common.Sanitize(r.item.Person), cols.person) + "  " + m.pastWords(r)
	default:
		text = mark + name + "  " + pad(common.Sanitize(r.item.Person), cols.person) + "  " + itemWords(r)
	}
	text = common.Truncate(text, w)
	if i == m.list.Cursor {
		return m.Styles.CursorRow.Render(text)
	}
	return m.Styles.Row.Render(text)
}

// pad fills plain text with spaces to w cells.
func pad(s string, w int) string {
	if n := lipgloss.Width(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}

// shortName is a platform's name for the list column ("Netex" for
// "Netex learningCloud"); the detail lines use the full title.
func shortName(p upload.Platform) string {
	if f := strings.Fields(p.Title()); len(f) > 0 {
		return f[0]
	}
	return string(p)
}

// platformWidth is the platform column: the longest listed platform name.
func (m *Model) platformWidth() int {
	n := 0
	for _, r := range m.rows {
		if r.kind != rowHeader {
			n = max(n, lipgloss.Width(shortName(r.platform())))
		}
	}
	return n
}

// personWidth is the person column: the longest listed person, capped at a
// third of the width.
func (m *Model) personWidth(w int) int {
	n := 0
	for _, r := range m.rows {
		if r.kind == rowItem || r.kind == rowPast {
			n = max(n, lipgloss.Width(common.Sanitize(r.item.Person)))
		}
	}
	return min(max(n, len("(whole platform)")), max(w/3, 8))
}

// platformWords describes a platform row: a throttle countdown and pace,
// a pause, or refused credentials.
func (m *Model) platformWords(r row) string {
	s := r.stats
	if r.group == groupAuth {
		words := "credentials refused"
		if r.err != nil {
			words += ": " + errWords(r.err)
		} else if s.PauseReason != "" {
			words = common.Sanitize(s.PauseReason)
		}
		return words + "; paused"
	}
	now := m.now()
	var parts []string
	switch {
	case s.Paused:
		parts = append(parts, "paused (p to resume)")
	case s.ThrottledUntil.After(now):
		parts = append(parts, common.ThrottleWord(s.ThrottleStatus)+": resumes in "+countdown(now, s.ThrottledUntil))
	default:
		parts = append(parts, "resuming now")
	}
	if s.Pace > 0 {
		parts = append(parts, fmt.Sprintf("pace %d%%", pct(s.Pace)))
	}
	if !s.Paused {
		parts = append(parts, "waiting automatically")
	}
	return strings.Join(parts, " · ")
}

// pastWords describe an earlier failure: when, and the words the journal
// kept ("2 h ago: HTTP 413 ..."), sanitized.
func (m *Model) pastWords(r row) string {
	words := common.Sanitize(r.past.LastError)
	if words == "" {
		words = r.past.Class.String()
	}
	if ago := common.Ago(r.past.Updated, m.now()); ago != "" {
		return ago + ": " + words
	}
	return words
}

// errWords is the platform's status, code and message, sanitized.
func errWords(e *upload.Error) string {
	if e == nil {
		return "failed (no detail)"
	}
	var head string
	switch {
	case e.Local:
		head = "refused before sending"
	case e.Status != 0 && e.Code != "":
		head = fmt.Sprintf("HTTP %d, code %s", e.Status, common.Sanitize(e.Code))
	case e.Status != 0:
		head = fmt.Sprintf("HTTP %d", e.Status)
	case e.Code != "":
		head = "code " + common.Sanitize(e.Code)
	}
	msg := common.Sanitize(e.Message)
	if msg == "" && e.Err != nil {
		msg = common.Sanitize(e.Err.Error())
	}
	switch {
	case msg == "" && head == "":
		return e.Class.String()
	case msg == "":
		return head
	case head == "" && e.Class == upload.ClassNetwork:
		return "network: " + msg
	case head == "":
		return msg
	}
	return head + ": " + msg
}

// itemWords is what went wrong with an item, in its class's terms.
func itemWords(r row) string {
	e := r.item.Err
	switch r.group {
	case groupUnreadable:
		return "cannot use the photo: " + common.Sanitize(unreadableWhy(e, r.item.Path))
	case groupTooLarge:
		if e == nil {
			break
		}
		size := e.Size
		if size <= 0 {
			size = int64(r.item.Bytes)
		}
		s := "sent " + humanBytes(size)
		if e.Limit > 0 {
			s += ", limit " + humanBytes(e.Limit)
		}
		return s
	}
	return errWords(e)
}

// detailLines describe the row under the cursor: its class's advice, who
// and which file, and the platform's words in full (wrapped to two lines).
func (m *Model) detailLines(w int) []string {
	st := m.Styles
	r, ok := m.current()
	if !ok {
		return nil
	}
	rule := st.Muted.Render(strings.Repeat("─", w))
	advice := st.Header.Render(groups[r.group].title+": ") + groups[r.group].hint
	if lipgloss.Width(advice) > w {
		// The group's title heads its rows in the list already: the
		// advice (which keys to press) matters more than repeating it.
		advice = groups[r.group].hint
	}
	var subject, words string
	switch r.kind {
	case rowPlatform:
		subject = r.stats.Platform.Title()
		words = m.platformWords(r)
		if r.group == groupAuth {
			words += "; r resumes " + r.stats.Platform.Title()
		}
	case rowPast:
		e := r.past
		subject = fmt.Sprintf("%s · %s · %s", e.Platform.Title(), common.Sanitize(e.Person), common.Sanitize(filepath.Base(e.Path)))
		if e.Attempts > 0 {
			subject += " · " + common.Plural(e.Attempts, "attempt")
		}
		if !e.Updated.IsZero() {
			subject += " · " + e.Updated.Local().Format("Mon 2 Jan 15:04")
		}
		words = m.pastWords(r)
	default:
		it := r.item
		subject = fmt.Sprintf("%s · %s · %s", it.Platform.Title(), common.Sanitize(it.Person), common.Sanitize(filepath.Base(it.Path)))
		if it.Attempts > 0 {
			subject += " · " + common.Plural(it.Attempts, "attempt")
		}
		words = itemWords(r)
		if full := errWords(it.Err); r.group == groupTooLarge && full != "" {
			words += " (" + full + ")"
		}
	}
	wrapped := common.Wrap(words, w, m.wordLines())
	out := []string{rule, common.Truncate(advice, w), st.Muted.Render(common.Truncate(subject, w))}
	out = append(out, wrapped...)
	for len(out) < 3+m.wordLines() {
		out = append(out, "")
	}
	return out
}

// wordLines is how many lines the platform's words may wrap to: three
// when the screen has room (a credentials message and its advice), else
// two.
func (m *Model) wordLines() int {
	if m.Height >= 20 {
		return 3
	}
	return 2
}
