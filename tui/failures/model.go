package failures

import (
	"fmt"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"headshot/tui/common"
	"headshot/upload"
	"headshot/upload/engine"
	"headshot/upload/journal"
)

// Engine is what the Errors screen needs of the upload engine.
type Engine interface {
	Items() []engine.Item
	Snapshot() []engine.PlatformStats
	Retry(match func(engine.Item) bool) int
	SlowDown(p upload.Platform, factor float64)
	Pause(p upload.Platform, reason string)
	Resume(p upload.Platform)
}

// TickInterval is how often the screen refreshes from the engine (the
// throttle countdowns move in whole seconds).
const TickInterval = 500 * time.Millisecond

// SlowDownFactor is the pace the slow-down action sets, as a fraction of
// the platform's limit.
const SlowDownFactor = 0.5

// PauseReason is the reason given to the engine when a platform is paused
// from this screen.
const PauseReason = "paused from the Errors screen"

// Model is the Errors screen.
type Model struct {
	common.Common
	eng Engine
	now func() time.Time

	items      []engine.Item
	stats      []engine.PlatformStats
	rows       []row
	list       common.Scroll // cursor: index into rows; always a selectable row when any exists
	skipped    map[string]bool
	pausedHere map[upload.Platform]bool

	poll *common.Poller
}

// Option adjusts a Model.
type Option func(*Model)

// WithClock replaces time.Now (tests).
func WithClock(now func() time.Time) Option { return func(m *Model) { m.now = now } }

// New builds the Errors screen. eng may be nil until the first upload
// starts: the root then sends common.EngineStartedMsg.
func New(c common.Common, eng Engine, opts ...Option) *Model {
	m := &Model{Common: c, eng: eng, now: time.Now, skipped: map[string]bool{}, pausedHere: map[upload.Platform]bool{},
		poll: common.NewPoller(TickInterval)}
	for _, o := range opts {
		o(m)
	}
	m.refresh()
	return m
}

// Attach gives the screen the engine once it exists.
func (m *Model) Attach(eng Engine) tea.Cmd {
	m.eng = eng
	m.refresh()
	return m.startTicking()
}

// Init implements common.Component.
func (m *Model) Init() tea.Cmd { return m.startTicking() }

func (m *Model) startTicking() tea.Cmd {
	if m.eng == nil {
		return nil
	}
	return m.poll.Start()
}

// Skipped is how many failures were skipped (hidden) on this screen.
func (m *Model) Skipped() int { return len(m.skipped) }

// Failures is how many failed items are listed (skipped ones excluded).
func (m *Model) Failures() int {
	n := 0
	for _, r := range m.rows {
		if r.kind == rowItem {
			n++
		}
	}
	return n
}

// refresh reads the engine and rebuilds the rows, keeping the cursor on the
// same failure when it is still listed.
func (m *Model) refresh() {
	cur := ""
	if r, ok := m.current(); ok {
		cur = r.id()
	}
	if m.eng == nil {
		m.items, m.stats = nil, nil
	} else {
		m.items, m.stats = m.eng.Items(), m.eng.Snapshot()
	}
	for p := range m.pausedHere {
		if !m.isPaused(p) {
			delete(m.pausedHere, p) // resumed elsewhere (the panes)
		}
	}
	old := m.list.Cursor
	m.rows = buildRows(m.items, m.stats, m.skipped, m.pausedHere, m.now())
	m.list.Cursor = -1
	for i, r := range m.rows {
		if cur != "" && r.id() == cur {
			m.list.Cursor = i
			break
		}
	}
	if m.list.Cursor < 0 {
		m.list.Cursor = min(old, len(m.rows)-1)
		m.settle(1)
	}
}

func (m *Model) isPaused(p upload.Platform) bool {
	for _, s := range m.stats {
		if s.Platform == p {
			return s.Paused
		}
	}
	return false
}

// settle moves the cursor off a header, first in direction dir, then back.
func (m *Model) settle(dir int) {
	if len(m.rows) == 0 {
		m.list.Cursor = 0
		return
	}
	m.list.Cursor = min(max(m.list.Cursor, 0), len(m.rows)-1)
	for _, d := range []int{dir, -dir} {
		for i := m.list.Cursor; i >= 0 && i < len(m.rows); i += d {
			if m.rows[i].selectable() {
				m.list.Cursor = i
				return
			}
		}
	}
}

// current is the row under the cursor.
func (m *Model) current() (row, bool) {
	if m.list.Cursor < 0 || m.list.Cursor >= len(m.rows) || !m.rows[m.list.Cursor].selectable() {
		return row{}, false
	}
	return m.rows[m.list.Cursor], true
}

// move steps the cursor over selectable rows.
func (m *Model) move(d int) {
	for i := m.list.Cursor + d; i >= 0 && i < len(m.rows); i += d {
		if m.rows[i].selectable() {
			m.list.Cursor = i
			return
		}
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
	case common.UploadEventMsg, common.UploadsClosedMsg:
		m.refresh()
	case tea.KeyMsg:
		return m.handleKey(msg)
	}
	return nil
}

func (m *Model) handleKey(msg tea.KeyMsg) tea.Cmd {
	k := m.Keys
	switch {
	case key.Matches(msg, k.Up):
		m.move(-1)
		return nil
	case key.Matches(msg, k.Down):
		m.move(1)
		return nil
	case key.Matches(msg, k.Home):
		m.list.Cursor = 0
		m.settle(1)
		return nil
	case key.Matches(msg, k.End):
		m.list.Cursor = len(m.rows) - 1
		m.settle(-1)
		return nil
	}
	r, ok := m.current()
	if !ok || m.eng == nil {
		return nil
	}
	switch {
	case key.Matches(msg, k.RetryAll):
		return m.retryClass(r.group)
	case key.Matches(msg, k.Retry):
		return m.retryRow(r)
	case key.Matches(msg, k.Reencode) && r.group == groupTooLarge && r.kind == rowItem:
		return m.retryItem(r.item, "re-encoding smaller and retrying")
	case key.Matches(msg, k.OpenInEdit) && r.kind == rowItem && (r.group == groupRejected || r.group == groupUnreadable),
		key.Matches(msg, k.Remap) && r.kind == rowItem && r.group == groupNotFound:
		return common.OpenCorrect(r.item.Path, r.item.Person)
	case key.Matches(msg, k.Skip) && r.kind == rowItem:
		m.skipped[r.item.ID] = true
		m.refresh()
		return common.StatusCmd(fmt.Sprintf("skipped %s on %s", common.Sanitize(r.item.Person), r.item.Platform.Title()))
	case key.Matches(msg, k.SlowDown) && r.group == groupThrottled:
		p := r.platform()
		m.eng.SlowDown(p, SlowDownFactor)
		m.refresh()
		return common.StatusCmd(fmt.Sprintf("%s: pace capped at %d%%", p.Title(), pct(SlowDownFactor)))
	case key.Matches(msg, k.Pause) && r.group == groupThrottled:
		return m.togglePause(r.platform())
	}
	return nil
}

// platform is the platform a row is about.
func (r row) platform() upload.Platform {
	if r.kind == rowPlatform {
		return r.stats.Platform
	}
	return r.item.Platform
}

// retryRow retries the item under the cursor, or for a platform paused for
// credentials resumes it (its items are still queued) and retries its
// failed auth items.
func (m *Model) retryRow(r row) tea.Cmd {
	if r.kind == rowItem {
		return m.retryItem(r.item, "retrying")
	}
	if r.group != groupAuth {
		return nil
	}
	p := r.stats.Platform
	m.eng.Resume(p)
	n := m.eng.Retry(func(it engine.Item) bool {
		return it.Platform == p && it.State == journal.StateFailed && groupOf(it) == groupAuth && !m.skipped[it.ID]
	})
	m.refresh()
	return common.StatusCmd(fmt.Sprintf("%s: resumed, %d failed retried", p.Title(), n))
}

func (m *Model) retryItem(it engine.Item, what string) tea.Cmd {
	id := it.ID
	n := m.eng.Retry(func(x engine.Item) bool { return x.ID == id && x.State == journal.StateFailed })
	m.refresh()
	if n == 0 {
		return common.StatusCmd(fmt.Sprintf("%s on %s: no longer failed", common.Sanitize(it.Person), it.Platform.Title()))
	}
	return common.StatusCmd(fmt.Sprintf("%s %s on %s", what, common.Sanitize(it.Person), it.Platform.Title()))
}

// retryClass retries every listed failure of group g (skipped ones stay
// skipped). For credentials it also resumes the platforms paused for them.
func (m *Model) retryClass(g group) tea.Cmd {
	if g == groupAuth {
		for _, r := range m.rows {
			if r.kind == rowPlatform && r.group == groupAuth {
				m.eng.Resume(r.stats.Platform)
			}
		}
	}
	n := m.eng.Retry(classMatcher(g, m.skipped))
	m.refresh()
	return common.StatusCmd(fmt.Sprintf("retrying %d %s", n, groups[g].title))
}

// classMatcher is the predicate retry-all uses: failed items of group g not
// skipped on this screen.
func classMatcher(g group, skipped map[string]bool) func(engine.Item) bool {
	return func(it engine.Item) bool {
		return it.State == journal.StateFailed && groupOf(it) == g && !skipped[it.ID]
	}
}

// togglePause pauses a throttled platform, or resumes one paused here.
func (m *Model) togglePause(p upload.Platform) tea.Cmd {
	if m.isPaused(p) {
		m.eng.Resume(p)
		delete(m.pausedHere, p)
		m.refresh()
		return common.StatusCmd(p.Title() + ": resumed")
	}
	m.eng.Pause(p, PauseReason)
	m.pausedHere[p] = true
	m.refresh()
	return common.StatusCmd(p.Title() + ": paused (p again to resume)")
}

// ShortHelp implements common.Component: the keys that act on the row
// under the cursor.
func (m *Model) ShortHelp() []key.Binding {
	k := m.Keys
	r, ok := m.current()
	if !ok {
		return []key.Binding{k.Back}
	}
	switch r.group {
	case groupRejected:
		return []key.Binding{k.OpenInEdit, k.Skip, k.Retry, k.RetryAll, k.Back}
	case groupUnreadable:
		return []key.Binding{k.OpenInEdit, k.Skip, k.Retry, k.Back}
	case groupTooLarge:
		return []key.Binding{k.Reencode, k.Skip, k.RetryAll, k.Back}
	case groupThrottled:
		if r.kind == rowPlatform {
			return []key.Binding{k.SlowDown, k.Pause, k.Back}
		}
		return []key.Binding{k.Retry, k.RetryAll, k.SlowDown, k.Pause, k.Back}
	case groupNotFound:
		return []key.Binding{k.Remap, k.Retry, k.RetryAll, k.Skip, k.Back}
	}
	return []key.Binding{k.Retry, k.RetryAll, k.Skip, k.Back}
}

// FullHelp implements common.Component.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.Keys
	return [][]key.Binding{
		{k.Up, k.Down, k.Home, k.End},
		{k.Retry, k.RetryAll, k.Skip, k.Back},
		{k.OpenInEdit, k.Remap, k.Reencode},
		{k.SlowDown, k.Pause},
	}
}
